/**
 * Reservations, for the checkout and group buying. These are called by the
 * orders service (server to server, with a service token carrying the admin
 * role) and by staff — never by shoppers directly: a shopper who could hold
 * stock could hold all of it. See docs/inventory.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InventoryError } from '../domain/errors.ts';
import { IdParams, ReferenceParams, ReservationListQuery, ReservationPageSchema, ReservationSchema, ReserveSchema, RestockSchema } from '../schemas/inventory.ts';
import type { InventoryDeps } from '../use-cases/deps.ts';
import { commitReservation, releaseReservation, restockReservation } from '../use-cases/finish-reservation.ts';
import { reserveStock } from '../use-cases/reserve-stock.ts';
import { reservationView } from '../store/reservation-store.ts';
import { actorOf } from './admin-stock.ts';

export const reservationRoutes: FastifyPluginAsyncTypebox<{ deps: InventoryDeps }> = async (app, { deps }) => {
  const trusted = { auth: 'admin' as const };
  const tags = ['inventory: reservations'];

  app.post(
    '/v1/inventory/reservations',
    {
      config: trusted,
      schema: {
        tags,
        summary: 'Reserve stock for a reference, all lines or none',
        description:
          'Idempotent by reference: the same reference and lines return the existing reservation (200) in whatever state it is; other lines are a 409. ' +
          'Out of stock is a 409 INVENTORY.INSUFFICIENT_STOCK naming the short SKUs; nothing is held.',
        body: ReserveSchema,
        response: { 201: ReservationSchema, 200: ReservationSchema },
      },
    },
    async (request, reply) => {
      const result = await reserveStock(deps, request.body, actorOf(request));
      if (result.outcome === 'insufficient_stock') throw InventoryError.insufficientStock(result.shortages);
      const { reservation } = result;
      void reply.header('location', `/v1/inventory/reservations/${reservation.id}`);
      return reply.code(result.created ? 201 : 200).send(reservation);
    },
  );

  app.get(
    '/v1/inventory/reservations',
    { config: trusted, schema: { tags, summary: 'List reservations, newest first', querystring: ReservationListQuery, response: { 200: ReservationPageSchema } } },
    async (request) => {
      const { limit, ...filter } = request.query;
      return deps.queries.reservations({ ...filter, limit: limit ?? 20 });
    },
  );

  app.get(
    '/v1/inventory/reservations/:id',
    { config: trusted, schema: { tags, summary: 'A reservation', params: IdParams, response: { 200: ReservationSchema } } },
    async (request) => {
      const row = await deps.reservations.byId(request.params.id);
      if (!row) throw InventoryError.reservationNotFound(request.params.id);
      return reservationView(row, await deps.reservations.lines([row.id]));
    },
  );

  app.get(
    '/v1/inventory/reservations/by-reference/:kind/:id',
    { config: trusted, schema: { tags, summary: "A reference's reservation", params: ReferenceParams, response: { 200: ReservationSchema } } },
    async (request) => {
      const row = await deps.reservations.byReference(request.params);
      if (!row) throw InventoryError.reservationNotFound(`${request.params.kind}:${request.params.id}`);
      return reservationView(row, await deps.reservations.lines([row.id]));
    },
  );

  app.post(
    '/v1/inventory/reservations/by-reference/:kind/:id/commit',
    {
      config: trusted,
      schema: {
        tags,
        summary: 'Commit (sell) a reservation: on hand and reserved go down',
        description: 'Committing again is a no-op that returns the reservation; a released reservation is a 409 with its currentState.',
        params: ReferenceParams,
        response: { 200: ReservationSchema },
      },
    },
    async (request) => (await commitReservation(deps, request.params, actorOf(request))).reservation,
  );

  app.post(
    '/v1/inventory/reservations/by-reference/:kind/:id/release',
    {
      config: trusted,
      schema: {
        tags,
        summary: 'Release a reservation: the stock becomes available again',
        description: 'Releasing again (or after it expired) is a no-op that returns the reservation; a committed reservation is a 409 with its currentState.',
        params: ReferenceParams,
        response: { 200: ReservationSchema },
      },
    },
    async (request) => (await releaseReservation(deps, request.params, actorOf(request))).reservation,
  );

  app.post(
    '/v1/inventory/reservations/by-reference/:kind/:id/restock',
    {
      config: trusted,
      // The body is optional: none at all means no reason given.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        summary: 'Put a sold reservation back on hand (an order cancelled or returned after it was committed)',
        description:
          'Each unit goes back to the location it left (the default one if that was archived), logged as a receipt. Restocking again is a no-op; ' +
          'a reservation that was never sold is a 409 (release it instead).',
        params: ReferenceParams,
        body: RestockSchema,
        response: { 200: ReservationSchema },
      },
    },
    async (request) => (await restockReservation(deps, request.params, actorOf(request), request.body.reason)).reservation,
  );
};
