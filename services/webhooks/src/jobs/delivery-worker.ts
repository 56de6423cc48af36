/**
 * The delivery loop of one process. The schedule is the data (due times in
 * `webhooks.deliveries`), so a delivery due while no process ran goes out at
 * the next start, and any number of processes share the work through
 * FOR UPDATE SKIP LOCKED without sending one delivery twice. Up to
 * `deliveryBatchSize` attempts run at once; a slow receiver holds one slot,
 * not the others. New work (an event recorded, a replay) wakes it at once.
 */
import type { FastifyBaseLogger } from 'fastify';
import { attemptDelivery, claimDueDeliveries, type AttemptObserver } from '../use-cases/deliver-webhooks.ts';
import type { WebhooksDeps } from '../use-cases/deps.ts';

export interface DeliveryWorker {
  /** Look for due deliveries now rather than at the next poll. */
  wake(): void;
  /** Stops claiming, cuts attempts in flight short (they are handed back, not counted) and waits for them. */
  stop(): Promise<void>;
}

/** How often finished deliveries older than the retention are cleared. */
const PURGE_EVERY_MS = 10 * 60_000;

export function startDeliveryWorker(deps: WebhooksDeps, log: FastifyBaseLogger, observer?: AttemptObserver): DeliveryWorker {
  const { deliveryPollMs: pollMs, deliveryBatchSize: slots } = deps.settings;
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let lastPurge = 0;

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const nap = () =>
    new Promise<void>((resolve) => {
      if (woken || stopping.signal.aborted) return resolve();
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

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
          wake();
        });
      inFlight.add(attempt);
    }
    return claimed.length === room;
  }

  async function purge(): Promise<void> {
    const now = deps.now().getTime();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    const purged = await deps.deliveries.purgeFinished(new Date(now - deps.settings.retentionDays * 86_400_000));
    if (purged > 0) log.info({ purged }, 'old webhook deliveries cleared from the log');
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      woken = false;
      let full = false;
      try {
        full = await fill();
        await purge();
      } catch (error) {
        log.error({ err: error }, 'webhook delivery poll failed');
      }
      if (!full) await nap();
    }
  })();

  return {
    wake,
    async stop() {
      stopping.abort();
      wakeUp?.();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
