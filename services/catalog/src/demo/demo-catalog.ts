/**
 * A realistic demo shop, generated deterministically: a category tree, a few
 * hundred products with sized and coloured variants, prices, weights,
 * barcodes, descriptions and placeholder images served by the gateway.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { Product, slugify, type VariantInput } from '../domain/product.ts';
import { recordEvents } from '@fusioncommerce/platform';
import { CATALOG_SCHEMA } from '../migrations.ts';
import { ProductStore } from '../store/product-store.ts';
import { integrationEvent } from '../use-cases/manage-products.ts';

export interface DemoCatalogOptions {
  /** How many products (default 240). */
  products?: number;
  currency?: string;
  /** Called after each batch, for progress display. */
  onProgress?: (done: number, total: number) => void;
}

type VariantKind = 'apparel' | 'shoes' | 'colour' | 'single' | 'capacity';

interface Leaf {
  name: string;
  kind: VariantKind;
  nouns: string[];
  basePrice: number;
  weight: number;
}

const TREE: { name: string; description: string; children: Leaf[] }[] = [
  {
    name: 'Clothing',
    description: 'Everyday clothes in natural fabrics.',
    children: [
      { name: 'Tops', kind: 'apparel', nouns: ['Crew Tee', 'V-Neck Tee', 'Linen Shirt', 'Oxford Shirt', 'Polo', 'Henley'], basePrice: 2900, weight: 220 },
      { name: 'Knitwear', kind: 'apparel', nouns: ['Merino Sweater', 'Cardigan', 'Hoodie', 'Fleece'], basePrice: 6900, weight: 450 },
      { name: 'Bottoms', kind: 'apparel', nouns: ['Chinos', 'Denim Jeans', 'Joggers', 'Shorts'], basePrice: 5900, weight: 500 },
      { name: 'Outerwear', kind: 'apparel', nouns: ['Rain Jacket', 'Parka', 'Gilet', 'Overshirt'], basePrice: 12900, weight: 900 },
    ],
  },
  {
    name: 'Footwear',
    description: 'Shoes for running, walking and everything in between.',
    children: [
      { name: 'Running Shoes', kind: 'shoes', nouns: ['Road Runner', 'Trail Runner', 'Racing Flat', 'Cushioned Trainer'], basePrice: 11900, weight: 650 },
      { name: 'Sneakers', kind: 'shoes', nouns: ['Canvas Sneaker', 'Leather Sneaker', 'High-Top'], basePrice: 8900, weight: 800 },
      { name: 'Boots', kind: 'shoes', nouns: ['Chelsea Boot', 'Hiking Boot', 'Work Boot'], basePrice: 15900, weight: 1400 },
    ],
  },
  {
    name: 'Home & Kitchen',
    description: 'Things to cook with, eat from and live with.',
    children: [
      { name: 'Cookware', kind: 'capacity', nouns: ['Cast Iron Skillet', 'Saucepan', 'Dutch Oven', 'Wok'], basePrice: 4900, weight: 2200 },
      { name: 'Tableware', kind: 'colour', nouns: ['Stoneware Mug', 'Dinner Plate', 'Serving Bowl', 'Tumbler'], basePrice: 1800, weight: 400 },
      { name: 'Decor', kind: 'colour', nouns: ['Linen Cushion', 'Wool Throw', 'Ceramic Vase', 'Candle'], basePrice: 3500, weight: 600 },
    ],
  },
  {
    name: 'Electronics',
    description: 'Sound, power and the small things that connect them.',
    children: [
      { name: 'Audio', kind: 'colour', nouns: ['Wireless Headphones', 'Earbuds', 'Bluetooth Speaker'], basePrice: 9900, weight: 300 },
      { name: 'Accessories', kind: 'single', nouns: ['USB-C Cable', 'Power Bank', 'Wall Charger', 'Laptop Stand'], basePrice: 2500, weight: 200 },
    ],
  },
  {
    name: 'Sports & Outdoors',
    description: 'Kit for the trail, the camp and the gym.',
    children: [
      { name: 'Camping', kind: 'colour', nouns: ['Tent', 'Sleeping Bag', 'Camp Stove', 'Headlamp'], basePrice: 7900, weight: 1600 },
      { name: 'Fitness', kind: 'single', nouns: ['Yoga Mat', 'Kettlebell', 'Resistance Band Set', 'Jump Rope'], basePrice: 3900, weight: 1200 },
    ],
  },
  {
    name: 'Beauty',
    description: 'Skin and hair care without the fuss.',
    children: [{ name: 'Skincare', kind: 'capacity', nouns: ['Face Cream', 'Cleanser', 'Serum', 'Sunscreen'], basePrice: 2400, weight: 150 }],
  },
  {
    name: 'Books',
    description: 'Stories and how-tos.',
    children: [{ name: 'Cookbooks', kind: 'single', nouns: ['Weeknight Cookbook', 'Baking Book', 'Fermentation Guide'], basePrice: 2800, weight: 700 }],
  },
  {
    name: 'Toys & Games',
    description: 'For the young and the young at heart.',
    children: [{ name: 'Board Games', kind: 'single', nouns: ['Strategy Game', 'Party Game', 'Puzzle'], basePrice: 3400, weight: 900 }],
  },
];

