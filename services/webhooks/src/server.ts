// webhooks alone on its port (default 3007): `npm run dev` here, or its container.
import { runService } from '@fusioncommerce/platform';
import { webhooksService } from './service.ts';

await runService(webhooksService);
