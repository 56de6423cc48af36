/**
 * Polls the durable deadline schedule. The schedule is the data (one row per
 * group in `group_commerce.deadlines`), so a deadline that fell due while no
 * process was running fires at the next start, and several processes polling
 * at once share the work without firing one twice.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { GroupDeps } from '../use-cases/deps.ts';
import { fireDueDeadlines } from '../use-cases/settle-group.ts';

export interface DeadlinePoller {
  stop(): Promise<void>;
}

export function startDeadlinePoller(deps: GroupDeps, intervalMs: number, log: FastifyBaseLogger): DeadlinePoller {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return; // one run at a time in this process
    running = fireDueDeadlines(deps)
      .then((fired) => {
        if (fired > 0) log.info({ fired }, 'group deadlines fired');
      })
      .catch((error: unknown) => log.error({ err: error }, 'group deadline poll failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
