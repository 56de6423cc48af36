/** Orders' errors, each with a stable code; the kernel maps kinds to HTTP. */
import { AppError } from '@fusioncommerce/platform';

export const OrdersError = {
  cartNotFound: (id: string) => new AppError('ORDERS.CART_NOT_FOUND', 'not_found', `No cart ${id}.`),
  lineNotFound: (id: string) => new AppError('ORDERS.CART_LINE_NOT_FOUND', 'not_found', `No line ${id} in this cart.`),
  orderNotFound: (id: string) => new AppError('ORDERS.ORDER_NOT_FOUND', 'not_found', `No order ${id}.`),
  variantUnavailable: (ref: string) =>
    new AppError('ORDERS.VARIANT_UNAVAILABLE', 'invalid', `${ref} is not for sale.`, {
      errors: [{ pointer: '/body/variantId', message: 'is not a published variant' }],
    }),
  outOfStock: (shortages: { lineId: string; sku: string; requested: number; available: number }[]) =>
    new AppError(
      'ORDERS.OUT_OF_STOCK',
      'conflict',
      `Not enough stock: ${shortages.map((s) => `${s.sku} (${s.requested} asked, ${s.available} left)`).join(', ')}. Lower the quantity or remove the item; the cart is kept.`,
      { extensions: { shortages } },
    ),
  cartClosed: (status: string) =>
    new AppError('ORDERS.CART_CLOSED', 'conflict', `This cart is ${status}; start a new one.`, { extensions: { currentState: status } }),
  cartEmpty: () => new AppError('ORDERS.CART_EMPTY', 'conflict', 'The cart is empty.'),
  tooManyLines: (max: number) => new AppError('ORDERS.TOO_MANY_LINES', 'invalid', `A cart holds at most ${max} different items.`),
  quantityTooLarge: (max: number) => new AppError('ORDERS.QUANTITY_TOO_LARGE', 'invalid', `At most ${max} of one item per order.`),
  currencyMismatch: (cart: string, item: string) =>
    new AppError('ORDERS.CURRENCY_MISMATCH', 'invalid', `This cart is in ${cart}; the item is priced in ${item}.`),
  checkoutInProgress: (orderId: string) =>
    new AppError('ORDERS.CHECKOUT_IN_PROGRESS', 'conflict', 'This cart is already being checked out.', { extensions: { orderId } }),
  illegalTransition: (from: string, action: string) =>
    new AppError('ORDERS.ILLEGAL_TRANSITION', 'conflict', `An order that is ${from} cannot be ${action}.`, { extensions: { currentState: from } }),
  refundTooLarge: (refundable: number) =>
    new AppError('ORDERS.REFUND_TOO_LARGE', 'invalid', `At most ${refundable} (minor units) can still be refunded.`, {
      errors: [{ pointer: '/body/amount', message: 'exceeds what was paid and not yet refunded' }],
    }),
  notPaid: () => new AppError('ORDERS.NOT_PAID', 'conflict', 'Nothing has been charged for this order yet; cancel it instead.'),
  idempotencyKeyRequired: () =>
    new AppError('ORDERS.IDEMPOTENCY_KEY_REQUIRED', 'invalid', 'Send an Idempotency-Key header (a UUID or similar) so a retried checkout never creates a second order.', {
      errors: [{ pointer: '/headers/idempotency-key', message: 'is required' }],
    }),
  idempotencyKeyReused: () =>
    new AppError('ORDERS.IDEMPOTENCY_KEY_REUSED', 'unprocessable', 'This Idempotency-Key was used with a different request.'),
  emailRequired: () =>
    new AppError('ORDERS.EMAIL_REQUIRED', 'invalid', 'Guests check out with an email address.', {
      errors: [{ pointer: '/body/email', message: 'is required for guests' }],
    }),
  shippingUnavailable: (issue: string) =>
    new AppError('ORDERS.SHIPPING_UNAVAILABLE', 'conflict', issue, { errors: [{ pointer: '/body/shippingAddress/country', message: 'has no usable shipping option for this cart' }] }),
  shippingOptionNotApplicable: (issue: string) =>
    new AppError('ORDERS.SHIPPING_OPTION_NOT_APPLICABLE', 'invalid', issue, { errors: [{ pointer: '/body/optionId', message: 'is not an option that applies to this cart and country' }] }),
  cartMergeForbidden: () => new AppError('ORDERS.CART_NOT_MERGEABLE', 'conflict', 'Only a guest cart can be merged into your cart.'),
};
