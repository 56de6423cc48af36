// payments alone on its port (default 3004): `npm run dev` here, or its container.
import { ConfigError, runService } from '@fusioncommerce/platform';
import { loadPaymentsConfig, type PaymentsConfig } from './config.ts';
import { createPaymentsService } from './service.ts';

let config: PaymentsConfig;
try {
  config = loadPaymentsConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`payments: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

await runService(createPaymentsService({ config }));
