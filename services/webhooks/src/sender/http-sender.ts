/**
 * One attempt over HTTP: POST the signed body under a per-attempt timeout,
 * never follow redirects, and keep a short excerpt of the answer for the
 * delivery log. Unless private receivers are allowed, the address the request
 * connects to is checked as it is resolved, in the connection itself: a name
 * whose DNS answer changes between a check and the request (DNS rebinding)
 * cannot reach a private address. A stop of the process cuts the attempt
 * short and reports it as interrupted, so it is handed back rather than counted.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch, type Response } from 'undici';
import type { AttemptResult } from '../domain/delivery.ts';
import { bareHost, isPrivateAddress } from '../domain/receiver-url.ts';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivateUrls: boolean;
  /** Aborted when the process stops. */
  signal?: AbortSignal;
}

export type SendResult = AttemptResult | { kind: 'interrupted' };

export type WebhookSender = (request: WebhookRequest) => Promise<SendResult>;

const EXCERPT_BYTES = 300;

/** The first bytes of the answer; the rest is not read (a receiver cannot make us download a large body). */
async function excerptOf(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  // Control characters (and what a truncated multi-byte character becomes) would only garble the log.
  const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
  return [...text].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '\ufffd' ? ' ' : c)).join('').replace(/ {2,}/g, ' ').trim();
}

/** Retry-After in seconds or as an HTTP date, as milliseconds from now. */
function retryAfterOf(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code === REFUSED && cause.message) return cause.message;
  if (cause?.code) return `could not connect: ${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** The error a refused address is reported with (its message is the delivery log's reason). */
const REFUSED = 'WEBHOOKS_PRIVATE_ADDRESS';

function refusal(host: string, address: string): Error {
  return Object.assign(new Error(`refused: ${host} resolves to the private or reserved address ${address} (set WEBHOOKS_ALLOW_PRIVATE_URLS=true to allow it)`), { code: REFUSED });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Resolver = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for the connection that answers only with public addresses: an
 * answer holding a private or reserved one is refused whole, so what is
 * checked is exactly what is connected to.
 */
export function publicOnlyLookup(resolve: Resolver = dnsLookup as Resolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, verbatim: true }, (error, address, family) => {
      if (error) return callback(error, address, family);
      const answers = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
      const hidden = answers.find((a) => isPrivateAddress(a.address));
      if (hidden) return callback(refusal(hostname, hidden.address), address, family);
      callback(null, address, family);
    });
  };
}

/** Connections for receivers that must be public (kept alive between attempts), and for any receiver. */
const publicReceivers = new Agent({ connect: { lookup: publicOnlyLookup() } });
const anyReceiver = new Agent();

export const httpSender: WebhookSender = async (request) => {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  try {
    if (!request.allowPrivateUrls) {
      // An address written in the URL is connected to without a lookup: checked here.
      const host = bareHost(new URL(request.url).hostname);
      if (isIP(host) && isPrivateAddress(host)) throw refusal(host, host);
    }
    const dispatcher = request.allowPrivateUrls ? anyReceiver : publicReceivers;
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal, dispatcher });
    // A 2xx needs no reading; an error's first bytes say why. Either way the status decided the outcome.
    const excerpt = response.ok ? '' : await excerptOf(response).catch(() => '');
    if (response.ok) await response.body?.cancel().catch(() => undefined);
    return { kind: 'response', status: response.status, durationMs: elapsed(), retryAfterMs: retryAfterOf(response), excerpt };
  } catch (error) {
    if (request.signal?.aborted) return { kind: 'interrupted' };
    return { kind: 'error', error: reasonOf(error, request.timeoutMs), durationMs: elapsed() };
  }
};
