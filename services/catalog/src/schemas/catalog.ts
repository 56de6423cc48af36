/** Catalog's API schemas: they validate requests, shape responses and produce the OpenAPI document. */
import { Type, type Static } from 'typebox';
import { MAX_AMOUNT } from '@fusioncommerce/platform';

const strict = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 1, maxLength: 100 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const MoneySchema = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description: 'Minor units (cents): 1999 is 19.99.' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
  },
  strict,
);

export const VariantInputSchema = Type.Object(
  {
    sku: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Unique across the catalog' }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    options: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,29}$' }), Type.String({ minLength: 1, maxLength: 100 }), {
        maxProperties: 5,
        description: 'Option values such as {"size": "M", "colour": "Navy"}',
      }),
    ),
    price: MoneySchema,
    compareAtPrice: Type.Optional(Nullable(MoneySchema)),
    weightGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    barcode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9A-Za-z-]{4,64}$' }))),
  },
  strict,
);
export type VariantInputBody = Static<typeof VariantInputSchema>;

const ImageSchema = Type.Object(
  {
    url: Type.String({ pattern: '^(https?://|/)[^\\s]{1,2000}$', maxLength: 2048 }),
    alt: Type.String({ maxLength: 300 }),
  },
  strict,
);

const detailFields = {
  slug: Type.Optional(Slug),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  images: Type.Optional(Type.Array(ImageSchema, { maxItems: 20 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 30 })),
  categoryIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
};

export const CreateProductSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    ...detailFields,
    variants: Type.Optional(Type.Array(VariantInputSchema, { maxItems: 100 })),
  },
  strict,
);
export type CreateProductBody = Static<typeof CreateProductSchema>;

const VersionField = Type.Optional(Type.Integer({ minimum: 1, description: 'The version you read; alternative to If-Match.' }));

export const UpdateProductSchema = Type.Object(
  { title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...detailFields, version: VersionField },
  { ...strict, minProperties: 1 },
);
export type UpdateProductBody = Static<typeof UpdateProductSchema>;

export const VersionOnlySchema = Type.Object({ version: VersionField }, strict);

export const AddVariantSchema = Type.Object({ ...VariantInputSchema.properties, version: VersionField }, strict);

export const UpdateVariantSchema = Type.Object(
  {
    sku: Type.Optional(VariantInputSchema.properties.sku),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    options: VariantInputSchema.properties.options,
    price: Type.Optional(MoneySchema),
    compareAtPrice: VariantInputSchema.properties.compareAtPrice,
    weightGrams: VariantInputSchema.properties.weightGrams,
    barcode: VariantInputSchema.properties.barcode,
    version: VersionField,
  },
  { ...strict, minProperties: 1 },
);

export const IdParams = Type.Object({ id: Uuid }, strict);
export const VariantParams = Type.Object({ id: Uuid, variantId: Uuid }, strict);
export const RefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

export const SortSchema = Type.Enum(['newest', 'price_asc', 'price_desc', 'title', 'relevance'], {
  description: 'Defaults to relevance when q is given, newest otherwise.',
});

const listFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Category id or slug; includes its descendants.' })),
  minPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT })),
  maxPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Full-text search; matches word prefixes while typing.' })),
  sort: Type.Optional(SortSchema),
};

export const StorefrontListQuery = Type.Object(listFields, strict);
export const AdminListQuery = Type.Object(
  { ...listFields, status: Type.Optional(Type.Enum(['draft', 'published', 'archived', 'any'])) },
  strict,
);

export const VariantLookupQuery = Type.Object(
  {
    ids: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,99}$', description: 'Comma-separated variant ids' })),
    skus: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}(,[A-Za-z0-9._-]{1,64}){0,99}$', description: 'Comma-separated SKUs' })),
  },
  { ...strict, minProperties: 1 },
);

const MoneyView = Type.Object({ amount: Type.Integer(), currency: Type.String() });
export const VariantViewSchema = Type.Object({
  id: Uuid,
  sku: Type.String(),
  title: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  price: MoneyView,
  compareAtPrice: Nullable(MoneyView),
  weightGrams: Type.Integer(),
  barcode: Nullable(Type.String()),
});

export const ProductViewSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: Type.Enum(['draft', 'published', 'archived']),
  images: Type.Array(Type.Object({ url: Type.String(), alt: Type.String() })),
  tags: Type.Array(Type.String()),
  categories: Type.Array(Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() })),
  options: Type.Array(Type.Object({ name: Type.String(), values: Type.Array(Type.String()) })),
  variants: Type.Array(VariantViewSchema),
  priceRange: Nullable(Type.Object({ min: MoneyView, max: MoneyView })),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const ProductPageSchema = Type.Object({ data: Type.Array(ProductViewSchema), nextCursor: Nullable(Type.String()) });

export const VariantLookupSchema = Type.Object({
  data: Type.Array(
    Type.Object({
      ...VariantViewSchema.properties,
      productId: Uuid,
      productSlug: Type.String(),
      productTitle: Type.String(),
      image: Nullable(Type.String()),
    }),
  ),
});

export const CategoryInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    slug: Type.Optional(Slug),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    parentId: Type.Optional(Nullable(Uuid)),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  strict,
);
export const CategoryPatchSchema = Type.Object(
  {
    name: Type.Optional(CategoryInputSchema.properties.name),
    slug: Type.Optional(Slug),
    description: CategoryInputSchema.properties.description,
    parentId: CategoryInputSchema.properties.parentId,
    position: CategoryInputSchema.properties.position,
  },
  { ...strict, minProperties: 1 },
);

export const CategorySchema = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  name: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  position: Type.Integer(),
});

const CategoryNode = Type.Object({
  ...CategorySchema.properties,
  productCount: Type.Integer(),
  children: Type.Array(Type.Unknown()),
});
export const CategoryTreeSchema = Type.Object({ data: Type.Array(CategoryNode) });
