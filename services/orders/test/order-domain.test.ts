import { describe, expect, it } from 'vitest';
import { AppError } from '@fusioncommerce/platform';
import { Cart, MAX_QUANTITY } from '../src/domain/cart.ts';
import { Order } from '../src/domain/order.ts';

const now = new Date('2026-11-21T12:00:00Z');

function placed(): Order {
  const order = Order.place({
    id: 'o1',
    number: 'FC-100001',
    cartId: 'c1',
    customerId: null,
    email: 'shopper@example.test',
    currency: 'USD',
    lines: [{ variantId: 'v1', sku: 'SKU-1', productId: 'p1', title: 'Tee — M', unitPrice: 2500, quantity: 2, lineTotal: 5000 }],
    subtotal: 5000,
    shippingTotal: 0,
    total: 5000,
    shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'US' },
    placedAt: now,
  });
  order.pullEvents();
  return order;
}

const types = (order: Order) => order.pullEvents().map((e) => (e.type === 'cancelled' ? `cancelled:${e.reason}` : e.type));

describe('the order saga’s rules', () => {
  it('when stock is reserved and payment authorized, then the order is confirmed, asking for payment in between', () => {
    const order = placed();
    order.stockReserved(now);
    expect(types(order)).toEqual(['payment_requested']);
    order.paymentAuthorized('pay_1', now);
    expect(types(order)).toEqual(['confirmed']);
    expect(order.snapshot()).toMatchObject({ status: 'confirmed', stock: 'reserved', payment: 'authorized', paymentId: 'pay_1' });
  });

  it('when stock is short, then the order is cancelled as out of stock and nothing is asked of payments', () => {
    const order = placed();
    order.stockShort(now, [{ sku: 'SKU-1', requested: 2, available: 0 }]);
    const events = order.pullEvents();
    const cancelled = events.find((e) => e.type === 'cancelled');
    expect(cancelled).toMatchObject({ reason: 'out_of_stock', releaseStock: false, voidOrRefund: false });
    expect(order.status).toBe('cancelled');
  });

  it('when the card is declined, then the order is cancelled and its stock is released', () => {
    const order = placed();
    order.stockReserved(now);
    order.pullEvents();
    order.paymentFailed('pay_1', 'card_declined', now);
    const cancelled = order.pullEvents().find((e) => e.type === 'cancelled');
    expect(cancelled).toMatchObject({ reason: 'payment_declined', releaseStock: true, voidOrRefund: false });
    expect(order.snapshot().reason).toBe('payment_declined: card_declined');
  });

  it('when an event arrives twice or late, then it changes nothing the second time', () => {
    const order = placed();
    order.stockReserved(now);
    order.stockReserved(now);
    expect(types(order)).toEqual(['payment_requested']);
    order.paymentAuthorized('pay_1', now);
    order.paymentAuthorized('pay_1', now);
    expect(types(order)).toEqual(['confirmed']);
    const version = order.snapshot().version;
    order.stockShort(now, []);
    expect(order.snapshot().version).toBe(version);
  });

  it('when an expired order gets its payment authorized late, then it stays cancelled (the cancellation voids it)', () => {
    const order = placed();
    order.stockReserved(now);
    order.cancel('expired', now);
    expect(order.pullEvents().find((e) => e.type === 'cancelled')).toMatchObject({ releaseStock: true, voidOrRefund: true });
    order.paymentAuthorized('pay_1', now);
    expect(order.status).toBe('cancelled');
    expect(types(order)).toEqual(['note']);
  });

  it('when someone cancels a cancelled order, then it is a 409 with the current state', () => {
    const order = placed();
    order.cancel('cancelled_by_customer', now);
    const error = (() => {
      try {
        order.cancel('cancelled_by_admin', now);
      } catch (e) {
        return e as AppError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'conflict', extensions: { currentState: 'cancelled' } });
  });

  it('when a refund is asked, then only captured money can be refunded, never more than what is left', () => {
    const order = placed();
    order.stockReserved(now);
    order.paymentAuthorized('pay_1', now);
    expect(() => order.requestRefund(100, 'x', now)).toThrow(/Nothing has been charged/);
    order.paymentCaptured(now);
    expect(() => order.requestRefund(6000, 'x', now)).toThrow(AppError);
    order.requestRefund(1000, 'damaged', now);
    order.paymentRefunded(1000, false, now);
    expect(order.snapshot()).toMatchObject({ status: 'partially_refunded', refunded: 1000 });
    order.paymentRefunded(5000, true, now);
    expect(order.snapshot()).toMatchObject({ status: 'refunded', payment: 'refunded' });
  });
});

describe('carts', () => {
  it('when the same variant is added twice, then one line holds both, capped at the maximum', () => {
    const cart = Cart.open('c1', null);
    cart.add('l1', 'v1', 2);
    cart.add('l2', 'v1', 3);
    expect(cart.lines).toEqual([{ id: 'l1', variantId: 'v1', quantity: 5 }]);
    expect(() => cart.add('l3', 'v1', MAX_QUANTITY)).toThrow(AppError);
  });

  it('when a guest cart is merged, then its lines join and it closes', () => {
    const mine = Cart.open('c1', 'customer-1');
    mine.add('l1', 'v1', 1);
    const guest = Cart.open('c2', null);
    guest.add('g1', 'v1', 2);
    guest.add('g2', 'v2', 1);
    mine.absorb(guest, () => 'new-line');
    expect(mine.lines.map((l) => [l.variantId, l.quantity])).toEqual([['v1', 3], ['v2', 1]]);
    expect(guest.snapshot().status).toBe('merged');
    expect(() => guest.add('x', 'v3', 1)).toThrow(/merged/);
  });
});

describe('an order group buying made', () => {
  const fromGroup = () =>
    Order.fromGroup(
      {
        id: 'o9',
        number: 'FC-100009',
        customerId: 'u1',
        email: 'member@example.test',
        currency: 'USD',
        lines: [{ variantId: 'v1', sku: 'SKU-1', productId: 'p1', title: 'Tee — M', unitPrice: 2000, quantity: 2, lineTotal: 4000 }],
        total: 4000,
        shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'US' },
        paymentId: 'pay-1',
        placedAt: now,
      },
      { participationId: 'part-1', groupId: 'g1', dealId: 'd1' },
    );

  it('when it is recorded, then it is born confirmed, paid and sold, saying which seat it was made for, and the saga has nothing left to do', () => {
    const order = fromGroup();
    expect(order.snapshot()).toMatchObject({ status: 'confirmed', stock: 'committed', payment: 'captured', paymentId: 'pay-1', subtotal: 4000, shippingTotal: 0, shippingOption: null, cartId: null, version: 1 });
    expect(order.pullEvents()).toEqual([{ type: 'placed_by_group', origin: { participationId: 'part-1', groupId: 'g1', dealId: 'd1' } }]);
    // Late or redelivered saga messages change nothing.
    order.stockReserved(now);
    order.paymentAuthorized('pay-2', now);
    order.paymentCaptured(now);
    expect(order.pullEvents()).toEqual([]);
    expect(order.snapshot()).toMatchObject({ status: 'confirmed', stock: 'committed', payment: 'captured', paymentId: 'pay-1', version: 1 });
  });
});