const ADJECTIVES = ['Classic', 'Organic', 'Everyday', 'Heritage', 'Lightweight', 'Essential', 'Premium', 'Coastal', 'Alpine', 'Urban', 'Studio', 'Nordic'];
const COLOURS = ['Black', 'White', 'Navy', 'Olive', 'Sand', 'Rust', 'Sky', 'Charcoal'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const SHOE_SIZES = ['39', '40', '41', '42', '43', '44', '45'];
const CAPACITIES: Record<string, string[]> = { Cookware: ['20 cm', '24 cm', '28 cm'], Skincare: ['30 ml', '50 ml', '100 ml'] };

/** A small deterministic generator, so every fresh shop looks the same. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ean13(n: number): string {
  const base = `400${String(n).padStart(9, '0')}`;
  const sum = [...base].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return base + String((10 - (sum % 10)) % 10);
}

function variantsFor(leaf: Leaf, code: string, price: number, currency: string, weight: number, pick: <T>(xs: T[], n: number) => T[], barcode: () => string): VariantInput[] {
  const v = (sku: string, options: Record<string, string>, amount: number, grams = weight): VariantInput => ({
    sku,
    options,
    price: { amount, currency },
    weightGrams: grams,
    barcode: barcode(),
  });
  switch (leaf.kind) {
    case 'apparel': {
      const colours = pick(COLOURS, 2);
      return colours.flatMap((colour) =>
        SIZES.slice(1, 5).map((size) => v(`${code}-${colour.slice(0, 3).toUpperCase()}-${size}`, { colour, size }, price)),
      );
    }
    case 'shoes':
      return pick(SHOE_SIZES, 4)
        .sort()
        .map((size) => v(`${code}-${size}`, { size }, price));
    case 'colour':
      return pick(COLOURS, 3).map((colour) => v(`${code}-${colour.slice(0, 3).toUpperCase()}`, { colour }, price));
    case 'capacity':
      return (CAPACITIES[leaf.name] ?? ['S', 'M', 'L']).map((capacity, i) =>
        v(`${code}-${i + 1}`, { size: capacity }, Math.round((price * (1 + i * 0.35)) / 100) * 100 - 1, weight + i * 300),
      );
    case 'single':
      return [v(code, {}, price)];
  }
}

/** Writes the demo catalog in one transaction. Returns how many products it created. */
export async function seedDemoCatalog(knex: Knex, options: DemoCatalogOptions = {}): Promise<number> {
  const total = options.products ?? 240;
  const currency = options.currency ?? 'USD';
  const random = prng(20261121);
  const pick = <T>(xs: T[], n: number): T[] => [...xs].sort(() => random() - 0.5).slice(0, n);
  let barcodeSeq = 1;
  const barcode = () => ean13(barcodeSeq++);
  const now = Date.now();

  return knex.transaction(async (trx) => {
    const leaves: { leaf: Leaf; id: string; parent: string }[] = [];
    let position = 0;
    for (const top of TREE) {
      const topId = uuidv7();
      await trx('catalog.categories').insert({ id: topId, name: top.name, slug: slugify(top.name), description: top.description, position: position++ });
      for (const leaf of top.children) {
        const id = uuidv7();
        await trx('catalog.categories').insert({ id, parent_id: topId, name: leaf.name, slug: slugify(leaf.name), description: `${leaf.name} from our ${top.name.toLowerCase()} range.`, position: position++ });
        leaves.push({ leaf, id, parent: top.name });
      }
    }

    const products: Product[] = [];
    const usedSlugs = new Set<string>();
    for (let i = 0; i < total; i++) {
      const { leaf, id: categoryId, parent } = leaves[i % leaves.length] as (typeof leaves)[number];
      const noun = leaf.nouns[Math.floor(i / leaves.length) % leaf.nouns.length] as string;
      const adjective = ADJECTIVES[Math.floor(i / (leaves.length * leaf.nouns.length)) % ADJECTIVES.length] as string;
      let title = `${adjective} ${noun}`;
      let slug = slugify(title);
      for (let n = 2; usedSlugs.has(slug); n++) {
        title = `${adjective} ${noun} ${n}`;
        slug = slugify(title);
      }
      usedSlugs.add(slug);
      const price = Math.round((leaf.basePrice * (0.8 + random() * 0.6)) / 100) * 100 - 1;
      const code = `${slugify(leaf.name).slice(0, 3).toUpperCase()}${String(i + 1).padStart(4, '0')}`;
      const created = new Date(now - (total - i) * 60_000);
      const product = Product.create(
        uuidv7({ msecs: created.getTime() }),
        {
          title,
          slug,
          description: `The ${title.toLowerCase()} is part of our ${leaf.name.toLowerCase()} collection in ${parent.toLowerCase()}: made to last, easy to care for and priced fairly.`,
          images: [{ url: `/demo-images/${slug}.svg`, alt: title }],
          tags: [leaf.name.toLowerCase(), parent.toLowerCase(), noun.toLowerCase()],
          categoryIds: [categoryId],
        },
        variantsFor(leaf, code, price, currency, leaf.weight, pick, barcode).map((v) => ({ ...v, id: uuidv7() })),
        created,
      );
      // A real shop has a few drafts and retired products too.
      if (i % 40 === 17) product.archive(created);
      else if (i % 40 !== 33) product.publish(created);
      products.push(product);
    }
    const store = new ProductStore(trx);
    const batch = 100;
    for (let i = 0; i < products.length; i += batch) {
      const slice = products.slice(i, i + batch);
      await store.insertMany(slice, trx);
      // Demo products are announced like any others, so carts, stock and caches learn of them.
      await recordEvents(trx, CATALOG_SCHEMA, slice.flatMap((p) => p.pullEvents().map(integrationEvent)));
      options.onProgress?.(Math.min(i + batch, products.length), products.length);
    }
    return products.length;
  });
}
