/**
 * Operations endpoints at the root of every process: /health (liveness: the
 * event loop answers), /startup (start-up work finished), /ready (every
 * readiness check passes: database reachable, migrations applied, broker up),
 * /info (what is running). They stay answerable during maintenance.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type ReadinessCheck = () => Promise<void>;

export interface BuildInfo {
  service: string;
  version: string;
  commit: string;
  builtAt: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: {
      add(name: string, check: ReadinessCheck): void;
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

export const healthPlugin = fp<{ info: BuildInfo }>(
  async (app: FastifyInstance, { info }) => {
    const checks = new Map<string, ReadinessCheck>();
    let started = false;
    app.decorate('readiness', {
      add(name: string, check: ReadinessCheck) {
        checks.set(name, check);
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
      const results: Record<string, { status: 'up' | 'down'; error?: string }> = {};
      await Promise.all(
        [...checks].map(async ([name, check]) => {
          try {
            await withTimeout(check);
            results[name] = { status: 'up' };
          } catch (error) {
            results[name] = { status: 'down', error: (error as Error).message };
          }
        }),
      );
      const ready = started && Object.values(results).every((r) => r.status === 'up');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', started, checks: results });
    });

    app.get('/info', hidden, async () => info);
  },
  { name: 'fusion-health' },
);
