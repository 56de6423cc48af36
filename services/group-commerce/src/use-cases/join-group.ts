/**
 * Starting, joining and leaving a group, each in one transaction. A join
 * locks the group row, so concurrent joins queue up and each sees the seats
 * the previous one took: the maximum is never exceeded. It then locks the
 * customer's row for the deal, so one customer's concurrent joins (to any of
 * the deal's groups) queue up too and the per-customer limit holds.
 *
 * An Idempotency-Key is looked up before the transaction (the cheap, common
 * retry), again once the locks are held (a request with the same key that
 * got there first has committed by then), and a unique-key violation on it
 * (the same key racing on another deal) is answered with the winner's seat.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { GroupStarted, type EventData } from '@fusioncommerce/contracts';
import { recordEvents, type Principal } from '@fusioncommerce/platform';
import { GroupError } from '../domain/errors.ts';
import { LIVE, Participation, SEATED } from '../domain/participation.ts';
import { newShareCode } from '../domain/share-code.ts';
import { authorizedUnitPrice } from '../domain/tiers.ts';
import { dealState, findDeal, rulesOf, type DealRow } from '../store/deal-store.ts';
import {
  findGroup,
  findGroupByCode,
  findParticipationRow,
  GROUPS,
  PARTICIPATIONS,
  saveParticipation,
  toState,
  updateGroup,
  type GroupRow,
  type ParticipationRow,
} from '../store/group-store.ts';
import type { GroupDeps } from './deps.ts';
import { isAdmin } from './manage-deals.ts';

export interface SeatInput {
  quantity: number;
  paymentMethod: string;
  shippingAddress: Record<string, string>;
  idempotencyKey: string | null;
}

export interface SeatResult {
  participationId: string;
  groupId: string;
  /** True when this answer replays an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

type Customer = Extract<Principal, { type: 'user' }>;

function customerOf(principal: Principal): Customer {
  if (principal.type !== 'user') throw new Error('a seat needs a signed-in customer');
  return principal;
}

type SameRequest = (row: ParticipationRow) => boolean;

/** The seat an earlier request with this Idempotency-Key took, as a replay; a different request with the key is refused. */
async function replayOf(db: Knex | Knex.Transaction, customer: Customer, key: string | null, matches: SameRequest): Promise<SeatResult | undefined> {
  if (!key) return undefined;
  const row = await db(PARTICIPATIONS).where({ customer_id: customer.id, idempotency_key: key }).first<ParticipationRow | undefined>();
  if (!row) return undefined;
  if (!matches(row)) throw GroupError.idempotencyKeyReused();
  return { participationId: row.id, groupId: row.group_id, replayed: true };
}

const isIdempotencyConflict = (error: unknown): boolean => {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && String(e.constraint ?? '').includes('idempotency');
};

/** Takes a seat in `seat`'s transaction, or answers with the seat of an earlier or racing request with the same key. */
async function seatOnce(deps: GroupDeps, customer: Customer, key: string | null, matches: SameRequest, seat: (trx: Knex.Transaction) => Promise<SeatResult>): Promise<SeatResult> {
  const replay = await replayOf(deps.knex, customer, key, matches);
  if (replay) return replay;
  try {
    return await deps.knex.transaction(seat);
  } catch (error) {
    // Two requests with one key raced past both looks (they locked different rows): the loser answers with the winner's seat.
    if (key && isIdempotencyConflict(error)) {
      const winner = await replayOf(deps.knex, customer, key, matches);
      if (winner) return winner;
    }
    throw error;
  }
}

function assertLive(deal: DealRow, now: Date): void {
  const state = dealState(deal, now);
  if (state !== 'live') throw GroupError.dealNotLive(state);
}

