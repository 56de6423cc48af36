/**
 * Groups: signed-in shoppers start one or join one by its share code, follow
 * and leave their own participations; anyone can look a group up by its share
 * code; admins list them all. Guests cannot take a seat: the per-customer
 * limit, "your participations" and the order made on success need an account.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GroupError } from '../domain/errors.ts';
import { findGroup, findGroupByCode, findParticipationRow } from '../store/group-store.ts';
import { groupViewOf, listGroups, listParticipations, participationViewOf } from '../store/group-queries.ts';
import {
  GroupListQuery,
  GroupPageSchema,
  GroupSchema,
  IdempotencyHeaders,
  IdParams,
  JoinGroupSchema,
  ParticipationListQuery,
  ParticipationPageSchema,
  ParticipationSchema,
  SeatResultSchema,
  ShareCodeParams,
  StartGroupSchema,
} from '../schemas/group-commerce.ts';
import type { GroupDeps } from '../use-cases/deps.ts';
import { joinGroup, leaveGroup, startGroup, type SeatResult } from '../use-cases/join-group.ts';
import { isAdmin } from '../use-cases/manage-deals.ts';
import type { Principal } from '@fusioncommerce/platform';

export const groupRoutes: FastifyPluginAsyncTypebox<{ deps: GroupDeps }> = async (app, { deps }) => {
  const tags = ['group buying'];
  const base = deps.settings.shareBaseUrl;

  const seatAnswer = async (result: SeatResult) => {
    const group = await findGroup(deps.knex, result.groupId);
    const row = await findParticipationRow(deps.knex, result.participationId);
    if (!group || !row) throw GroupError.participationNotFound(result.participationId);
    return { group: await groupViewOf(deps.knex, group, base), participation: await participationViewOf(deps.knex, row) };
  };

  const ownParticipation = async (id: string, principal: Principal) => {
    const row = await findParticipationRow(deps.knex, id);
    if (!row || (!isAdmin(principal) && (principal.type !== 'user' || row.customer_id !== principal.id))) throw GroupError.participationNotFound(id);
    return row;
  };

  app.post(
    '/v1/groups',
    {
      config: { auth: 'customer' },
      schema: {
        tags,
        summary: 'Start a group on a live deal (and take its first seat)',
        description:
          'Answers with the group (its share code and link) and your participation, `pending` until stock is held and payment authorized (then `active`). Optional Idempotency-Key: a retry answers with the first result.',
        headers: IdempotencyHeaders,
        body: StartGroupSchema,
        response: { 201: SeatResultSchema, 200: SeatResultSchema },
      },
    },
    async (request, reply) => {
      const { dealId, quantity, shippingAddress, payment } = request.body;
      const result = await startGroup(deps, dealId, request.principal, {
        quantity: quantity ?? 1,
        paymentMethod: payment.method,
        shippingAddress: shippingAddress as Record<string, string>,
        idempotencyKey: request.headers['idempotency-key'] ?? null,
      });
      return reply.code(result.replayed ? 200 : 201).send(await seatAnswer(result));
    },
  );

  app.get(
    '/v1/groups',
    { config: { auth: 'admin' }, schema: { tags: ['admin'], summary: 'Groups, newest first', querystring: GroupListQuery, response: { 200: GroupPageSchema } } },
    async (request) => listGroups(deps.knex, { ...request.query, limit: request.query.limit ?? 20 }, base),
  );

  app.get(
    '/v1/groups/participations',
    {
      config: { auth: 'customer' },
      schema: { tags, summary: 'Your participations in groups, newest first', querystring: ParticipationListQuery, response: { 200: ParticipationPageSchema } },
    },
    async (request) => {
      const principal = request.principal;
      return listParticipations(deps.knex, { ...request.query, limit: request.query.limit ?? 20, customerId: principal.type === 'user' ? principal.id : '-' });
    },
  );

  app.get(
    '/v1/groups/participations/:id',
    { config: { auth: 'customer' }, schema: { tags, summary: 'One of your participations', params: IdParams, response: { 200: ParticipationSchema } } },
    async (request) => participationViewOf(deps.knex, await ownParticipation(request.params.id, request.principal)),
  );

  app.post(
    '/v1/groups/participations/:id/leave',
    {
      config: { auth: 'customer' },
      schema: {
        tags,
        summary: 'Leave a group before its deadline: the seat is freed, stock released, the authorization voided',
        params: IdParams,
        response: { 200: ParticipationSchema },
      },
    },
    async (request) => {
      await ownParticipation(request.params.id, request.principal);
      await leaveGroup(deps, request.params.id, request.principal);
      return participationViewOf(deps.knex, await ownParticipation(request.params.id, request.principal));
    },
  );

  app.get(
    '/v1/groups/:code',
    { config: { auth: 'public' }, schema: { tags, summary: 'A group by its share code: members, tier reached, deadline', params: ShareCodeParams, response: { 200: GroupSchema } } },
    async (request) => {
      const group = await findGroupByCode(deps.knex, request.params.code);
      if (!group) throw GroupError.groupNotFound(request.params.code);
      return groupViewOf(deps.knex, group, base);
    },
  );

  app.post(
    '/v1/groups/:code/join',
    {
      config: { auth: 'customer' },
      schema: {
        tags,
        summary: 'Join an open group by its share code',
        description:
          'Takes a seat (409 when the group is full, closed, or you are in it already, or when the deal’s per-customer limit would be passed); stock is reserved and the price at the minimum group size authorized. Optional Idempotency-Key.',
        params: ShareCodeParams,
        headers: IdempotencyHeaders,
        body: JoinGroupSchema,
        response: { 201: SeatResultSchema, 200: SeatResultSchema },
      },
    },
    async (request, reply) => {
      const { quantity, shippingAddress, payment } = request.body;
      const result = await joinGroup(deps, request.params.code, request.principal, {
        quantity: quantity ?? 1,
        paymentMethod: payment.method,
        shippingAddress: shippingAddress as Record<string, string>,
        idempotencyKey: request.headers['idempotency-key'] ?? null,
      });
      return reply.code(result.replayed ? 200 : 201).send(await seatAnswer(result));
    },
  );
};
