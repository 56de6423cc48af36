/**
 * What the checkout calls on behalf of a shopper, guests included: create a
 * payment for an order or a group participation, authorize it, finish an
 * extra authentication, look at it. These routes are public, but a payment
 * can only be seen or acted on with the client secret its creation returned
 * (or by an admin); without it, every payment is a 404. Nothing here lists
 * payments or finds them by order.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { PaymentsError } from '../domain/errors.ts';
import { AuthorizeSchema, ClientSecretHeaders, ConfirmSchema, CreatePaymentSchema, IdParams, IdempotencyHeaders, PaymentViewSchema } from '../schemas/payments.ts';
import { canAccess, type Access } from '../use-cases/access.ts';
import { createPayment } from '../use-cases/create-payment.ts';
import type { PaymentsDeps } from '../use-cases/deps.ts';
import { runProviderOperation } from '../use-cases/run-provider-operation.ts';
import { actorOf, emptyBodyAsObject, idempotently } from './idempotency.ts';
import { paymentView } from './views.ts';

export function accessOf(request: FastifyRequest): Access {
  const p = request.principal;
  if (p.type === 'user' && p.role === 'admin') return { admin: true };
  const secret = request.headers['payment-client-secret'];
  return { admin: false, clientSecret: typeof secret === 'string' ? secret : undefined };
}

export const checkoutRoutes: FastifyPluginAsyncTypebox<{ deps: PaymentsDeps }> = async (app, { deps }) => {
  const tags = ['payments'];
  const checkout = { auth: 'public' as const };

  app.post(
    '/v1/payments',
    {
      config: checkout,
      schema: {
        tags,
        summary: 'Create a payment for an order or a group participation (Idempotency-Key required)',
        description: 'Returns the payment with its clientSecret: the only way to authorize it or read it back without admin rights.',
        headers: IdempotencyHeaders,
        body: CreatePaymentSchema,
        response: { 201: PaymentViewSchema },
      },
    },
    async (request, reply) =>
      idempotently(deps, request, reply, true, async () => {
        const payment = await createPayment(deps, { reference: request.body.reference, amount: request.body.amount, actor: actorOf(request) });
        return { status: 201, body: paymentView(payment.state, { withSecret: true }), headers: { location: `/v1/payments/${payment.id}` } };
      }),
  );

  app.get(
    '/v1/payments/:id',
    {
      config: checkout,
      schema: { tags, summary: 'A payment, for whoever holds its client secret', headers: ClientSecretHeaders, params: IdParams, response: { 200: PaymentViewSchema } },
    },
    async (request) => {
      const payment = await deps.payments.find(request.params.id);
      if (!payment || !canAccess(payment, accessOf(request))) throw PaymentsError.paymentNotFound(request.params.id);
      return paymentView(payment.state);
    },
  );

  app.post(
    '/v1/payments/:id/authorize',
    {
      config: checkout,
      schema: {
        tags,
        summary: 'Authorize a payment with a payment method (Idempotency-Key required)',
        description:
          'Places a hold; nothing is charged until capture. The answer is the payment: authorized, failed (declined, with the reason), or requires_action (the shopper must authenticate, then call confirm).',
        headers: ClientSecretHeaders,
        params: IdParams,
        body: AuthorizeSchema,
        response: { 200: PaymentViewSchema },
      },
    },
    async (request, reply) =>
      idempotently(deps, request, reply, true, async (requestKey) => {
        const payment = await runProviderOperation(
          deps,
          request.params.id,
          { operation: 'authorize', paymentMethod: request.body.paymentMethod },
          { actor: actorOf(request), requestKey, access: accessOf(request) },
        );
        return { status: 200, body: paymentView(payment.state) };
      }),
  );

  app.post(
    '/v1/payments/:id/confirm',
    {
      config: checkout,
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary: 'After the shopper authenticated (3-D Secure), ask the provider how it went',
        headers: ClientSecretHeaders,
        params: IdParams,
        body: ConfirmSchema,
        response: { 200: PaymentViewSchema },
      },
    },
    async (request, reply) =>
      idempotently(deps, request, reply, false, async (requestKey) => {
        const payment = await runProviderOperation(deps, request.params.id, { operation: 'confirm' }, { actor: actorOf(request), requestKey, access: accessOf(request) });
        return { status: 200, body: paymentView(payment.state) };
      }),
  );
};
