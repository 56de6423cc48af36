/**
 * Inventory's part of group buying: hold a participation's stock when the
 * shopper takes a seat (until the group's deadline plus a grace period, so
 * settlement can still sell it), sell it when the group succeeds, and let it
 * go when the shopper leaves or the participation fails. The reference is
 * `group_participation:<id>`; everything runs in the consumer's transaction
 * and is idempotent by that reference.
 */
import { ParticipationConfirmed, ParticipationFailed, ParticipationJoined, ParticipationLeft } from '@fusioncommerce/contracts';
import { AppError, on, type ConsumedEvent } from '@fusioncommerce/platform';
import type { Knex } from 'knex';
import type { InventorySettings } from '../config.ts';
import type { Reference } from '../domain/reservation.ts';
import { inventoryDeps } from '../use-cases/deps.ts';
import { commitReservation, releaseReservation } from '../use-cases/finish-reservation.ts';
import { reserveStock } from '../use-cases/reserve-stock.ts';

const ACTOR = 'system:group-buying';

const isCode = (error: unknown, code: string): error is AppError => error instanceof AppError && error.code === code;

export function groupParticipations(settings: () => InventorySettings): ConsumedEvent[] {
  const depsFor = (trx: Knex.Transaction) => inventoryDeps(trx, settings());
  const referenceOf = (participationId: string): Reference => ({ kind: 'group_participation', id: participationId });

  const release = async (trx: Knex.Transaction, participationId: string, releaseStock: boolean) => {
    if (!releaseStock) return;
    try {
      await releaseReservation(depsFor(trx), referenceOf(participationId), ACTOR);
    } catch (error) {
      // Nothing was ever held (the reservation failed), or it is already gone: nothing to give back.
      if (isCode(error, 'INVENTORY.RESERVATION_NOT_FOUND') || isCode(error, 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION')) return;
      throw error;
    }
  };

  return [
    on(ParticipationJoined, async (event, { trx }) => {
      const deps = depsFor(trx);
      const seconds = Math.ceil((new Date(event.data.holdUntil).getTime() - deps.now().getTime()) / 1000);
      await reserveStock(
        deps,
        {
          reference: referenceOf(event.data.participationId),
          lines: [{ sku: event.data.sku, quantity: event.data.quantity }],
          ttlSeconds: Math.min(Math.max(seconds, 60), deps.settings.maxTtlSeconds),
          unknownSkus: 'short',
        },
        ACTOR,
      );
    }),

    on(ParticipationConfirmed, async (event, { trx, log }) => {
      try {
        await commitReservation(depsFor(trx), referenceOf(event.data.participationId), ACTOR);
      } catch (error) {
        if (isCode(error, 'INVENTORY.RESERVATION_NOT_FOUND') || isCode(error, 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION')) {
          log.error({ participationId: event.data.participationId, code: error.code }, 'group participation confirmed but its stock reservation is missing or released');
          return;
        }
        throw error;
      }
    }),

    on(ParticipationLeft, async (event, { trx }) => release(trx, event.data.participationId, event.data.releaseStock)),
    on(ParticipationFailed, async (event, { trx }) => release(trx, event.data.participationId, event.data.releaseStock)),
  ];
}
