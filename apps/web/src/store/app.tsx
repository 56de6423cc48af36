// The storefront shell: header (categories, search, account, cart), the page for the URL, the cart drawer.
import { useEffect, type ReactNode } from 'react';
import { useSession } from '../shared/api.ts';
import { match, Link, useLocation } from '../shared/router.tsx';
import { useAsync } from '../shared/ui.tsx';
import { AccountPage, OrderPage, OrdersPage } from './account.tsx';
import { CartDrawer, CartProvider, useCart } from './cart.tsx';
import { CategoryPage, HomePage, loadCategories, NotFound, SearchBox, SearchPage } from './catalog.tsx';
import { CheckoutPage } from './checkout.tsx';
import { GroupPage } from './groups.tsx';
import { ProductPage } from './product.tsx';
import { session } from './shop.ts';
import { useShopCurrency } from '../shared/shop-currency.ts';

function Page({ path }: { path: string }): ReactNode {
  if (path === '/') return <HomePage />;
  if (path === '/search') return <SearchPage />;
  if (path === '/checkout') return <CheckoutPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/account/orders') return <OrdersPage />;
  let m = match('/c/:slug', path);
  if (m) return <CategoryPage slug={m.slug as string} />;
  m = match('/p/:slug', path);
  if (m) return <ProductPage slug={m.slug as string} />;
  m = match('/orders/:id', path);
  if (m) return <OrderPage id={m.id as string} />;
  m = match('/groups/:code', path);
  if (m) return <GroupPage code={m.code as string} />;
  return <NotFound />;
}

const TITLES: [RegExp, string][] = [
  [/^\/$/, 'FusionCommerce'],
  [/^\/search/, 'Search'],
  [/^\/checkout/, 'Checkout'],
  [/^\/account\/orders/, 'Your orders'],
  [/^\/account/, 'Your account'],
  [/^\/orders/, 'Order'],
];

function CartButton() {
  const { cart, setOpen } = useCart();
  const count = cart?.itemCount ?? 0;
  return (
    <button type="button" className="btn cart-button" onClick={() => setOpen(true)} aria-label={`Cart, ${count} item${count === 1 ? '' : 's'}`}>
      Cart <span className="count" aria-hidden="true">{count}</span>
    </button>
  );
}

function Header() {
  const categories = useAsync(loadCategories, []);
  const current = useSession(session);
  return (
    <header className="site-header">
      <div className="bar">
        <Link to="/" className="logo">FusionCommerce</Link>
        <SearchBox />
        <nav aria-label="Account" className="account-nav">
          <Link to="/account">{current ? (current.customer.name || 'Account') : 'Sign in'}</Link>
          <Link to="/account/orders">Orders</Link>
          <CartButton />
        </nav>
      </div>
      <nav aria-label="Categories" className="category-nav">
        <ul>
          {(categories.data ?? []).map((c) => (
            <li key={c.id}><Link to={`/c/${c.slug}`}>{c.name}</Link></li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

export function App() {
  const { path } = useLocation();
  const currency = useShopCurrency();
  useEffect(() => {
    document.title = TITLES.find(([re]) => re.test(path))?.[1] ?? 'FusionCommerce';
  }, [path]);
  return (
    <CartProvider>
      <a href="#main" className="skip-link">Skip to content</a>
      <Header />
      <main id="main" className="container">
        <Page path={path} />
      </main>
      <footer className="site-footer container muted small">
        FusionCommerce demo shop · prices in {currency} · <a href="/admin">Admin</a>
      </footer>
      <CartDrawer />
    </CartProvider>
  );
}
