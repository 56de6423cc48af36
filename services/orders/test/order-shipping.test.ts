import { describe, expect, it } from 'vitest';
import { AppError } from '@fusioncommerce/platform';
import { Cart } from '../src/domain/cart.ts';
import { Order } from '../src/domain/order.ts';

const now = new Date('2026-11-22T12:00:00Z');

function confirmed(): Order {
  const order = Order.place({
    id: 'o1',
    number: 'FC-100001',
    cartId: 'c1',
    customerId: null,
    email: 'shopper@example.test',
    currency: 'USD',
    lines: [{ variantId: 'v1', sku: 'SKU-1', productId: 'p1', title: 'Tee — M', unitPrice: 2500, quantity: 2, lineTotal: 5000 }],
    subtotal: 5000,
    shippingTotal: 499,
    total: 5499,
    shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'US' },
    shippingOption: { id: 's1', name: 'Standard', carrier: 'manual', amount: 499 },
    placedAt: now,
  });
  order.stockReserved(now);
  order.paymentAuthorized('pay_1', now);
  order.pullEvents();
  return order;
}

const notes = (order: Order) => order.pullEvents().map((e) => (e.type === 'note' ? e.what : e.type));

describe('an order following its shipments', () => {
  it('when part ships, then it stays confirmed; when all has shipped, then shipped; delivered only when every shipment is', () => {
    const order = confirmed();
    order.shipmentShipped(false, now);
    expect(order.status).toBe('confirmed');
    order.shipmentShipped(true, now);
    expect(order.status).toBe('shipped');
    order.shipmentDelivered(false, now);
    expect(order.status).toBe('shipped');
    order.shipmentDelivered(true, now);
    expect(order.status).toBe('delivered');
    expect(notes(order)).toEqual(['partially shipped', 'shipped', 'partially delivered', 'delivered']);
    expect(order.snapshot().shippingOption).toMatchObject({ name: 'Standard', amount: 499 });
  });

  it('when a report arrives out of turn, then the order keeps its state and notes it; a shipped order cannot be cancelled', () => {
    const order = confirmed();
    order.shipmentDelivered(true, now);
    expect(order.status).toBe('confirmed');
    expect(notes(order)).toEqual(['delivered']);
    order.shipmentShipped(true, now);
    expect(() => order.cancel('cancelled_by_customer', now)).toThrow(AppError);
    expect(order.status).toBe('shipped');
  });

  it('when a cart is given a destination and option, then it keeps them; a closed cart refuses', () => {
    const cart = Cart.open('c1', null);
    cart.chooseShipping('US', 's1');
    expect(cart.snapshot()).toMatchObject({ shippingCountry: 'US', shippingOptionId: 's1' });
    cart.complete();
    expect(() => cart.chooseShipping('US', null)).toThrow(AppError);
  });
});

describe('a guest cart merged at sign-in', () => {
  it('when the customer’s cart has no destination, then it takes the guest cart’s shipping choice; its own otherwise', () => {
    const guest = Cart.open('g1', null);
    guest.chooseShipping('DE', 'opt-de');
    const mine = Cart.open('m1', 'cust-1');
    mine.absorb(guest, () => 'line');
    expect(mine.snapshot()).toMatchObject({ shippingCountry: 'DE', shippingOptionId: 'opt-de' });

    const other = Cart.open('g2', null);
    other.chooseShipping('FR', null);
    const keeps = Cart.open('m2', 'cust-2');
    keeps.chooseShipping('US', 'opt-us');
    keeps.absorb(other, () => 'line');
    expect(keeps.snapshot()).toMatchObject({ shippingCountry: 'US', shippingOptionId: 'opt-us' });
  });
});
