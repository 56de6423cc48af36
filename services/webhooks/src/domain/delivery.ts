/**
 * A delivery is one event for one subscription: `pending` until the worker
 * claims it, `delivering` while an attempt runs (its due time is then the
 * claim's lease), `delivered` on a 2xx, `pending` again with a later due time
 * after a failed attempt, and `failed` after the last allowed one. Finished
 * deliveries (delivered or failed) can be replayed.
 */
import { backoffDelay } from '@fusioncommerce/platform';

export type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

export const FINISHED: readonly DeliveryStatus[] = ['delivered', 'failed'];

export const canReplay = (status: DeliveryStatus): boolean => FINISHED.includes(status);

/** What one attempt got back. */
export type AttemptResult =
  | { kind: 'response'; status: number; durationMs: number; retryAfterMs: number | null; excerpt: string }
  | { kind: 'error'; error: string; durationMs: number };

export const isSuccess = (result: AttemptResult): boolean => result.kind === 'response' && result.status >= 200 && result.status < 300;

export interface RetryPolicy {
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

/**
 * Wait before the attempt after attempt number `attempt` (1-based): doubling
 * from the initial delay up to the maximum, jittered into its upper half so
 * that many failing deliveries do not come back in step; a receiver's
 * Retry-After is honoured up to the maximum.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  const jittered = backoffDelay(attempt, policy.retryInitialMs, policy.retryMaxMs, random);
  return retryAfterMs === null ? jittered : Math.min(policy.retryMaxMs, Math.max(jittered, retryAfterMs));
}

export type AttemptOutcome = 'delivered' | 'retrying' | 'failed';

export function outcomeOf(result: AttemptResult, attempt: number, policy: RetryPolicy): AttemptOutcome {
  if (isSuccess(result)) return 'delivered';
  return attempt >= policy.maxAttempts ? 'failed' : 'retrying';
}

/** One line on what went wrong, for the delivery log. */
export function describeFailure(result: AttemptResult): string | null {
  if (result.kind === 'error') return result.error;
  if (result.status >= 200 && result.status < 300) return null;
  const redirect = result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : '';
  const excerpt = result.excerpt.trim() ? `: ${result.excerpt.trim()}` : '';
  return `the receiver answered ${result.status}${redirect}${excerpt}`;
}
