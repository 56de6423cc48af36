/** Checkout and orders: shoppers place and follow theirs; admins list, inspect, cancel and refund. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrdersError } from '../domain/errors.ts';
import { listOrders, timelineOf } from '../store/order-queries.ts';
import { summarizeOrders } from '../store/order-summary.ts';
import {
  AdminOrdersQuery,
  CheckoutSchema,
  IdempotencyHeaders,
  MyOrdersQuery,
  OrderDetailSchema,
  OrderPageSchema,
  OrderParams,
  OrderSummaryQuery,
  OrderSummarySchema,
  OrderViewSchema,
  RefundSchema,
} from '../schemas/orders.ts';
import { cancelOrder, getOrder, refundOrder } from '../use-cases/change-order.ts';
import { checkout } from '../use-cases/checkout.ts';
import type { OrdersDeps } from '../use-cases/deps.ts';

export const orderRoutes: FastifyPluginAsyncTypebox<{ deps: OrdersDeps }> = async (app, { deps }) => {
  const tags = ['orders'];

  app.post(
    '/v1/checkout',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Turn a cart into an order',
        description:
          'Requires Idempotency-Key. Waits a few seconds for the outcome: 201 with the order confirmed or cancelled (with its reason), or 202 with the pending order and a Location to poll.',
        headers: IdempotencyHeaders,
        body: CheckoutSchema,
        response: { 200: OrderViewSchema, 201: OrderViewSchema, 202: OrderViewSchema },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (!key) throw OrdersError.idempotencyKeyRequired();
      const { cartId, email, shippingAddress, payment } = request.body;
      if (!email && request.principal.type !== 'user') throw OrdersError.emailRequired();
      const { order, replayed } = await checkout(deps, { cartId, email, shippingAddress: shippingAddress as Record<string, string>, paymentMethod: payment.method }, request.principal, key);
      void reply.header('location', order.links.self);
      if (order.status === 'pending') return reply.code(202).header('retry-after', '1').send(order);
      return reply.code(replayed ? 200 : 201).send(order);
    },
  );

  app.get('/v1/orders', { config: { auth: 'customer' }, schema: { tags, summary: 'Your orders, newest first', querystring: MyOrdersQuery, response: { 200: OrderPageSchema } } }, async (request) => {
    const principal = request.principal;
    return listOrders(deps.knex, { ...request.query, limit: request.query.limit ?? 20, customerId: principal.type === 'user' ? principal.id : '-' });
  });

  app.get(
    '/v1/orders/:id',
    { config: { auth: 'public' }, schema: { tags, summary: 'An order (yours, or a guest order by its id)', params: OrderParams, response: { 200: OrderViewSchema } } },
    async (request) => getOrder(deps, request.params.id, request.principal),
  );

  app.post(
    '/v1/orders/:id/cancel',
    { config: { auth: 'customer' }, schema: { tags, summary: 'Cancel your order before it ships', params: OrderParams, response: { 200: OrderViewSchema } } },
    async (request) => cancelOrder(deps, request.params.id, request.principal),
  );

  app.get(
    '/v1/admin/orders',
    { config: { auth: 'admin' }, schema: { tags: ['admin'], summary: 'Orders with filters', querystring: AdminOrdersQuery, response: { 200: OrderPageSchema } } },
    async (request) => listOrders(deps.knex, { ...request.query, limit: request.query.limit ?? 20 }),
  );

  app.get(
    '/v1/admin/orders/summary',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Orders and revenue of the last days: per day, by status, top products',
        description: 'Computed over every order of the period, per currency; revenue is the total of orders not pending, cancelled or refunded, less refunds. Days are UTC.',
        querystring: OrderSummaryQuery,
        response: { 200: OrderSummarySchema },
      },
    },
    async (request) => summarizeOrders(deps.knex, request.query.days ?? 30, deps.now()),
  );

  app.get(
    '/v1/admin/orders/:id',
    { config: { auth: 'admin' }, schema: { tags: ['admin'], summary: 'An order with its full timeline', params: OrderParams, response: { 200: OrderDetailSchema } } },
    async (request) => ({ ...(await getOrder(deps, request.params.id, request.principal)), timeline: await timelineOf(deps.knex, request.params.id) }),
  );

  app.post(
    '/v1/admin/orders/:id/cancel',
    { config: { auth: 'admin' }, schema: { tags: ['admin'], summary: 'Cancel: voids or refunds the payment, releases or restocks', params: OrderParams, response: { 200: OrderViewSchema } } },
    async (request) => cancelOrder(deps, request.params.id, request.principal),
  );

  app.post(
    '/v1/admin/orders/:id/refund',
    { config: { auth: 'admin' }, schema: { tags: ['admin'], summary: 'Refund all or part of a paid order', params: OrderParams, body: RefundSchema, response: { 200: OrderViewSchema } } },
    async (request) => refundOrder(deps, request.params.id, request.principal, request.body.amount, request.body.reason),
  );
};
