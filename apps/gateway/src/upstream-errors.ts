/** What the proxying gateway answers when a service behind it cannot: stable codes, mapped to 502 and 504 by the kernel. */
import { AppError } from '@fusioncommerce/platform';

export const UPSTREAM_UNAVAILABLE = 'GATEWAY.UPSTREAM_UNAVAILABLE';
export const UPSTREAM_TIMEOUT = 'GATEWAY.UPSTREAM_TIMEOUT';

export const upstreamUnavailable = (service: string, cause?: unknown): AppError =>
  new AppError(UPSTREAM_UNAVAILABLE, 'upstream_unavailable', `The ${service} service cannot be reached right now; try again shortly.`, {
    extensions: { upstream: service },
    cause,
  });

export const upstreamTimeout = (service: string, timeoutMs: number, cause?: unknown): AppError =>
  new AppError(UPSTREAM_TIMEOUT, 'upstream_timeout', `The ${service} service did not answer within ${timeoutMs} ms; try again shortly.`, {
    extensions: { upstream: service },
    cause,
  });

export const invalidPath = (): AppError =>
  new AppError('GATEWAY.INVALID_PATH', 'invalid', 'The request path cannot be forwarded: it is not a valid, normalised path.');
