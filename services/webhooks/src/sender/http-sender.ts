/**
 * One attempt over HTTP: resolve the receiver's name (and refuse private
 * addresses unless allowed), POST the signed body with fetch under a
 * per-attempt timeout, never follow redirects, and keep a short excerpt of
 * the answer for the delivery log. A stop of the process cuts the attempt
 * short and reports it as interrupted, so it is handed back rather than counted.
 */
import { lookup } from 'node:dns/promises';
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
  if (cause?.code) return `could not connect: ${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** Throws with a clear reason when the host resolves to an address a public receiver never has. */
async function assertPublic(hostname: string): Promise<void> {
  const host = bareHost(hostname);
  const addresses = await lookup(host, { all: true, verbatim: true });
  const hidden = addresses.find((a) => isPrivateAddress(a.address));
  if (hidden) {
    throw new Error(`refused: ${host} resolves to the private or reserved address ${hidden.address} (set WEBHOOKS_ALLOW_PRIVATE_URLS=true to allow it)`);
  }
}

/**
 * The check and the request resolve the name separately, so a name whose
 * answer changes in between (DNS rebinding) can slip through; production
 * deployments add an egress policy or proxy (docs/webhooks.md).
 */
export const httpSender: WebhookSender = async (request) => {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  try {
    if (!request.allowPrivateUrls) await assertPublic(new URL(request.url).hostname);
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal });
    // A 2xx needs no reading; an error's first bytes say why. Either way the status decided the outcome.
    const excerpt = response.ok ? '' : await excerptOf(response).catch(() => '');
    if (response.ok) await response.body?.cancel().catch(() => undefined);
    return { kind: 'response', status: response.status, durationMs: elapsed(), retryAfterMs: retryAfterOf(response), excerpt };
  } catch (error) {
    if (request.signal?.aborted) return { kind: 'interrupted' };
    return { kind: 'error', error: reasonOf(error, request.timeoutMs), durationMs: elapsed() };
  }
};
