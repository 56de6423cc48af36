/**
 * Groups and participations: rows, row ↔ domain mapping, and the saga's
 * outbound events, written in the caller's transaction so what a
 * participation decided and what it tells the others never disagree.
 */
import type { Knex } from 'knex';
import { v5 as uuidv5 } from 'uuid';
import {
  GroupPaymentRequested,
  ParticipationActivated,
  ParticipationCompleted,
  ParticipationConfirmed,
  ParticipationFailed,
  ParticipationJoined,
  ParticipationLeft,
  type EventData,
} from '@fusioncommerce/contracts';
import { recordEvents, type NewEvent } from '@fusioncommerce/platform';
import { type Participation, type ParticipationEvent, type ParticipationState } from '../domain/participation.ts';
import type { DealRow } from './deal-store.ts';
import { money } from './money-view.ts';

export const GROUPS = 'group_commerce.groups';
export const PARTICIPATIONS = 'group_commerce.participations';
const SCHEMA = 'group_commerce';

// Orders made for successful participations get ids derived from the participation (UUIDv5), so the link is known before the order exists.
const GROUP_ORDERS = '6b0f3a52-7f0e-4c55-9a3e-1f6c2b9d8e41';
export const orderIdFor = (participationId: string): string => uuidv5(participationId, GROUP_ORDERS);

