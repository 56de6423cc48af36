/**
 * Product use cases. Each is one transaction: load the aggregate, let it apply
 * the change and check its rules, save it guarded by the version the caller read.
 */
import { v7 as uuidv7 } from 'uuid';
import { Product, slugify, type ProductDetails, type ProductEvent, type VariantInput } from '../domain/product.ts';
import type { ProductView } from '../store/product-queries.ts';
import { CatalogError } from '../domain/errors.ts';
import type { CatalogDeps } from './deps.ts';

export interface CreateProductInput extends Partial<Omit<ProductDetails, 'title'>> {
  title: string;
  variants?: VariantInput[];
}

export interface ChangeResult {
  product: ProductView;
  events: ProductEvent[];
}

const ALL = ['draft', 'published', 'archived'] as const;

async function view(deps: CatalogDeps, id: string, trx: Parameters<CatalogDeps['products']['load']>[1]): Promise<ProductView> {
  const product = await deps.queries.findOne({ id }, [...ALL], trx);
  if (!product) throw CatalogError.productNotFound(id);
  return product;
}

export async function createProduct(deps: CatalogDeps, input: CreateProductInput): Promise<ChangeResult> {
  const now = deps.now();
  const product = Product.create(
    uuidv7(),
    {
      title: input.title,
      slug: input.slug ?? slugify(input.title),
      description: input.description ?? '',
      images: input.images ?? [],
      tags: input.tags ?? [],
      categoryIds: [...new Set(input.categoryIds ?? [])],
    },
    (input.variants ?? []).map((v) => ({ ...v, id: uuidv7() })),
    now,
  );
  return deps.knex.transaction(async (trx) => {
    await deps.products.insert(product, trx);
    return { product: await view(deps, product.id, trx), events: product.pullEvents() };
  });
}

/**
 * Loads, applies `change`, saves. `expectedVersion` comes from If-Match or the
 * body; a mismatch means someone else saved first.
 */
export async function changeProduct(
  deps: CatalogDeps,
  id: string,
  expected: { version: number; via: 'if-match' | 'body' },
  change: (product: Product, now: Date) => void,
): Promise<ChangeResult> {
  return deps.knex.transaction(async (trx) => {
    const product = await deps.products.load(id, trx);
    if (product.version !== expected.version) {
      throw expected.via === 'if-match' ? CatalogError.preconditionFailed(product.version) : CatalogError.versionMismatch(product.version);
    }
    change(product, deps.now());
    await deps.products.save(product, expected.version, trx);
    return { product: await view(deps, id, trx), events: product.pullEvents() };
  });
}

export const updateProduct = (deps: CatalogDeps, id: string, expected: Parameters<typeof changeProduct>[2], patch: Partial<ProductDetails>) =>
  changeProduct(deps, id, expected, (p, now) => p.update({ ...patch, categoryIds: patch.categoryIds && [...new Set(patch.categoryIds)] }, now));

export const publishProduct = (deps: CatalogDeps, id: string, expected: Parameters<typeof changeProduct>[2]) =>
  changeProduct(deps, id, expected, (p, now) => p.publish(now));

export const unpublishProduct = (deps: CatalogDeps, id: string, expected: Parameters<typeof changeProduct>[2]) =>
  changeProduct(deps, id, expected, (p, now) => p.unpublish(now));

export const archiveProduct = (deps: CatalogDeps, id: string, expected: Parameters<typeof changeProduct>[2]) =>
  changeProduct(deps, id, expected, (p, now) => p.archive(now));

export const addVariant = (deps: CatalogDeps, id: string, expected: Parameters<typeof changeProduct>[2], input: VariantInput) =>
  changeProduct(deps, id, expected, (p, now) => void p.addVariant(uuidv7(), input, now));

export const updateVariant = (
  deps: CatalogDeps,
  id: string,
  expected: Parameters<typeof changeProduct>[2],
  variantId: string,
  patch: Partial<VariantInput>,
) => changeProduct(deps, id, expected, (p, now) => void p.updateVariant(variantId, patch, now));

export const removeVariant = (deps: CatalogDeps, id: string, expected: Parameters<typeof changeProduct>[2], variantId: string) =>
  changeProduct(deps, id, expected, (p, now) => p.removeVariant(variantId, now));
