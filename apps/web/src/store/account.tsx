// Sign in, create an account, the profile, order history and one order.
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf, useSession, type Customer, type Page } from '../shared/api.ts';
import { formatDateTime, humanize, money } from '../shared/format.ts';
import { OrderTotals, ShippingAddress } from '../shared/order.tsx';
import { Link, navigate, useLocation } from '../shared/router.tsx';
import type { Order } from '../shared/types.ts';
import { Alert, Field, LoadMore, Spinner, StatusBadge, useAsync, usePaged } from '../shared/ui.tsx';
import { mergeGuestCart } from './cart.tsx';
import { explainFailure } from './checkout.tsx';
import { api, rememberedOrders, session as sessionStore } from './shop.ts';

/** Signs in, then brings the guest cart's lines along. */
async function signIn(email: string, password: string): Promise<void> {
  await api.signIn(email, password);
  await mergeGuestCart();
}

function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email.trim(), password);
      navigate(next);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That email and password do not match an account.' : messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel stack" onSubmit={submit} aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      {error ? <Alert>{error}</Alert> : null}
      <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      <button type="submit" className="btn btn-primary" disabled={busy}>Sign in</button>
    </form>
  );
}

function RegisterForm({ next }: { next: string }) {
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setErrors({});
    try {
      await api('/v1/auth/register', { method: 'POST', body: { name: form.name.trim() || undefined, email: form.email.trim(), password: form.password }, anonymous: true });
      await signIn(form.email.trim(), form.password);
      navigate(next);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <form className="panel stack" onSubmit={submit} aria-labelledby="register-title">
      <h2 id="register-title">Create an account</h2>
      {error ? <Alert>{error}</Alert> : null}
      <Field label="Your name" autoComplete="name" value={form.name} onChange={set('name')} error={errors['/name']} />
      <Field label="Email address" type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={errors['/email']} />
      <Field label="Choose a password" type="password" autoComplete="new-password" required minLength={10} value={form.password} onChange={set('password')} error={errors['/password']} hint="At least 10 characters." />
      <button type="submit" className="btn" disabled={busy}>Create account</button>
    </form>
  );
}

function Profile({ customer }: { customer: Customer }) {
  const [name, setName] = useState(customer.name);
  const [phone, setPhone] = useState(customer.phone ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setErrors({});
    try {
      const updated = await api<Customer>(`/v1/customers/${customer.id}`, { method: 'PATCH', body: { name: name.trim(), phone: phone.trim() || null } });
      const s = sessionStore.get();
      if (s) sessionStore.set({ ...s, customer: updated });
      setMessage({ kind: 'success', text: 'Profile saved.' });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setMessage({ kind: 'error', text: messageOf(err) });
    }
  };
  return (
    <form className="panel stack" onSubmit={save} aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <p className="muted">{customer.email}{customer.emailVerified ? '' : ' (not verified yet)'}</p>
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors['/name']} />
      <Field label="Phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} error={errors['/phone']} />
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      <button type="submit" className="btn">Save profile</button>
    </form>
  );
}

export function AccountPage() {
  const current = useSession(sessionStore);
  const next = useLocation().query.get('next') ?? '/account';
  if (!current) {
    return (
      <div className="stack">
        <h1>Your account</h1>
        <div className="two-col">
          <SignInForm next={next} />
          <RegisterForm next={next} />
        </div>
      </div>
    );
  }
  return (
    <div className="stack">
      <h1>Hello, {current.customer.name || current.customer.email}</h1>
      <div className="two-col">
        <Profile customer={current.customer} />
        <div className="panel stack">
          <h2>Orders</h2>
          <p><Link to="/account/orders">Your order history</Link></p>
          <button
            type="button"
            className="btn"
            onClick={() => {
              api.signOut();
              navigate('/');
            }}
          >
            Sign out
          </button>
        </div>
      </div>
    </div>
  );
}

