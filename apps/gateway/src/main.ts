// `npm start`: the whole platform in one process on http://localhost:8000 —
// or, with every <SERVICE>_SERVICE_URL set, the entry point proxying to the services.
import {
  ConfigError,
  PRODUCTION_SECRETS,
  closeOnSignals,
  listen,
  loadEventsConfig,
  loadMaintenanceConfig,
  loadProcessConfig,
  loadUpstreamsConfig,
  openDatabase,
  type EventsConfig,
  type MaintenanceSettings,
  type ProcessConfig,
  type UpstreamsConfig,
} from '@fusioncommerce/platform';
import { Type } from 'typebox';
import { loadConfig } from '@fusioncommerce/platform';
import { PROXIED_SERVICES } from './route-ownership.ts';
import { ensureWebBuild } from './web.ts';

const started = performance.now();
let upstreams: UpstreamsConfig | undefined;
let config: ProcessConfig;
let demoData = true;
let events: EventsConfig = {};
let maintenance: MaintenanceSettings;
try {
  upstreams = loadUpstreamsConfig(PROXIED_SERVICES);
  if (upstreams) {
    // Proxying, the gateway holds no data: the database and the services' own secrets are theirs, not its.
    config = loadProcessConfig(process.env, PRODUCTION_SECRETS.filter((secret) => secret.name !== 'DATABASE_URL'), []);
  } else {
    config = loadProcessConfig();
    events = loadEventsConfig(process.env, 'embedded');
    demoData = loadConfig(Type.Object({ FUSION_DEMO_DATA: Type.Optional(Type.Boolean()) })).FUSION_DEMO_DATA ?? true;
  }
  maintenance = loadMaintenanceConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`gateway: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

// A fresh clone whose install skipped `prepare` builds the storefront once; an existing build is used as is.
const web = ensureWebBuild();
const graceMs = config.SHUTDOWN_GRACE_MS ?? 10_000;

if (upstreams) {
  const { buildProxyGateway } = await import('./proxy-gateway.ts');
  const { app } = await buildProxyGateway({ config, upstreams, maintenance });
  closeOnSignals(app, graceMs);
  const url = await listen(app, { host: config.HOST ?? '0.0.0.0', port: config.PORT ?? 8000, graceMs });
  const unused = (['DATABASE_URL', 'KAFKA_BROKERS', 'FUSION_DEMO_DATA'] as const).filter((name) => process.env[name]);
  if (unused.length > 0) app.log.info({ unused }, `not used while proxying (the services hold the data and the events): ${unused.join(', ')}`);
  app.log.info(
    { url, upstreams: upstreams.urls, timeoutMs: upstreams.timeoutMs, web, maintenanceFile: maintenance.file, startupMs: Math.round(performance.now() - started) },
    `FusionCommerce gateway is ready, proxying to ${Object.keys(upstreams.urls).length} services: storefront ${url}/, admin ${url}/admin, API ${url}/v1/products, docs ${url}/docs`,
  );
} else {
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
    onSeedProgress: (done, total) => process.stderr.write(`\rLoading the demo catalog: ${done}/${total} products${done === total ? '\n' : ''}`),
  });
  // Handle SIGTERM before accepting traffic, so a stop right after start is still clean.
  closeOnSignals(app, graceMs);
  const url = await listen(app, { host: config.HOST ?? '0.0.0.0', port: config.PORT ?? 8000, graceMs });
  app.log.info(
    { url, database: db.location, seeded, web, maintenanceFile: maintenance.file, startupMs: Math.round(performance.now() - started) },
    `FusionCommerce is ready: storefront ${url}/, admin ${url}/admin, API ${url}/v1/products, docs ${url}/docs, health ${url}/health`,
  );
}
