/**
 * The delivery loop of one process. The schedule is the data (due times in
 * `webhooks.deliveries`), so a delivery due while no process ran goes out at
 * the next start, and any number of processes share the work through
 * FOR UPDATE SKIP LOCKED without sending one delivery twice. Up to
 * `deliveryBatchSize` attempts run at once; a slow receiver holds one slot,
 * not the others. New work (an event recorded, a replay) wakes it at once;
 * a database that does not answer is retried with backoff.
 */
import type { FastifyBaseLogger } from 'fastify';
import { Wakeup, backoffDelay } from '@fusioncommerce/platform';
import { attemptDelivery, claimDueDeliveries, type AttemptObserver } from '../use-cases/deliver-webhooks.ts';
import type { WebhooksDeps } from '../use-cases/deps.ts';

export interface DeliveryWorker {
  /** Look for due deliveries now rather than at the next poll. */
  wake(): void;
  /** Stops claiming, cuts attempts in flight short (they are handed back, not counted) and waits for them. */
  stop(): Promise<void>;
}

/** How often finished deliveries older than the retention are cleared, and how many go per statement. */
const PURGE_EVERY_MS = 10 * 60_000;
const PURGE_BATCH = 1000;
/** Longest wait between two polls while the database fails. */
const FAILING_POLL_MAX_MS = 30_000;

export function startDeliveryWorker(deps: WebhooksDeps, log: FastifyBaseLogger, observer?: AttemptObserver): DeliveryWorker {
  const { deliveryPollMs: pollMs, deliveryBatchSize: slots } = deps.settings;
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const wakeup = new Wakeup();
  let lastPurge = 0;

  /** Claims what fits in the free slots; true when it filled them (there may be more). */
  async function fill(): Promise<boolean> {
    const room = slots - inFlight.size;
    if (room <= 0) return false;
    const claimed = await claimDueDeliveries(deps, room);
    for (const claim of claimed) {
      const attempt = attemptDelivery(deps, claim, { signal: stopping.signal, observer })
        .catch((error: unknown) => log.error({ err: error, deliveryId: claim.id }, 'webhook delivery attempt could not be recorded; it is retried when its claim lapses'))
        .finally(() => {
          inFlight.delete(attempt);
          wakeup.wake();
        });
      inFlight.add(attempt);
    }
    return claimed.length === room;
  }

  /** Every PURGE_EVERY_MS, clears finished deliveries past the retention, a batch at a time until none is left. */
  async function purge(): Promise<void> {
    const now = deps.now().getTime();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    const before = new Date(now - deps.settings.retentionDays * 86_400_000);
    let purged = 0;
    for (;;) {
      const count = await deps.deliveries.purgeFinished(before, PURGE_BATCH);
      purged += count;
      if (count < PURGE_BATCH || stopping.signal.aborted) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (purged > 0) log.info({ purged }, 'old webhook deliveries cleared from the log');
  }

  const loop = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let full = false;
      try {
        full = await fill();
        await purge();
        failures = 0;
      } catch (error) {
        failures += 1;
        log.error({ err: error, attempt: failures }, 'webhook delivery poll failed');
      }
      if (full) continue;
      await wakeup.sleep(failures > 0 ? backoffDelay(failures, pollMs, Math.max(pollMs, FAILING_POLL_MAX_MS)) : pollMs);
    }
  })();

  return {
    wake: () => wakeup.wake(),
    async stop() {
      stopping.abort();
      wakeup.wake();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
