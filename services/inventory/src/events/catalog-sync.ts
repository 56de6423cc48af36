/**
 * Inventory learns of SKUs from the catalog: every variant of a created or
 * updated product becomes a tracked SKU (at zero stock) if it is not one
 * already. Nothing is ever untracked here: stock and history outlive a variant.
 */
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import { ProductCreated, ProductUpdated } from '@fusioncommerce/contracts';
import type { InventorySettings } from '../config.ts';
import { SKU } from '../domain/stock.ts';
import { inventoryDeps } from '../use-cases/deps.ts';
import { trackSkus } from '../use-cases/manage-items.ts';

export function catalogSync(settings: () => InventorySettings): ConsumedEvent[] {
  const track = async (skus: string[], trx: Parameters<typeof inventoryDeps>[0]) => {
    // The catalog checks SKUs with the same rule; anything else is not ours to track.
    const valid = [...new Set(skus)].filter((sku) => SKU.test(sku));
    await trackSkus(inventoryDeps(trx, settings()), valid.map((sku) => ({ sku })));
  };
  return [
    on(ProductCreated, async (event, { trx }) => track(event.data.product.variants.map((v) => v.sku), trx)),
    on(ProductUpdated, async (event, { trx }) => track(event.data.product.variants.map((v) => v.sku), trx)),
  ];
}
