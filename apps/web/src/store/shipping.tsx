// The shipping option choice in checkout: quotes for the cart and destination, cheapest first, priced by the server.
import { useEffect, useState } from 'react';
import { messageOf } from '../shared/api.ts';
import { money } from '../shared/format.ts';
import type { Cart } from '../shared/types.ts';
import { Alert } from '../shared/ui.tsx';
import { useCart } from './cart.tsx';
import { api } from './shop.ts';

const days = (d: { min: number; max: number } | null) => (d ? (d.min === d.max ? `${d.min} business day${d.min === 1 ? '' : 's'}` : `${d.min}–${d.max} business days`) : '');

export function ShippingChoice({ cart, country }: { cart: Cart; country: string }) {
  const { replace } = useCart();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // The shopper's pick shows at once; the server's quote follows.
  const [picked, setPicked] = useState<string | null>(null);
  const shipping = cart.shipping;

  const put = (optionId?: string) => api<Cart>(`/v1/carts/${cart.id}/shipping`, { method: 'PUT', body: { country, ...(optionId ? { optionId } : {}) } });
  /** `keepIfItApplies`: a new country keeps the shopper's option where it ships there, and falls back to the cheapest where it does not. */
  const choose = async (optionId?: string, keepIfItApplies = false) => {
    setBusy(true);
    setError(undefined);
    try {
      if (keepIfItApplies) {
        // Quotes for the new country first; the shopper's option stays only if it is among them.
        const moved = await put();
        replace(optionId && moved.shipping?.options.some((o) => o.id === optionId) ? await put(optionId) : moved);
      } else {
        replace(await put(optionId));
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
      setPicked(null);
    }
  };

  // Quotes depend on where the parcel goes: ask again when the country changes.
  useEffect(() => {
    if (shipping && shipping.country !== country) void choose(shipping.selectedOptionId ?? undefined, true);
    // `choose` reads the latest cart; the country is what matters here.
  }, [country, cart.id]);

  if (!shipping) return null;
  const selected = picked ?? shipping.option?.id ?? shipping.selectedOptionId;
  return (
    <section className="panel stack" aria-labelledby="co-shipping">
      <h2 id="co-shipping">Shipping method</h2>
      {error ? <Alert>{error}</Alert> : null}
      {shipping.issue ? <Alert kind="info">{shipping.issue}</Alert> : null}
      {!shipping.required ? <p className="muted">Shipping is free for this order.</p> : null}
      {shipping.options.length > 0 ? (
        <div className="ship-options" role="radiogroup" aria-labelledby="co-shipping" aria-busy={busy}>
          {shipping.options.map((o) => (
            <label key={o.id} className="ship-option">
              <input type="radio" name="shipping-option" value={o.id} checked={selected === o.id} onChange={() => {
                  setPicked(o.id);
                  void choose(o.id);
                }} />
              <span>
                <strong>{o.name}</strong>
                <span className="muted small"> · {o.carrier}{o.estimatedDays ? ` · ${days(o.estimatedDays)}` : ''}</span>
              </span>
              <span>{o.free ? 'Free' : money(o.amount)}</span>
            </label>
          ))}
        </div>
      ) : shipping.required && shipping.country === country ? (
        <p className="muted">No shipping option reaches this country.</p>
      ) : null}
    </section>
  );
}