/** Locks the customer's row for the deal: their concurrent seats on it (in any of its groups) queue here. */
async function lockCustomer(trx: Knex.Transaction, deal: DealRow, customerId: string): Promise<void> {
  await trx('group_commerce.deal_customers').insert({ deal_id: deal.id, customer_id: customerId }).onConflict(['deal_id', 'customer_id']).ignore();
  await trx('group_commerce.deal_customers').where({ deal_id: deal.id, customer_id: customerId }).forUpdate().first();
}

/** Checks the customer's limit on the deal; their row is locked (lockCustomer) and the caller inserts the seat in the same transaction. */
async function assertWithinLimit(trx: Knex.Transaction, deal: DealRow, customerId: string, quantity: number): Promise<void> {
  if (quantity > deal.per_customer_limit) throw GroupError.limitExceeded(deal.per_customer_limit, 0);
  const [held] = (await trx(PARTICIPATIONS).where({ deal_id: deal.id, customer_id: customerId }).whereIn('status', LIVE).sum({ units: 'quantity' })) as {
    units: number | string | null;
  }[];
  const units = Number(held?.units ?? 0);
  if (units + quantity > deal.per_customer_limit) throw GroupError.limitExceeded(deal.per_customer_limit, units);
}

async function takeSeat(deps: GroupDeps, trx: Knex.Transaction, deal: DealRow, group: GroupRow, customer: Customer, input: SeatInput, now: Date): Promise<string> {
  const participation = Participation.join({
    id: uuidv7(),
    groupId: group.id,
    dealId: deal.id,
    customerId: customer.id,
    email: customer.email,
    quantity: input.quantity,
    currency: deal.currency,
    authorizedUnitPrice: authorizedUnitPrice(rulesOf(deal)),
    authorizedAmount: authorizedUnitPrice(rulesOf(deal)) * input.quantity,
    createdAt: now,
  });
  const seated = await updateGroup(trx, group, { seats: group.seats + 1 }, now);
  const holdUntil = new Date(new Date(group.deadline_at).getTime() + deps.settings.holdGraceSeconds * 1000);
  await saveParticipation(trx, participation, {
    deal,
    group: seated,
    holdUntil,
    insert: { paymentMethod: input.paymentMethod, shippingAddress: input.shippingAddress, idempotencyKey: input.idempotencyKey },
  });
  return participation.id;
}

/** A shopper starts a group on a live deal and takes its first seat; the group's deadline goes on the durable schedule. */
export async function startGroup(deps: GroupDeps, dealId: string, principal: Principal, input: SeatInput): Promise<SeatResult> {
  const customer = customerOf(principal);
  const sameRequest: SameRequest = (r) => r.deal_id === dealId && r.quantity === input.quantity;
  return seatOnce(deps, customer, input.idempotencyKey, sameRequest, async (trx) => {
    const deal = await findDeal(trx, dealId, 'share');
    if (!deal) throw GroupError.dealNotFound(dealId);
    await lockCustomer(trx, deal, customer.id);
    // A request with this key that held the lock before us has committed its seat by now.
    const again = await replayOf(trx, customer, input.idempotencyKey, sameRequest);
    if (again) return again;
    const now = deps.now();
    assertLive(deal, now);
    await assertWithinLimit(trx, deal, customer.id, input.quantity);
    const deadline = new Date(Math.min(now.getTime() + deal.group_window_seconds * 1000, new Date(deal.ends_at).getTime()));
    let shareCode = newShareCode();
    while (await trx(GROUPS).where({ share_code: shareCode }).first('id')) shareCode = newShareCode();
    const [group] = (await trx(GROUPS)
      .insert({
        id: uuidv7(),
        deal_id: deal.id,
        share_code: shareCode,
        status: 'open',
        started_by: customer.id,
        seats: 0,
        members: 0,
        deadline_at: deadline,
        created_at: now,
        updated_at: now,
      })
      .returning('*')) as GroupRow[];
    if (!group) throw new Error('the group was not inserted');
    await trx('group_commerce.deadlines').insert({ group_id: group.id, due_at: deadline });
    await recordEvents(trx, 'group_commerce', [
      {
        type: GroupStarted.type,
        subject: group.id,
        data: {
          groupId: group.id,
          dealId: deal.id,
          shareCode,
          variantId: deal.variant_id,
          sku: deal.sku,
          minGroupSize: deal.min_group_size,
          maxGroupSize: deal.max_group_size,
          tiers: deal.tiers.map((t) => ({ minParticipants: t.minParticipants, unitPrice: { amount: t.unitPrice, currency: deal.currency } })),
          deadlineAt: deadline.toISOString(),
          startedBy: customer.id,
        } satisfies EventData<typeof GroupStarted>,
      },
    ]);
    const participationId = await takeSeat(deps, trx, deal, group, customer, input, now);
    return { participationId, groupId: group.id, replayed: false };
  });
}

