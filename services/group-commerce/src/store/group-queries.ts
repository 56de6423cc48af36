/** What the API shows of groups and participations, and their keyset-paginated lists. */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import { nextTier, priceFor } from '../domain/tiers.ts';
import { DEALS, type DealRow } from './deal-store.ts';
import { GROUPS, orderIdFor, PARTICIPATIONS, type GroupRow, type ParticipationRow } from './group-store.ts';
import { money } from './money-view.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function groupView(group: GroupRow, deal: DealRow, shareBaseUrl: string) {
  const members = group.members;
  const next = group.status === 'open' ? nextTier(deal.tiers, members) : null;
  const current = priceFor(deal.tiers, members);
  return {
    id: group.id,
    shareCode: group.share_code,
    shareUrl: `${shareBaseUrl}/groups/${group.share_code}`,
    dealId: deal.id,
    variantId: deal.variant_id,
    productId: deal.product_id,
    title: deal.title,
    status: group.status,
    members,
    seats: group.seats,
    seatsLeft: deal.max_group_size === null ? null : Math.max(0, deal.max_group_size - group.seats),
    minGroupSize: deal.min_group_size,
    maxGroupSize: deal.max_group_size,
    membersNeeded: Math.max(0, deal.min_group_size - members),
    tiers: deal.tiers.map((t) => ({ minParticipants: t.minParticipants, unitPrice: money(t.unitPrice, deal.currency) })),
    currentUnitPrice: current === null ? null : money(current, deal.currency),
    nextTier: next ? { minParticipants: next.minParticipants, unitPrice: money(next.unitPrice, deal.currency), membersNeeded: next.membersNeeded } : null,
    finalUnitPrice: group.final_unit_price === null ? null : money(Number(group.final_unit_price), deal.currency),
    deadlineAt: new Date(group.deadline_at).toISOString(),
    closeReason: group.close_reason,
    settledAt: iso(group.settled_at),
    createdAt: new Date(group.created_at).toISOString(),
  };
}

export type GroupView = ReturnType<typeof groupView>;

export function participationView(row: ParticipationRow, group: Pick<GroupRow, 'share_code' | 'status' | 'deadline_at'>) {
  const c = row.currency;
  return {
    id: row.id,
    groupId: row.group_id,
    shareCode: group.share_code,
    groupStatus: group.status,
    deadlineAt: new Date(group.deadline_at).toISOString(),
    dealId: row.deal_id,
    customerId: row.customer_id,
    status: row.status,
    quantity: row.quantity,
    stock: row.stock_state,
    payment: row.payment_state,
    paymentId: row.payment_id,
    authorizedUnitPrice: money(Number(row.authorized_unit_price), c),
    authorizedAmount: money(Number(row.authorized_amount), c),
    finalUnitPrice: row.final_unit_price === null ? null : money(Number(row.final_unit_price), c),
    finalAmount: row.final_amount === null ? null : money(Number(row.final_amount), c),
    orderId: row.status === 'completed' ? orderIdFor(row.id) : null,
    reason: row.reason,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export type ParticipationView = ReturnType<typeof participationView>;

export async function groupViewOf(db: Knex, group: GroupRow, shareBaseUrl: string): Promise<GroupView> {
  const deal = (await db(DEALS).where({ id: group.deal_id }).first()) as DealRow;
  return groupView(group, deal, shareBaseUrl);
}

export async function participationViewOf(db: Knex, row: ParticipationRow): Promise<ParticipationView> {
  const group = (await db(GROUPS).where({ id: row.group_id }).first()) as GroupRow;
  return participationView(row, group);
}

export interface GroupQuery {
  dealId?: string;
  status?: GroupRow['status'];
  limit: number;
  cursor?: string;
}

export async function listGroups(db: Knex, query: GroupQuery, shareBaseUrl: string): Promise<Page<GroupView>> {
  const sort = 'created_desc';
  const q = db(GROUPS).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(query.limit + 1);
  if (query.dealId) void q.where({ deal_id: query.dealId });
  if (query.status) void q.where({ status: query.status });
  if (query.cursor) {
    const at = decodeCursor(query.cursor, sort, { id: 'uuid', value: 'timestamp' });
    const when = new Date(String(at.value));
    void q.where((w) => w.where('created_at', '<', when).orWhere((x) => x.where('created_at', '=', when).andWhere('id', '<', at.id)));
  }
  const rows = (await q) as GroupRow[];
  const page = toPage(rows, query.limit, (r) => ({ sort, value: new Date(r.created_at).toISOString(), id: r.id }));
  const dealIds = [...new Set(page.data.map((g) => g.deal_id))];
  const deals = new Map<string, DealRow>();
  if (dealIds.length > 0) for (const deal of (await db(DEALS).whereIn('id', dealIds)) as DealRow[]) deals.set(deal.id, deal);
  return { data: page.data.map((g) => groupView(g, deals.get(g.deal_id) as DealRow, shareBaseUrl)), nextCursor: page.nextCursor };
}

export interface ParticipationQuery {
  customerId?: string;
  groupId?: string;
  status?: ParticipationRow['status'];
  limit: number;
  cursor?: string;
}

export async function listParticipations(db: Knex, query: ParticipationQuery): Promise<Page<ParticipationView>> {
  const sort = 'created_desc';
  const q = db(`${PARTICIPATIONS} as p`)
    .join(`${GROUPS} as g`, 'g.id', 'p.group_id')
    .select('p.*', 'g.share_code as g_share_code', 'g.status as g_status', 'g.deadline_at as g_deadline_at')
    .orderBy([{ column: 'p.created_at', order: 'desc' }, { column: 'p.id', order: 'desc' }])
    .limit(query.limit + 1);
  if (query.customerId) void q.where('p.customer_id', query.customerId);
  if (query.groupId) void q.where('p.group_id', query.groupId);
  if (query.status) void q.where('p.status', query.status);
  if (query.cursor) {
    const at = decodeCursor(query.cursor, sort, { id: 'uuid', value: 'timestamp' });
    const when = new Date(String(at.value));
    void q.where((w) => w.where('p.created_at', '<', when).orWhere((x) => x.where('p.created_at', '=', when).andWhere('p.id', '<', at.id)));
  }
  const rows = (await q) as (ParticipationRow & { g_share_code: string; g_status: GroupRow['status']; g_deadline_at: Date })[];
  const page = toPage(rows, query.limit, (r) => ({ sort, value: new Date(r.created_at).toISOString(), id: r.id }));
  return {
    data: page.data.map((r) => participationView(r, { share_code: r.g_share_code, status: r.g_status, deadline_at: r.g_deadline_at })),
    nextCursor: page.nextCursor,
  };
}
