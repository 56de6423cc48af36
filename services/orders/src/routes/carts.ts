/** Carts for guests and customers. A guest cart's id is its key; a customer's cart answers only to them. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrdersError } from '../domain/errors.ts';
import { AddLineSchema, CartLineParams, CartParams, CartViewSchema, SetQuantitySchema, SetShippingSchema } from '../schemas/orders.ts';
import type { OrdersDeps } from '../use-cases/deps.ts';
import { addLine, createCart, getCart, mergeCart, myCart, setCartShipping, setLineQuantity } from '../use-cases/manage-cart.ts';

export const cartRoutes: FastifyPluginAsyncTypebox<{ deps: OrdersDeps }> = async (app, { deps }) => {
  const tags = ['carts'];
  const open = { auth: 'public' as const };

  app.post('/v1/carts', { config: open, schema: { tags, summary: 'Start a cart (owned by you when signed in)', response: { 201: CartViewSchema } } }, async (request, reply) =>
    reply.code(201).send(await createCart(deps, request.principal)),
  );

  app.get('/v1/carts/mine', { config: { auth: 'customer' }, schema: { tags, summary: 'Your active cart', response: { 200: CartViewSchema } } }, async (request) => {
    const cart = await myCart(deps, request.principal);
    if (!cart) throw OrdersError.cartNotFound('mine');
    return cart;
  });

  app.get('/v1/carts/:id', { config: open, schema: { tags, summary: 'A cart with prices and totals', params: CartParams, response: { 200: CartViewSchema } } }, async (request) =>
    getCart(deps, request.params.id, request.principal),
  );

  app.post(
    '/v1/carts/:id/lines',
    { config: open, schema: { tags, summary: 'Add a variant (by id or SKU)', params: CartParams, body: AddLineSchema, response: { 200: CartViewSchema } } },
    async (request) => addLine(deps, request.params.id, request.principal, request.body),
  );

  app.patch(
    '/v1/carts/:id/lines/:lineId',
    { config: open, schema: { tags, summary: 'Change a quantity (0 removes the line)', params: CartLineParams, body: SetQuantitySchema, response: { 200: CartViewSchema } } },
    async (request) => setLineQuantity(deps, request.params.id, request.principal, request.params.lineId, request.body.quantity),
  );

  app.delete(
    '/v1/carts/:id/lines/:lineId',
    { config: open, schema: { tags, summary: 'Remove a line', params: CartLineParams, response: { 200: CartViewSchema } } },
    async (request) => setLineQuantity(deps, request.params.id, request.principal, request.params.lineId, 0),
  );

  app.put(
    '/v1/carts/:id/shipping',
    {
      config: open,
      schema: {
        tags,
        summary: 'Set where the cart ships and, optionally, the shipping option (default: the cheapest that applies)',
        params: CartParams,
        body: SetShippingSchema,
        response: { 200: CartViewSchema },
      },
    },
    async (request) => setCartShipping(deps, request.params.id, request.principal, request.body),
  );

  app.post(
    '/v1/carts/:id/merge',
    { config: { auth: 'customer' }, schema: { tags, summary: 'After sign-in: move a guest cart’s lines into your cart', params: CartParams, response: { 200: CartViewSchema } } },
    async (request) => mergeCart(deps, request.params.id, request.principal),
  );
};
