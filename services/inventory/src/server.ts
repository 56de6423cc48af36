// inventory alone on its port (default 3002): `npm run dev` here, or its container.
import { runService } from '@fusioncommerce/platform';
import { inventoryService } from './service.ts';

await runService(inventoryService);
