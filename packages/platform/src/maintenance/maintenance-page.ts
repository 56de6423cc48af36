/**
 * The page a browser gets while maintenance mode is on: one self-contained
 * document (no scripts, images or other requests — everything else answers
 * 503 too) that reloads itself when the shop is expected back.
 */
import { createHash } from 'node:crypto';
import type { MaintenanceNotice } from './flag-file.ts';

const STYLE = [
  ':root { color-scheme: light dark; }',
  'body { margin: 0; min-height: 100vh; display: grid; place-items: center; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f5f5f4; color: #1c1917; }',
  'main { max-width: 34rem; margin: 1.5rem; padding: 2.5rem 2rem; border-radius: 16px; background: #fff; box-shadow: 0 10px 30px rgb(0 0 0 / 0.08); text-align: center; line-height: 1.6; }',
  '.badge { display: inline-block; margin: 0 0 1rem; padding: 0.2rem 0.8rem; border-radius: 999px; background: #fef3c7; color: #92400e; font-size: 0.85rem; font-weight: 600; }',
  'h1 { margin: 0 0 0.75rem; font-size: 1.75rem; }',
  '.message { margin: 0 0 1rem; font-size: 1.1rem; }',
  '.hint { margin: 0; color: #57534e; font-size: 0.95rem; }',
  '@media (prefers-color-scheme: dark) { body { background: #1c1917; color: #f5f5f4; } main { background: #292524; box-shadow: none; } .hint { color: #d6d3d1; } }',
].join('\n');

/** Only the inline style above may apply; nothing may load, frame it or be submitted from it. */
export const MAINTENANCE_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** "about 5 minutes", "about an hour": how long to wait, as a shopper reads it. */
export function describeWait(seconds: number): string {
  if (seconds < 90) return 'a minute';
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 5400) return 'an hour';
  return `${Math.round(seconds / 3600)} hours`;
}

/** Reload when the shop should be back, but at least every 10 minutes and at most every 30 seconds. */
export function reloadAfterSeconds(retryAfterSeconds: number): number {
  return Math.min(Math.max(retryAfterSeconds, 30), 600);
}

export function maintenancePage(notice: MaintenanceNotice): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="${reloadAfterSeconds(notice.retryAfterSeconds)}">
<title>Down for maintenance – back soon</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="badge">Scheduled maintenance</p>
<h1>We’ll be back soon</h1>
<p class="message">${escapeHtml(notice.message)}</p>
<p class="hint">Please try again in about ${describeWait(notice.retryAfterSeconds)}. This page reloads by itself.</p>
</main>
</body>
</html>
`;
}
