// group-commerce alone on its port (default 3003): `npm run dev` here, or its container.
import { runService } from '@fusioncommerce/platform';
import { groupCommerceService } from './service.ts';

await runService(groupCommerceService);
