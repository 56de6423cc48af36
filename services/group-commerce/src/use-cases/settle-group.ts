/**
 * Settling a group, once: when it fills up (its last seat becomes a member)
 * or at its deadline. Seats still waiting for stock or payment are failed;
 * members are confirmed at the final tier price if there are at least the
 * minimum of them, and failed (holds voided and released) otherwise. The
 * group row is locked for all of it, so of two racing settlements one does
 * the work and the other finds the group settled.
 */
import type { Knex } from 'knex';
import { GroupClosed, GroupFailed, GroupSucceeded, type EventData } from '@fusioncommerce/contracts';
import { recordEvents } from '@fusioncommerce/platform';
import { Participation, SEATED } from '../domain/participation.ts';
import { priceFor } from '../domain/tiers.ts';
import { findDeal, type DealRow } from '../store/deal-store.ts';
import { findGroup, PARTICIPATIONS, saveParticipation, toState, updateGroup, type GroupRow, type ParticipationRow } from '../store/group-store.ts';
import type { GroupDeps, SagaDeps } from './deps.ts';

export type SettleOutcome = 'succeeded' | 'failed' | 'already_settled';

export async function settleGroup(deps: SagaDeps, trx: Knex.Transaction, groupId: string, reason: 'full' | 'deadline'): Promise<SettleOutcome> {
  const group = await findGroup(trx, groupId, true);
  if (!group) throw new Error(`group ${groupId} vanished`);
  if (group.status !== 'open') return 'already_settled';
  const deal = (await findDeal(trx, group.deal_id)) as DealRow;
  const now = deps.now();
  const rows = (await trx(PARTICIPATIONS).where({ group_id: group.id }).whereIn('status', SEATED).orderBy('created_at').forUpdate()) as ParticipationRow[];
  const seated = rows.map((row) => ({ p: Participation.restore(toState(row)), row }));
  const members = seated.filter(({ p }) => p.status === 'active').map(({ p }) => p);
  const succeeded = members.length >= deal.min_group_size;
  const finalUnitPrice = succeeded ? priceFor(deal.tiers, members.length) : null;
  if (succeeded && finalUnitPrice === null) throw new Error(`deal ${deal.id} has no tier for ${members.length} members`);

  const settled = await updateGroup(
    trx,
    group,
    {
      status: succeeded ? 'succeeded' : 'failed',
      seats: members.length,
      members: members.length,
      final_unit_price: finalUnitPrice,
      close_reason: reason,
      settled_at: now,
    },
    now,
  );
  for (const { p, row } of seated) {
    if (p.status === 'pending') p.fail('group_closed', now);
    else if (succeeded) p.confirm(finalUnitPrice as number, now);
    else p.fail('group_failed', now);
    await saveParticipation(trx, p, { deal, group: settled, stored: row });
  }
  const memberFacts = members.map((p) => {
    const s = p.snapshot();
    return { participationId: s.id, customerId: s.customerId, email: s.email, quantity: s.quantity };
  });
  await recordEvents(trx, 'group_commerce', [
    {
      type: GroupClosed.type,
      subject: group.id,
      data: { groupId: group.id, dealId: deal.id, reason, members: members.length } satisfies EventData<typeof GroupClosed>,
    },
    succeeded
      ? {
          type: GroupSucceeded.type,
          subject: group.id,
          data: {
            groupId: group.id,
            dealId: deal.id,
            shareCode: group.share_code,
            members: memberFacts,
            finalUnitPrice: { amount: finalUnitPrice as number, currency: deal.currency },
          } satisfies EventData<typeof GroupSucceeded>,
        }
      : {
          type: GroupFailed.type,
          subject: group.id,
          data: {
            groupId: group.id,
            dealId: deal.id,
            shareCode: group.share_code,
            reason: 'not_enough_participants',
            minGroupSize: deal.min_group_size,
            members: memberFacts,
          } satisfies EventData<typeof GroupFailed>,
        },
  ]);
  return succeeded ? 'succeeded' : 'failed';
}

/** Closes a group at once when its members fill every seat of its maximum. */
export async function settleIfFull(deps: SagaDeps, trx: Knex.Transaction, group: GroupRow, deal: DealRow): Promise<void> {
  if (group.status === 'open' && deal.max_group_size !== null && group.members >= deal.max_group_size) await settleGroup(deps, trx, group.id, 'full');
}

/**
 * Fires the deadlines that are due, a batch per transaction: each due row is
 * claimed with FOR UPDATE SKIP LOCKED and marked fired in the transaction that
 * settles its group. Any number of processes may run this at once; a
 * deadline fires exactly once, and one that was due while no process ran
 * fires at the next start.
 */
export async function fireDueDeadlines(deps: GroupDeps, batchSize = deps.settings.deadlineBatchSize, maxBatches = 20): Promise<number> {
  let fired = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await deps.knex.transaction(async (trx) => {
      const now = deps.now();
      const due = (await trx('group_commerce.deadlines')
        .whereNull('fired_at')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .pluck('group_id')) as string[];
      for (const groupId of due) {
        const outcome = await settleGroup(deps, trx, groupId, 'deadline');
        await trx('group_commerce.deadlines').where({ group_id: groupId }).update({ fired_at: now, outcome });
      }
      return due.length;
    });
    fired += count;
    if (count < batchSize) break;
  }
  return fired;
}
