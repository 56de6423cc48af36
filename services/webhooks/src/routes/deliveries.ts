/** The delivery log, for admins: a subscription's deliveries, one delivery with every attempt, and replay. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeliveryDetailSchema, DeliveryListQuery, DeliveryPageSchema, DeliverySchema, EmptySchema, IdParams } from '../schemas/webhooks.ts';
import type { WebhooksDeps } from '../use-cases/deps.ts';
import { getDelivery, listDeliveries, replayDelivery } from '../use-cases/manage-deliveries.ts';

export const deliveryRoutes: FastifyPluginAsyncTypebox<{ deps: WebhooksDeps }> = async (app, { deps }) => {
  const tags = ['webhooks: deliveries'];
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/webhook-subscriptions/:id/deliveries',
    {
      config: admin,
      schema: {
        tags,
        summary: 'A subscription’s deliveries, newest first: status, attempts, last answer and error, timings',
        params: IdParams,
        querystring: DeliveryListQuery,
        response: { 200: DeliveryPageSchema },
      },
    },
    async (request) => listDeliveries(deps, { ...request.query, subscriptionId: request.params.id, limit: request.query.limit ?? 20 }),
  );

  app.get(
    '/v1/webhook-deliveries/:id',
    { config: admin, schema: { tags, summary: 'A delivery with the event it carries and every attempt', params: IdParams, response: { 200: DeliveryDetailSchema } } },
    async (request) => getDelivery(deps, request.params.id),
  );

  app.post(
    '/v1/webhook-deliveries/:id/replay',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Send a failed (or delivered) delivery again, now, with a fresh round of attempts',
        params: IdParams,
        body: EmptySchema,
        response: { 202: DeliverySchema },
      },
    },
    async (request, reply) => {
      const delivery = await replayDelivery(deps, request.params.id);
      return reply.code(202).header('location', `/v1/webhook-deliveries/${delivery.id}`).send(delivery);
    },
  );
};
