/** What merchants do with stock: locations, tracked SKUs, levels, receipts, adjustments, the movement log. Admin only. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { InventoryError } from '../domain/errors.ts';
import {
  AdjustmentSchema,
  IdParams,
  ItemDetailSchema,
  ItemListQuery,
  ItemPageSchema,
  LevelChangeSchema,
  LevelListQuery,
  LevelPageSchema,
  LocationInputSchema,
  LocationListQuery,
  LocationListSchema,
  LocationPatchSchema,
  LocationSchema,
  MovementListQuery,
  MovementPageSchema,
  ReceiptSchema,
  RegisterItemSchema,
  SkuParams,
  ThresholdSchema,
} from '../schemas/inventory.ts';
import { locationView } from '../store/location-store.ts';
import { adjustStock, receiveStock } from '../use-cases/adjust-stock.ts';
import type { InventoryDeps } from '../use-cases/deps.ts';
import { getItem, registerSku, setThreshold } from '../use-cases/manage-items.ts';
import { archiveLocation, createLocation, getLocation, updateLocation } from '../use-cases/manage-locations.ts';

/** The principal's id, as the movement log records who did it. */
export function actorOf(request: FastifyRequest): string {
  return request.principal.type === 'user' ? request.principal.id : 'anonymous';
}

export const adminStockRoutes: FastifyPluginAsyncTypebox<{ deps: InventoryDeps }> = async (app, { deps }) => {
  const admin = { auth: 'admin' as const };
  const locations = ['inventory: locations'];
  const stock = ['inventory: stock'];

  app.get(
    '/v1/inventory/locations',
    { config: admin, schema: { tags: locations, summary: 'List stock locations', querystring: LocationListQuery, response: { 200: LocationListSchema } } },
    async (request) => ({ data: (await deps.locations.list(request.query.includeArchived ?? false)).map(locationView) }),
  );

  app.post(
    '/v1/inventory/locations',
    { config: admin, schema: { tags: locations, summary: 'Create a stock location', body: LocationInputSchema, response: { 201: LocationSchema } } },
    async (request, reply) => {
      const location = await createLocation(deps, request.body);
      return reply.code(201).header('location', `/v1/inventory/locations/${location.id}`).send(location);
    },
  );

  app.get(
    '/v1/inventory/locations/:id',
    { config: admin, schema: { tags: locations, summary: 'A stock location', params: IdParams, response: { 200: LocationSchema } } },
    async (request) => getLocation(deps, request.params.id),
  );

  app.patch(
    '/v1/inventory/locations/:id',
    {
      config: admin,
      schema: { tags: locations, summary: 'Rename, reorder or make a location the default', params: IdParams, body: LocationPatchSchema, response: { 200: LocationSchema } },
    },
    async (request) => updateLocation(deps, request.params.id, request.body),
  );

  app.delete(
    '/v1/inventory/locations/:id',
    {
      config: admin,
      schema: {
        tags: locations,
        summary: 'Archive an empty location (its history stays)',
        params: IdParams,
        response: { 200: LocationSchema },
      },
    },
    async (request) => archiveLocation(deps, request.params.id),
  );

  app.get(
    '/v1/inventory/items',
    {
      config: admin,
      schema: { tags: stock, summary: 'Tracked SKUs with their totals across locations; filter by state for a low-stock report', querystring: ItemListQuery, response: { 200: ItemPageSchema } },
    },
    async (request) => {
      const { limit, cursor, q, skus, state } = request.query;
      return deps.queries.items(
        { limit: limit ?? 20, cursor, prefix: q, skus: skus ? [...new Set(skus.split(','))] : undefined, state },
        deps.settings.defaultLowStockThreshold,
      );
    },
  );

  app.post(
    '/v1/inventory/items',
    { config: admin, schema: { tags: stock, summary: 'Start tracking a SKU (at zero stock)', body: RegisterItemSchema, response: { 201: ItemDetailSchema } } },
    async (request, reply) => {
      const item = await registerSku(deps, request.body);
      return reply.code(201).header('location', `/v1/inventory/items/${encodeURIComponent(item.sku)}`).send(item);
    },
  );

  app.get(
    '/v1/inventory/items/:sku',
    { config: admin, schema: { tags: stock, summary: 'One SKU across locations', params: SkuParams, response: { 200: ItemDetailSchema } } },
    async (request) => getItem(deps, request.params.sku),
  );

  app.patch(
    '/v1/inventory/items/:sku',
    { config: admin, schema: { tags: stock, summary: "Set a SKU's low-stock threshold", params: SkuParams, body: ThresholdSchema, response: { 200: ItemDetailSchema } } },
    async (request) => setThreshold(deps, request.params.sku, request.body.lowStockThreshold),
  );

  app.post(
    '/v1/inventory/items/:sku/receipts',
    { config: admin, schema: { tags: stock, summary: 'Receive stock at a location', params: SkuParams, body: ReceiptSchema, response: { 201: LevelChangeSchema } } },
    async (request, reply) => reply.code(201).send(await receiveStock(deps, { sku: request.params.sku, ...request.body }, actorOf(request))),
  );

  app.post(
    '/v1/inventory/items/:sku/adjustments',
    {
      config: admin,
      schema: {
        tags: stock,
        summary: 'Adjust stock on hand at a location: by a delta, or to a counted quantity',
        params: SkuParams,
        body: AdjustmentSchema,
        response: { 201: LevelChangeSchema, 200: LevelChangeSchema },
      },
    },
    async (request, reply) => {
      const result = await adjustStock(deps, { sku: request.params.sku, ...request.body }, actorOf(request));
      // A count that matches the books changes nothing: 200, and no movement.
      return reply.code(result.movement ? 201 : 200).send(result);
    },
  );

  app.get(
    '/v1/inventory/levels',
    { config: admin, schema: { tags: stock, summary: 'Stock levels per SKU and location', querystring: LevelListQuery, response: { 200: LevelPageSchema } } },
    async (request) => {
      const { limit, cursor, locationId, sku, q } = request.query;
      if (locationId && !(await deps.locations.get(locationId))) throw InventoryError.locationNotFound(locationId, '/querystring/locationId');
      return deps.queries.levels({ limit: limit ?? 20, cursor, locationId, sku, prefix: q });
    },
  );

  app.get(
    '/v1/inventory/movements',
    { config: admin, schema: { tags: stock, summary: 'The movement log, newest first', querystring: MovementListQuery, response: { 200: MovementPageSchema } } },
    async (request) => {
      const { limit, ...filter } = request.query;
      return deps.queries.movements({ ...filter, limit: limit ?? 20 });
    },
  );
};
