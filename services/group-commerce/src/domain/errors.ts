/** Group buying's errors, each with a stable code; the kernel maps kinds to RFC 9457 problems. */
import { AppError, type FieldError } from '@fusioncommerce/platform';

export const GroupError = {
  invalidDeal: (message: string, errors: FieldError[]) => new AppError('GROUPS.INVALID_DEAL', 'invalid', message, { errors }),
  variantUnavailable: () =>
    new AppError('GROUPS.VARIANT_UNAVAILABLE', 'invalid', 'The variant is not a published catalog variant.', {
      errors: [{ pointer: '/body/variantId', message: 'is not a published variant' }],
    }),
  dealNotFound: (id: string) => new AppError('GROUPS.DEAL_NOT_FOUND', 'not_found', `No group deal ${id}.`),
  groupNotFound: (ref: string) => new AppError('GROUPS.GROUP_NOT_FOUND', 'not_found', `No group ${ref}.`),
  participationNotFound: (id: string) => new AppError('GROUPS.PARTICIPATION_NOT_FOUND', 'not_found', `No participation ${id}.`),
  dealNotLive: (state: string) =>
    new AppError('GROUPS.DEAL_NOT_LIVE', 'conflict', `This deal is ${state}: no group can be started or joined.`, { extensions: { currentState: state } }),
  dealArchived: () => new AppError('GROUPS.ILLEGAL_TRANSITION', 'conflict', 'This deal is already archived.', { extensions: { currentState: 'archived' } }),
  groupNotOpen: (status: string) =>
    new AppError('GROUPS.GROUP_NOT_OPEN', 'conflict', `This group is ${status}: it takes no more members.`, { extensions: { currentState: status } }),
  groupFull: (max: number) =>
    new AppError('GROUPS.GROUP_FULL', 'conflict', `This group has all ${max} of its seats taken.`, { extensions: { currentState: 'open', maxGroupSize: max } }),
  alreadyJoined: (participationId: string) =>
    new AppError('GROUPS.ALREADY_JOINED', 'conflict', 'You are already in this group.', { extensions: { participationId } }),
  limitExceeded: (limit: number, held: number) =>
    new AppError('GROUPS.PER_CUSTOMER_LIMIT', 'conflict', `This deal allows ${limit} per customer; you hold ${held} already.`, { extensions: { limit, held } }),
  cannotLeave: (status: string) =>
    new AppError('GROUPS.ILLEGAL_TRANSITION', 'conflict', `A participation that is ${status} cannot be left.`, { extensions: { currentState: status } }),
  idempotencyKeyReused: () =>
    new AppError('GROUPS.IDEMPOTENCY_KEY_REUSED', 'unprocessable', 'This Idempotency-Key was used with a different request.', {
      errors: [{ pointer: '/headers/idempotency-key', message: 'was used with a different request' }],
    }),
};
