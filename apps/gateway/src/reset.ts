// `npm run reset`: forget the embedded shop (PGlite data under FUSION_DATA_DIR) so the next `npm start` begins afresh with demo data.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, defaultDataDir, loadProcessConfig } from '@fusioncommerce/platform';

try {
  const config = loadProcessConfig();
  if (config.DATABASE_URL) {
    console.error('reset: DATABASE_URL is set; reset only deletes embedded data. Drop the service schemas on that server yourself if you mean it.');
    process.exit(1);
  }
  const dir = join(config.FUSION_DATA_DIR ?? defaultDataDir, 'pglite');
  if (!existsSync(dir)) {
    console.log(`reset: nothing to delete at ${dir}`);
  } else {
    rmSync(dir, { recursive: true, force: true });
    console.log(`reset: deleted the embedded database at ${dir}; the next npm start loads the demo catalog again.`);
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`reset: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
