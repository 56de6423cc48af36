/**
 * A whole shop with shipping (catalog, inventory, payments, orders, shipping in
 * one gateway) and helpers that act as an admin and as shoppers, for the
 * shipping flow tests.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { catalogService } from '@fusioncommerce/catalog';
import { inventoryService } from '@fusioncommerce/inventory';
import { paymentsService } from '@fusioncommerce/payments';
import { tokenServiceFrom } from '@fusioncommerce/platform';
import type { Backend } from '@fusioncommerce/platform/testing';
import { createShippingService } from '@fusioncommerce/shipping';
import type { OrdersSettings } from '@fusioncommerce/orders';
import { ADDRESS, eventually, openShop, SUCCESS_CARD, type Shop } from '../checkout/shop.ts';

export { ADDRESS, eventually, SUCCESS_CARD };

export interface ShippingShop extends Shop {
  /** Creates an option and waits until orders' replica has it. */
  option(body: Record<string, unknown>): Promise<{ id: string; version: number; name: string }>;
  /** A bearer header for a new (or the given) customer. */
  customer(id?: string): Promise<{ authorization: string }>;
  /** A cart (the customer's, when headers are given) with these lines. */
  cart(items: { variantId: string; quantity: number }[], headers?: { authorization: string }): Promise<string>;
  setShipping(cartId: string, body: Record<string, unknown>, headers?: { authorization: string }): Promise<{ statusCode: number; body: Record<string, unknown> }>;
  view(cartId: string, headers?: { authorization: string }): Promise<CartView>;
  checkoutAs(cartId: string, headers?: { authorization: string }, address?: Record<string, string>): Promise<{ statusCode: number; body: OrderView }>;
}

export interface CartView {
  subtotal: { amount: number } | null;
  shippingTotal: { amount: number } | null;
  total: { amount: number } | null;
  checkoutReady: boolean;
  shipping: {
    country: string | null;
    selectedOptionId: string | null;
    options: { id: string; name: string; amount: { amount: number }; free: boolean }[];
    option: { id: string; name: string; amount: { amount: number } } | null;
    required: boolean;
    issue: string | null;
  };
}

export interface OrderView {
  id: string;
  status: string;
  code?: string;
  payment: string;
  paymentId: string | null;
  subtotal: { amount: number };
  shippingTotal: { amount: number };
  total: { amount: number };
  shippingOption: { id: string; name: string; amount: { amount: number } } | null;
  shipments: { shipmentId: string; status: string; trackingNumber: string | null; trackingUrl: string | null }[];
}

export async function openShippingShop(backend: Backend, orders: Partial<OrdersSettings> = {}): Promise<ShippingShop> {
  const shipping = createShippingService({ settings: { manualTrackingUrlTemplate: 'https://track.example.test/{trackingNumber}' } });
  const shop = await openShop(backend, { orders, services: (o) => [catalogService, inventoryService, paymentsService, o, shipping] });
  const { app, admin, db } = shop;
  const tokens = tokenServiceFrom({});
  return {
    ...shop,
    async option(body) {
      const res = await app.inject({ method: 'POST', url: '/v1/shipping-options', headers: admin, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      const option = res.json() as { id: string; version: number; name: string };
      await eventually(async () => (await db.knex('orders.shipping_options').where({ option_id: option.id }).first()) !== undefined, 'orders to learn the option');
      return option;
    },
    async customer(id = randomUUID()) {
      return { authorization: `Bearer ${await tokens.sign({ id, role: 'customer', email: `c-${id.slice(0, 8)}@example.test` }, 3600)}` };
    },
    async cart(items, headers) {
      const created = await app.inject({ method: 'POST', url: '/v1/carts', headers: headers ?? {} });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: string }).id;
      for (const item of items) {
        const res = await app.inject({ method: 'POST', url: `/v1/carts/${id}/lines`, headers: headers ?? {}, payload: item });
        expect(res.statusCode, res.body).toBe(200);
      }
      return id;
    },
    async setShipping(cartId, body, headers) {
      const res = await app.inject({ method: 'PUT', url: `/v1/carts/${cartId}/shipping`, headers: headers ?? {}, payload: body });
      return { statusCode: res.statusCode, body: res.json() };
    },
    async view(cartId, headers) {
      const res = await app.inject({ url: `/v1/carts/${cartId}`, headers: headers ?? {} });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as CartView;
    },
    async checkoutAs(cartId, headers, address = ADDRESS) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/checkout',
        headers: { ...(headers ?? {}), 'idempotency-key': randomUUID() },
        payload: { cartId, ...(headers ? {} : { email: 'shopper@example.test' }), shippingAddress: address, payment: { method: SUCCESS_CARD } },
      });
      return { statusCode: res.statusCode, body: res.json() as OrderView };
    },
  };
}
