/**
 * Product use cases. Each is one transaction: load the aggregate, let it apply
 * the change and check its rules, save it guarded by the version the caller
 * read, and record the events it raised in the outbox — so the change and its
 * events commit together or not at all.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Knex } from 'knex';
import {
  ProductArchived,
  ProductCreated,
  ProductPublished,
  ProductUnpublished,
  ProductUpdated,
  VariantPriceChanged,
  type EventData,
} from '@fusioncommerce/contracts';
import { recordEvents, type NewEvent } from '@fusioncommerce/platform';
import { Product, slugify, type ProductDetails, type ProductEvent, type ProductState, type Variant, type VariantInput } from '../domain/product.ts';
import type { ProductView } from '../store/product-queries.ts';
import { CatalogError } from '../domain/errors.ts';
import { CATALOG_SCHEMA } from '../migrations.ts';
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

type ProductSnapshot = EventData<typeof ProductCreated>['product'];
type VariantSummary = EventData<typeof VariantPriceChanged>['variant'];

function variantSummary(v: Variant): VariantSummary {
  return { id: v.id, sku: v.sku, title: v.title, options: v.options, price: { amount: v.price.amount, currency: v.price.currency }, weightGrams: v.weightGrams };
}

/** What other services see of a product: the published language, not the aggregate's internals. */
function productSnapshot(p: ProductState): ProductSnapshot {
  return { id: p.id, slug: p.slug, title: p.title, status: p.status, version: p.version, categoryIds: p.categoryIds, variants: p.variants.map(variantSummary) };
}

/** A domain event as the catalog publishes it; the product id is the subject, so one product's events stay in order. */
export function integrationEvent(event: ProductEvent): NewEvent {
  const subject = event.product.id;
  const product = productSnapshot(event.product);
  switch (event.type) {
    case 'product.created':
      return { type: ProductCreated.type, subject, data: { product } satisfies EventData<typeof ProductCreated> };
    case 'product.updated':
      return { type: ProductUpdated.type, subject, data: { product, changed: event.changed } satisfies EventData<typeof ProductUpdated> };
    case 'product.published':
      return { type: ProductPublished.type, subject, data: { product } satisfies EventData<typeof ProductPublished> };
    case 'product.unpublished':
      return { type: ProductUnpublished.type, subject, data: { product } satisfies EventData<typeof ProductUnpublished> };
    case 'product.archived':
      return { type: ProductArchived.type, subject, data: { product } satisfies EventData<typeof ProductArchived> };
    case 'variant.price_changed':
      return {
        type: VariantPriceChanged.type,
        subject,
        data: {
          productId: subject,
          variant: variantSummary(event.variant),
          previousPrice: { amount: event.previous.amount, currency: event.previous.currency },
        } satisfies EventData<typeof VariantPriceChanged>,
      };
  }
}

/** Takes the aggregate's events and appends them to the outbox in the caller's transaction. */
async function recordProductEvents(trx: Knex.Transaction, product: Product): Promise<ProductEvent[]> {
  const events = product.pullEvents();
  await recordEvents(trx, CATALOG_SCHEMA, events.map(integrationEvent));
  return events;
}

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
    const events = await recordProductEvents(trx, product);
    return { product: await view(deps, product.id, trx), events };
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
    // Saved first: the save's row lock orders concurrent writers, so this product's
    // outbox rows get their positions in commit order.
    await deps.products.save(product, expected.version, trx);
    const events = await recordProductEvents(trx, product);
    return { product: await view(deps, id, trx), events };
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
