/** The customers service's errors, each with a stable code; the kernel maps kinds to HTTP. */
import { AppError } from '@fusioncommerce/platform';

/** 429 with the seconds to wait; the kernel's error handler turns `retryAfter` into a Retry-After header. */
export class TooManyAttemptsError extends AppError {
  readonly retryAfter: number;

  constructor(retryAfterSeconds: number) {
    super('CUSTOMERS.TOO_MANY_ATTEMPTS', 'rate_limited', `Too many attempts. Wait ${retryAfterSeconds} s and try again.`, {
      extensions: { retryAfter: retryAfterSeconds },
    });
    this.retryAfter = retryAfterSeconds;
  }
}

export const CustomersError = {
  // One answer for an unknown email and a wrong password, so sign-in never says which emails have accounts.
  invalidCredentials: (orUnverified = false) =>
    new AppError(
      'CUSTOMERS.INVALID_CREDENTIALS',
      'unauthorized',
      orUnverified ? 'The email or password is not right, or the email is not confirmed yet.' : 'The email or password is not right.',
    ),
  invalidRefreshToken: () =>
    new AppError('CUSTOMERS.INVALID_REFRESH_TOKEN', 'unauthorized', 'The refresh token is not valid (unknown, expired or signed out); sign in again.'),
  refreshTokenReused: () =>
    new AppError(
      'CUSTOMERS.REFRESH_TOKEN_REUSED',
      'unauthorized',
      'This refresh token was already used once. To be safe, the session it belongs to is now signed out; sign in again.',
    ),
  invalidResetToken: () =>
    new AppError('CUSTOMERS.INVALID_RESET_TOKEN', 'invalid', 'This password reset link is not valid: it is unknown, expired or already used. Ask for a new one.', {
      errors: [{ pointer: '/body/token', message: 'is not a valid reset token' }],
    }),
  invalidVerificationToken: () =>
    new AppError('CUSTOMERS.INVALID_VERIFICATION_TOKEN', 'invalid', 'This verification link is not valid: it is unknown, expired or already used. Ask for a new one.', {
      errors: [{ pointer: '/body/token', message: 'is not a valid verification token' }],
    }),
  invalidInvitation: () =>
    new AppError('CUSTOMERS.INVALID_INVITATION', 'invalid', 'This invitation is not valid: it is unknown, expired or already used. Ask an admin for a new one.', {
      errors: [{ pointer: '/body/token', message: 'is not a valid invitation token' }],
    }),
  wrongCurrentPassword: () =>
    new AppError('CUSTOMERS.WRONG_PASSWORD', 'invalid', 'The current password is not right.', {
      errors: [{ pointer: '/body/currentPassword', message: 'is not the current password' }],
    }),
  customerNotFound: (id: string) => new AppError('CUSTOMERS.CUSTOMER_NOT_FOUND', 'not_found', `No customer ${id}.`),
  addressNotFound: (id: string) => new AppError('CUSTOMERS.ADDRESS_NOT_FOUND', 'not_found', `No address ${id} in this address book.`),
  accountExists: (email: string) =>
    new AppError('CUSTOMERS.ACCOUNT_EXISTS', 'conflict', `${email} already has an account; change its role instead of inviting it.`),
  lastAdmin: () =>
    new AppError('CUSTOMERS.LAST_ADMIN', 'conflict', 'This is the only admin; promote someone else before stepping down.', {
      extensions: { currentState: 'admin' },
    }),
  emailAlreadyVerified: () =>
    new AppError('CUSTOMERS.EMAIL_ALREADY_VERIFIED', 'conflict', 'This email is already verified.', { extensions: { currentState: 'verified' } }),
  addressLimit: (max: number) =>
    new AppError('CUSTOMERS.ADDRESS_BOOK_FULL', 'conflict', `An address book holds at most ${max} addresses; remove one first.`),
};
