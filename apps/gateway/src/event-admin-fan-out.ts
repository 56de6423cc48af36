/**
 * The event operator routes (`/v1/admin/events`, `/v1/admin/dead-letters`)
 * through the proxying gateway. Every service process answers them for its
 * own outbox and consumers; the gateway answers for all of them, as the
 * embedded gateway does for the services it mounts:
 *
 * - a list with `?service=` (events) or `?consumer=` (dead letters) naming a
 *   service goes to that service alone, its answer unchanged;
 * - any other list goes to every service with the same query and cursor, and
 *   their pages are merged newest first (ids are UUIDv7, one cursor serves
 *   them all). A service that does not answer fails the list with its 502/504
 *   rather than leaving its events out unnoticed; name another with
 *   `?service=` to read that one meanwhile;
 * - one dead letter is looked for in every service, and its replay is sent to
 *   the service that holds it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_EVENT_LIST_LIMIT, mergeNewestFirst, type Page } from '@fusioncommerce/platform';
import { PROXIED_SERVICES } from './route-ownership.ts';
import { jsonOf, type UpstreamAnswer, type UpstreamClient } from './upstream-client.ts';
import type { Forward } from './upstream-proxy.ts';

/** Sends an upstream's answer on as it came: status, content type and body. */
function passOn(reply: FastifyReply, answer: UpstreamAnswer): FastifyReply {
  if (answer.contentType) void reply.type(answer.contentType);
  return reply.code(answer.status).send(answer.body);
}

const ok = (answer: UpstreamAnswer) => answer.status >= 200 && answer.status < 300;

/** Every answer, or the first failure to get one (a 502/504 AppError). */
async function askEach(client: UpstreamClient, services: string[], path: string, request: FastifyRequest): Promise<UpstreamAnswer[]> {
  const settled = await Promise.allSettled(services.map((service) => client.request(service, path, { on: request })));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<UpstreamAnswer>).value);
}

export async function eventAdminFanOut(app: FastifyInstance, options: { client: UpstreamClient; forward: Forward }): Promise<void> {
  const { client, forward } = options;
  // The same policy as on every service (they check again): a shopper gets the gateway's 401/403, not eight.
  const route = { config: { auth: 'admin' as const }, schema: { hide: true } };

  const mergedList = (filter: 'service' | 'consumer') => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const only = query.get(filter);
    if (only !== null && PROXIED_SERVICES.includes(only)) return forward(only, request, reply);
    const answers = await askEach(client, client.services, request.url, request);
    // A refused query (a bad limit, a tampered cursor) is refused alike by each: pass the first refusal on.
    const refused = answers.find((a) => !ok(a));
    if (refused) return passOn(reply, refused);
    const pages = answers.map((a) => jsonOf<Page<{ id: string }>>(a) ?? { data: [], nextCursor: null });
    const limit = Number(query.get('limit') ?? DEFAULT_EVENT_LIST_LIMIT);
    return reply.send(mergeNewestFirst(pages, Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_EVENT_LIST_LIMIT));
  };

  app.get('/v1/admin/events', route, mergedList('service'));
  app.get('/v1/admin/dead-letters', route, mergedList('consumer'));

  /**
   * The answer of the service holding this dead letter, or the answer that
   * says nobody does. A service that is down fails the lookup only when no
   * other holds the letter: it might be the one that does.
   */
  async function locate(request: FastifyRequest, id: string): Promise<{ holder?: UpstreamAnswer; answer: UpstreamAnswer }> {
    const path = `/v1/admin/dead-letters/${encodeURIComponent(id)}`;
    const settled = await Promise.allSettled(client.services.map((service) => client.request(service, path, { on: request })));
    const answers = settled.filter((s): s is PromiseFulfilledResult<UpstreamAnswer> => s.status === 'fulfilled').map((s) => s.value);
    const holder = answers.find(ok);
    if (holder) return { holder, answer: holder };
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    // Not found anywhere is every service's 404; a malformed id is every service's 400.
    return { answer: answers.find((a) => a.status !== 404) ?? (answers[0] as UpstreamAnswer) };
  }

  app.get('/v1/admin/dead-letters/:id', route, async (request, reply) => {
    const { answer } = await locate(request, (request.params as { id: string }).id);
    return passOn(reply, answer);
  });

  app.post('/v1/admin/dead-letters/:id/replay', route, async (request, reply) => {
    const { holder, answer } = await locate(request, (request.params as { id: string }).id);
    if (!holder) return passOn(reply, answer);
    return forward(holder.service, request, reply);
  });
}
