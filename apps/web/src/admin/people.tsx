// Customers and payments: searchable, filterable, cursor-paginated lists.
import { useState } from 'react';
import { query, type Customer, type Money, type Page } from '../shared/api.ts';
import { formatDateTime, money } from '../shared/format.ts';
import { Link } from '../shared/router.tsx';
import { Field, LoadMore, Select, StatusBadge, useDebounced, usePaged } from '../shared/ui.tsx';
import { api } from './console.ts';

export function CustomersPage() {
  const [role, setRole] = useState('');
  const [text, setText] = useState('');
  const email = useDebounced(text.trim(), 300);
  const paged = usePaged((cursor) => api<Page<Customer>>(`/v1/customers${query({ role: role || undefined, email: email || undefined, limit: 50, cursor })}`), `${role}|${email}`);
  return (
    <div className="stack">
      <h1>Customers</h1>
      <div className="toolbar">
        <Field label="Email" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        <Select label="Role" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="">Any</option>
          <option value="customer">Customer</option>
          <option value="admin">Admin</option>
        </Select>
      </div>
      <table className="table">
        <caption className="visually-hidden">Customers</caption>
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col">Orders</th></tr>
        </thead>
        <tbody>
          {paged.items.map((c) => (
            <tr key={c.id}>
              <td>{c.name || '—'}</td>
              <td>{c.email}{c.emailVerified ? '' : <span className="muted small"> (unverified)</span>}</td>
              <td><StatusBadge status={c.role} /></td>
              <td>{formatDateTime(c.createdAt)}</td>
              <td><Link to={`/admin/orders?customerId=${c.id}`}>Orders</Link></td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore paged={paged} />
    </div>
  );
}

interface Payment {
  id: string;
  status: string;
  reference: { kind: string; id: string };
  amount: Money;
  captured: Money;
  refunded: Money;
  paymentMethod: string | null;
  failure: { code: string; message: string } | null;
  provider: string;
  createdAt: string;
}

const PAYMENT_STATUSES = ['authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed', 'requires_action'];

export function PaymentsPage() {
  const [status, setStatus] = useState('');
  const paged = usePaged((cursor) => api<Page<Payment>>(`/v1/admin/payments${query({ status: status || undefined, limit: 50, cursor })}`), status);
  return (
    <div className="stack">
      <h1>Payments</h1>
      <div className="toolbar">
        <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any</option>
          {PAYMENT_STATUSES.map((s) => <option key={s} value={s}>{s.replace(/_/g, ' ')}</option>)}
        </Select>
      </div>
      <table className="table">
        <caption className="visually-hidden">Payments</caption>
        <thead>
          <tr><th scope="col">Created</th><th scope="col">For</th><th scope="col">Status</th><th scope="col" className="num">Amount</th><th scope="col" className="num">Captured</th><th scope="col" className="num">Refunded</th><th scope="col">Method</th></tr>
        </thead>
        <tbody>
          {paged.items.map((p) => (
            <tr key={p.id}>
              <td>{formatDateTime(p.createdAt)}</td>
              <td>{p.reference.kind === 'order' ? <Link to={`/admin/orders/${p.reference.id}`}>Order</Link> : p.reference.kind}</td>
              <td><StatusBadge status={p.status} />{p.failure ? <div className="muted small">{p.failure.message}</div> : null}</td>
              <td className="num">{money(p.amount)}</td>
              <td className="num">{money(p.captured)}</td>
              <td className="num">{money(p.refunded)}</td>
              <td>{p.provider}{p.paymentMethod ? ` · ${p.paymentMethod}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore paged={paged} />
    </div>
  );
}
