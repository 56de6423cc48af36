/** Events the catalog publishes. Consumers (search, carts, caches) rely on these shapes. */
import { Type } from 'typebox';
import { defineEvent } from './registry.ts';

const Money = Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) });

const VariantSummary = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  price: Money,
  weightGrams: Type.Integer({ minimum: 0 }),
});

const ProductSnapshot = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  status: Type.Enum(['draft', 'published', 'archived']),
  version: Type.Integer({ minimum: 1 }),
  categoryIds: Type.Array(Type.String()),
  variants: Type.Array(VariantSummary),
});

export const ProductCreated = defineEvent('catalog.product.created', 'A product was created (as a draft).', Type.Object({ product: ProductSnapshot }));
export const ProductUpdated = defineEvent(
  'catalog.product.updated',
  'A product or its variants changed; `changed` names the fields.',
  Type.Object({ product: ProductSnapshot, changed: Type.Array(Type.String()) }),
);
export const ProductPublished = defineEvent('catalog.product.published', 'A product became visible in the storefront.', Type.Object({ product: ProductSnapshot }));
export const ProductUnpublished = defineEvent('catalog.product.unpublished', 'A product went back to draft.', Type.Object({ product: ProductSnapshot }));
export const ProductArchived = defineEvent('catalog.product.archived', 'A product was retired from sale.', Type.Object({ product: ProductSnapshot }));
export const VariantPriceChanged = defineEvent(
  'catalog.variant.price_changed',
  'A variant got a new price.',
  Type.Object({ productId: Type.String(), variant: VariantSummary, previousPrice: Money }),
);

const CategorySnapshot = Type.Object({
  id: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  slug: Type.String(),
  position: Type.Integer(),
});

export const CategoryChanged = defineEvent(
  'catalog.category.changed',
  'A category was created, renamed, moved or deleted (`category` is how it was last seen when deleted).',
  Type.Object({ change: Type.Enum(['created', 'updated', 'deleted']), category: CategorySnapshot }),
);
