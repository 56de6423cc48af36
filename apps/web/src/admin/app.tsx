// The admin console: sign-in, then a sidebar of sections and the page for the URL.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, messageOf, useSession } from '../shared/api.ts';
import { Link, match, navigate, useLocation } from '../shared/router.tsx';
import { Alert, Field } from '../shared/ui.tsx';
import { api, session } from './console.ts';
import { Dashboard } from './dashboard.tsx';
import { DealsPage, dealsAvailable } from './deals.tsx';
import { InventoryPage } from './inventory.tsx';
import { OrderDetailPage, OrdersPage } from './orders.tsx';
import { CustomersPage, PaymentsPage } from './people.tsx';
import { ProductEditorPage, ProductsPage } from './products.tsx';
import { WebhookDetailPage, WebhooksPage } from './webhooks.tsx';

function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const admitted = await api.signIn(email.trim(), password, (customer) => customer.role === 'admin');
      if (!admitted) setError('This account is not an administrator.');
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That email and password do not match an administrator.' : messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form className="panel stack" onSubmit={submit} aria-labelledby="admin-signin">
        <h1 id="admin-signin">FusionCommerce admin</h1>
        <p className="muted">Sign in with an administrator account.</p>
        {error ? <Alert>{error}</Alert> : null}
        <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={busy}>Sign in</button>
      </form>
    </main>
  );
}

function Page({ path }: { path: string }): ReactNode {
  if (path === '/admin') return <Dashboard />;
  if (path === '/admin/products') return <ProductsPage />;
  if (path === '/admin/products/new') return <ProductEditorPage id={null} />;
  if (path === '/admin/inventory') return <InventoryPage />;
  if (path === '/admin/orders') return <OrdersPage />;
  if (path === '/admin/customers') return <CustomersPage />;
  if (path === '/admin/payments') return <PaymentsPage />;
  if (path === '/admin/group-deals') return <DealsPage />;
  if (path === '/admin/webhooks') return <WebhooksPage />;
  let m = match('/admin/products/:id', path);
  if (m) return <ProductEditorPage id={m.id as string} />;
  m = match('/admin/orders/:id', path);
  if (m) return <OrderDetailPage id={m.id as string} />;
  m = match('/admin/webhooks/:id', path);
  if (m) return <WebhookDetailPage key={m.id} id={m.id as string} />;
  return <p>Not found. <Link to="/admin">Dashboard</Link></p>;
}

const SECTIONS: [string, string][] = [
  ['/admin', 'Dashboard'],
  ['/admin/products', 'Products'],
  ['/admin/inventory', 'Inventory'],
  ['/admin/orders', 'Orders'],
  ['/admin/customers', 'Customers'],
  ['/admin/group-deals', 'Group deals'],
  ['/admin/payments', 'Payments'],
  ['/admin/webhooks', 'Webhooks'],
];

export function App() {
  const current = useSession(session);
  const customerId = current?.customer.id;
  const { path } = useLocation();
  const [deals, setDeals] = useState(false);
  useEffect(() => {
    const section = SECTIONS.filter(([href]) => path === href || path.startsWith(`${href}/`)).pop();
    document.title = `${section?.[1] ?? 'Admin'} · FusionCommerce admin`;
  }, [path]);
  // Once per administrator, not on every token refresh (which replaces the session object).
  useEffect(() => {
    if (customerId) void dealsAvailable().then(setDeals);
  }, [customerId]);
  if (!current) return <SignIn />;
  return (
    <div className="admin">
      <a href="#main" className="skip-link">Skip to content</a>
      <aside className="sidebar">
        <Link to="/admin" className="logo">FusionCommerce</Link>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.filter(([href]) => href !== '/admin/group-deals' || deals).map(([href, label]) => {
              const active = href === '/admin' ? path === '/admin' : path === href || path.startsWith(`${href}/`);
              return (
                <li key={href}><Link to={href} aria-current={active ? 'page' : undefined}>{label}</Link></li>
              );
            })}
          </ul>
        </nav>
        <div className="sidebar-foot small">
          <div className="muted">{current.customer.email}</div>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              api.signOut();
              navigate('/admin');
            }}
          >
            Sign out
          </button>
          <a href="/">Storefront ↗</a>
        </div>
      </aside>
      <main id="main" className="admin-main">
        <Page path={path} />
      </main>
    </div>
  );
}
