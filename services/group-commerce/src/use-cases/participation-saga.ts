/**
 * A participation's saga steps, run in the consumer's transaction when
 * inventory and payments report back. The group row is locked first (the
 * same order as joins and settlement take), then the participation; the
 * group's seat and member counts change with the participation, and a group
 * whose members now fill its maximum is settled at once.
 */
import type { Knex } from 'knex';
import { Participation } from '../domain/participation.ts';
import { findDeal, type DealRow } from '../store/deal-store.ts';
import { findGroup, findParticipationRow, saveParticipation, toState, updateGroup, type GroupRow, type ParticipationRow } from '../store/group-store.ts';
import type { SagaDeps } from './deps.ts';
import { settleIfFull } from './settle-group.ts';

/** Applies `change` to the participation; unknown ids are ignored (the reference may be another service's). */
export async function applyToParticipation(deps: SagaDeps, trx: Knex.Transaction, participationId: string, change: (p: Participation, now: Date) => void): Promise<void> {
  const known = await findParticipationRow(trx, participationId);
  if (!known) return;
  const group = (await findGroup(trx, known.group_id, true)) as GroupRow;
  const row = (await findParticipationRow(trx, participationId, true)) as ParticipationRow;
  const participation = Participation.restore(toState(row));
  const before = participation.status;
  const now = deps.now();
  change(participation, now);
  const after = participation.status;
  let seats = group.seats;
  let members = group.members;
  if (before === 'pending' && after === 'active') members += 1;
  if ((before === 'pending' || before === 'active') && after !== 'pending' && after !== 'active') {
    seats -= 1;
    if (before === 'active') members -= 1;
  }
  const updated = seats !== group.seats || members !== group.members ? await updateGroup(trx, group, { seats, members }, now) : group;
  const deal = (await findDeal(trx, group.deal_id)) as DealRow;
  await saveParticipation(trx, participation, { deal, group: updated, stored: row });
  await settleIfFull(deps, trx, updated, deal);
}
