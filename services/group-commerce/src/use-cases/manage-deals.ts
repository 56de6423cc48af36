/** Admins create and archive deals; everyone reads live ones with their tier ladder and live group counts. */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@fusioncommerce/platform';
import { GroupError } from '../domain/errors.ts';
import { checkRules, type Tier } from '../domain/tiers.ts';
import type { CreateDealBody } from '../schemas/group-commerce.ts';
import { countsFor, dealState, dealView, DEALS, findDeal, type DealCounts, type DealRow, type DealView } from '../store/deal-store.ts';
import { dealTitle, findVariant, type ReplicaVariant } from '../store/variant-replica.ts';
import type { GroupDeps } from './deps.ts';

export const isAdmin = (principal: Principal): boolean => principal.type === 'user' && principal.role === 'admin';

/**
 * The stored deal for `input` on `variant`, or a 400 listing every rule it
 * breaks (tiers, group sizes, the variant's currency, its dates against `now`).
 */
export function newDealRow(variant: ReplicaVariant, input: CreateDealBody, now: Date): DealRow {
  const tiers: Tier[] = input.tiers.map((t) => ({ minParticipants: t.minParticipants, unitPrice: t.unitPrice.amount }));
  const maxGroupSize = input.maxGroupSize ?? null;
  const errors = checkRules({ tiers, minGroupSize: input.minGroupSize, maxGroupSize });
  input.tiers.forEach((t, i) => {
    if (t.unitPrice.currency !== variant.currency) errors.push({ pointer: `/body/tiers/${i}/unitPrice/currency`, message: `must be the variant’s currency, ${variant.currency}` });
  });
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  const endsAt = new Date(input.endsAt);
  if (endsAt <= startsAt) errors.push({ pointer: '/body/endsAt', message: 'must be after startsAt' });
  if (endsAt <= now) errors.push({ pointer: '/body/endsAt', message: 'must be in the future' });
  if (errors.length > 0) throw GroupError.invalidDeal('The deal’s rules do not hold together.', errors);
  return {
    id: uuidv7(),
    variant_id: variant.variantId,
    product_id: variant.productId,
    sku: variant.sku,
    title: dealTitle(variant.productTitle, variant.variantTitle),
    currency: variant.currency,
    tiers,
    min_group_size: input.minGroupSize,
    max_group_size: maxGroupSize,
    group_window_seconds: input.groupWindowSeconds,
    per_customer_limit: input.perCustomerLimit,
    starts_at: startsAt,
    ends_at: endsAt,
    status: 'active',
    version: 1,
    created_at: now,
    updated_at: now,
  };
}

export async function insertDeal(db: Knex | Knex.Transaction, row: DealRow): Promise<void> {
  await db(DEALS).insert({ ...row, tiers: JSON.stringify(row.tiers) });
}

export async function createDeal(deps: GroupDeps, input: CreateDealBody): Promise<DealView> {
  const now = deps.now();
  const variant = await findVariant(deps.knex, input.variantId);
  if (!variant?.sellable) throw GroupError.variantUnavailable();
  const row = newDealRow(variant, input, now);
  await insertDeal(deps.knex, row);
  return dealView(row, { openGroups: 0, succeededGroups: 0, failedGroups: 0, members: 0 }, now);
}

/** A deal; shoppers see it while it is scheduled, live or ended, not once archived. */
export async function getDeal(deps: GroupDeps, id: string, principal: Principal): Promise<DealView> {
  const row = await findDeal(deps.knex, id);
  const now = deps.now();
  if (!row || (!isAdmin(principal) && dealState(row, now) === 'archived')) throw GroupError.dealNotFound(id);
  const counts = await countsFor(deps.knex, [row.id]);
  return dealView(row, counts.get(row.id) as DealCounts, now);
}

/** No new groups start on an archived deal; its open groups run to their deadlines. */
export async function archiveDeal(deps: GroupDeps, id: string): Promise<DealView> {
  const now = deps.now();
  await deps.knex.transaction(async (trx) => {
    const row = await findDeal(trx, id, 'update');
    if (!row) throw GroupError.dealNotFound(id);
    if (row.status === 'archived') throw GroupError.dealArchived();
    await trx(DEALS).where({ id }).update({ status: 'archived', version: row.version + 1, updated_at: now });
  });
  return getDeal(deps, id, { type: 'user', id: 'system', role: 'admin', email: '' });
}
