// An order's totals and shipping address, read the same in the storefront and the admin console.
import { formatAddress, money } from './format.ts';
import type { Order } from './types.ts';

/** Subtotal, shipping and total, and what has been refunded if anything. */
export function OrderTotals({ order }: { order: Order }) {
  return (
    <>
      <div className="row-between"><span>Subtotal</span><span>{money(order.subtotal)}</span></div>
      <div className="row-between"><span>Shipping</span><span>{money(order.shippingTotal)}</span></div>
      <div className="row-between total"><span>Total</span><strong>{money(order.total)}</strong></div>
      {order.refunded.amount > 0 ? <div className="row-between"><span>Refunded</span><span>{money(order.refunded)}</span></div> : null}
    </>
  );
}

/** The address an order ships to, one line each; `phone` adds the recipient's phone for whoever ships it. */
export function ShippingAddress({ order, phone = false }: { order: Order; phone?: boolean }) {
  return (
    <address>
      {formatAddress(order.shippingAddress, { phone }).map((line, i) => (
        // Lines can repeat (a city that is also its region): their place is their identity.
        <div key={i}>{line}</div>
      ))}
    </address>
  );
}
