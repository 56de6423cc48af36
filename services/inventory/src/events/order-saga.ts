/**
 * Inventory's part of the order saga: hold an order's stock when it is
 * placed (all lines or none — a shortage is reported, not retried), sell it
 * when the order is confirmed, and let it go when the order is cancelled —
 * back to available if it was only held, back on the shelf if it had been
 * sold. Everything runs in the consumer's transaction, and every step is also
 * idempotent by the order's reference, so each happens once however often
 * the event arrives.
 */
import { OrderCancelled, OrderConfirmed, OrderPlaced } from '@fusioncommerce/contracts';
import { AppError, on, type ConsumedEvent } from '@fusioncommerce/platform';
import type { Knex } from 'knex';
import type { InventorySettings } from '../config.ts';
import type { Reference } from '../domain/reservation.ts';
import { inventoryDeps } from '../use-cases/deps.ts';
import { commitReservation, releaseReservation, restockReservation } from '../use-cases/finish-reservation.ts';
import { reserveStock } from '../use-cases/reserve-stock.ts';

const ACTOR = 'system:order-saga';

const isCode = (error: unknown, code: string): error is AppError => error instanceof AppError && error.code === code;

export function orderSaga(settings: () => InventorySettings): ConsumedEvent[] {
  const depsFor = (trx: Knex.Transaction) => inventoryDeps(trx, settings());
  const referenceOf = (orderId: string): Reference => ({ kind: 'order', id: orderId });

  return [
    on(OrderPlaced, async (event, { trx }) => {
      // Either outcome is recorded by the use case: inventory.stock.reserved or
      // inventory.stock.reservation_failed (a SKU inventory does not track counts as short).
      await reserveStock(
        depsFor(trx),
        { reference: referenceOf(event.data.orderId), lines: event.data.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), unknownSkus: 'short' },
        ACTOR,
      );
    }),

    on(
      OrderConfirmed,
      async (event, { trx, log }) => {
        try {
          await commitReservation(depsFor(trx), referenceOf(event.data.orderId), ACTOR);
        } catch (error) {
          if (isCode(error, 'INVENTORY.RESERVATION_NOT_FOUND') || isCode(error, 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION')) {
            // The order was confirmed without stock held for it (its reservation lapsed first): nothing was
            // taken from stock for this sale. Loud, because someone has to look at it; retrying would not help.
            log.error({ orderId: event.data.orderId, code: error.code }, 'order confirmed but its stock reservation is missing or released');
            return;
          }
          throw error;
        }
      },
      // Group buying committed its stock when the group succeeded.
      { when: (event) => event.data.source !== 'group' },
    ),

    on(
      OrderCancelled,
      async (event, { trx }) => {
        const deps = depsFor(trx);
        const reference = referenceOf(event.data.orderId);
        try {
          await releaseReservation(deps, reference, ACTOR);
        } catch (error) {
          if (isCode(error, 'INVENTORY.RESERVATION_NOT_FOUND')) return; // nothing was ever held
          if (!isCode(error, 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION')) throw error;
          // Already sold: the units go back on the shelf instead (once; again is a no-op).
          await restockReservation(deps, reference, ACTOR, `order ${event.data.number} cancelled (${event.data.reason})`);
        }
      },
      { when: (event) => event.data.releaseStock },
    ),
  ];
}
