/** Keeps orders' copy of what inventory can sell per SKU current, so carts can say "only 2 left" before checkout tries. */
import { StockAvailabilityChanged } from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import { applyStockLevel } from '../store/stock-replica.ts';

export const stockReplicaHandlers: ConsumedEvent[] = [
  on(StockAvailabilityChanged, async (event, { trx }) => applyStockLevel(trx, event.data.sku, event.data.available)),
];
