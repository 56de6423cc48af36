#!/usr/bin/env node
// The fusion command. `#main` resolves to the TypeScript sources in a checkout
// (npm passes --conditions=fusion-source --import=tsx from .npmrc) and to the
// built files in an image (plain node, production dependencies only).
import('#main').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    console.error(`fusion: ${error.message}\nIn a checkout run it through npm (npx fusion …), which loads the sources; elsewhere run \`npm run build\` first.`);
    process.exit(1);
  }
  throw error;
});
