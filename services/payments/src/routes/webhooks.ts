/**
 * Stripe's webhook endpoint. Public (Stripe has no token of ours), so the
 * signature is the authentication: the raw body is checked against
 * STRIPE_WEBHOOK_SECRET before anything is parsed or applied.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PaymentsError } from '../domain/errors.ts';
import { snapshotOfEvent } from '../providers/stripe-webhooks.ts';
import { WebhookAckSchema } from '../schemas/payments.ts';
import type { PaymentsDeps } from '../use-cases/deps.ts';
import { handleProviderEvent } from '../use-cases/handle-provider-event.ts';

export const webhookRoutes: FastifyPluginAsyncTypebox<{ deps: PaymentsDeps }> = async (app, { deps }) => {
  // The signature covers the exact bytes Stripe sent: keep them, parse nothing (this plugin's scope only).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/payments/webhooks/stripe',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['webhooks'],
        summary: 'Stripe events (signed with STRIPE_WEBHOOK_SECRET); each event id is applied once',
        response: { 200: WebhookAckSchema },
      },
    },
    async (request) => {
      if (!deps.stripeWebhooks) throw PaymentsError.webhooksNotConfigured();
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      const event = deps.stripeWebhooks(raw, typeof signature === 'string' ? signature : undefined);
      const result = await handleProviderEvent(deps, { id: event.id, provider: 'stripe', type: event.type, target: snapshotOfEvent(event) });
      request.log.info({ stripeEvent: event.id, type: event.type, ...result }, 'stripe webhook');
      return { received: true, duplicate: result.duplicate, outcome: result.outcome };
    },
  );
};
