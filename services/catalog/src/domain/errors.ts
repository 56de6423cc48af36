/** Catalog's errors, each with a stable code; the kernel maps kinds to HTTP. */
import { AppError } from '@fusioncommerce/platform';

export const CatalogError = {
  productNotFound: (id: string) => new AppError('CATALOG.PRODUCT_NOT_FOUND', 'not_found', `No product ${id}.`),
  variantNotFound: (id: string) => new AppError('CATALOG.VARIANT_NOT_FOUND', 'not_found', `No variant ${id} on this product.`),
  categoryNotFound: (id: string) => new AppError('CATALOG.CATEGORY_NOT_FOUND', 'not_found', `No category ${id}.`),
  duplicateSku: (sku: string) =>
    new AppError('CATALOG.DUPLICATE_SKU', 'conflict', `SKU ${sku} is already used by another variant; SKUs are unique across the catalog.`),
  duplicateSlug: (slug: string) => new AppError('CATALOG.DUPLICATE_SLUG', 'conflict', `The slug "${slug}" is taken.`),
  versionMismatch: (current: number) =>
    new AppError('CATALOG.VERSION_CONFLICT', 'conflict', 'Someone changed this product since you read it; reload and apply your change again.', {
      extensions: { currentVersion: current },
    }),
  preconditionFailed: (current: number) =>
    new AppError('CATALOG.PRECONDITION_FAILED', 'precondition_failed', 'If-Match does not match the current version; reload and try again.', {
      extensions: { currentVersion: current },
    }),
  preconditionRequired: () =>
    new AppError(
      'CATALOG.PRECONDITION_REQUIRED',
      'precondition_required',
      'Send If-Match with the ETag you read (or a version field) so concurrent edits cannot overwrite each other.',
    ),
  illegalTransition: (from: string, action: string) =>
    new AppError('CATALOG.ILLEGAL_STATUS_TRANSITION', 'conflict', `A ${from} product cannot be ${action}.`, {
      extensions: { currentState: from },
    }),
  cannotPublishWithoutVariants: () =>
    new AppError('CATALOG.NO_VARIANTS', 'conflict', 'A product needs at least one variant before it can be published.', {
      extensions: { currentState: 'draft' },
    }),
  mixedCurrencies: () =>
    new AppError('CATALOG.MIXED_CURRENCIES', 'invalid', 'All variants of a product are priced in one currency.', {
      errors: [{ pointer: '/body/variants', message: 'have more than one currency' }],
    }),
  inconsistentOptions: () =>
    new AppError('CATALOG.INCONSISTENT_OPTIONS', 'invalid', 'Every variant of a product names the same options (e.g. all have size and colour).', {
      errors: [{ pointer: '/body/variants', message: 'name different options' }],
    }),
  duplicateOptions: () =>
    new AppError('CATALOG.DUPLICATE_VARIANT_OPTIONS', 'invalid', 'Two variants of this product have the same option values.', {
      errors: [{ pointer: '/body/variants', message: 'repeat the same option values' }],
    }),
  tooManyVariants: (max: number) =>
    new AppError('CATALOG.TOO_MANY_VARIANTS', 'invalid', `A product has at most ${max} variants.`),
  lastVariant: () =>
    new AppError('CATALOG.LAST_VARIANT', 'conflict', 'A published product keeps at least one variant; unpublish or archive it first.'),
  categoryCycle: () =>
    new AppError('CATALOG.CATEGORY_CYCLE', 'conflict', 'A category cannot be moved under itself or one of its descendants.'),
  categoryInUse: () =>
    new AppError('CATALOG.CATEGORY_NOT_EMPTY', 'conflict', 'Move or delete the sub-categories first.'),
};
