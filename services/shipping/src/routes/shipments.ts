/** Shipments: admins list, inspect, pack, ship and deliver; customers follow their own. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  MyShipmentsQuery,
  OrderIdParams,
  ShipResultSchema,
  ShipSchema,
  ShipmentListQuery,
  ShipmentListSchema,
  ShipmentPageSchema,
  ShipmentSchema,
} from '../schemas/shipping.ts';
import type { ShippingDeps } from '../use-cases/deps.ts';
import { deliverShipment, getShipment, packShipment, shipShipment, shipmentsOfOrder } from '../use-cases/manage-shipments.ts';

export const shipmentRoutes: FastifyPluginAsyncTypebox<{ deps: ShippingDeps }> = async (app, { deps }) => {
  const tags = ['shipping: shipments'];
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/shipments',
    { config: admin, schema: { tags, summary: 'Shipments, newest first, with filters', querystring: ShipmentListQuery, response: { 200: ShipmentPageSchema } } },
    async (request) => deps.shipments.list({ ...request.query, limit: request.query.limit ?? 20 }),
  );

  app.get(
    '/v1/shipments/mine',
    { config: { auth: 'customer' }, schema: { tags, summary: 'Your shipments with their tracking, newest first', querystring: MyShipmentsQuery, response: { 200: ShipmentPageSchema } } },
    async (request) => {
      const principal = request.principal;
      return deps.shipments.list({ ...request.query, limit: request.query.limit ?? 20, customerId: principal.type === 'user' ? principal.id : '-' });
    },
  );

  app.get(
    '/v1/shipments/by-order/:orderId',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'The shipments and tracking of an order (yours, or a guest order by its id)', params: OrderIdParams, response: { 200: ShipmentListSchema } },
    },
    async (request) => shipmentsOfOrder(deps, request.params.orderId, request.principal),
  );

  app.get(
    '/v1/shipments/:id',
    { config: { auth: 'customer' }, schema: { tags, summary: 'A shipment (yours, or any as an admin)', params: IdParams, response: { 200: ShipmentSchema } } },
    async (request) => getShipment(deps, request.params.id, request.principal),
  );

  app.post(
    '/v1/shipments/:id/pack',
    { config: admin, schema: { tags, summary: 'Mark a pending shipment packed', params: IdParams, response: { 200: ShipmentSchema } } },
    async (request) => packShipment(deps, request.params.id),
  );

  app.post(
    '/v1/shipments/:id/ship',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Hand a shipment (or some of its lines) to a carrier with a tracking number',
        description: 'With `lines`, only those ship; the rest becomes a new pending shipment, returned as `remainder`.',
        params: IdParams,
        body: ShipSchema,
        response: { 200: ShipResultSchema },
      },
    },
    async (request) => {
      const { shipment, remainder } = await shipShipment(deps, request.params.id, request.body);
      return { ...shipment, remainder };
    },
  );

  app.post(
    '/v1/shipments/:id/deliver',
    { config: admin, schema: { tags, summary: 'Mark a shipped shipment delivered', params: IdParams, response: { 200: ShipmentSchema } } },
    async (request) => deliverShipment(deps, request.params.id),
  );
};
