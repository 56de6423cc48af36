/** A small JSON client for the platform's HTTP API: base URL, bearer token, timeouts, problem+json errors kept readable. */

export interface HttpResult<T = unknown> {
  status: number;
  ok: boolean;
  body: T;
  headers: Headers;
}

export interface HttpClientOptions {
  baseUrl: string;
  token?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class HttpClient {
  readonly baseUrl: string;
  token: string | undefined;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof fetch;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.doFetch = options.fetch ?? fetch;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const all: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.token) all.authorization = `Bearer ${this.token}`;
    if (body !== undefined) all['content-type'] = 'application/json';
    const response = await this.doFetch(`${this.baseUrl}${path}`, {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (text && /json/.test(response.headers.get('content-type') ?? '')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, ok: response.ok, body: parsed as T, headers: response.headers };
  }

  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<HttpResult<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>> {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
}

/** `POST /v1/products → 422 CATALOG.DUPLICATE_SKU: SKU is taken` — one line for a report. */
export function describeResponse(method: string, path: string, result: HttpResult): string {
  const body = result.body as { code?: string; detail?: string; title?: string } | string | undefined;
  let why = '';
  if (body && typeof body === 'object') why = [body.code, body.detail ?? body.title].filter(Boolean).join(': ');
  else if (typeof body === 'string') why = body.slice(0, 200);
  return `${method} ${path} → ${result.status}${why ? ` ${why}` : ''}`;
}
