// Shipping an order from the admin console: its shipments (made when the order is confirmed), packed and handed to a carrier with tracking.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import type { Order } from '../shared/types.ts';
import { Alert, Field, StatusBadge, useAsync } from '../shared/ui.tsx';
import { api } from './console.ts';

interface Shipment {
  id: string;
  status: 'pending' | 'packed' | 'shipped' | 'delivered' | 'cancelled';
  lines: { sku: string; title: string; quantity: number }[];
  carrierName: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt?: string | null;
}

export function ShipPanel({ order, onShipped }: { order: Order; onShipped: () => void }) {
  const shipments = useAsync(async () => {
    try {
      return (await api<{ data: Shipment[] }>(`/v1/shipments/by-order/${order.id}`)).data;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null; // no shipping service on this platform
      throw e;
    }
  }, [order.id, order.status]);
  const waiting = shipments.data?.length === 0 && order.status === 'confirmed';
  const { reload } = shipments;
  // A confirmed order's shipment is made from the order's event: look again shortly.
  useEffect(() => {
    if (!waiting) return;
    const t = setInterval(reload, 1500);
    return () => clearInterval(t);
  }, [waiting, reload]);
  // Timers that read the order again after shipping: cleared when the admin leaves the page.
  const lookAgain = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => {
    const timers = lookAgain.current;
    return () => {
      for (const t of timers) clearTimeout(t);
      timers.length = 0;
    };
  }, []);
  if (!shipments.data) return shipments.error ? <Alert>{shipments.error}</Alert> : null;
  if (shipments.data.length === 0) return order.status === 'confirmed' ? <p className="muted">The shipment is being prepared…</p> : null;
  return (
    <div className="stack">
      <h3>Shipments</h3>
      {shipments.data.map((s) => (
        <div key={s.id} className="stack">
          <p>
            <StatusBadge status={s.status} /> {s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}
            {s.trackingNumber ? <span className="muted small"> · {s.carrierName ?? 'Carrier'} {s.trackingUrl ? <a href={s.trackingUrl}>{s.trackingNumber}</a> : s.trackingNumber}{s.shippedAt ? ` · ${formatDateTime(s.shippedAt)}` : ''}</span> : null}
          </p>
          {s.status === 'pending' || s.status === 'packed' ? (
            <ShipForm
              shipment={s}
              onDone={() => {
                shipments.reload();
                // The order learns it shipped from the shipping service's event: look again as it arrives.
                for (const ms of [500, 1500, 3500]) lookAgain.current.push(setTimeout(onShipped, ms));
              }}
            />
          ) : null}
        </div>
      ))}
    </div>
  );
}

function ShipForm({ shipment, onDone }: { shipment: Shipment; onDone: () => void }) {
  const [carrierName, setCarrierName] = useState('');
  const [tracking, setTracking] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      await api(`/v1/shipments/${shipment.id}/ship`, { method: 'POST', body: { trackingNumber: tracking.trim(), ...(carrierName.trim() ? { carrierName: carrierName.trim() } : {}) } });
      onDone();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Ship">
      {error ? <Alert>{error}</Alert> : null}
      <div className="row">
        <Field label="Carrier" value={carrierName} placeholder="DHL" onChange={(e) => setCarrierName(e.target.value)} error={errors['/carrierName']} />
        <Field label="Tracking number" value={tracking} onChange={(e) => setTracking(e.target.value)} error={errors['/trackingNumber']} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy}>Mark shipped</button>
    </form>
  );
}
