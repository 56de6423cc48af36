/**
 * A whole shop for group-buying tests: catalog, inventory, payments (with a
 * provider that counts its calls), orders and group-commerce in one gateway,
 * with helpers that act as an admin and as signed-in shoppers.
 */
import { randomUUID } from 'node:crypto';
import { catalogService } from '@fusioncommerce/catalog';
import { createGroupCommerceService, type GroupSettings } from '@fusioncommerce/group-commerce';
import { inventoryService } from '@fusioncommerce/inventory';
import { createPaymentsService } from '@fusioncommerce/payments';
import { tokenServiceFrom } from '@fusioncommerce/platform';
import { shippingService } from '@fusioncommerce/shipping';
import type { Backend, TestDatabase } from '@fusioncommerce/platform/testing';
import { TestPaymentProvider } from '../../services/payments/src/providers/test-provider.ts';
import { CountingProvider } from '../../services/payments/test/support/counting-provider.ts';
import { ADDRESS, SUCCESS_CARD, eventually, openShop, type Shop } from '../checkout/shop.ts';

export { ADDRESS, SUCCESS_CARD, eventually };

export interface Deal {
  id: string;
  variantId: string;
  sku: string;
}

export interface SeatAnswer {
  statusCode: number;
  body: Record<string, unknown> & {
    group: { id: string; shareCode: string; shareUrl: string; status: string; members: number; seats: number };
    participation: { id: string; status: string; authorizedAmount: { amount: number } };
  };
}

export interface GroupShop extends Shop {
  provider: CountingProvider;
  /** A fresh signed-in customer's bearer header. */
  customer(id?: string): Promise<{ authorization: string; id: string }>;
  deal(options: { stock: number; price?: number; tiers: [number, number][]; min: number; max?: number | null; windowSeconds: number; perCustomerLimit?: number }): Promise<Deal>;
  start(dealId: string, who: { authorization: string }, options?: { quantity?: number; card?: string }): Promise<SeatAnswer>;
  join(code: string, who: { authorization: string }, options?: { quantity?: number; card?: string }): Promise<SeatAnswer>;
  participation(id: string, who: { authorization: string }): Promise<Record<string, unknown> & { status: string; stock: string; payment: string; reason: string | null }>;
  /** Waits until no participation of the group is pending. */
  settledSeats(groupId: string): Promise<void>;
}

export async function openGroupShop(backend: Backend, options: { db?: TestDatabase; settings?: Partial<GroupSettings> } = {}): Promise<GroupShop> {
  const provider = new CountingProvider(new TestPaymentProvider());
  const groups = createGroupCommerceService({ settings: { deadlinePollMs: 200, ...options.settings } });
  const payments = createPaymentsService({ config: { provider: 'test', stripe: null }, providers: { test: provider } });
  const shop = await openShop(backend, { db: options.db, services: (orders) => [catalogService, inventoryService, payments, orders, shippingService, groups] });
  const { app, admin, db } = shop;
  const tokens = tokenServiceFrom({});
  const seatBody = (card: string, quantity: number) => ({ quantity, shippingAddress: ADDRESS, payment: { method: card } });

  return {
    ...shop,
    provider,
    async customer(id = randomUUID()) {
      const token = await tokens.sign({ id, role: 'customer', email: `shopper-${id.slice(0, 8)}@example.test` }, 3600);
      return { authorization: `Bearer ${token}`, id };
    },
    async deal({ stock, price = 1000, tiers, min, max = null, windowSeconds, perCustomerLimit = 5 }) {
      const { variantIds, skus } = await shop.product({ stock, price });
      const variantId = variantIds[0] as string;
      await eventually(async () => (await db.knex('group_commerce.catalog_variants').where({ variant_id: variantId, sellable: true }).first()) ?? false, 'group buying to learn the variant');
      const res = await app.inject({
        method: 'POST',
        url: '/v1/group-deals',
        headers: admin,
        payload: {
          variantId,
          tiers: tiers.map(([minParticipants, amount]) => ({ minParticipants, unitPrice: { amount, currency: 'USD' } })),
          minGroupSize: min,
          maxGroupSize: max,
          groupWindowSeconds: windowSeconds,
          perCustomerLimit,
          endsAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
        },
      });
      if (res.statusCode !== 201) throw new Error(`deal: ${res.statusCode} ${res.body}`);
      return { id: (res.json() as { id: string }).id, variantId, sku: skus[0] as string };
    },
    async start(dealId, who, { quantity = 1, card = SUCCESS_CARD } = {}) {
      const res = await app.inject({ method: 'POST', url: '/v1/groups', headers: who, payload: { dealId, ...seatBody(card, quantity) } });
      return { statusCode: res.statusCode, body: res.json() };
    },
    async join(code, who, { quantity = 1, card = SUCCESS_CARD } = {}) {
      const res = await app.inject({ method: 'POST', url: `/v1/groups/${code}/join`, headers: who, payload: seatBody(card, quantity) });
      return { statusCode: res.statusCode, body: res.json() };
    },
    async participation(id, who) {
      const res = await app.inject({ url: `/v1/groups/participations/${id}`, headers: who });
      if (res.statusCode !== 200) throw new Error(`participation: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async settledSeats(groupId) {
      await eventually(async () => {
        const pending = await db.knex('group_commerce.participations').where({ group_id: groupId, status: 'pending' }).first('id');
        return !pending;
      }, 'every seat of the group to be settled one way or the other', 30_000);
    },
  };
}