/** A shopper joins an open group by its share code. */
export async function joinGroup(deps: GroupDeps, shareCode: string, principal: Principal, input: SeatInput): Promise<SeatResult> {
  const customer = customerOf(principal);
  const known = await findGroupByCode(deps.knex, shareCode);
  if (!known) throw GroupError.groupNotFound(shareCode);
  const sameRequest: SameRequest = (r) => r.group_id === known.id && r.quantity === input.quantity;
  return seatOnce(deps, customer, input.idempotencyKey, sameRequest, async (trx) => {
    // The lock that keeps the maximum: every join of this group waits here for the one before.
    const group = (await findGroup(trx, known.id, true)) as GroupRow;
    // A request with this key that held the lock before us has committed its seat by now.
    const again = await replayOf(trx, customer, input.idempotencyKey, sameRequest);
    if (again) return again;
    const deal = (await findDeal(trx, group.deal_id)) as DealRow;
    const now = deps.now();
    if (group.status !== 'open') throw GroupError.groupNotOpen(group.status);
    if (now >= new Date(group.deadline_at)) throw GroupError.groupNotOpen('closing');
    if (deal.status === 'archived') throw GroupError.dealNotLive('archived');
    const mine = await trx(PARTICIPATIONS).where({ group_id: group.id, customer_id: customer.id }).whereIn('status', LIVE).first<{ id: string } | undefined>('id');
    if (mine) throw GroupError.alreadyJoined(mine.id);
    if (deal.max_group_size !== null && group.seats >= deal.max_group_size) throw GroupError.groupFull(deal.max_group_size);
    await lockCustomer(trx, deal, customer.id);
    await assertWithinLimit(trx, deal, customer.id, input.quantity);
    const participationId = await takeSeat(deps, trx, deal, group, customer, input, now);
    return { participationId, groupId: group.id, replayed: false };
  });
}

/** The shopper leaves before the deadline: the seat is freed, stock released and the authorization voided. */
export async function leaveGroup(deps: GroupDeps, participationId: string, principal: Principal): Promise<void> {
  const known = await findParticipationRow(deps.knex, participationId);
  if (!known || (!isAdmin(principal) && (principal.type !== 'user' || known.customer_id !== principal.id))) throw GroupError.participationNotFound(participationId);
  await deps.knex.transaction(async (trx) => {
    const group = (await findGroup(trx, known.group_id, true)) as GroupRow;
    const row = (await findParticipationRow(trx, participationId, true)) as ParticipationRow;
    const participation = Participation.restore(toState(row));
    const now = deps.now();
    if (!SEATED.includes(participation.status)) throw GroupError.cannotLeave(participation.status);
    if (group.status !== 'open' || now >= new Date(group.deadline_at)) throw GroupError.groupNotOpen(group.status === 'open' ? 'closing' : group.status);
    const wasMember = participation.status === 'active';
    participation.leave(now);
    const updated = await updateGroup(trx, group, { seats: group.seats - 1, members: group.members - (wasMember ? 1 : 0) }, now);
    await saveParticipation(trx, participation, { deal: (await findDeal(trx, group.deal_id)) as DealRow, group: updated, stored: row });
  });
}
