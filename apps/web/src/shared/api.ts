/**
 * The HTTP client both web apps use: JSON in and out, RFC 9457 problems turned
 * into ApiError (with field errors keyed by their JSON pointer), bearer tokens
 * from a session that refreshes itself once when the access token has expired,
 * signing in and out, and Idempotency-Keys that survive a retry.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';

export interface Money {
  amount: number;
  currency: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface ProblemFieldError {
  pointer: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
  currentState?: string;
  requestId?: string;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** Field errors keyed by pointer without the `/body` prefix: `/title`, `/variants/0/sku`. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.pointer.replace(/^\/body/, '') || '/';
      out[key] ??= e.message;
    }
    return out;
  }
}

/** What a form says above fields that the API (or the page) found wrong. */
export const NEEDS_ATTENTION = 'Some fields need attention — see the messages next to them.';

/** A validation message as a merchant reads it: AJV's wording replaced, a sentence with its capital and full stop. */
export function friendlyMessage(message: string): string {
  if (/fewer than 1 characters/.test(message)) return 'Required.';
  if (/must match pattern/.test(message)) return 'Not in the expected format.';
  if (/must be integer|must be number/.test(message)) return 'Enter a number.';
  if (/must be >= 0/.test(message)) return 'Must be zero or more.';
  const text = message.trim();
  return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');
}

/** A message fit for a person, whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The shop could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

export interface Customer {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: 'customer' | 'admin';
  emailVerified: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  customer: Customer;
}

type Listener = () => void;

/** A signed-in session kept in localStorage under one key, observable by React. */
export class SessionStore {
  private listeners = new Set<Listener>();
  private current: Session | null;
  private readonly key: string;

  constructor(key: string) {
    this.key = key;
    this.current = readJson<Session>(key);
  }

  get(): Session | null {
    return this.current;
  }

  set(session: Session | null): void {
    this.current = session;
    if (session) localStorage.setItem(this.key, JSON.stringify(session));
    else localStorage.removeItem(this.key);
    for (const l of this.listeners) l();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): Session | null => this.current;
}

/** The signed-in session of `store` (null when signed out), re-rendering as it changes. */
export function useSession(store: SessionStore): Session | null {
  return useSyncExternalStore(store.subscribe, store.snapshot);
}

export function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no Authorization header even when signed in. */
  anonymous?: boolean;
}

export interface Api {
  <T>(path: string, options?: RequestOptions): Promise<T>;
  /** The response status too (checkout answers 201 or 202). */
  raw<T>(path: string, options?: RequestOptions): Promise<{ status: number; body: T }>;
  session: SessionStore;
  /**
   * Signs in and keeps the session. `admit` may turn the account away (the admin
   * console takes administrators only): then nothing is kept, the new session is
   * ended on the server, and the answer is null.
   */
  signIn(email: string, password: string, admit?: (customer: Customer) => boolean): Promise<Session | null>;
  /** Forgets the session here at once, and ends it on the server when the server can be reached. */
  signOut(): void;
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Partial<Problem>;
    return { ...body, status: res.status };
  } catch {
    return { status: res.status, title: res.statusText || 'Request failed' };
  }
}

export function createApi(session: SessionStore): Api {
  let refreshing: Promise<boolean> | null = null;

  async function refresh(): Promise<boolean> {
    const s = session.get();
    if (!s) return false;
    const res = await fetch('/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: s.refreshToken }) });
    if (!res.ok) {
      session.set(null);
      return false;
    }
    const next = (await res.json()) as Session;
    session.set({ accessToken: next.accessToken, refreshToken: next.refreshToken, customer: next.customer ?? s.customer });
    return true;
  }

  async function send<T>(path: string, options: RequestOptions = {}, retried = false): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const token = options.anonymous ? null : session.get()?.accessToken;
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(path, { method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    if (res.status === 401 && token && !retried) {
      refreshing ??= refresh().finally(() => (refreshing = null));
      if (await refreshing) return send<T>(path, options, true);
    }
    if (!res.ok) throw new ApiError(await problemOf(res));
    const body = res.status === 204 ? (undefined as T) : ((await res.json()) as T);
    return { status: res.status, body };
  }

  // Anonymous: an expired access token must not start a refresh that signs the session back in.
  const endOnServer = (refreshToken: string) => void send('/v1/auth/logout', { method: 'POST', body: { refreshToken }, anonymous: true }).catch(() => undefined);

  const api = (async <T>(path: string, options?: RequestOptions) => (await send<T>(path, options)).body) as Api;
  api.raw = send;
  api.session = session;
  api.signIn = async (email, password, admit = () => true) => {
    const { body } = await send<Session>('/v1/auth/login', { method: 'POST', body: { email, password }, anonymous: true });
    const next: Session = { accessToken: body.accessToken, refreshToken: body.refreshToken, customer: body.customer };
    if (!admit(next.customer)) {
      endOnServer(next.refreshToken);
      return null;
    }
    session.set(next);
    return next;
  };
  api.signOut = () => {
    const current = session.get();
    session.set(null);
    if (current) endOnServer(current.refreshToken);
  };
  return api;
}

/** `?a=1&b=2` from an object, leaving out empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** Whether a failure is the server's definite refusal: a 4xx other than 409 (in progress, conflict) and 429 (too many), which a retry would not change. */
function definite(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false; // the connection failed or timed out: the request may have arrived
  return error.status >= 400 && error.status < 500 && error.status !== 409 && error.status !== 429;
}

/**
 * Sends an action the shopper may have to retry (placing an order, taking a
 * seat in a group) with one Idempotency-Key per attempt: every try sends the
 * same key until the server has given a definite answer, so a retry after a
 * lost answer, a timeout or a 5xx is answered with the first result instead of
 * being done twice. Success and other refusals start the next attempt afresh.
 */
export function useIdempotentSend(): <T>(send: (idempotencyKey: string) => Promise<T>) => Promise<T> {
  const pending = useRef<string | null>(null);
  return useCallback(async <T>(send: (idempotencyKey: string) => Promise<T>): Promise<T> => {
    const key = (pending.current ??= newIdempotencyKey());
    const settle = () => {
      if (pending.current === key) pending.current = null;
    };
    try {
      const result = await send(key);
      settle();
      return result;
    } catch (error) {
      if (!definite(error)) throw error;
      settle();
      // The details changed after a try whose answer was lost: that try may have gone through.
      if (error instanceof ApiError && error.problem.code?.endsWith('.IDEMPOTENCY_KEY_REUSED')) {
        throw new ApiError({ ...error.problem, errors: undefined, detail: 'An earlier try with other details may have gone through. Please check before you try again.' });
      }
      throw error;
    }
  }, []);
}