function OrderRow({ order }: { order: Order }) {
  return (
    <tr>
      <td><Link to={`/orders/${order.id}`}>{order.number}</Link></td>
      <td>{formatDateTime(order.placedAt)}</td>
      <td><StatusBadge status={order.status} /></td>
      <td className="num">{money(order.total)}</td>
    </tr>
  );
}

function OrdersTable({ orders }: { orders: Order[] }) {
  return (
    <table className="table">
      <caption className="visually-hidden">Orders</caption>
      <thead>
        <tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col" className="num">Total</th></tr>
      </thead>
      <tbody>
        {orders.map((o) => <OrderRow key={o.id} order={o} />)}
      </tbody>
    </table>
  );
}

export function OrdersPage() {
  const current = useSession(sessionStore);
  return (
    <div className="stack">
      <h1>Your orders</h1>
      {current ? <CustomerOrders /> : <DeviceOrders />}
    </div>
  );
}

function CustomerOrders() {
  const paged = usePaged((cursor) => api<Page<Order>>(`/v1/orders?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 'mine');
  return (
    <>
      {!paged.loading && paged.items.length === 0 ? <p>No orders yet.</p> : null}
      {paged.items.length > 0 ? <OrdersTable orders={paged.items} /> : null}
      <LoadMore paged={paged} />
    </>
  );
}

function DeviceOrders() {
  const state = useAsync(async () => {
    const found = await Promise.all(rememberedOrders().map((id) => api<Order>(`/v1/orders/${id}`).catch(() => null)));
    return found.filter((o): o is Order => o !== null);
  }, []);
  return (
    <>
      <p className="muted">Orders placed as a guest on this device. <Link to="/account?next=/account/orders">Sign in</Link> to see your account’s orders.</p>
      {state.loading ? <Spinner /> : state.data && state.data.length > 0 ? <OrdersTable orders={state.data} /> : <p>No orders on this device.</p>}
    </>
  );
}

export function OrderPage({ id }: { id: string }) {
  const placed = useLocation().query.get('placed') === '1';
  const state = useAsync(() => api<Order>(`/v1/orders/${id}`), [id]);
  if (state.loading) return <Spinner label="Loading order" />;
  if (state.error || !state.data) return <Alert>{state.error ?? 'Order not found.'}</Alert>;
  const order = state.data;
  return (
    <div className="stack">
      {placed && order.status !== 'cancelled' ? (
        <Alert kind="success" title="Thank you!">Your order {order.number} is {order.status}. A confirmation goes to {order.email}.</Alert>
      ) : null}
      <h1>Order {order.number}</h1>
      <p>
        <StatusBadge status={order.status} /> <span className="muted">placed {formatDateTime(order.placedAt)}</span>
      </p>
      {order.status === 'cancelled' ? <Alert kind="info">{explainFailure(order)}</Alert> : null}
      <div className="two-col">
        <section className="panel stack" aria-labelledby="order-items">
          <h2 id="order-items">Items</h2>
          <ul className="summary-lines">
            {order.lines.map((l) => (
              <li key={l.variantId} className="row-between">
                <span>{l.quantity} × {l.title}</span>
                <span>{money(l.lineTotal)}</span>
              </li>
            ))}
          </ul>
          <OrderTotals order={order} />
        </section>
        <section className="panel stack" aria-labelledby="order-ship">
          <h2 id="order-ship">Shipping to</h2>
          <ShippingAddress order={order} />
          {order.shippingOption ? <p>{order.shippingOption.name} <span className="muted">({order.shippingOption.carrier})</span></p> : null}
          {(order.shipments ?? []).map((s) => (
            <p key={s.shipmentId}>
              <StatusBadge status={s.status} /> {s.trackingNumber ? <>Tracking {s.trackingUrl ? <a href={s.trackingUrl}>{s.trackingNumber}</a> : s.trackingNumber}{s.carrierName ? ` (${s.carrierName})` : ''}</> : null}
            </p>
          ))}
          <p className="muted small">Payment: {humanize(order.payment)} · Stock: {humanize(order.stock)}</p>
        </section>
      </div>
      <p><Link to="/account/orders">All your orders</Link> · <Link to="/">Continue shopping</Link></p>
    </div>
  );
}
