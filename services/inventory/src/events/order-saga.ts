/**
 * Inventory's part of the order saga: hold an order's stock when it is
 * placed (all lines or none — a shortage is reported, not retried), sell it
 * when the order is confirmed, and let it go when the order is cancelled —
 * back to available if it was only held, back on the shelf (a receipt at the
 * locations it left) if it had been sold. Everything runs in the consumer's
 * transaction, so each step happens once however often the event arrives.
 */
import { OrderCancelled, OrderConfirmed, OrderPlaced, StockReservationFailed, type EventData } from '@fusioncommerce/contracts';
import { AppError, on, recordEvents, type ConsumedEvent } from '@fusioncommerce/platform';
import type { Knex } from 'knex';
import type { InventorySettings } from '../config.ts';
import type { Reference } from '../domain/reservation.ts';
import { receiveStock } from '../use-cases/adjust-stock.ts';
import { inventoryDeps } from '../use-cases/deps.ts';
import { commitReservation, releaseReservation } from '../use-cases/finish-reservation.ts';
import { reserveStock } from '../use-cases/reserve-stock.ts';

const ACTOR = 'order-saga';

export function orderSaga(settings: () => InventorySettings): ConsumedEvent[] {
  const depsFor = (trx: Knex.Transaction) => inventoryDeps(trx, settings());
  const referenceOf = (orderId: string): Reference => ({ kind: 'order', id: orderId });

  return [
    on(OrderPlaced, async (event, { trx }) => {
      const deps = depsFor(trx);
      const reference = referenceOf(event.data.orderId);
      const lines = event.data.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
      let result: Awaited<ReturnType<typeof reserveStock>>;
      try {
        result = await reserveStock(deps, { reference, lines }, ACTOR);
      } catch (error) {
        // A SKU inventory has never heard of cannot be sold: report it as short, like any shortage.
        if (!(error instanceof AppError && error.code === 'INVENTORY.SKU_NOT_FOUND')) throw error;
        result = { outcome: 'insufficient_stock', shortages: lines.map((l) => ({ sku: l.sku, requested: l.quantity, available: 0 })) };
      }
      if (result.outcome === 'reserved') return; // reserveStock recorded inventory.stock.reserved
      await recordEvents(trx, deps.schema, [
        {
          type: StockReservationFailed.type,
          subject: `order:${event.data.orderId}`,
          data: {
            reference,
            lines,
            shortages: result.shortages.map((s) => ({ sku: s.sku, requested: s.requested, available: s.available })),
          } satisfies EventData<typeof StockReservationFailed>,
        },
      ]);
    }),

    on(OrderConfirmed, async (event, { trx }) => {
      await commitReservation(depsFor(trx), referenceOf(event.data.orderId), ACTOR).catch(ignoreMissing);
    }),

    on(OrderCancelled, async (event, { trx }) => {
      if (!event.data.releaseStock) return;
      const deps = depsFor(trx);
      const reference = referenceOf(event.data.orderId);
      const released = await releaseReservation(deps, reference, ACTOR).then(
        () => true,
        (error: unknown) => {
          if (error instanceof AppError && error.code === 'INVENTORY.RESERVATION_NOT_FOUND') return true;
          if (error instanceof AppError && error.kind === 'conflict') return false; // already sold
          throw error;
        },
      );
      if (released) return;
      const reservation = await deps.reservations.byReference(reference, trx);
      if (!reservation || reservation.status !== 'committed') return;
      const lines = await deps.reservations.lines([reservation.id], trx);
      for (const line of lines) {
        await receiveStock(deps, { sku: line.sku, locationId: line.location_id, quantity: line.quantity, reason: `order ${event.data.number} cancelled: restocked` }, ACTOR);
      }
    }),
  ];
}

function ignoreMissing(error: unknown): void {
  if (error instanceof AppError && (error.code === 'INVENTORY.RESERVATION_NOT_FOUND' || error.kind === 'conflict')) return;
  throw error;
}
