/**
 * What shoppers are told about stock: in stock, low or out, and how many they
 * can buy — capped, so exact stock levels (a competitor's favourite number)
 * only show when they are small enough to matter to the shopper anyway.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stockState } from '../domain/stock.ts';
import { AvailabilityQuery, AvailabilitySchema } from '../schemas/inventory.ts';
import type { InventoryDeps } from '../use-cases/deps.ts';

export const storefrontRoutes: FastifyPluginAsyncTypebox<{ deps: InventoryDeps }> = async (app, { deps }) => {
  app.get(
    '/v1/inventory/availability',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['storefront'],
        summary: 'Availability of up to 100 SKUs',
        description: 'A SKU inventory does not track is out of stock. Quantities are capped (see `cap`).',
        querystring: AvailabilityQuery,
        response: { 200: AvailabilitySchema },
      },
    },
    async (request, reply) => {
      const skus = [...new Set(request.query.skus.split(','))];
      const found = new Map((await deps.queries.availability(skus, deps.settings.defaultLowStockThreshold)).map((a) => [a.sku, a]));
      const cap = deps.settings.availabilityCap;
      // Changes with every sale: never cached by a browser or a proxy.
      void reply.header('cache-control', 'no-store');
      return {
        data: skus.map((sku) => {
          const a = found.get(sku);
          const available = Math.max(0, a?.available ?? 0);
          return { sku, status: stockState(available, a?.threshold ?? 0), quantity: Math.min(available, cap) };
        }),
        cap,
      };
    },
  );
};
