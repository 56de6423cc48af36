/** Every service the gateway mounts in embedded mode, in start-up order. */
import { catalogService } from '@fusioncommerce/catalog';
import { customersService } from '@fusioncommerce/customers';
import { groupCommerceService } from '@fusioncommerce/group-commerce';
import { inventoryService } from '@fusioncommerce/inventory';
import { ordersService } from '@fusioncommerce/orders';
import { paymentsService } from '@fusioncommerce/payments';
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { shippingService } from '@fusioncommerce/shipping';
import { webhooksService } from '@fusioncommerce/webhooks';

export const services: ServiceDefinition[] = [catalogService, customersService, paymentsService, inventoryService, ordersService, shippingService, groupCommerceService, webhooksService];
