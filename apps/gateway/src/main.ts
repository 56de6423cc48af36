// `npm start`: the whole platform in one process on http://localhost:8000.
import {
  ConfigError,
  closeOnSignals,
  listen,
  loadEventsConfig,
  loadMaintenanceConfig,
  loadProcessConfig,
  openDatabase,
  type EventsConfig,
  type MaintenanceSettings,
  type ProcessConfig,
} from '@fusioncommerce/platform';
import { Type } from 'typebox';
import { loadConfig } from '@fusioncommerce/platform';
import { ensureWebBuild } from './web.ts';

const started = performance.now();
let config: ProcessConfig;
let demoData: boolean;
let events: EventsConfig;
let maintenance: MaintenanceSettings;
try {
  config = loadProcessConfig();
  events = loadEventsConfig(process.env, 'embedded');
  maintenance = loadMaintenanceConfig();
  demoData = loadConfig(Type.Object({ FUSION_DEMO_DATA: Type.Optional(Type.Boolean()) })).FUSION_DEMO_DATA ?? true;
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`gateway: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

// A fresh clone whose install skipped `prepare` builds the storefront once; an existing build is used as is.
const web = ensureWebBuild();
// The database starts (PGlite compiles and boots) while every service's code loads.
const db = openDatabase({ url: config.DATABASE_URL, dataDir: config.FUSION_DATA_DIR, poolMax: config.DATABASE_POOL_MAX, applicationName: 'fusioncommerce-gateway' });
const reachable = db.ping().then(
  () => undefined,
  (error: unknown) => error,
);
const { buildGateway } = await import('./gateway.ts');
const unreachable = await reachable;
if (unreachable) throw unreachable;
const { app, seeded } = await buildGateway({
  config,
  db,
  ownsDatabase: true,
  demoData,
  events,
  maintenance,
  onSeedProgress: (done, total) => process.stderr.write(`\rLoading the demo catalog: ${done}/${total} products`),
});
if (seeded) process.stderr.write('\n');
// Handle SIGTERM before accepting traffic, so a stop right after start is still clean.
closeOnSignals(app, config.SHUTDOWN_GRACE_MS ?? 10_000);
const url = await listen(app, { host: config.HOST ?? '0.0.0.0', port: config.PORT ?? 8000, graceMs: config.SHUTDOWN_GRACE_MS ?? 10_000 });
app.log.info(
  { url, database: db.location, seeded, web, maintenanceFile: maintenance.file, startupMs: Math.round(performance.now() - started) },
  `FusionCommerce is ready: storefront ${url}/, admin ${url}/admin, API ${url}/v1/products, docs ${url}/docs, health ${url}/health`,
);
