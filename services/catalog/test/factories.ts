/** Small builders for catalog test data; every test makes its own. */
import { randomBytes } from 'node:crypto';

let sequence = 0;
export const uniq = (): string => `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString('hex')}`.toUpperCase();

export interface VariantBody {
  sku: string;
  options?: Record<string, string>;
  price: { amount: number; currency: string };
  weightGrams?: number;
}

export function buildVariant(overrides: Partial<VariantBody> = {}): VariantBody {
  return { sku: `SKU-${uniq()}`, options: { size: 'M' }, price: { amount: 2500, currency: 'USD' }, weightGrams: 300, ...overrides };
}

export function buildProduct(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = uniq().toLowerCase();
  return {
    title: `Test Product ${id}`,
    slug: `test-product-${id}`,
    description: 'A product made for a test.',
    variants: [buildVariant({ options: { size: 'S' } }), buildVariant({ options: { size: 'L' }, price: { amount: 3000, currency: 'USD' } })],
    ...overrides,
  };
}
