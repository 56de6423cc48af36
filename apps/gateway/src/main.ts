// `npm start`: the whole platform in one process on http://localhost:8000.
import { ConfigError, closeOnSignals, listen, loadEventsConfig, loadProcessConfig, type EventsConfig, type ProcessConfig } from '@fusioncommerce/platform';
import { Type } from 'typebox';
import { loadConfig } from '@fusioncommerce/platform';
import { buildGateway } from './gateway.ts';

const started = performance.now();
let config: ProcessConfig;
let demoData: boolean;
let events: EventsConfig;
try {
  config = loadProcessConfig();
  events = loadEventsConfig(process.env, 'embedded');
  demoData = loadConfig(Type.Object({ FUSION_DEMO_DATA: Type.Optional(Type.Boolean()) })).FUSION_DEMO_DATA ?? true;
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`gateway: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const { app, db, seeded } = await buildGateway({
  config,
  demoData,
  events,
  onSeedProgress: (done, total) => process.stderr.write(`\rLoading the demo catalog: ${done}/${total} products`),
});
if (seeded) process.stderr.write('\n');
// Handle SIGTERM before accepting traffic, so a stop right after start is still clean.
closeOnSignals(app, config.SHUTDOWN_GRACE_MS ?? 10_000);
const url = await listen(app, { host: config.HOST ?? '0.0.0.0', port: config.PORT ?? 8000, graceMs: config.SHUTDOWN_GRACE_MS ?? 10_000 });
app.log.info(
  { url, database: db.location, seeded, startupMs: Math.round(performance.now() - started) },
  `FusionCommerce is ready: API ${url}/v1/products, docs ${url}/docs, health ${url}/health`,
);
