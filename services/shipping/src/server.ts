// shipping alone on its port (default 3005): `npm run dev` here, or its container.
import { runService } from '@fusioncommerce/platform';
import { shippingService } from './service.ts';

await runService(shippingService);
