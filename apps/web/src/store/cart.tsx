/**
 * The cart: one per shopper, kept on the server (a guest's id in localStorage,
 * a customer's found with /v1/carts/mine), and the drawer that shows it.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, messageOf, useSession } from '../shared/api.ts';
import { money } from '../shared/format.ts';
import { Link, navigate } from '../shared/router.tsx';
import type { Cart } from '../shared/types.ts';
import { Alert } from '../shared/ui.tsx';
import { api, session } from './shop.ts';

const CART_KEY = 'fc.cart';

interface CartContextValue {
  cart: Cart | null;
  open: boolean;
  busy: boolean;
  error: string | undefined;
  setOpen: (open: boolean) => void;
  add: (variantId: string, quantity: number) => Promise<void>;
  setQuantity: (lineId: string, quantity: number) => Promise<void>;
  refresh: () => Promise<void>;
  /** After a successful checkout: the next item starts a new cart. */
  forget: () => void;
  replace: (cart: Cart) => void;
}

const CartContext = createContext<CartContextValue | null>(null);

export function useCart(): CartContextValue {
  const value = useContext(CartContext);
  if (!value) throw new Error('useCart outside CartProvider');
  return value;
}

async function loadCart(): Promise<Cart | null> {
  if (session.get()) {
    try {
      return await api<Cart>('/v1/carts/mine');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }
  const id = localStorage.getItem(CART_KEY);
  if (!id) return null;
  try {
    const cart = await api<Cart>(`/v1/carts/${id}`, { anonymous: true });
    if (cart.status !== 'active') {
      localStorage.removeItem(CART_KEY);
      return null;
    }
    return cart;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
      localStorage.removeItem(CART_KEY);
      return null;
    }
    throw e;
  }
}

export function CartProvider({ children }: { children: ReactNode }) {
  const [cart, setCart] = useState<Cart | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const signedIn = useSession(session)?.customer.id ?? null;

  const refresh = useCallback(async () => {
    try {
      setCart(await loadCart());
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh, signedIn]);

  const ensureCart = useCallback(async (): Promise<Cart> => {
    if (cart && cart.status === 'active') return cart;
    const created = await api<Cart>('/v1/carts', { method: 'POST', body: {} });
    if (!session.get()) localStorage.setItem(CART_KEY, created.id);
    return created;
  }, [cart]);

  const run = useCallback(async (work: () => Promise<Cart>) => {
    setBusy(true);
    setError(undefined);
    try {
      setCart(await work());
    } catch (e) {
      setError(messageOf(e));
      throw e;
    } finally {
      setBusy(false);
    }
  }, []);

  const value = useMemo<CartContextValue>(
    () => ({
      cart,
      open,
      busy,
      error,
      setOpen,
      refresh,
      add: (variantId, quantity) =>
        run(async () => {
          const c = await ensureCart();
          return api<Cart>(`/v1/carts/${c.id}/lines`, { method: 'POST', body: { variantId, quantity } });
        }),
      setQuantity: (lineId, quantity) =>
        run(async () => {
          const c = await ensureCart();
          if (quantity <= 0) return api<Cart>(`/v1/carts/${c.id}/lines/${lineId}`, { method: 'DELETE' });
          return api<Cart>(`/v1/carts/${c.id}/lines/${lineId}`, { method: 'PATCH', body: { quantity } });
        }),
      forget: () => {
        localStorage.removeItem(CART_KEY);
        setCart(null);
      },
      replace: setCart,
    }),
    [cart, open, busy, error, refresh, run, ensureCart],
  );
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

/** After sign-in, a guest cart's lines join the customer's cart. */
export async function mergeGuestCart(): Promise<void> {
  const guestId = localStorage.getItem(CART_KEY);
  if (!guestId) return;
  localStorage.removeItem(CART_KEY);
  try {
    await api<Cart>(`/v1/carts/${guestId}/merge`, { method: 'POST' });
  } catch {
    // An emptied or already merged guest cart has nothing to add.
  }
}

export function CartDrawer() {
  const { cart, open, setOpen, setQuantity, busy, error } = useCart();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setOpen]);
  if (!open) return null;
  const lines = cart?.lines ?? [];
  return (
    <div className="drawer-backdrop" onClick={(e) => e.target === e.currentTarget && setOpen(false)}>
      <aside className="drawer" role="dialog" aria-modal="true" aria-labelledby="cart-title">
        <header className="drawer-head">
          <h2 id="cart-title">Your cart</h2>
          <button ref={closeRef} type="button" className="btn-icon" aria-label="Close cart" onClick={() => setOpen(false)}>
            ✕
          </button>
        </header>
        {error ? <Alert>{error}</Alert> : null}
        {lines.length === 0 ? (
          <p className="muted">Your cart is empty.</p>
        ) : (
          <ul className="cart-lines" aria-busy={busy}>
            {lines.map((line) => (
              <li key={line.id} className="cart-line">
                <div>
                  <Link to={`/p/${line.productSlug}`} onClick={() => setOpen(false)}>{line.productTitle}</Link>
                  <div className="muted small">{line.variantTitle} · {money(line.unitPrice)}</div>
                  {!line.available ? (
                    <div className="field-error small">{line.unavailableReason === 'insufficient_stock' ? `Only ${line.stockAvailable ?? 0} left in stock` : 'No longer sold'}</div>
                  ) : null}
                </div>
                <div className="stepper" role="group" aria-label={`Quantity of ${line.productTitle} ${line.variantTitle}`}>
                  <button type="button" aria-label={`One less ${line.productTitle} ${line.variantTitle}`} disabled={busy} onClick={() => void setQuantity(line.id, line.quantity - 1)}>−</button>
                  <output aria-live="polite">{line.quantity}</output>
                  <button type="button" aria-label={`One more ${line.productTitle} ${line.variantTitle}`} disabled={busy} onClick={() => void setQuantity(line.id, line.quantity + 1)}>+</button>
                </div>
                <div className="line-total">{money(line.lineTotal)}</div>
                <button type="button" className="link-button small" disabled={busy} onClick={() => void setQuantity(line.id, 0)} aria-label={`Remove ${line.productTitle} ${line.variantTitle}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {lines.length > 0 ? (
          <footer className="drawer-foot">
            <div className="row-between">
              <span>Subtotal</span>
              <strong>{money(cart?.subtotal)}</strong>
            </div>
            <button
              type="button"
              className="btn btn-primary btn-block"
              onClick={() => {
                setOpen(false);
                navigate('/checkout');
              }}
            >
              Checkout
            </button>
          </footer>
        ) : null}
      </aside>
    </div>
  );
}
