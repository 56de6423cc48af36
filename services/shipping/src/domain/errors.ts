/** Shipping's errors, each with a stable code; the kernel maps kinds to HTTP. */
import { AppError, type FieldError } from '@fusioncommerce/platform';

export const ShippingError = {
  optionNotFound: (id: string) => new AppError('SHIPPING.OPTION_NOT_FOUND', 'not_found', `No shipping option ${id}.`),
  shipmentNotFound: (id: string) => new AppError('SHIPPING.SHIPMENT_NOT_FOUND', 'not_found', `No shipment ${id}.`),
  orderShipmentsNotFound: (orderId: string) => new AppError('SHIPPING.ORDER_NOT_FOUND', 'not_found', `No order ${orderId} with shipments of yours.`),
  optionArchived: (id: string) =>
    new AppError('SHIPPING.OPTION_ARCHIVED', 'conflict', `Shipping option ${id} is archived; create a new one instead.`, { extensions: { currentState: 'archived' } }),
  invalidRules: (errors: FieldError[]) =>
    new AppError('SHIPPING.INVALID_RULES', 'invalid', `The rate rules do not add up: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}.`, { errors }),
  versionMismatch: (current: number) =>
    new AppError('SHIPPING.VERSION_CONFLICT', 'conflict', 'Someone changed this option since you read it; reload and apply your change again.', {
      extensions: { currentVersion: current },
    }),
  preconditionFailed: (current: number) =>
    new AppError('SHIPPING.PRECONDITION_FAILED', 'precondition_failed', 'If-Match does not match the current version; reload and try again.', {
      extensions: { currentVersion: current },
    }),
  preconditionRequired: () =>
    new AppError(
      'SHIPPING.PRECONDITION_REQUIRED',
      'precondition_required',
      'Send If-Match with the ETag you read (or a version field) so concurrent edits cannot overwrite each other.',
    ),
  illegalTransition: (from: string, action: string) =>
    new AppError('SHIPPING.ILLEGAL_TRANSITION', 'conflict', `A ${from} shipment cannot be ${action}.`, { extensions: { currentState: from } }),
  unknownCarrier: (code: string, known: string[]) =>
    new AppError('SHIPPING.UNKNOWN_CARRIER', 'invalid', `No carrier "${code}"; known carriers: ${known.join(', ')}.`, {
      errors: [{ pointer: '/body/carrier', message: `must be one of ${known.join(', ')}` }],
    }),
  lineNotInShipment: (sku: string, index: number) =>
    new AppError('SHIPPING.LINE_NOT_IN_SHIPMENT', 'invalid', `SKU ${sku} is not in this shipment.`, {
      errors: [{ pointer: `/body/lines/${index}/sku`, message: 'is not in this shipment' }],
    }),
  quantityTooLarge: (sku: string, index: number, max: number) =>
    new AppError('SHIPPING.QUANTITY_TOO_LARGE', 'invalid', `This shipment holds ${max} of ${sku}; it cannot ship more.`, {
      errors: [{ pointer: `/body/lines/${index}/quantity`, message: `must be at most ${max}` }],
    }),
  duplicateLine: (sku: string, index: number) =>
    new AppError('SHIPPING.DUPLICATE_LINE', 'invalid', `SKU ${sku} appears more than once; send one line per SKU.`, {
      errors: [{ pointer: `/body/lines/${index}/sku`, message: 'repeats a SKU of an earlier line' }],
    }),
};
