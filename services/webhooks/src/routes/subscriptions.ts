/** Webhook subscriptions, for admins: subscribe a URL to event types, edit, delete, rotate its secret, send it a test event. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateSubscriptionSchema,
  DeliverySchema,
  IdParams,
  RotateSecretSchema,
  SubscriptionListQuery,
  SubscriptionPageSchema,
  SubscriptionSchema,
  SubscriptionWithSecretSchema,
  TestEventSchema,
  UpdateSubscriptionSchema,
} from '../schemas/webhooks.ts';
import type { WebhooksDeps } from '../use-cases/deps.ts';
import { sendTestEvent } from '../use-cases/manage-deliveries.ts';
import { createSubscription, deleteSubscription, getSubscription, rotateSecret, updateSubscription } from '../use-cases/manage-subscriptions.ts';
import { expectedVersion, ifMatchVersion, setEtag } from './preconditions.ts';

export const subscriptionRoutes: FastifyPluginAsyncTypebox<{ deps: WebhooksDeps }> = async (app, { deps }) => {
  const tags = ['webhooks: subscriptions'];
  const admin = { auth: 'admin' as const };
  const location = (id: string) => `/v1/webhook-subscriptions/${id}`;

  app.post(
    '/v1/webhook-subscriptions',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Subscribe a URL to event types',
        description: 'The answer holds the signing secret; it is shown this once (rotate it to get a new one).',
        body: CreateSubscriptionSchema,
        response: { 201: SubscriptionWithSecretSchema },
      },
    },
    async (request, reply) => {
      const subscription = await createSubscription(deps, request.body);
      setEtag(reply, subscription.version);
      return reply.code(201).header('location', location(subscription.id)).send(subscription);
    },
  );

  app.get(
    '/v1/webhook-subscriptions',
    { config: admin, schema: { tags, summary: 'Every subscription, newest first', querystring: SubscriptionListQuery, response: { 200: SubscriptionPageSchema } } },
    async (request) => deps.subscriptions.list({ ...request.query, limit: request.query.limit ?? 20 }),
  );

  app.get(
    '/v1/webhook-subscriptions/:id',
    { config: admin, schema: { tags, summary: 'A subscription with its ETag (never its secret)', params: IdParams, response: { 200: SubscriptionSchema } } },
    async (request, reply) => {
      const subscription = await getSubscription(deps, request.params.id);
      setEtag(reply, subscription.version);
      return subscription;
    },
  );

  app.patch(
    '/v1/webhook-subscriptions/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Edit a subscription: URL, event types, description, active (If-Match or version required)',
        params: IdParams,
        body: UpdateSubscriptionSchema,
        response: { 200: SubscriptionSchema },
      },
    },
    async (request, reply) => {
      const { version, ...patch } = request.body;
      const subscription = await updateSubscription(deps, request.params.id, expectedVersion(request, version), patch);
      setEtag(reply, subscription.version);
      return subscription;
    },
  );

  app.delete(
    '/v1/webhook-subscriptions/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Delete a subscription with its deliveries and their log (If-Match honoured)',
        description: 'To stop deliveries for a while instead, PATCH `"active": false`: deliveries then wait until it is active again.',
        params: IdParams,
      },
    },
    async (request, reply) => {
      await deleteSubscription(deps, request.params.id, ifMatchVersion(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/webhook-subscriptions/:id/rotate-secret',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Replace the signing secret; the new one is shown once',
        description: 'The old secret keeps signing next to the new one (two `v1,` signatures) for `keepPreviousSecretSeconds`, so the receiver can switch without losing deliveries.',
        params: IdParams,
        body: RotateSecretSchema,
        response: { 200: SubscriptionWithSecretSchema },
      },
    },
    async (request, reply) => {
      const subscription = await rotateSecret(deps, request.params.id, request.body?.keepPreviousSecretSeconds);
      setEtag(reply, subscription.version);
      return subscription;
    },
  );

  app.post(
    '/v1/webhook-subscriptions/:id/test',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Send a test event (`webhooks.test.sent`) to this subscription',
        description: 'Delivered, signed and retried like any other; follow it at the Location given.',
        params: IdParams,
        body: TestEventSchema,
        response: { 202: DeliverySchema },
      },
    },
    async (request, reply) => {
      const delivery = await sendTestEvent(deps, request.params.id, request.body?.message);
      return reply.code(202).header('location', `/v1/webhook-deliveries/${delivery.id}`).send(delivery);
    },
  );
};
