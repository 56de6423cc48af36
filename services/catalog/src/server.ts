// catalog alone on its port (default 3000): `npm run dev` here, or its container.
import { runService } from '@fusioncommerce/platform';
import { catalogService } from './service.ts';

await runService(catalogService);
