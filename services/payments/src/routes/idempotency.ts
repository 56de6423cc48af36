/**
 * The Idempotency-Key header, as the IETF draft describes it: the first
 * request with a key runs and its response is stored; the same key with the
 * same request gets that response again; the same key with a different request
 * is a 422; a duplicate that arrives while the first still runs waits for it
 * (and gets a 409 if it takes too long) — it never runs the work twice.
 * Keys are scoped to the caller (an account, or all anonymous callers).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from '@fusioncommerce/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PaymentsError } from '../domain/errors.ts';
import type { StoredResponse } from '../store/idempotency-store.ts';
import type { PaymentsDeps } from '../use-cases/deps.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** For POSTs whose body is all optional (capture, void, confirm): no body at all means `{}`. */
export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** Who the caller is, for the history and for scoping keys. */
export function actorOf(request: FastifyRequest): string {
  const p = request.principal;
  return p.type === 'user' ? `${p.role}:${p.id}` : 'anonymous';
}

/** JSON with sorted keys, so `{a, b}` and `{b, a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function fingerprintOf(request: FastifyRequest): string {
  const secret = request.headers['payment-client-secret'];
  return createHash('sha256')
    .update(canonical({ method: request.method, path: request.url.split('?')[0], body: request.body ?? null, secret: typeof secret === 'string' ? secret : null }))
    .digest('hex');
}

function send(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply {
  void reply.code(response.status).headers(response.headers);
  if (replayed) void reply.header('idempotent-replayed', 'true');
  if (response.status >= 400) void reply.type(PROBLEM_CONTENT_TYPE);
  return reply.send(response.body);
}

/**
 * Runs `work` at most once per key. `work` gets the request key (scope and
 * key) to tag what it records, so even a retry after a 5xx finds its own
 * earlier attempt. 4xx answers are stored like successes; 5xx answers are not,
 * so the retry runs again — and resumes rather than repeats.
 */
export async function idempotently(
  deps: PaymentsDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  required: boolean,
  work: (requestKey: string | null) => Promise<Reply>,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    if (required) throw PaymentsError.idempotencyKeyRequired();
    const response = await work(null);
    return send(reply, { headers: {}, ...response }, false);
  }
  if (typeof key !== 'string' || !KEY.test(key)) throw PaymentsError.idempotencyKeyInvalid();

  const scope = actorOf(request);
  const fingerprint = fingerprintOf(request);
  const deadline = Date.now() + deps.idempotencyWaitMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const claim = await deps.idempotency.claim(scope, key, fingerprint);
    if (claim.kind === 'claimed') break;
    if (claim.kind === 'replay') return send(reply, claim.response, true);
    if (claim.kind === 'mismatch') {
      return sendProblem(reply, toProblem(PaymentsError.idempotencyKeyReused(), request));
    }
    if (Date.now() >= deadline) {
      void reply.header('retry-after', '1');
      throw PaymentsError.idempotencyKeyInProgress();
    }
    await sleep(pause);
  }

  let response: StoredResponse;
  try {
    const done = await work(`${scope} ${key}`);
    response = { headers: {}, ...done };
  } catch (error) {
    const problem = toProblem(error, request);
    if (problem.status >= 500) {
      await deps.idempotency.release(scope, key);
      throw error;
    }
    response = { status: problem.status, body: problem, headers: {} };
  }
  await deps.idempotency.complete(scope, key, response);
  return send(reply, response, false);
}
