/**
 * Stock on hand changing at one location: a receipt (goods in) or an
 * adjustment (a count, damage, shrinkage, a correction). Each is one
 * transaction: the level, its movement and its events commit together.
 */
import { recordEvents, type NewEvent } from '@fusioncommerce/platform';
import type { EventData, StockAdjusted } from '@fusioncommerce/contracts';
import { InventoryError } from '../domain/errors.ts';
import { availableOf, type Level, type StockChange } from '../domain/stock.ts';
import type { MovementView } from '../store/stock-queries.ts';
import { movementView } from '../store/stock-queries.ts';
import { changeStock } from './change-stock.ts';
import type { Actor, InventoryDeps } from './deps.ts';

export interface ReceiveInput {
  sku: string;
  locationId?: string;
  quantity: number;
  reason?: string;
}

export interface AdjustInput {
  sku: string;
  locationId?: string;
  /** A change (negative for write-offs)… */
  delta?: number;
  /** …or the counted quantity on hand. */
  onHand?: number;
  reason: string;
}

export interface LevelChangeResult {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  available: number;
  /** The movement logged; null when a count found what was already recorded. */
  movement: MovementView | null;
}

async function changeOnHand(
  deps: InventoryDeps,
  input: { sku: string; locationId?: string; reason: string | null },
  kind: 'receipt' | 'adjustment',
  actor: Actor,
  deltaFor: (level: Level) => number,
): Promise<LevelChangeResult> {
  return deps.knex.transaction(async (trx) => {
    // Shared: the location cannot be archived or lose its default flag until this commits.
    const location = input.locationId
      ? await deps.locations.get(input.locationId, trx, 'share')
      : await deps.locations.getDefault(trx, 'share');
    if (!location) throw InventoryError.locationNotFound(input.locationId as string, '/body/locationId');
    if (location.archived_at) throw InventoryError.locationArchived(location.id);
    if ((await deps.stock.items([input.sku], trx)).size === 0) throw InventoryError.skuNotFound(input.sku);
    await deps.stock.ensureLevels([{ sku: input.sku, locationId: location.id }], trx);

    const outcome = await changeStock(deps, trx, [input.sku], actor, (levels) => {
      const level = levels.find((l) => l.locationId === location.id);
      if (!level) throw new Error(`level ${input.sku} at ${location.id} was not locked`);
      const delta = deltaFor(level);
      if (delta === 0) return [];
      const change: StockChange = {
        sku: input.sku,
        locationId: location.id,
        kind,
        onHandDelta: delta,
        reservedDelta: 0,
        reason: input.reason,
        reservationId: null,
        reference: null,
      };
      return [change];
    });

    const level = outcome.locked.find((l) => l.locationId === location.id) as Level;
    const applied = outcome.applied[0];
    const movement = outcome.movements[0];
    if (!applied || !movement) {
      return { sku: input.sku, locationId: location.id, onHand: level.onHand, reserved: level.reserved, available: availableOf(level), movement: null };
    }
    const available = applied.onHandAfter - applied.reservedAfter;
    const adjusted: NewEvent<EventData<typeof StockAdjusted>> = {
      type: 'inventory.stock.adjusted',
      subject: input.sku,
      data: {
        movementId: movement.id,
        sku: input.sku,
        locationId: location.id,
        kind,
        delta: applied.onHandDelta,
        onHand: applied.onHandAfter,
        reserved: applied.reservedAfter,
        available,
        skuAvailable: outcome.totalsAfter.get(input.sku)?.available ?? available,
        reason: input.reason,
        actor,
      },
    };
    await recordEvents(trx, deps.schema, [adjusted, ...outcome.stockEvents]);
    return {
      sku: input.sku,
      locationId: location.id,
      onHand: applied.onHandAfter,
      reserved: applied.reservedAfter,
      available,
      movement: movementView(movement),
    };
  });
}

export const receiveStock = (deps: InventoryDeps, input: ReceiveInput, actor: Actor): Promise<LevelChangeResult> =>
  changeOnHand(deps, { sku: input.sku, locationId: input.locationId, reason: input.reason ?? null }, 'receipt', actor, () => input.quantity);

export async function adjustStock(deps: InventoryDeps, input: AdjustInput, actor: Actor): Promise<LevelChangeResult> {
  if ((input.delta === undefined) === (input.onHand === undefined)) throw InventoryError.eitherDeltaOrOnHand();
  const { delta, onHand } = input;
  if (delta === 0) throw InventoryError.zeroDelta();
  return changeOnHand(deps, { sku: input.sku, locationId: input.locationId, reason: input.reason }, 'adjustment', actor, (level) =>
    delta !== undefined ? delta : (onHand as number) - level.onHand,
  );
}
