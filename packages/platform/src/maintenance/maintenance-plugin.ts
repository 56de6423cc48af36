/**
 * Maintenance mode: while the flag file exists, every request but the
 * operations endpoints is answered 503 with `Retry-After` — a page for
 * browsers, a problem+json (`PLATFORM.MAINTENANCE`) for API clients — and
 * requests with a valid admin token pass, so operators can check a release
 * before opening the doors. The file is looked at every `pollMs` (a stat; it
 * is read only when it changed), so switching needs no restart, and the
 * readiness probe stays green: pods keep their traffic and shoppers see the
 * page instead of connection errors.
 */
import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { bearerToken } from '../auth/auth-plugin.ts';
import type { TokenService } from '../auth/tokens.ts';
import { problemType, sendProblem } from '../http/problem.ts';
import { DEFAULT_MAINTENANCE_POLL_MS, readMaintenanceFlag, type MaintenanceFlagState, type MaintenanceNotice } from './flag-file.ts';
import { MAINTENANCE_PAGE_CSP, maintenancePage } from './maintenance-page.ts';

export const MAINTENANCE_CODE = 'PLATFORM.MAINTENANCE';
/** Set on the responses an admin token let through, so the operator knows the doors are still closed. */
export const MAINTENANCE_BYPASS_HEADER = 'fusion-maintenance';

/** Probes, scrapes and build information: they answer as always (liveness, readiness and metrics must not change). */
const OPERATIONS_PATHS = new Set(['/health', '/ready', '/startup', '/metrics', '/info', '/v1/health']);

export interface MaintenanceOptions {
  /** The flag file (absolute path): present means on. */
  file: string;
  /** How often to look at it (default 1000 ms). */
  pollMs?: number;
}

export interface MaintenanceControl {
  readonly file: string;
  /** What the platform is answering with, or null while it serves normally. */
  readonly notice: MaintenanceNotice | null;
  /** Looks at the flag file now rather than at the next poll. */
  refresh(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Present when the app was created with maintenance options (the gateway). */
    maintenance?: MaintenanceControl;
  }
}

/** True when the client ranks HTML (a browser navigating) above JSON; API clients, `*\/*` and no Accept get JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, q);
    else if (type === 'application/json' || type === 'application/problem+json') json = Math.max(json, q);
  }
  return html > 0 && html >= json;
}

const pathOf = (url: string) => (url.split('?')[0] ?? '/').replace(/(.)\/+$/, '$1');

export const maintenancePlugin = fp<MaintenanceOptions & { tokens?: TokenService }>(
  async (app: FastifyInstance, options) => {
    const { file, tokens } = options;
    let notice: MaintenanceNotice | null = null;
    /** What the file looked like when last read (inode, size, times); undefined: absent. */
    let seen: string | undefined;
    let polled = false;
    let turnedAway: Counter | undefined;

    function apply(state: MaintenanceFlagState) {
      const before = notice;
      notice = state.on ? state.notice : null;
      if (state.on && state.problems.length > 0) {
        app.log.warn({ file, problems: state.problems }, `the maintenance flag ${file} is not valid (${state.problems.join('; ')}): maintenance mode is on, with defaults for what is wrong`);
      }
      // Warn, not info: production logs at warn, and switching the shop off and on is worth seeing there.
      if (!before && notice) {
        app.log.warn({ file, maintenance: notice }, `maintenance mode is ON: business requests get 503 (Retry-After ${notice.retryAfterSeconds} s) until ${file} is removed`);
      } else if (before && !notice) {
        app.log.warn({ file }, `maintenance mode is OFF: ${file} is gone, serving normally`);
      } else if (before && notice && (before.message !== notice.message || before.retryAfterSeconds !== notice.retryAfterSeconds)) {
        app.log.info({ file, maintenance: notice }, 'maintenance notice changed');
      }
    }

    async function look() {
      let signature: string | undefined;
      try {
        const s = await stat(file);
        signature = `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        signature = code === 'ENOENT' || code === 'ENOTDIR' ? undefined : `unreadable:${code}`;
      }
      if (polled && signature === seen) return;
      polled = true;
      seen = signature;
      apply(signature === undefined ? { on: false } : await readMaintenanceFlag(file));
    }

    // One look at a time: a slow disk never stacks polls, and refresh() waits for the one in flight.
    let looking: Promise<void> | undefined;
    const refresh = async (): Promise<void> => {
      while (looking) await looking;
      looking = look()
        .catch((error: unknown) => app.log.error({ err: error, file }, 'could not check the maintenance flag'))
        .finally(() => {
          looking = undefined;
        });
      return looking;
    };

    // Decided before the first request: a gateway started during maintenance never lets one through.
    await refresh();
    const timer = setInterval(() => {
      if (!looking) void refresh();
    }, options.pollMs ?? DEFAULT_MAINTENANCE_POLL_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    app.decorate('maintenance', {
      file,
      get notice() {
        return notice;
      },
      refresh,
    } satisfies MaintenanceControl);

    app.addHook('onReady', async () => {
      new Gauge({
        name: 'fusion_maintenance_mode',
        help: '1 while maintenance mode is on (business requests answered 503), else 0',
        registers: [app.metrics],
        collect() {
          this.set(notice ? 1 : 0);
        },
      });
      turnedAway = new Counter({
        name: 'fusion_maintenance_responses_total',
        help: 'Requests answered 503 by maintenance mode (kept out of http_request_duration_seconds)',
        registers: [app.metrics],
      });
    });

    async function isAdmin(request: FastifyRequest): Promise<boolean> {
      const token = bearerToken(request.headers.authorization);
      if (!token || !tokens) return false;
      try {
        const principal = await tokens.verify(token);
        return principal.type === 'user' && principal.role === 'admin';
      } catch {
        return false;
      }
    }

    function answer(request: FastifyRequest, reply: FastifyReply, current: MaintenanceNotice): FastifyReply {
      request.excludedFromHttpMetrics = true;
      turnedAway?.inc();
      void reply
        .code(503)
        .header('retry-after', String(current.retryAfterSeconds))
        .header('cache-control', 'no-store')
        .header('vary', 'Accept');
      if (prefersHtml(request.headers.accept)) {
        return reply.header('content-security-policy', MAINTENANCE_PAGE_CSP).type('text/html; charset=utf-8').send(maintenancePage(current));
      }
      return sendProblem(reply, {
        type: problemType(MAINTENANCE_CODE),
        title: 'Service Unavailable',
        status: 503,
        detail: current.message,
        instance: request.url,
        code: MAINTENANCE_CODE,
        requestId: request.id,
        retryAfterSeconds: current.retryAfterSeconds,
      });
    }

    // Registered before the auth plugin's hook: a closed shop answers 503, not 401, whatever the route's policy.
    app.addHook('onRequest', async (request, reply) => {
      const current = notice;
      if (!current || OPERATIONS_PATHS.has(pathOf(request.url))) return;
      if (await isAdmin(request)) {
        void reply.header(MAINTENANCE_BYPASS_HEADER, 'bypassed');
        return;
      }
      return answer(request, reply, current);
    });
  },
  { name: 'fusion-maintenance' },
);
