/**
 * Operations endpoints at the root of every process: /health (liveness: the
 * event loop answers), /startup (start-up work finished), /ready (every
 * readiness check passes: database reachable, migrations applied, broker up;
 * informational checks are listed without deciding), /info (what is running).
 * They stay answerable during maintenance.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessCheckOptions {
  /**
   * Listed at /ready but never makes the process unready: what it depends on
   * is someone else's to heal (the gateway's upstream services, each with its
   * own probes). Taking this process out of rotation would not help.
   */
  informational?: boolean;
  /**
   * Answers from a result this recent instead of checking again; probes that
   * arrive while a check runs share it. For checks that cost someone else
   * work (the gateway asking each upstream), so probes every few seconds from
   * every kubelet and load balancer do not multiply into the services.
   */
  maxAgeMs?: number;
}

interface Outcome {
  at: number;
  error?: Error;
}

export interface BuildInfo {
  service: string;
  version: string;
  commit: string;
  builtAt: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: {
      add(name: string, check: ReadinessCheck, options?: ReadinessCheckOptions): void;
      markStarted(): void;
      readonly started: boolean;
    };
  }
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: ReadinessCheck): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    check().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** `check` answered from its last outcome while that is younger than `maxAgeMs`, one run at a time. */
function reusing(check: ReadinessCheck, maxAgeMs: number): ReadinessCheck {
  let last: Outcome | undefined;
  let running: Promise<Outcome> | undefined;
  return async () => {
    if (!last || Date.now() - last.at >= maxAgeMs) {
      running ??= withTimeout(check).then(
        () => ({ at: Date.now() }),
        (error: unknown) => ({ at: Date.now(), error: error as Error }),
      );
      const outcome = await running;
      running = undefined;
      last = outcome;
    }
    if (last.error) throw last.error;
  };
}

export const healthPlugin = fp<{ info: BuildInfo }>(
  async (app: FastifyInstance, { info }) => {
    const checks = new Map<string, ReadinessCheck>();
    const informational = new Set<string>();
    let started = false;
    app.decorate('readiness', {
      add(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}) {
        checks.set(name, options.maxAgeMs ? reusing(check, options.maxAgeMs) : check);
        if (options.informational) informational.add(name);
        else informational.delete(name);
      },
      markStarted() {
        started = true;
      },
      get started() {
        return started;
      },
    });

    const hidden = { config: { auth: 'public' as const }, schema: { hide: true } };

    app.get('/health', hidden, async () => ({ status: 'ok' }));

    app.get('/startup', hidden, async (_request, reply) => {
      return reply.code(started ? 200 : 503).send({ status: started ? 'started' : 'starting' });
    });

    app.get('/ready', hidden, async (_request, reply) => {
      const results: Record<string, { status: 'up' | 'down'; error?: string; informational?: true }> = {};
      await Promise.all(
        [...checks].map(async ([name, check]) => {
          const flag = informational.has(name) ? { informational: true as const } : {};
          try {
            await withTimeout(check);
            results[name] = { status: 'up', ...flag };
          } catch (error) {
            results[name] = { status: 'down', error: (error as Error).message, ...flag };
          }
        }),
      );
      const ready = started && Object.entries(results).every(([name, r]) => r.status === 'up' || informational.has(name));
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', started, checks: results });
    });

    app.get('/info', hidden, async () => info);
  },
  { name: 'fusion-health' },
);
