// Inventory per location: stock levels, adjustments with a reason, and the movements behind them.
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf, query, type Page } from '../shared/api.ts';
import { formatDateTime } from '../shared/format.ts';
import { Alert, Field, LoadMore, Select, useAsync, useDebounced, usePaged } from '../shared/ui.tsx';
import { api } from './console.ts';

interface Location { id: string; code: string; name: string; isDefault: boolean; archived: boolean }
interface Level { sku: string; locationId: string; locationCode: string; onHand: number; reserved: number; available: number; updatedAt: string }
interface Movement { id: string; sku: string; locationId: string; kind: string; onHandDelta: number; reservedDelta: number; onHand: number; available: number; reason: string | null; actor: string; createdAt: string }

export function InventoryPage() {
  const locations = useAsync(() => api<{ data: Location[] }>('/v1/inventory/locations').then((r) => r.data), []);
  const [locationId, setLocationId] = useState('');
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [selected, setSelected] = useState<Level | null>(null);
  const paged = usePaged((cursor) => api<Page<Level>>(`/v1/inventory/levels${query({ locationId: locationId || undefined, q: q || undefined, limit: 50, cursor })}`), `${locationId}|${q}`);
  return (
    <div className="stack">
      <h1>Inventory</h1>
      <div className="toolbar">
        <Select label="Location" value={locationId} onChange={(e) => setLocationId(e.target.value)}>
          <option value="">All locations</option>
          {(locations.data ?? []).map((l) => (
            <option key={l.id} value={l.id}>{l.name} ({l.code}){l.isDefault ? ' · default' : ''}</option>
          ))}
        </Select>
        <Field label="Find SKU" type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="split">
        <table className="table">
          <caption className="visually-hidden">Stock levels</caption>
          <thead>
            <tr><th scope="col">SKU</th><th scope="col">Location</th><th scope="col" className="num">On hand</th><th scope="col" className="num">Reserved</th><th scope="col" className="num">Available</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {paged.items.map((l) => (
              <tr key={`${l.sku}|${l.locationId}`} aria-selected={selected?.sku === l.sku && selected.locationId === l.locationId}>
                <td>{l.sku}</td>
                <td>{l.locationCode}</td>
                <td className="num">{l.onHand}</td>
                <td className="num">{l.reserved}</td>
                <td className={`num ${l.available <= 0 ? 'danger' : ''}`}>{l.available}</td>
                <td><button type="button" className="btn btn-sm" onClick={() => setSelected(l)} aria-label={`Adjust ${l.sku} at ${l.locationCode}`}>Adjust</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {selected ? (
          <Adjust
            key={`${selected.sku}|${selected.locationId}`}
            level={selected}
            onDone={(next) => {
              paged.setItems((items) => items.map((l) => (l.sku === next.sku && l.locationId === next.locationId ? next : l)));
              setSelected(next);
            }}
          />
        ) : null}
      </div>
      <LoadMore paged={paged} />
    </div>
  );
}

function Adjust({ level, onDone }: { level: Level; onDone: (l: Level) => void }) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const movements = useAsync(() => api<Page<Movement>>(`/v1/inventory/movements${query({ sku: level.sku, locationId: level.locationId, limit: 10 })}`), [level.sku, level.locationId, level.onHand]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setErrors({});
    const n = Number(delta);
    if (!Number.isInteger(n) || n === 0) {
      setErrors({ '/delta': 'Enter a whole number other than 0, e.g. -2 or 10.' });
      return;
    }
    try {
      const r = await api<{ onHand: number; reserved: number; available: number }>(`/v1/inventory/items/${encodeURIComponent(level.sku)}/adjustments`, { method: 'POST', body: { locationId: level.locationId, delta: n, reason: reason.trim() } });
      onDone({ ...level, onHand: r.onHand, reserved: r.reserved, available: r.available, updatedAt: new Date().toISOString() });
      setDelta('');
      setReason('');
      setMessage({ kind: 'success', text: `Adjusted by ${n > 0 ? '+' : ''}${n}. On hand now ${r.onHand}.` });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setMessage({ kind: 'error', text: messageOf(err) });
    }
  };
  return (
    <section className="panel stack" aria-labelledby="adjust-title">
      <h2 id="adjust-title">{level.sku} at {level.locationCode}</h2>
      <p className="muted">On hand {level.onHand} · reserved {level.reserved} · available {level.available}</p>
      <form className="stack" onSubmit={submit} noValidate aria-label="Adjust stock">
        <Field label="Change in units" inputMode="numeric" value={delta} onChange={(e) => setDelta(e.target.value)} error={errors['/delta']} hint="Negative to remove: -2 for two damaged." />
        <Field label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors['/reason']} hint="Damaged, stocktake, correction…" />
        {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
        <button type="submit" className="btn btn-primary">Adjust stock</button>
      </form>
      <h3>Recent movements</h3>
      <ul className="timeline">
        {(movements.data?.data ?? []).map((m) => (
          <li key={m.id}>
            <strong>{m.kind}</strong> {m.onHandDelta !== 0 ? `on hand ${m.onHandDelta > 0 ? '+' : ''}${m.onHandDelta}` : ''} {m.reservedDelta !== 0 ? `reserved ${m.reservedDelta > 0 ? '+' : ''}${m.reservedDelta}` : ''}
            <div className="muted small">{formatDateTime(m.createdAt)}{m.reason ? ` · ${m.reason}` : ''}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
