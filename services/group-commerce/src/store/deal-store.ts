/** Deals: rows, their public shape with live group counts, and keyset-paginated lists. */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import type { Tier } from '../domain/tiers.ts';
import { authorizedUnitPrice } from '../domain/tiers.ts';
import { money } from './money-view.ts';

export const DEALS = 'group_commerce.deals';

export interface DealRow {
  id: string;
  variant_id: string;
  product_id: string;
  sku: string;
  title: string;
  currency: string;
  tiers: Tier[];
  min_group_size: number;
  max_group_size: number | null;
  group_window_seconds: number;
  per_customer_limit: number;
  starts_at: Date;
  ends_at: Date;
  status: 'active' | 'archived';
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type DealState = 'scheduled' | 'live' | 'ended' | 'archived';

export function dealState(row: Pick<DealRow, 'status' | 'starts_at' | 'ends_at'>, now: Date): DealState {
  if (row.status === 'archived') return 'archived';
  if (now < new Date(row.starts_at)) return 'scheduled';
  if (now >= new Date(row.ends_at)) return 'ended';
  return 'live';
}

export const rulesOf = (row: DealRow) => ({ tiers: row.tiers, minGroupSize: row.min_group_size, maxGroupSize: row.max_group_size });

export interface DealCounts {
  openGroups: number;
  succeededGroups: number;
  failedGroups: number;
  members: number;
}

export function dealView(row: DealRow, counts: DealCounts, now: Date) {
  return {
    id: row.id,
    variantId: row.variant_id,
    productId: row.product_id,
    sku: row.sku,
    title: row.title,
    tiers: row.tiers.map((t) => ({ minParticipants: t.minParticipants, unitPrice: money(t.unitPrice, row.currency) })),
    authorizedUnitPrice: money(authorizedUnitPrice(rulesOf(row)), row.currency),
    minGroupSize: row.min_group_size,
    maxGroupSize: row.max_group_size,
    groupWindowSeconds: row.group_window_seconds,
    perCustomerLimit: row.per_customer_limit,
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
    status: row.status,
    state: dealState(row, now),
    groups: { open: counts.openGroups, succeeded: counts.succeededGroups, failed: counts.failedGroups },
    activeMembers: counts.members,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export type DealView = ReturnType<typeof dealView>;

export async function findDeal(db: Knex | Knex.Transaction, id: string, lock: 'update' | 'share' | null = null): Promise<DealRow | undefined> {
  const query = db(DEALS).where({ id }).first<DealRow | undefined>();
  if (lock === 'update') void query.forUpdate();
  if (lock === 'share') void query.forShare();
  return query;
}

/** Live counts per deal: groups by status, and members of open groups. */
export async function countsFor(db: Knex | Knex.Transaction, dealIds: string[]): Promise<Map<string, DealCounts>> {
  const counts = new Map<string, DealCounts>(dealIds.map((id) => [id, { openGroups: 0, succeededGroups: 0, failedGroups: 0, members: 0 }]));
  if (dealIds.length === 0) return counts;
  const rows = (await db('group_commerce.groups')
    .whereIn('deal_id', dealIds)
    .groupBy('deal_id', 'status')
    .select('deal_id', 'status')
    .count({ n: '*' })
    .sum({ members: 'members' })) as { deal_id: string; status: string; n: number | string; members: number | string | null }[];
  for (const r of rows) {
    const c = counts.get(r.deal_id);
    if (!c) continue;
    if (r.status === 'open') {
      c.openGroups = Number(r.n);
      c.members = Number(r.members ?? 0);
    } else if (r.status === 'succeeded') c.succeededGroups = Number(r.n);
    else if (r.status === 'failed') c.failedGroups = Number(r.n);
  }
  return counts;
}

export interface DealQuery {
  variantId?: string;
  productId?: string;
  state?: DealState | 'any';
  limit: number;
  cursor?: string;
}

export async function listDeals(db: Knex, query: DealQuery, now: Date): Promise<Page<DealView>> {
  const sort = 'created_desc';
  const q = db(DEALS).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(query.limit + 1);
  if (query.variantId) void q.where({ variant_id: query.variantId });
  if (query.productId) void q.where({ product_id: query.productId });
  switch (query.state ?? 'live') {
    case 'live':
      void q.where({ status: 'active' }).where('starts_at', '<=', now).where('ends_at', '>', now);
      break;
    case 'scheduled':
      void q.where({ status: 'active' }).where('starts_at', '>', now);
      break;
    case 'ended':
      void q.where({ status: 'active' }).where('ends_at', '<=', now);
      break;
    case 'archived':
      void q.where({ status: 'archived' });
      break;
    case 'any':
      break;
  }
  if (query.cursor) {
    const at = decodeCursor(query.cursor, sort, { id: 'uuid', value: 'timestamp' });
    const when = new Date(String(at.value));
    void q.where((w) => w.where('created_at', '<', when).orWhere((x) => x.where('created_at', '=', when).andWhere('id', '<', at.id)));
  }
  const rows = (await q) as DealRow[];
  const page = toPage(rows, query.limit, (r) => ({ sort, value: new Date(r.created_at).toISOString(), id: r.id }));
  const counts = await countsFor(db, page.data.map((r) => r.id));
  return { data: page.data.map((r) => dealView(r, counts.get(r.id) as DealCounts, now)), nextCursor: page.nextCursor };
}
