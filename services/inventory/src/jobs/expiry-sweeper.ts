/**
 * The periodic expiry sweep of one process. Every process running inventory
 * runs one; they never release a reservation twice (see the use case), so
 * more processes only means expired stock comes back sooner.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { InventoryDeps } from '../use-cases/deps.ts';
import { sweepExpiredReservations } from '../use-cases/finish-reservation.ts';

export interface ExpirySweeper {
  /** Runs one sweep now (what the timer does). */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
}

export function startExpirySweeper(deps: InventoryDeps, intervalMs: number, log: FastifyBaseLogger): ExpirySweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const runOnce = (): Promise<number> => {
    running ??= sweepExpiredReservations(deps)
      .then(({ released }) => {
        if (released > 0) log.info({ released }, 'released expired reservations');
        return released;
      })
      .catch((error: unknown) => {
        // The next run tries again; nothing was half-done (each batch is one transaction).
        log.error({ err: error }, 'expiry sweep failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().finally(schedule), intervalMs);
    // The sweep never keeps a process alive on its own.
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
