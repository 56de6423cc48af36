/**
 * The HTTP client both web apps use: JSON in and out, RFC 9457 problems turned
 * into ApiError (with field errors keyed by their JSON pointer), bearer tokens
 * from a session that refreshes itself once when the access token has expired.
 */

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

  const api = (async <T>(path: string, options?: RequestOptions) => (await send<T>(path, options)).body) as Api;
  api.raw = send;
  api.session = session;
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
