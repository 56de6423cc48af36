/**
 * Checkout as a guest or a signed-in customer: contact, address, payment with
 * a test card; clear messages for a declined card or stock that ran out, and
 * the cart kept for another try.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf, useIdempotentSend, useSession } from '../shared/api.ts';
import { money } from '../shared/format.ts';
import { Link, navigate } from '../shared/router.tsx';
import type { Order } from '../shared/types.ts';
import { Alert, Field, Select } from '../shared/ui.tsx';
import { useCart } from './cart.tsx';
import { ShippingChoice } from './shipping.tsx';
import { api, rememberOrder, session as sessionStore } from './shop.ts';

const COUNTRIES: [string, string][] = [
  ['US', 'United States'],
  ['CA', 'Canada'],
  ['GB', 'United Kingdom'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
  ['AU', 'Australia'],
  ['JP', 'Japan'],
];

/** Why an order was cancelled, said for the shopper. */
export function explainFailure(order: Order): string {
  const reason = order.reason ?? '';
  if (reason.startsWith('payment_declined')) {
    if (reason.includes('insufficient_funds')) return 'Your card has insufficient funds. Nothing was charged — your cart is saved, try another card.';
    return 'Your card was declined. Nothing was charged — your cart is saved, try another card.';
  }
  if (reason.startsWith('out_of_stock')) return 'Sorry — some items sold out while you were checking out. Nothing was charged; adjust your cart and try again.';
  if (reason.startsWith('expired')) return 'The order took too long to complete and was cancelled. Nothing was charged; please try again.';
  return `The order could not be completed (${reason || order.status}). Nothing was charged.`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function awaitOutcome(order: Order): Promise<Order> {
  let current = order;
  for (let i = 0; i < 60 && current.status === 'pending'; i++) {
    await sleep(1000);
    current = await api<Order>(`/v1/orders/${order.id}`);
  }
  return current;
}

interface Address {
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
}

export function CheckoutPage() {
  const { cart, forget, refresh } = useCart();
  const session = useSession(sessionStore);
  // A retry of a checkout whose answer was lost sends the same Idempotency-Key.
  const sendOnce = useIdempotentSend();
  const [email, setEmail] = useState('');
  const [address, setAddress] = useState<Address>({ name: session?.customer.name ?? '', line1: '', line2: '', city: '', region: '', postalCode: '', country: 'US', phone: '' });
  const [card, setCard] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [placing, setPlacing] = useState(false);

  if (!cart || cart.lines.length === 0) {
    return (
      <div className="stack">
        <h1>Checkout</h1>
        <p>Your cart is empty. <Link to="/">Find something you like</Link>.</p>
      </div>
    );
  }

  const set = (field: keyof Address) => (e: { target: { value: string } }) => setAddress((a) => ({ ...a, [field]: e.target.value }));

  const validate = (): Record<string, string> => {
    const out: Record<string, string> = {};
    if (!session && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) out['/email'] = 'Enter the email address for your receipt.';
    if (!address.name.trim()) out['/shippingAddress/name'] = 'Enter the name of the recipient.';
    if (!address.line1.trim()) out['/shippingAddress/line1'] = 'Enter the street address.';
    if (!address.city.trim()) out['/shippingAddress/city'] = 'Enter the city.';
    if (!address.postalCode.trim()) out['/shippingAddress/postalCode'] = 'Enter the postal code.';
    if (!/^\d{12,19}$/.test(card.replace(/[\s-]/g, ''))) out['/payment/method'] = 'Enter a card number (12 to 19 digits).';
    return out;
  };

  const place = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    const local = validate();
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setPlacing(true);
    const shippingAddress: Record<string, string> = {};
    for (const [k, v] of Object.entries(address)) if (v.trim()) shippingAddress[k] = v.trim();
    try {
      const { body } = await sendOnce((key) =>
        api.raw<Order>('/v1/checkout', {
          method: 'POST',
          headers: { 'idempotency-key': key },
          body: { cartId: cart.id, ...(session ? {} : { email: email.trim() }), shippingAddress, payment: { method: card.replace(/[\s-]/g, '') } },
        }),
      );
      const order = await awaitOutcome(body);
      rememberOrder(order.id);
      if (order.status === 'cancelled') {
        setFailure(explainFailure(order));
        await refresh();
        return;
      }
      forget();
      navigate(`/orders/${order.id}?placed=1`);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) setErrors(err.fieldErrors());
      setFailure(messageOf(err));
      await refresh();
    } finally {
      setPlacing(false);
    }
  };

  const err = (key: string) => errors[key];
  return (
    <div className="checkout">
      <form className="stack" onSubmit={place} noValidate aria-label="Checkout">
        <h1>Checkout</h1>
        {failure ? <Alert title="Order not placed">{failure}</Alert> : null}
        <section className="panel stack" aria-labelledby="co-contact">
          <h2 id="co-contact">Contact</h2>
          {session ? (
            <p>Signed in as <strong>{session.customer.email}</strong>. The receipt goes there.</p>
          ) : (
            <>
              <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={err('/email')} />
              <p className="muted small">Checking out as a guest. <Link to="/account?next=/checkout">Sign in</Link> to see this order in your account.</p>
            </>
          )}
        </section>
        <section className="panel stack" aria-labelledby="co-address">
          <h2 id="co-address">Shipping address</h2>
          <Field label="Full name" autoComplete="name" required value={address.name} onChange={set('name')} error={err('/shippingAddress/name')} />
          <Field label="Street address" autoComplete="address-line1" required value={address.line1} onChange={set('line1')} error={err('/shippingAddress/line1')} />
          <Field label="Apartment, suite (optional)" autoComplete="address-line2" value={address.line2} onChange={set('line2')} error={err('/shippingAddress/line2')} />
          <div className="row">
            <Field label="City" autoComplete="address-level2" required value={address.city} onChange={set('city')} error={err('/shippingAddress/city')} />
            <Field label="State / region (optional)" autoComplete="address-level1" value={address.region} onChange={set('region')} error={err('/shippingAddress/region')} />
          </div>
          <div className="row">
            <Field label="Postal code" autoComplete="postal-code" required value={address.postalCode} onChange={set('postalCode')} error={err('/shippingAddress/postalCode')} />
            <Select label="Country" autoComplete="country" value={address.country} onChange={set('country')} error={err('/shippingAddress/country')}>
              {COUNTRIES.map(([code, name]) => (
                <option key={code} value={code}>{name}</option>
              ))}
            </Select>
          </div>
          <Field label="Phone (optional)" type="tel" autoComplete="tel" value={address.phone} onChange={set('phone')} error={err('/shippingAddress/phone')} />
        </section>
        <ShippingChoice cart={cart} country={address.country} />
        <section className="panel stack" aria-labelledby="co-payment">
          <h2 id="co-payment">Payment</h2>
          <Field
            label="Card number"
            inputMode="numeric"
            autoComplete="cc-number"
            required
            value={card}
            onChange={(e) => setCard(e.target.value)}
            error={err('/payment/method') ?? err('/payment')}
            hint={<>Test cards: <code>4242 4242 4242 4242</code> is accepted, <code>4000 0000 0000 0002</code> is declined.</>}
          />
        </section>
        <button type="submit" className="btn btn-primary btn-block" disabled={placing}>
          {placing ? 'Placing your order…' : `Place order · ${money(cart.total ?? cart.subtotal)}`}
        </button>
      </form>
      <aside className="panel summary" aria-labelledby="co-summary">
        <h2 id="co-summary">Order summary</h2>
        <ul className="summary-lines">
          {cart.lines.map((l) => (
            <li key={l.id} className="row-between">
              <span>{l.quantity} × {l.productTitle} <span className="muted">({l.variantTitle})</span></span>
              <span>{money(l.lineTotal)}</span>
            </li>
          ))}
        </ul>
        <div className="row-between"><span>Subtotal</span><span>{money(cart.subtotal)}</span></div>
        <div className="row-between"><span>Shipping</span><span>{cart.shippingTotal ? money(cart.shippingTotal) : 'Free'}</span></div>
        <div className="row-between total"><span>Total</span><strong>{money(cart.total ?? cart.subtotal)}</strong></div>
      </aside>
    </div>
  );
}
