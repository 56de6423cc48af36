// The API's shapes as the web apps use them (see /openapi.json).
import type { Money } from './api.ts';

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  slug: string;
  description: string;
  position: number;
  productCount: number;
  children: Category[];
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
}

export interface Product {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: 'draft' | 'published' | 'archived';
  images: { url: string; alt: string }[];
  tags: string[];
  categories: { id: string; slug: string; name: string }[];
  options: { name: string; values: string[] }[];
  variants: Variant[];
  priceRange: { min: Money; max: Money } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface Availability {
  sku: string;
  status: 'in_stock' | 'low_stock' | 'out_of_stock';
  quantity: number;
}

export interface CartLine {
  id: string;
  variantId: string;
  sku: string;
  productId: string;
  productSlug: string;
  productTitle: string;
  variantTitle: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  available: boolean;
  unavailableReason: 'not_sold' | 'insufficient_stock' | null;
  stockAvailable: number | null;
}

export interface ShippingQuote {
  id: string;
  name: string;
  description: string | null;
  carrier: string;
  estimatedDays: { min: number; max: number } | null;
  amount: Money;
  free: boolean;
}

export interface CartShipping {
  country: string | null;
  selectedOptionId: string | null;
  options: ShippingQuote[];
  option: ShippingQuote | null;
  required: boolean;
  issue: string | null;
}

export interface Cart {
  id: string;
  status: string;
  customerId: string | null;
  currency: string | null;
  lines: CartLine[];
  itemCount: number;
  subtotal: Money | null;
  shippingTotal: Money | null;
  total: Money | null;
  checkoutReady: boolean;
  /** Present when the shop ships (the shipping service is mounted). */
  shipping?: CartShipping;
}

export interface OrderLine {
  variantId: string;
  sku: string;
  productId: string;
  title: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

export interface Order {
  id: string;
  number: string;
  status: string;
  reason: string | null;
  customerId: string | null;
  email: string;
  lines: OrderLine[];
  subtotal: Money;
  shippingTotal: Money;
  total: Money;
  refunded: Money;
  shippingAddress: Record<string, string>;
  stock: string;
  payment: string;
  paymentId: string | null;
  placedAt: string;
  updatedAt: string;
  timeline?: { at: string; type: string; status: string; data: Record<string, unknown> }[];
  shippingOption?: { id: string; name: string; carrier: string; amount: Money } | null;
  shipments?: { shipmentId: string; status: string; carrier: string | null; carrierName: string | null; trackingNumber: string | null; trackingUrl: string | null; lines: { sku: string; quantity: number }[]; shippedAt: string | null; deliveredAt: string | null }[];
  [extra: string]: unknown;
}
