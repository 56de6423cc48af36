/** What shoppers read: published products, categories, variant look-ups. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { CatalogError } from '../domain/errors.ts';
import { isUuid } from '../store/category-store.ts';
import { pageJson, type ProductSort } from '../store/product-queries.ts';
import {
  CategorySchema,
  CategoryTreeSchema,
  ProductPageSchema,
  ProductViewSchema,
  RefParams,
  StorefrontListQuery,
  VariantLookupQuery,
  VariantLookupSchema,
} from '../schemas/catalog.ts';
import type { CatalogDeps } from '../use-cases/deps.ts';
import type { CachedBody, ContentEncoding, StorefrontCache } from '../store/storefront-cache.ts';

type ListQuery = Static<typeof StorefrontListQuery>;

/** Sends JSON text built from stored documents as is: it is already what the response schema describes. */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

/**
 * A cached storefront body, compressed when the browser takes brotli or gzip
 * (a page of products is tens of kilobytes as JSON, a few compressed).
 */
function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody): FastifyReply {
  void reply.header('vary', 'accept-encoding');
  const accepted = request.headers['accept-encoding'];
  const encoding = body.compressible && accepted ? negotiate(accepted, ENCODINGS) : null;
  if (!encoding) return sendJson(reply, body.text);
  return reply.type('application/json; charset=utf-8').header('content-encoding', encoding).send(body.encodedAs(encoding));
}

const ENCODINGS: ContentEncoding[] = ['br', 'gzip'];

/** Resolves the filters shared by the storefront and admin lists. */
export async function listFilter(deps: CatalogDeps, query: ListQuery) {
  const category = query.category ? await deps.categories.get(query.category) : undefined;
  const sort: ProductSort = query.sort ?? (query.q ? 'relevance' : 'newest');
  return {
    categoryId: category?.id,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    q: query.q,
    sort,
    limit: query.limit ?? 20,
    cursor: query.cursor,
  };
}

export const storefrontRoutes: FastifyPluginAsyncTypebox<{ deps: CatalogDeps; cache: StorefrontCache }> = async (app, { deps, cache }) => {
  const tags = ['storefront'];

  app.get(
    '/v1/products',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'List published products', querystring: StorefrontListQuery, response: { 200: ProductPageSchema } },
    },
    async (request, reply) =>
      sendCached(
        request,
        reply,
        await cache.getOrLoad(request.url, async () =>
          pageJson(await deps.queries.list({ ...(await listFilter(deps, request.query)), statuses: ['published'] })),
        ),
      ),
  );

  app.get(
    '/v1/products/:ref',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'A published product by id or slug', params: RefParams, response: { 200: ProductViewSchema } },
    },
    async (request, reply) => {
      const { ref } = request.params;
      const document = await cache.getOrLoad(request.url, async () => {
        const found = await deps.queries.findDocument(isUuid(ref) ? { id: ref } : { slug: ref }, ['published']);
        // Misses are not cached: a product published a moment later must show at once.
        if (found === undefined) throw CatalogError.productNotFound(ref);
        return found;
      });
      return sendCached(request, reply, document);
    },
  );

  app.get(
    '/v1/variants',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Published variants by ids or SKUs, with their product (for carts)',
        querystring: VariantLookupQuery,
        response: { 200: VariantLookupSchema },
      },
    },
    async (request) => ({
      data: await deps.queries.variants({ ids: request.query.ids?.split(','), skus: request.query.skus?.split(',') }),
    }),
  );

  app.get(
    '/v1/categories',
    { config: { auth: 'public' }, schema: { tags, summary: 'The category tree', response: { 200: CategoryTreeSchema } } },
    async () => ({ data: await deps.categories.tree() }),
  );

  app.get(
    '/v1/categories/:ref',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'A category by id or slug', params: RefParams, response: { 200: CategorySchema } },
    },
    async (request) => {
      const row = await deps.categories.get(request.params.ref);
      return { id: row.id, parentId: row.parent_id, name: row.name, slug: row.slug, description: row.description, position: row.position };
    },
  );
};
