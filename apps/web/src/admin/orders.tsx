// Orders: filters, the list, and one order with its timeline and the actions an admin takes (cancel, refund, ship).
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf, newIdempotencyKey, query, type Page } from '../shared/api.ts';
import { formatDateTime, humanize, money, parseMoney, toDecimal } from '../shared/format.ts';
import { OrderTotals, ShippingAddress } from '../shared/order.tsx';
import { Link, navigate, useLocation } from '../shared/router.tsx';
import type { Order } from '../shared/types.ts';
import { Alert, Field, LoadMore, Select, Spinner, StatusBadge, useAsync, usePaged } from '../shared/ui.tsx';
import { api } from './console.ts';
import { ShipPanel } from './shipments.tsx';
import { useShopCurrency } from '../shared/shop-currency.ts';

const STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded'];

export function OrdersPage() {
  const { query: q } = useLocation();
  const [filters, setFilters] = useState({
    status: q.get('status') ?? '',
    email: q.get('email') ?? '',
    placedFrom: q.get('placedFrom') ?? '',
    placedTo: q.get('placedTo') ?? '',
    minTotal: q.get('minTotal') ?? '',
    maxTotal: q.get('maxTotal') ?? '',
  });
  const [applied, setApplied] = useState(filters);
  const currency = useShopCurrency();
  const customerId = q.get('customerId') ?? undefined;
  const params = {
    status: applied.status || undefined,
    email: applied.email.trim() || undefined,
    placedFrom: applied.placedFrom ? new Date(`${applied.placedFrom}T00:00:00`).toISOString() : undefined,
    placedTo: applied.placedTo ? new Date(`${applied.placedTo}T23:59:59.999`).toISOString() : undefined,
    minTotal: applied.minTotal ? (parseMoney(applied.minTotal, currency) ?? undefined) : undefined,
    maxTotal: applied.maxTotal ? (parseMoney(applied.maxTotal, currency) ?? undefined) : undefined,
    customerId,
  };
  const paged = usePaged((cursor) => api<Page<Order>>(`/v1/admin/orders${query({ ...params, limit: 50, cursor })}`), JSON.stringify(params));
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied(filters);
  };
  return (
    <div className="stack">
      <h1>Orders</h1>
      {customerId ? <p className="muted">One customer’s orders. <Link to="/admin/orders">All orders</Link></p> : null}
      <form className="toolbar" onSubmit={apply} aria-label="Order filters">
        <Select label="Status" value={filters.status} onChange={(e) => { set('status')(e); setApplied((a) => ({ ...a, status: e.target.value })); }}>
          <option value="">Any</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s.replace(/_/g, ' ')}</option>)}
        </Select>
        <Field label="Customer email" type="search" value={filters.email} onChange={set('email')} />
        <Field label="Placed from" type="date" value={filters.placedFrom} onChange={set('placedFrom')} />
        <Field label="Placed to" type="date" value={filters.placedTo} onChange={set('placedTo')} />
        <Field label={`Min total (${currency})`} inputMode="decimal" value={filters.minTotal} onChange={set('minTotal')} className="field-sm" />
        <Field label={`Max total (${currency})`} inputMode="decimal" value={filters.maxTotal} onChange={set('maxTotal')} className="field-sm" />
        <button type="submit" className="btn">Filter</button>
      </form>
      <table className="table">
        <caption className="visually-hidden">Orders</caption>
        <thead>
          <tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Customer</th><th scope="col">Status</th><th scope="col" className="num">Items</th><th scope="col" className="num">Total</th></tr>
        </thead>
        <tbody>
          {paged.items.map((o) => (
            <tr key={o.id}>
              <td><Link to={`/admin/orders/${o.id}`}>{o.number}</Link></td>
              <td>{formatDateTime(o.placedAt)}</td>
              <td>{o.email}</td>
              <td><StatusBadge status={o.status} />{o.reason ? <div className="muted small">{humanize(o.reason.split(':')[0] ?? o.reason)}</div> : null}</td>
              <td className="num">{o.lines.reduce((s, l) => s + l.quantity, 0)}</td>
              <td className="num">{money(o.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!paged.loading && paged.items.length === 0 ? <p className="muted">No orders match.</p> : null}
      <LoadMore paged={paged} />
    </div>
  );
}

export function OrderDetailPage({ id }: { id: string }) {
  const state = useAsync(() => api<Order>(`/v1/admin/orders/${id}`), [id]);
  if (state.loading && !state.data) return <Spinner label="Loading order" />;
  if (state.error || !state.data) return <Alert>{state.error ?? 'Order not found.'}</Alert>;
  return <OrderDetail order={state.data} reload={state.reload} />;
}

function OrderDetail({ order, reload }: { order: Order; reload: () => void }) {
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [refund, setRefund] = useState({ amount: '', reason: '' });
  const [refundErrors, setRefundErrors] = useState<Record<string, string>>({});
  const remaining = order.total.amount - order.refunded.amount;

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
      setMessage({ kind: 'success', text: done });
      reload();
    } catch (err) {
      setMessage({ kind: 'error', text: messageOf(err) });
      if (err instanceof ApiError) setRefundErrors(err.fieldErrors());
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    if (!window.confirm(`Cancel order ${order.number}? Payment is voided or refunded and stock goes back.`)) return;
    void act(() => api(`/v1/admin/orders/${order.id}/cancel`, { method: 'POST' }), `Order ${order.number} cancelled.`);
  };

  const submitRefund = (e: FormEvent) => {
    e.preventDefault();
    setRefundErrors({});
    const amount = refund.amount.trim() ? parseMoney(refund.amount, order.total.currency) : undefined;
    if (amount === null) {
      setRefundErrors({ '/amount': 'Enter an amount such as 12.50, or leave it empty for the whole remaining amount.' });
      return;
    }
    if (!refund.reason.trim()) {
      setRefundErrors({ '/reason': 'Say why, for the records.' });
      return;
    }
    void act(
      () => api(`/v1/admin/orders/${order.id}/refund`, { method: 'POST', headers: { 'idempotency-key': newIdempotencyKey() }, body: { ...(amount ? { amount } : {}), reason: refund.reason.trim() } }),
      'Refund issued.',
    );
  };

  return (
    <div className="stack">
      <p><Link to="/admin/orders">← Orders</Link></p>
      <div className="row-between">
        <h1>Order {order.number}</h1>
        <StatusBadge status={order.status} />
      </div>
      {order.reason ? <p className="muted">Reason: {order.reason}</p> : null}
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <div className="two-col">
        <section className="panel stack" aria-labelledby="o-lines">
          <h2 id="o-lines">Items</h2>
          <table className="table">
            <thead><tr><th scope="col">Item</th><th scope="col">SKU</th><th scope="col" className="num">Qty</th><th scope="col" className="num">Total</th></tr></thead>
            <tbody>
              {order.lines.map((l) => (
                <tr key={l.variantId}><td>{l.title}</td><td>{l.sku}</td><td className="num">{l.quantity}</td><td className="num">{money(l.lineTotal)}</td></tr>
              ))}
            </tbody>
          </table>
          <OrderTotals order={order} />
        </section>
        <section className="panel stack" aria-labelledby="o-customer">
          <h2 id="o-customer">Customer</h2>
          <p>{order.email}{order.customerId ? <> · <Link to={`/admin/orders?customerId=${order.customerId}`}>their orders</Link></> : ' (guest)'}</p>
          <ShippingAddress order={order} phone />
          <p className="muted small">Payment {humanize(order.payment)} · stock {humanize(order.stock)}</p>
        </section>
      </div>
      <div className="two-col">
        <section className="panel stack" aria-labelledby="o-actions">
          <h2 id="o-actions">Actions</h2>
          <ShipPanel order={order} onShipped={reload} />
          {order.status !== 'cancelled' && order.status !== 'refunded' ? (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={cancel}>Cancel order</button>
          ) : null}
          {remaining > 0 && ['confirmed', 'shipped', 'delivered', 'partially_refunded', 'fulfilled'].includes(order.status) ? (
            <form className="stack" onSubmit={submitRefund} noValidate aria-label="Refund">
              <h3>Refund</h3>
              <Field label={`Amount (${order.total.currency})`} inputMode="decimal" value={refund.amount} placeholder={toDecimal(remaining, order.total.currency)} onChange={(e) => setRefund((r) => ({ ...r, amount: e.target.value }))} error={refundErrors['/amount']} hint="Empty: the whole remaining amount." />
              <Field label="Refund reason" value={refund.reason} onChange={(e) => setRefund((r) => ({ ...r, reason: e.target.value }))} error={refundErrors['/reason']} />
              <button type="submit" className="btn" disabled={busy}>Refund</button>
            </form>
          ) : null}
        </section>
        <section className="panel stack" aria-labelledby="o-timeline">
          <h2 id="o-timeline">Timeline</h2>
          <ol className="timeline">
            {(order.timeline ?? []).map((t, i) => (
              <li key={`${t.at}-${i}`}>
                <strong>{humanize(t.type.split('.').slice(-2).join(' '))}</strong> <StatusBadge status={t.status} />
                <div className="muted small">{formatDateTime(t.at)}{typeof t.data.reason === 'string' ? ` · ${t.data.reason}` : ''}</div>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <p><button type="button" className="link-button" onClick={() => navigate('/admin/orders')}>Back to all orders</button></p>
    </div>
  );
}
