/**
 * In-process throttling for sign-in, password reset and other guessable
 * endpoints, keyed by several things at once (email, IP, account). Two rules
 * per key:
 *   - a cap on attempts per window, counted when the attempt starts, so a
 *     burst of concurrent requests cannot slip past before any has failed;
 *   - exponential backoff after a run of failures (1 s, 2 s, 4 s … up to a
 *     ceiling), remembered for a day.
 * State lives in this process: one gateway or one replica each. With several
 * replicas an attacker gets N times the budget; docs/identity.md says so.
 */
import { TooManyAttemptsError } from '../domain/errors.ts';

export interface LimitPolicy {
  /** Attempts allowed per key per window, whatever their outcome. */
  maxAttempts: number;
  windowMs: number;
  /** Consecutive failures allowed before backoff starts. */
  freeFailures: number;
  /** First backoff delay; it doubles with each further failure up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A success clears the key's failures and gives its attempt back (per email: yes; per IP: no). */
  forgiveOnSuccess: boolean;
}

interface KeyState {
  windowStart: number;
  attempts: number;
  failures: number;
  lastFailure: number;
  blockedUntil: number;
}

export interface Attempt {
  succeeded(): void;
  failed(): void;
}

const FAILURE_MEMORY_MS = 24 * 60 * 60 * 1000;
const MAX_KEYS = 100_000;

export class AttemptLimiter<K extends string> {
  private readonly state = new Map<string, KeyState>();

  constructor(
    private readonly policies: Record<K, LimitPolicy>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts an attempt for these keys, or throws TooManyAttemptsError with the seconds to wait. */
  begin(keys: Partial<Record<K, string>>): Attempt {
    const now = this.now();
    const entries = (Object.entries(keys) as [K, string | undefined][]).filter((e): e is [K, string] => e[1] !== undefined && e[1] !== '');
    let waitMs = 0;
    const states = entries.map(([kind, value]) => {
      const policy = this.policies[kind];
      const st = this.load(`${kind}:${value}`, now);
      if (now >= st.windowStart + policy.windowMs) {
        st.windowStart = now;
        st.attempts = 0;
      }
      if (now - st.lastFailure > FAILURE_MEMORY_MS) st.failures = 0;
      if (st.blockedUntil > now) waitMs = Math.max(waitMs, st.blockedUntil - now);
      if (st.attempts >= policy.maxAttempts) waitMs = Math.max(waitMs, st.windowStart + policy.windowMs - now);
      return { st, policy };
    });
    if (waitMs > 0) throw new TooManyAttemptsError(Math.max(1, Math.ceil(waitMs / 1000)));
    for (const { st } of states) st.attempts += 1;

    let settled = false;
    const settle = (fn: (st: KeyState, policy: LimitPolicy, at: number) => void) => {
      if (settled) return;
      settled = true;
      const at = this.now();
      for (const { st, policy } of states) fn(st, policy, at);
    };
    return {
      succeeded: () =>
        settle((st, policy) => {
          if (!policy.forgiveOnSuccess) return;
          st.failures = 0;
          st.blockedUntil = 0;
          st.attempts = Math.max(0, st.attempts - 1);
        }),
      failed: () =>
        settle((st, policy, at) => {
          st.failures += 1;
          st.lastFailure = at;
          const over = st.failures - policy.freeFailures;
          if (over > 0) {
            const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(over - 1, 30));
            st.blockedUntil = Math.max(st.blockedUntil, at + delay);
          }
        }),
    };
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.state.size;
  }

  private load(key: string, now: number): KeyState {
    let st = this.state.get(key);
    if (st) {
      // Re-inserting keeps the map in least-recently-used order for eviction.
      this.state.delete(key);
    } else {
      st = { windowStart: now, attempts: 0, failures: 0, lastFailure: 0, blockedUntil: 0 };
      while (this.state.size >= MAX_KEYS) {
        const oldest = this.state.keys().next().value;
        if (oldest === undefined) break;
        this.state.delete(oldest);
      }
    }
    this.state.set(key, st);
    return st;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The limits each guarded endpoint uses; every process can override them (tests do). */
export interface CustomersLimits {
  signIn: Record<'email' | 'ip', LimitPolicy>;
  register: Record<'email' | 'ip', LimitPolicy>;
  /** Requests that send mail: password reset and email verification. */
  mailRequests: Record<'email' | 'ip', LimitPolicy>;
  /** Redeeming one-time tokens (reset, verification, invitation). */
  oneTimeToken: Record<'ip', LimitPolicy>;
  /** Changing the password while signed in (guards a stolen access token). */
  passwordChange: Record<'account', LimitPolicy>;
}

const never = { freeFailures: Number.MAX_SAFE_INTEGER, baseDelayMs: 0, maxDelayMs: 0 };

export const DEFAULT_LIMITS: CustomersLimits = {
  signIn: {
    email: { maxAttempts: 10, windowMs: 15 * MINUTE, freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgiveOnSuccess: true },
    // Generous: many shoppers can share one address (offices, mobile carriers).
    ip: { maxAttempts: 100, windowMs: 15 * MINUTE, freeFailures: 50, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgiveOnSuccess: false },
  },
  register: {
    email: { maxAttempts: 5, windowMs: HOUR, ...never, forgiveOnSuccess: false },
    ip: { maxAttempts: 30, windowMs: HOUR, ...never, forgiveOnSuccess: false },
  },
  mailRequests: {
    // Every request counts as a "failure" here: after two, each further one waits 30 s, 60 s, 120 s …
    email: { maxAttempts: 5, windowMs: HOUR, freeFailures: 2, baseDelayMs: 30_000, maxDelayMs: HOUR, forgiveOnSuccess: false },
    ip: { maxAttempts: 30, windowMs: HOUR, freeFailures: 20, baseDelayMs: 1000, maxDelayMs: HOUR, forgiveOnSuccess: false },
  },
  oneTimeToken: {
    ip: { maxAttempts: 60, windowMs: 15 * MINUTE, freeFailures: 10, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgiveOnSuccess: false },
  },
  passwordChange: {
    account: { maxAttempts: 10, windowMs: 15 * MINUTE, freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgiveOnSuccess: true },
  },
};
