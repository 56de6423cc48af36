// customers alone on its port (default 3006): `npm run dev` here, or its container.
import { runService } from '@fusioncommerce/platform';
import { customersService } from './service.ts';

await runService(customersService);
