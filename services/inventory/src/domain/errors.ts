/** Inventory's errors, each with a stable code; the kernel maps kinds to HTTP. */
import { AppError, type FieldError } from '@fusioncommerce/platform';

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}

export const InventoryError = {
  skuNotFound: (sku: string) => new AppError('INVENTORY.SKU_NOT_FOUND', 'not_found', `SKU ${sku} is not tracked by inventory.`),
  skusNotFound: (skus: string[], errors: FieldError[]) =>
    new AppError('INVENTORY.SKU_NOT_FOUND', 'not_found', `Not tracked by inventory: ${skus.join(', ')}.`, {
      errors,
      extensions: { skus },
    }),
  skuExists: (sku: string) => new AppError('INVENTORY.SKU_EXISTS', 'conflict', `SKU ${sku} is already tracked.`),
  locationNotFound: (id: string, pointer?: string) =>
    new AppError('INVENTORY.LOCATION_NOT_FOUND', 'not_found', `No stock location ${id}.`, {
      errors: pointer ? [{ pointer, message: 'is not a known location' }] : undefined,
    }),
  locationArchived: (id: string) =>
    new AppError('INVENTORY.LOCATION_ARCHIVED', 'conflict', `Stock location ${id} is archived; it takes no stock.`, {
      extensions: { currentState: 'archived' },
    }),
  duplicateLocationCode: (code: string) => new AppError('INVENTORY.DUPLICATE_LOCATION_CODE', 'conflict', `A location with code "${code}" exists.`),
  defaultLocationRequired: () =>
    new AppError('INVENTORY.DEFAULT_LOCATION', 'conflict', 'The default location cannot be archived or lose its default flag; make another location the default first.'),
  locationNotEmpty: (id: string) =>
    new AppError('INVENTORY.LOCATION_NOT_EMPTY', 'conflict', `Location ${id} still holds or reserves stock; move or write it off first.`),
  duplicateLine: (sku: string, pointer: string) =>
    new AppError('INVENTORY.DUPLICATE_LINE', 'invalid', `SKU ${sku} appears more than once; send one line per SKU.`, {
      errors: [{ pointer, message: 'repeats a SKU of an earlier line' }],
    }),
  insufficientStock: (shortages: Shortage[]) =>
    new AppError(
      'INVENTORY.INSUFFICIENT_STOCK',
      'conflict',
      `Not enough stock for ${shortages.map((s) => s.sku).join(', ')}; nothing was reserved.`,
      { extensions: { shortages } },
    ),
  referenceReused: (reference: string) =>
    new AppError(
      'INVENTORY.REFERENCE_REUSED',
      'conflict',
      `${reference} already has a reservation with other lines; one reference holds one reservation.`,
    ),
  reservationNotFound: (what: string) => new AppError('INVENTORY.RESERVATION_NOT_FOUND', 'not_found', `No reservation for ${what}.`),
  illegalReservationTransition: (from: string, action: 'commit' | 'release' | 'restock') => {
    const done = { commit: 'committed', release: 'released', restock: 'restocked' }[action];
    return new AppError(
      'INVENTORY.ILLEGAL_RESERVATION_TRANSITION',
      'conflict',
      from === 'released' ? `The reservation was released; it cannot be ${done} now.` : `A ${from} reservation cannot be ${done}.`,
      { extensions: { currentState: from } },
    );
  },
  belowReserved: (sku: string, onHand: number, reserved: number) =>
    new AppError(
      'INVENTORY.BELOW_RESERVED',
      'conflict',
      `SKU ${sku} would have ${onHand} on hand with ${reserved} reserved; stock on hand cannot go below what is reserved.`,
      { extensions: { reserved } },
    ),
  levelLimit: (sku: string, max: number) =>
    new AppError('INVENTORY.LEVEL_LIMIT', 'conflict', `SKU ${sku} would hold more than ${max} units at one location.`),
  eitherDeltaOrOnHand: () =>
    new AppError('INVENTORY.ADJUSTMENT_AMOUNT', 'invalid', 'Send either delta (a change) or onHand (a count), not both and not neither.', {
      errors: [{ pointer: '/body', message: 'needs exactly one of delta, onHand' }],
    }),
  zeroDelta: () =>
    new AppError('INVENTORY.ZERO_DELTA', 'invalid', 'An adjustment of zero changes nothing; send the units gained or lost.', {
      errors: [{ pointer: '/body/delta', message: 'must not be 0' }],
    }),
  ttlTooLong: (max: number) =>
    new AppError('INVENTORY.TTL_TOO_LONG', 'invalid', `A reservation is held for at most ${max} seconds.`, {
      errors: [{ pointer: '/body/ttlSeconds', message: `must be at most ${max}` }],
    }),
};
