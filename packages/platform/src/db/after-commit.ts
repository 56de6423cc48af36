/** Running something once a transaction's changes are visible to everyone else. */
import type { Knex } from 'knex';

type Nested = Partial<Pick<Knex.Transaction, 'executionPromise'>> & { parentTransaction?: Nested };

/**
 * Calls `then` after the outermost transaction around `trx` commits, and not
 * at all if it rolls back. A use case run inside a longer transaction (an
 * event consumer's) opens a savepoint, whose own promise settles at its
 * release, before anything is visible: waiting on it would wake others too
 * soon. Outside any transaction, nothing is called.
 */
export function afterCommit(trx: Knex | Knex.Transaction, then: () => void): void {
  let current = trx as Nested;
  while (current.parentTransaction) current = current.parentTransaction;
  // A rollback rejects the promise; that is knex's to report, not ours.
  current.executionPromise?.then(then, () => undefined);
}
