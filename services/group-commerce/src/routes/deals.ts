/** Group deals: admins create and archive them; shoppers read live ones (the storefront's badge and tier ladder) and their open groups. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GroupError } from '../domain/errors.ts';
import { dealState, findDeal, listDeals } from '../store/deal-store.ts';
import { listGroups } from '../store/group-queries.ts';
import { CreateDealSchema, DealGroupsQuery, DealListQuery, DealPageSchema, DealSchema, GroupPageSchema, IdParams } from '../schemas/group-commerce.ts';
import type { GroupDeps } from '../use-cases/deps.ts';
import { archiveDeal, createDeal, getDeal, isAdmin } from '../use-cases/manage-deals.ts';

export const dealRoutes: FastifyPluginAsyncTypebox<{ deps: GroupDeps }> = async (app, { deps }) => {
  const tags = ['group buying'];

  app.post(
    '/v1/group-deals',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Create a group deal on a variant',
        description:
          'Tiers give the unit price from a number of members on (participants rising, prices falling; the first tier at or below minGroupSize). Members authorize the price at minGroupSize and are charged the final tier price.',
        body: CreateDealSchema,
        response: { 201: DealSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createDeal(deps, request.body)),
  );

  app.get(
    '/v1/group-deals',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'Live group deals, newest first (by variant or product), with live group counts', querystring: DealListQuery, response: { 200: DealPageSchema } },
    },
    async (request) => {
      const state = isAdmin(request.principal) ? (request.query.state ?? 'live') : 'live';
      return listDeals(deps.knex, { ...request.query, state, limit: request.query.limit ?? 20 }, deps.now());
    },
  );

  app.get(
    '/v1/group-deals/:id',
    { config: { auth: 'public' }, schema: { tags, summary: 'A group deal with its tier ladder', params: IdParams, response: { 200: DealSchema } } },
    async (request) => getDeal(deps, request.params.id, request.principal),
  );

  app.post(
    '/v1/group-deals/:id/archive',
    {
      config: { auth: 'admin' },
      schema: { tags, summary: 'Archive a deal: no new groups; open groups run to their deadlines', params: IdParams, response: { 200: DealSchema } },
    },
    async (request) => archiveDeal(deps, request.params.id),
  );

  app.get(
    '/v1/group-deals/:id/groups',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'A deal’s groups, newest first: open ones for shoppers to join, any for admins',
        params: IdParams,
        querystring: DealGroupsQuery,
        response: { 200: GroupPageSchema },
      },
    },
    async (request) => {
      const deal = await findDeal(deps.knex, request.params.id);
      const admin = isAdmin(request.principal);
      if (!deal || (!admin && dealState(deal, deps.now()) === 'archived')) throw GroupError.dealNotFound(request.params.id);
      const status = admin ? request.query.status : 'open';
      return listGroups(deps.knex, { dealId: deal.id, status, limit: request.query.limit ?? 20, cursor: request.query.cursor }, deps.settings.shareBaseUrl);
    },
  );
};
