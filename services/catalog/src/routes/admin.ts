/** What merchants write: products, variants, status changes and categories. Admin only. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { CatalogError } from '../domain/errors.ts';
import type { CategoryRow } from '../store/category-store.ts';
import {
  AddVariantSchema,
  AdminListQuery,
  CategoryInputSchema,
  CategoryPatchSchema,
  CategorySchema,
  CreateProductSchema,
  IdParams,
  ProductPageSchema,
  ProductViewSchema,
  UpdateProductSchema,
  UpdateVariantSchema,
  VariantParams,
  VersionOnlySchema,
} from '../schemas/catalog.ts';
import type { CatalogDeps } from '../use-cases/deps.ts';
import type { StorefrontCache } from '../store/storefront-cache.ts';
import { createCategory, deleteCategory, updateCategory } from '../use-cases/manage-categories.ts';
import {
  addVariant,
  archiveProduct,
  createProduct,
  publishProduct,
  removeVariant,
  unpublishProduct,
  updateProduct,
  updateVariant,
  type ChangeResult,
} from '../use-cases/manage-products.ts';
import { expectedVersion, setEtag } from './preconditions.ts';
import { listFilter, sendJson } from './storefront.ts';
import { pageJson } from '../store/product-queries.ts';

const categoryView = (row: CategoryRow) => ({
  id: row.id,
  parentId: row.parent_id,
  name: row.name,
  slug: row.slug,
  description: row.description,
  position: row.position,
});

export const adminRoutes: FastifyPluginAsyncTypebox<{ deps: CatalogDeps; cache: StorefrontCache }> = async (app, { deps, cache }) => {
  // Every successful write changes what shoppers see: empty their cache after
  // the transaction committed and before the answer leaves, so whoever made the
  // change never reads the old version afterwards.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && reply.statusCode < 400) cache.invalidateAll();
    return payload;
  });

  const tags = ['admin'];
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/admin/products',
    {
      config: admin,
      schema: { tags, summary: 'List products in any status', querystring: AdminListQuery, response: { 200: ProductPageSchema } },
    },
    async (request, reply) => {
      const status = request.query.status ?? 'any';
      const statuses = status === 'any' ? (['draft', 'published', 'archived'] as const) : ([status] as const);
      return sendJson(reply, pageJson(await deps.queries.list({ ...(await listFilter(deps, request.query)), statuses: [...statuses] })));
    },
  );

  app.get(
    '/v1/admin/products/:id',
    { config: admin, schema: { tags, summary: 'A product in any status, with its ETag', params: IdParams, response: { 200: ProductViewSchema } } },
    async (request, reply) => {
      const product = await deps.queries.findOne({ id: request.params.id }, ['draft', 'published', 'archived']);
      if (!product) throw CatalogError.productNotFound(request.params.id);
      setEtag(reply, product.version);
      return product;
    },
  );

  app.post(
    '/v1/products',
    { config: admin, schema: { tags, summary: 'Create a product (as a draft)', body: CreateProductSchema, response: { 201: ProductViewSchema } } },
    async (request, reply) => {
      const { product } = await createProduct(deps, request.body);
      setEtag(reply, product.version);
      return reply.code(201).header('location', `/v1/admin/products/${product.id}`).send(product);
    },
  );

  const respond = (reply: FastifyReply, result: ChangeResult) => {
    setEtag(reply, result.product.version);
    return result.product;
  };

  app.patch(
    '/v1/products/:id',
    {
      config: admin,
      schema: { tags, summary: 'Edit a product (If-Match or version required)', params: IdParams, body: UpdateProductSchema, response: { 200: ProductViewSchema } },
    },
    async (request, reply) => {
      const { version, ...patch } = request.body;
      return respond(reply, await updateProduct(deps, request.params.id, expectedVersion(request, version), patch));
    },
  );

  const transitions = { publish: publishProduct, unpublish: unpublishProduct, archive: archiveProduct } as const;
  for (const [action, useCase] of Object.entries(transitions)) {
    app.post(
      `/v1/products/:id/${action}`,
      {
        config: admin,
        schema: { tags, summary: `${action[0]?.toUpperCase()}${action.slice(1)} a product`, params: IdParams, body: VersionOnlySchema, response: { 200: ProductViewSchema } },
      },
      async (request, reply) => respond(reply, await useCase(deps, request.params.id, expectedVersion(request, request.body?.version))),
    );
  }

  app.post(
    '/v1/products/:id/variants',
    { config: admin, schema: { tags, summary: 'Add a variant', params: IdParams, body: AddVariantSchema, response: { 201: ProductViewSchema } } },
    async (request, reply) => {
      const { version, ...input } = request.body;
      const result = await addVariant(deps, request.params.id, expectedVersion(request, version), input);
      setEtag(reply, result.product.version);
      return reply.code(201).send(result.product);
    },
  );

  app.patch(
    '/v1/products/:id/variants/:variantId',
    { config: admin, schema: { tags, summary: 'Edit a variant', params: VariantParams, body: UpdateVariantSchema, response: { 200: ProductViewSchema } } },
    async (request, reply) => {
      const { version, ...patch } = request.body;
      return respond(reply, await updateVariant(deps, request.params.id, expectedVersion(request, version), request.params.variantId, patch));
    },
  );

  app.delete(
    '/v1/products/:id/variants/:variantId',
    { config: admin, schema: { tags, summary: 'Remove a variant', params: VariantParams, response: { 200: ProductViewSchema } } },
    async (request, reply) =>
      respond(reply, await removeVariant(deps, request.params.id, expectedVersion(request, undefined), request.params.variantId)),
  );

  app.post(
    '/v1/categories',
    { config: admin, schema: { tags, summary: 'Create a category', body: CategoryInputSchema, response: { 201: CategorySchema } } },
    async (request, reply) => reply.code(201).send(categoryView(await createCategory(deps, request.body))),
  );

  app.patch(
    '/v1/categories/:id',
    { config: admin, schema: { tags, summary: 'Rename or move a category', params: IdParams, body: CategoryPatchSchema, response: { 200: CategorySchema } } },
    async (request) => categoryView(await updateCategory(deps, request.params.id, request.body)),
  );

  app.delete(
    '/v1/categories/:id',
    { config: admin, schema: { tags, summary: 'Delete a category without sub-categories', params: IdParams } },
    async (request, reply) => {
      await deleteCategory(deps, request.params.id);
      return reply.code(204).send();
    },
  );
};
