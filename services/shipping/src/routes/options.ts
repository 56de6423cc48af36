/** Shipping options: shoppers get quotes for a destination, cheapest first; admins create, edit and archive. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateOptionSchema,
  IdParams,
  OptionListQuery,
  OptionPageSchema,
  OptionSchema,
  QuoteListSchema,
  QuoteQuery,
  UpdateOptionSchema,
  VersionOnlySchema,
} from '../schemas/shipping.ts';
import type { ShippingDeps } from '../use-cases/deps.ts';
import { archiveOption, createOption, getOption, quoteOptions, updateOption } from '../use-cases/manage-options.ts';
import { expectedVersion, setEtag } from './preconditions.ts';

export const optionRoutes: FastifyPluginAsyncTypebox<{ deps: ShippingDeps }> = async (app, { deps }) => {
  const tags = ['shipping: options'];
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/shipping-options',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Shipping options for a destination and cart, priced, cheapest first',
        description: 'Only options that ship to the country, in the cart’s currency, for its subtotal and weight.',
        querystring: QuoteQuery,
        response: { 200: QuoteListSchema },
      },
    },
    async (request) => {
      const { country, currency, subtotal, weightGrams } = request.query;
      return { data: await quoteOptions(deps, { country }, { currency, subtotal, weightGrams: weightGrams ?? 0 }) };
    },
  );

  app.get(
    '/v1/admin/shipping-options',
    { config: admin, schema: { tags, summary: 'Every shipping option, oldest first', querystring: OptionListQuery, response: { 200: OptionPageSchema } } },
    async (request) => deps.options.list({ ...request.query, limit: request.query.limit ?? 20 }),
  );

  app.get(
    '/v1/admin/shipping-options/:id',
    { config: admin, schema: { tags, summary: 'A shipping option with its ETag', params: IdParams, response: { 200: OptionSchema } } },
    async (request, reply) => {
      const option = await getOption(deps, request.params.id);
      setEtag(reply, option.version);
      return option;
    },
  );

  app.post(
    '/v1/shipping-options',
    { config: admin, schema: { tags, summary: 'Offer a shipping option', body: CreateOptionSchema, response: { 201: OptionSchema } } },
    async (request, reply) => {
      const option = await createOption(deps, request.body);
      setEtag(reply, option.version);
      return reply.code(201).header('location', `/v1/admin/shipping-options/${option.id}`).send(option);
    },
  );

  app.patch(
    '/v1/shipping-options/:id',
    { config: admin, schema: { tags, summary: 'Edit a shipping option (If-Match or version required)', params: IdParams, body: UpdateOptionSchema, response: { 200: OptionSchema } } },
    async (request, reply) => {
      const { version, ...patch } = request.body;
      const option = await updateOption(deps, request.params.id, expectedVersion(request, version), patch);
      setEtag(reply, option.version);
      return option;
    },
  );

  app.post(
    '/v1/shipping-options/:id/archive',
    {
      config: admin,
      schema: { tags, summary: 'Stop offering a shipping option (If-Match or version required)', params: IdParams, body: VersionOnlySchema, response: { 200: OptionSchema } },
    },
    async (request, reply) => {
      const option = await archiveOption(deps, request.params.id, expectedVersion(request, request.body?.version));
      setEtag(reply, option.version);
      return option;
    },
  );
};