export interface GroupRow {
  id: string;
  deal_id: string;
  share_code: string;
  status: 'open' | 'succeeded' | 'failed';
  started_by: string;
  seats: number;
  members: number;
  deadline_at: Date;
  final_unit_price: number | string | null;
  close_reason: string | null;
  settled_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface ParticipationRow {
  id: string;
  group_id: string;
  deal_id: string;
  customer_id: string;
  email: string;
  quantity: number;
  currency: string;
  authorized_unit_price: number | string;
  authorized_amount: number | string;
  final_unit_price: number | string | null;
  final_amount: number | string | null;
  status: ParticipationState['status'];
  stock_state: ParticipationState['stock'];
  payment_state: ParticipationState['payment'];
  payment_id: string | null;
  payment_method: string | null;
  shipping_address: Record<string, string>;
  reason: string | null;
  idempotency_key: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toState(row: ParticipationRow): ParticipationState {
  return {
    id: row.id,
    groupId: row.group_id,
    dealId: row.deal_id,
    customerId: row.customer_id,
    email: row.email,
    quantity: row.quantity,
    currency: row.currency,
    authorizedUnitPrice: Number(row.authorized_unit_price),
    authorizedAmount: Number(row.authorized_amount),
    finalUnitPrice: num(row.final_unit_price),
    finalAmount: num(row.final_amount),
    status: row.status,
    stock: row.stock_state,
    payment: row.payment_state,
    paymentId: row.payment_id,
    reason: row.reason,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function findGroup(db: Knex | Knex.Transaction, id: string, forUpdate = false): Promise<GroupRow | undefined> {
  const query = db(GROUPS).where({ id }).first<GroupRow | undefined>();
  if (forUpdate) void query.forUpdate();
  return query;
}

export async function findGroupByCode(db: Knex | Knex.Transaction, code: string, forUpdate = false): Promise<GroupRow | undefined> {
  const query = db(GROUPS).where({ share_code: code }).first<GroupRow | undefined>();
  if (forUpdate) void query.forUpdate();
  return query;
}

export async function findParticipationRow(db: Knex | Knex.Transaction, id: string, forUpdate = false): Promise<ParticipationRow | undefined> {
  const query = db(PARTICIPATIONS).where({ id }).first<ParticipationRow | undefined>();
  if (forUpdate) void query.forUpdate();
  return query;
}

export async function updateGroup(trx: Knex.Transaction, group: GroupRow, changes: Partial<GroupRow>, now: Date): Promise<GroupRow> {
  const [updated] = (await trx(GROUPS)
    .where({ id: group.id })
    .update({ ...changes, version: group.version + 1, updated_at: now })
    .returning('*')) as GroupRow[];
  return updated as GroupRow;
}

interface SaveFacts {
  deal: DealRow;
  group: GroupRow;
  /** When the stock hold lapses (for `joined`). */
  holdUntil?: Date;
}

export type SaveContext = SaveFacts &
  (
    | {
        /** A new participation: its payment method (held until payment is requested), shipping address and idempotency key. */
        insert: { paymentMethod: string; shippingAddress: Record<string, string>; idempotencyKey: string | null };
        stored?: never;
      }
    | {
        /** An existing one: the row the caller loaded (locked), for what its events hand on that the domain does not keep. */
        stored: Pick<ParticipationRow, 'payment_method' | 'shipping_address'>;
        insert?: never;
      }
  );

function integrationEvent(s: ParticipationState, event: ParticipationEvent, ctx: SaveFacts & { paymentMethod: string | null; shippingAddress: Record<string, string> }): NewEvent {
  const subject = s.id;
  const facts = { participationId: s.id, groupId: s.groupId, dealId: s.dealId, customerId: s.customerId, email: s.email };
  switch (event.type) {
    case 'joined':
      return {
        type: ParticipationJoined.type,
        subject,
        data: {
          ...facts,
          variantId: ctx.deal.variant_id,
          sku: ctx.deal.sku,
          quantity: s.quantity,
          unitPrice: money(s.authorizedUnitPrice, s.currency),
          authorizedAmount: money(s.authorizedAmount, s.currency),
          holdUntil: (ctx.holdUntil ?? new Date(ctx.group.deadline_at)).toISOString(),
        } satisfies EventData<typeof ParticipationJoined>,
      };
    case 'payment_requested':
      return {
        type: GroupPaymentRequested.type,
        subject,
        data: {
          participationId: s.id,
          groupId: s.groupId,
          amount: money(s.authorizedAmount, s.currency),
          paymentMethod: ctx.paymentMethod ?? '',
          email: s.email,
        } satisfies EventData<typeof GroupPaymentRequested>,
      };
    case 'activated':
      return {
        type: ParticipationActivated.type,
        subject,
        data: { ...facts, paymentId: s.paymentId ?? '', members: ctx.group.members } satisfies EventData<typeof ParticipationActivated>,
      };
    case 'left':
      return {
        type: ParticipationLeft.type,
        subject,
        data: { ...facts, releaseStock: event.releaseStock, voidPayment: event.voidPayment, paymentId: s.paymentId } satisfies EventData<typeof ParticipationLeft>,
      };
    case 'failed':
      return {
        type: ParticipationFailed.type,
        subject,
        data: {
          ...facts,
          reason: event.reason,
          releaseStock: event.releaseStock,
          voidPayment: event.voidPayment,
          paymentId: s.paymentId,
        } satisfies EventData<typeof ParticipationFailed>,
      };
    case 'confirmed':
      return {
        type: ParticipationConfirmed.type,
        subject,
        data: {
          ...facts,
          paymentId: s.paymentId ?? '',
          variantId: ctx.deal.variant_id,
          sku: ctx.deal.sku,
          quantity: s.quantity,
          unitPrice: money(s.finalUnitPrice ?? 0, s.currency),
          amount: money(s.finalAmount ?? 0, s.currency),
          authorizedAmount: money(s.authorizedAmount, s.currency),
        } satisfies EventData<typeof ParticipationConfirmed>,
      };
    case 'completed':
      return {
        type: ParticipationCompleted.type,
        subject,
        data: {
          ...facts,
          orderId: orderIdFor(s.id),
          paymentId: s.paymentId ?? '',
          variantId: ctx.deal.variant_id,
          productId: ctx.deal.product_id,
          sku: ctx.deal.sku,
          title: ctx.deal.title,
          quantity: s.quantity,
          unitPrice: money(s.finalUnitPrice ?? 0, s.currency),
          amount: money(s.finalAmount ?? 0, s.currency),
          shippingAddress: ctx.shippingAddress,
        } satisfies EventData<typeof ParticipationCompleted>,
      };
  }
}

/** Writes the participation (insert or update) and records its integration events; returns what happened to it. */
export async function saveParticipation(trx: Knex.Transaction, participation: Participation, ctx: SaveContext): Promise<ParticipationEvent[]> {
  const s = participation.snapshot();
  const events = participation.pullEvents();
  const row = {
    status: s.status,
    stock_state: s.stock,
    payment_state: s.payment,
    payment_id: s.paymentId,
    final_unit_price: s.finalUnitPrice,
    final_amount: s.finalAmount,
    reason: s.reason,
    version: s.version,
    updated_at: s.updatedAt,
  };
  const paymentMethod = ctx.insert ? ctx.insert.paymentMethod : ctx.stored.payment_method;
  const shippingAddress = ctx.insert ? ctx.insert.shippingAddress : ctx.stored.shipping_address;
  if (ctx.insert) {
    await trx(PARTICIPATIONS).insert({
      ...row,
      id: s.id,
      group_id: s.groupId,
      deal_id: s.dealId,
      customer_id: s.customerId,
      email: s.email,
      quantity: s.quantity,
      currency: s.currency,
      authorized_unit_price: s.authorizedUnitPrice,
      authorized_amount: s.authorizedAmount,
      payment_method: ctx.insert.paymentMethod,
      shipping_address: JSON.stringify(ctx.insert.shippingAddress),
      idempotency_key: ctx.insert.idempotencyKey,
      created_at: s.createdAt,
    });
  } else {
    // The payment method is handed to payments once, then forgotten; so is it when the seat ends first.
    const forget = events.some((e) => e.type === 'payment_requested') || s.status !== 'pending';
    await trx(PARTICIPATIONS).where({ id: s.id }).update({ ...row, ...(forget ? { payment_method: null } : {}) });
  }
  if (events.length) await recordEvents(trx, SCHEMA, events.map((e) => integrationEvent(s, e, { ...ctx, paymentMethod, shippingAddress })));
  return events;
}
