/** The webhooks service's errors, each with a stable code; the kernel maps kinds to HTTP. */
import { AppError, type FieldError } from '@fusioncommerce/platform';

export const WebhooksError = {
  subscriptionNotFound: (id: string) => new AppError('WEBHOOKS.SUBSCRIPTION_NOT_FOUND', 'not_found', `No webhook subscription ${id}.`),
  deliveryNotFound: (id: string) => new AppError('WEBHOOKS.DELIVERY_NOT_FOUND', 'not_found', `No webhook delivery ${id}.`),
  invalidUrl: (reason: string) =>
    new AppError('WEBHOOKS.INVALID_URL', 'invalid', `The receiver URL is not usable: ${reason}.`, { errors: [{ pointer: '/body/url', message: reason }] }),
  urlNotAllowed: (reason: string) =>
    new AppError('WEBHOOKS.URL_NOT_ALLOWED', 'invalid', `The receiver URL is refused: ${reason}. Private addresses are allowed only with WEBHOOKS_ALLOW_PRIVATE_URLS=true.`, {
      errors: [{ pointer: '/body/url', message: reason }],
    }),
  invalidEventTypes: (errors: FieldError[]) =>
    new AppError('WEBHOOKS.UNKNOWN_EVENT_TYPE', 'invalid', `Some event types are not ones the shop publishes: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}.`, {
      errors,
    }),
  nothingToChange: () =>
    new AppError('WEBHOOKS.NOTHING_TO_CHANGE', 'invalid', 'Say what to change: url, eventTypes, description or active.', {
      errors: [{ pointer: '/body', message: 'names no field to change' }],
    }),
  subscriptionInactive: (id: string) =>
    new AppError('WEBHOOKS.SUBSCRIPTION_INACTIVE', 'conflict', `Webhook subscription ${id} is inactive; activate it first (PATCH with "active": true).`, {
      extensions: { currentState: 'inactive' },
    }),
  deliveryInProgress: (id: string, status: string) =>
    new AppError('WEBHOOKS.DELIVERY_IN_PROGRESS', 'conflict', `Delivery ${id} is ${status}: it is still being tried, so there is nothing to replay yet.`, {
      extensions: { currentState: status },
    }),
  versionMismatch: (current: number) =>
    new AppError('WEBHOOKS.VERSION_CONFLICT', 'conflict', 'Someone changed this subscription since you read it; reload and apply your change again.', {
      extensions: { currentVersion: current },
    }),
  preconditionFailed: (current: number) =>
    new AppError('WEBHOOKS.PRECONDITION_FAILED', 'precondition_failed', 'If-Match does not match the current version; reload and try again.', {
      extensions: { currentVersion: current },
    }),
  preconditionRequired: () =>
    new AppError(
      'WEBHOOKS.PRECONDITION_REQUIRED',
      'precondition_required',
      'Send If-Match with the ETag you read (or a version field) so concurrent edits cannot overwrite each other.',
    ),
};
