/**
 * The product aggregate: a product and its variants change together and keep
 * their invariants (one currency, consistent options, unique option values,
 * publishable only with variants). It records what happened as domain events.
 */
import { money, type Money } from '@fusioncommerce/platform';
import { CatalogError } from './errors.ts';

export type ProductStatus = 'draft' | 'published' | 'archived';
export const MAX_VARIANTS = 100;

export interface Image {
  url: string;
  alt: string;
}

export interface Variant {
  id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  price: Money;
  compareAtPrice: Money | null;
  weightGrams: number;
  barcode: string | null;
  position: number;
}

export interface ProductState {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: ProductStatus;
  images: Image[];
  tags: string[];
  categoryIds: string[];
  variants: Variant[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export type ProductEvent =
  | { type: 'product.created'; product: ProductState }
  | { type: 'product.updated'; product: ProductState; changed: string[] }
  | { type: 'product.published'; product: ProductState }
  | { type: 'product.unpublished'; product: ProductState }
  | { type: 'product.archived'; product: ProductState }
  | { type: 'variant.price_changed'; product: ProductState; variant: Variant; previous: Money };

export interface VariantInput {
  sku: string;
  title?: string;
  options?: Record<string, string>;
  price: Money;
  compareAtPrice?: Money | null;
  weightGrams?: number;
  barcode?: string | null;
}

export interface ProductDetails {
  slug: string;
  title: string;
  description: string;
  images: Image[];
  tags: string[];
  categoryIds: string[];
}

function optionKey(options: Record<string, string>): string {
  return JSON.stringify(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)));
}

function titleFromOptions(options: Record<string, string>, fallback: string): string {
  const values = Object.values(options);
  return values.length > 0 ? values.join(' / ') : fallback;
}

export class Product {
  private readonly events: ProductEvent[] = [];

  private constructor(private state: ProductState) {}

  static create(id: string, details: ProductDetails, variants: (VariantInput & { id: string })[], now: Date): Product {
    const product = new Product({
      id,
      ...details,
      status: 'draft',
      variants: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    });
    product.state.variants = variants.map((v, position) => product.buildVariant(v.id, v, position));
    product.checkVariants(product.state.variants);
    product.events.push({ type: 'product.created', product: product.snapshot() });
    return product;
  }

  static restore(state: ProductState): Product {
    return new Product(state);
  }

  get id(): string {
    return this.state.id;
  }

  get version(): number {
    return this.state.version;
  }

  get status(): ProductStatus {
    return this.state.status;
  }

  snapshot(): ProductState {
    return structuredClone(this.state);
  }

  pullEvents(): ProductEvent[] {
    return this.events.splice(0, this.events.length);
  }

  update(patch: Partial<ProductDetails>, now: Date): void {
    const changed = (Object.keys(patch) as (keyof ProductDetails)[]).filter(
      (key) => patch[key] !== undefined && JSON.stringify(patch[key]) !== JSON.stringify(this.state[key]),
    );
    if (changed.length === 0) return;
    this.state = { ...this.state, ...Object.fromEntries(changed.map((k) => [k, patch[k]])) };
    this.touch(now);
    this.events.push({ type: 'product.updated', product: this.snapshot(), changed });
  }

  addVariant(id: string, input: VariantInput, now: Date): Variant {
    if (this.state.variants.length >= MAX_VARIANTS) throw CatalogError.tooManyVariants(MAX_VARIANTS);
    const variant = this.buildVariant(id, input, this.state.variants.length);
    const variants = [...this.state.variants, variant];
    this.checkVariants(variants);
    this.state.variants = variants;
    this.touch(now);
    this.events.push({ type: 'product.updated', product: this.snapshot(), changed: ['variants'] });
    return variant;
  }

  updateVariant(variantId: string, patch: Partial<VariantInput>, now: Date): Variant {
    const index = this.state.variants.findIndex((v) => v.id === variantId);
    const current = this.state.variants[index];
    if (!current) throw CatalogError.variantNotFound(variantId);
    const next = this.buildVariant(current.id, { ...current, ...patch }, current.position);
    const variants = this.state.variants.map((v, i) => (i === index ? next : v));
    this.checkVariants(variants);
    this.state.variants = variants;
    this.touch(now);
    this.events.push({ type: 'product.updated', product: this.snapshot(), changed: ['variants'] });
    if (next.price.amount !== current.price.amount || next.price.currency !== current.price.currency) {
      this.events.push({ type: 'variant.price_changed', product: this.snapshot(), variant: next, previous: current.price });
    }
    return next;
  }

  removeVariant(variantId: string, now: Date): void {
    if (!this.state.variants.some((v) => v.id === variantId)) throw CatalogError.variantNotFound(variantId);
    if (this.state.status === 'published' && this.state.variants.length === 1) throw CatalogError.lastVariant();
    this.state.variants = this.state.variants.filter((v) => v.id !== variantId).map((v, position) => ({ ...v, position }));
    this.touch(now);
    this.events.push({ type: 'product.updated', product: this.snapshot(), changed: ['variants'] });
  }

  publish(now: Date): void {
    if (this.state.status === 'published') throw CatalogError.illegalTransition('published', 'published again');
    if (this.state.variants.length === 0) throw CatalogError.cannotPublishWithoutVariants();
    this.state.status = 'published';
    this.state.publishedAt = now;
    this.touch(now);
    this.events.push({ type: 'product.published', product: this.snapshot() });
  }

  unpublish(now: Date): void {
    if (this.state.status === 'draft') throw CatalogError.illegalTransition('draft', 'unpublished');
    this.state.status = 'draft';
    this.touch(now);
    this.events.push({ type: 'product.unpublished', product: this.snapshot() });
  }

  archive(now: Date): void {
    if (this.state.status === 'archived') throw CatalogError.illegalTransition('archived', 'archived again');
    this.state.status = 'archived';
    this.touch(now);
    this.events.push({ type: 'product.archived', product: this.snapshot() });
  }

  private touch(now: Date): void {
    this.state.version += 1;
    this.state.updatedAt = now;
  }

  private buildVariant(id: string, input: VariantInput, position: number): Variant {
    const options = input.options ?? {};
    return {
      id,
      sku: input.sku,
      title: input.title ?? titleFromOptions(options, this.state.title),
      options,
      price: money(input.price.amount, input.price.currency),
      compareAtPrice: input.compareAtPrice ? money(input.compareAtPrice.amount, input.compareAtPrice.currency) : null,
      weightGrams: input.weightGrams ?? 0,
      barcode: input.barcode ?? null,
      position,
    };
  }

  private checkVariants(variants: Variant[]): void {
    if (variants.length > MAX_VARIANTS) throw CatalogError.tooManyVariants(MAX_VARIANTS);
    const [first] = variants;
    if (!first) return;
    if (variants.some((v) => v.price.currency !== first.price.currency || (v.compareAtPrice && v.compareAtPrice.currency !== first.price.currency))) {
      throw CatalogError.mixedCurrencies();
    }
    const names = Object.keys(first.options).sort().join('|');
    if (variants.some((v) => Object.keys(v.options).sort().join('|') !== names)) throw CatalogError.inconsistentOptions();
    if (new Set(variants.map((v) => optionKey(v.options))).size !== variants.length) throw CatalogError.duplicateOptions();
    const skus = variants.map((v) => v.sku);
    const repeated = skus.find((sku, i) => skus.indexOf(sku) !== i);
    if (repeated) throw CatalogError.duplicateSku(repeated);
  }
}

/** Lower-case, hyphenated, ASCII: "Linen Shirt – Blue" → "linen-shirt-blue". */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'product';
}
