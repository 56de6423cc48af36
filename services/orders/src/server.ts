// orders alone on its port (default 3001): `npm run dev` here, or its container.
import { runService } from '@fusioncommerce/platform';
import { ordersService } from './service.ts';

await runService(ordersService);
