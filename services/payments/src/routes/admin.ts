/**
 * What only admins (and the services acting for the shop, with an admin
 * token) may do: see every payment with its provider references and history,
 * capture, void and refund.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PaymentsError } from '../domain/errors.ts';
import {
  AdminListQuery,
  AdminPaymentDetailSchema,
  AdminPaymentPageSchema,
  AdminPaymentSchema,
  CaptureSchema,
  IdParams,
  IdempotencyHeaders,
  RefundSchema,
  VoidSchema,
} from '../schemas/payments.ts';
import type { PaymentsDeps } from '../use-cases/deps.ts';
import { runProviderOperation, type OperationRequest } from '../use-cases/run-provider-operation.ts';
import { actorOf, emptyBodyAsObject, idempotently } from './idempotency.ts';
import { adminPaymentDetail, adminPaymentView } from './views.ts';

export const adminRoutes: FastifyPluginAsyncTypebox<{ deps: PaymentsDeps }> = async (app, { deps }) => {
  const tags = ['admin'];
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/admin/payments',
    { config: admin, schema: { tags, summary: 'List payments, newest first', querystring: AdminListQuery, response: { 200: AdminPaymentPageSchema } } },
    async (request) => {
      const page = await deps.payments.list({ ...request.query, limit: request.query.limit ?? 20 });
      return { data: page.data.map(adminPaymentView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/admin/payments/:id',
    { config: admin, schema: { tags, summary: 'A payment with its provider calls and its full history', params: IdParams, response: { 200: AdminPaymentDetailSchema } } },
    async (request) => {
      const payment = await deps.payments.find(request.params.id);
      if (!payment) throw PaymentsError.paymentNotFound(request.params.id);
      const [attempts, transitions] = await Promise.all([deps.payments.attempts(payment.id), deps.payments.transitions(payment.id)]);
      return adminPaymentDetail(payment.state, attempts, transitions);
    },
  );

  const operate = (id: string, request: OperationRequest, actor: string, requestKey: string | null) =>
    runProviderOperation(deps, id, request, { actor, requestKey, access: { admin: true } }).then((p) => ({ status: 200, body: adminPaymentView(p.state) }));

  app.post(
    '/v1/payments/:id/capture',
    {
      config: admin,
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary: 'Capture all or part of an authorized payment (Idempotency-Key required)',
        description: 'A capture is final: capturing part of the authorization releases the rest.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CaptureSchema,
        response: { 200: AdminPaymentSchema },
      },
    },
    async (request, reply) =>
      idempotently(deps, request, reply, true, (key) => operate(request.params.id, { operation: 'capture', amount: request.body.amount }, actorOf(request), key)),
  );

  app.post(
    '/v1/payments/:id/void',
    {
      config: admin,
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary: 'Cancel a payment before capture and release its hold',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: VoidSchema,
        response: { 200: AdminPaymentSchema },
      },
    },
    async (request, reply) =>
      idempotently(deps, request, reply, false, (key) => operate(request.params.id, { operation: 'void', reason: request.body.reason ?? null }, actorOf(request), key)),
  );

  app.post(
    '/v1/payments/:id/refunds',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Refund all or part of the captured money, with a reason (Idempotency-Key required)',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: RefundSchema,
        response: { 200: AdminPaymentSchema },
      },
    },
    async (request, reply) =>
      idempotently(deps, request, reply, true, (key) =>
        operate(request.params.id, { operation: 'refund', amount: request.body.amount, reason: request.body.reason.trim() }, actorOf(request), key),
      ),
  );
};
