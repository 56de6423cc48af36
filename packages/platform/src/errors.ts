/**
 * One error type for the whole platform. A domain error carries a stable code
 * (`CATALOG.DUPLICATE_SKU`) and a kind; the HTTP layer maps kinds to statuses in
 * one place (http/problem.ts), so domain code never speaks HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** Well-formed, but refused as it stands (a reused Idempotency-Key with another request): 422. */
  | 'unprocessable'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  /** The gateway's upstream service could not be reached or broke off (502), or did not answer in time (504). */
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'internal';

export interface FieldError {
  /** JSON pointer of the offending field, e.g. `/variants/0/price/amount`. */
  pointer: string;
  message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly errors?: FieldError[];
  /** Extra members added to the problem document (e.g. `currentState`). */
  readonly extensions?: Record<string, unknown>;

  constructor(
    code: string,
    kind: ErrorKind,
    message: string,
    options: { errors?: FieldError[]; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.errors = options.errors;
    this.extensions = options.extensions;
  }
}

export const notFound = (code: string, message: string): AppError => new AppError(code, 'not_found', message);
export const invalid = (code: string, message: string, errors?: FieldError[]): AppError =>
  new AppError(code, 'invalid', message, { errors });
export const conflict = (code: string, message: string, extensions?: Record<string, unknown>): AppError =>
  new AppError(code, 'conflict', message, { extensions });

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
