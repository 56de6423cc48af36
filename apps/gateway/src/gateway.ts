/**
 * The embedded platform: one process, one database, every service mounted on
 * one Fastify app under the same paths it serves on its own port.
 */
import {
  countQueries,
  startEvents,
  migrateServices,
  mountService,
  openDatabase,
  type Database,
  type EventRuntime,
  type EventsConfig,
  type ProcessConfig,
  type ServiceDefinition,
} from '@fusioncommerce/platform';
import type { FastifyInstance } from 'fastify';
import { seedDemoCatalog } from '@fusioncommerce/catalog';
import { seedDemoStock } from '@fusioncommerce/inventory';
import { seedDemoShipping } from '@fusioncommerce/shipping';
import { DEMO_DEAL_MIN_STOCK, pickDemoDealVariants, seedDemoDeals } from '@fusioncommerce/group-commerce';
import { gatewayApp, type GatewayAppOptions } from './gateway-app.ts';
import { services as allServices } from './services.ts';

export interface GatewayOptions extends GatewayAppOptions {
  config: ProcessConfig;
  /** Load the demo catalog into an empty shop (default: true). */
  demoData?: boolean;
  /** Use this database instead of opening one from config (tests, or a caller that opened it early). */
  db?: Database;
  /** Close `db` when the app closes (default: only a database the gateway opened itself). */
  ownsDatabase?: boolean;
  services?: ServiceDefinition[];
  onSeedProgress?: (done: number, total: number) => void;
  /** Event transport and tuning (EVENTS_*, KAFKA_*); without it, in process unless KAFKA_BROKERS is set. */
  events?: EventsConfig;
}

export interface Gateway {
  app: FastifyInstance;
  db: Database;
  seeded: boolean;
  /** Every service's relay and consumers; started, and stopped when the app closes. */
  events: EventRuntime;
}

/** The published demo variants the demo group deals go on (well stocked; group buying's own rule picks them). */
async function demoDealVariants(db: Database) {
  const rows = (await db.knex('catalog.variants as v')
    .join('catalog.products as p', 'p.id', 'v.product_id')
    .join('inventory.stock_levels as s', 's.sku', 'v.sku')
    .where('p.status', 'published')
    .where('s.on_hand', '>=', DEMO_DEAL_MIN_STOCK)
    .select('v.id', 'v.sku', 'v.product_id', 'p.title as product_title', 'p.slug', 'v.title', 'v.price_amount', 'v.currency', 's.on_hand')) as {
    id: string; sku: string; product_id: string; product_title: string; slug: string; title: string; price_amount: number | string; currency: string; on_hand: number | string;
  }[];
  return pickDemoDealVariants(rows.map((r) => ({ ...r, onHand: Number(r.on_hand) }))).map((r) => ({
    variantId: r.id,
    sku: r.sku,
    productId: r.product_id,
    productTitle: r.product_title,
    productSlug: r.slug,
    variantTitle: r.title,
    price: Number(r.price_amount),
    currency: r.currency,
  }));
}

/** Loads the demo catalog once per database: a marker row, not an empty table, says it was done. */
async function seedOnce(db: Database, onProgress?: (done: number, total: number) => void): Promise<boolean> {
  await db.knex.raw('create schema if not exists gateway');
  await db.knex.raw('create table if not exists gateway.meta (key text primary key, value text not null, updated_at timestamptz not null default now())');
  const marker = await db.knex('gateway.meta').where({ key: 'demo_data_loaded_at' }).first();
  if (marker) return false;
  await seedDemoCatalog(db.knex, { onProgress });
  // Demo data only: the composition root hands the demo SKUs to inventory, which stocks them.
  await seedDemoStock(db.knex, await db.knex('catalog.variants').pluck('sku'));
  // Standard, express and international shipping; announced by events like the catalog, so orders prices carts with them.
  await seedDemoShipping(db.knex);
  // Group buying gets a couple of demo deals on well-stocked demo variants (their catalog facts handed over the same way).
  await seedDemoDeals(db.knex, await demoDealVariants(db));
  await db.knex('gateway.meta').insert({ key: 'demo_data_loaded_at', value: new Date().toISOString() });
  return true;
}

export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const services = options.services ?? allServices;
  const db =
    options.db ??
    openDatabase({ url: config.DATABASE_URL, dataDir: config.FUSION_DATA_DIR, poolMax: config.DATABASE_POOL_MAX, applicationName: 'fusioncommerce-gateway' });
  await migrateServices(db, services);
  const seeded = options.demoData === false ? false : await seedOnce(db, options.onSeedProgress);

  const app = await gatewayApp(config, options);
  if (options.ownsDatabase ?? !options.db) app.addHook('onClose', async () => db.close());
  app.readiness.add('database', () => db.ping());
  countQueries(db.knex, app.metrics);
  for (const service of services) await mountService(app, service, db);
  const events = await startEvents(app, services, db, config, { events: options.events, mode: 'embedded', processName: 'gateway' });
  return { app, db, seeded, events };
}
