/** Keeps group buying's copy of the catalog's variants current: a deal's SKU and titles come from it. */
import { ProductArchived, ProductCreated, ProductPublished, ProductUnpublished, ProductUpdated } from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import { applyProduct } from '../store/variant-replica.ts';

export const catalogReplicaHandlers: ConsumedEvent[] = [ProductCreated, ProductUpdated, ProductPublished, ProductUnpublished, ProductArchived].map((contract) =>
  on(contract, async (event, { trx }) => applyProduct(trx, event.data.product)),
);
