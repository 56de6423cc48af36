/**
 * Where deliveries may go. Only http(s), no credentials in the URL, and —
 * unless the operator allows private receivers — no loopback, private,
 * link-local (cloud metadata), carrier-grade NAT, multicast or reserved
 * addresses: a webhook URL is a request the shop makes on an admin's behalf,
 * and it must not become a way into the shop's own network (SSRF). Literal
 * addresses are refused when the subscription is saved; names are checked
 * again each time they are resolved, before every attempt.
 */
import { BlockList, isIP } from 'node:net';
import { WebhooksError } from './errors.ts';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** True for addresses a public receiver never has (IPv4-mapped IPv6 is judged by its IPv4 address). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** `[::1]` → `::1`: URL keeps IPv6 literals in brackets. */
export const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

const isLocalName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/**
 * The URL as it will be stored, or a clear 400: http(s), a host, no
 * user:password, no fragment; private literal addresses and localhost only
 * when `allowPrivate`.
 */
export function checkReceiverUrl(raw: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw WebhooksError.invalidUrl('it is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw WebhooksError.invalidUrl('only http and https URLs are supported');
  if (!url.hostname) throw WebhooksError.invalidUrl('it names no host');
  if (url.username || url.password) throw WebhooksError.invalidUrl('credentials in the URL are not supported; put a token in the path or query instead');
  if (url.hash) throw WebhooksError.invalidUrl('a #fragment is never sent to the receiver; remove it');
  if (!allowPrivate) {
    const host = bareHost(url.hostname).toLowerCase();
    if (isLocalName(host) || isPrivateAddress(host)) throw WebhooksError.urlNotAllowed(`${host} is a loopback, private or reserved address`);
  }
  return url.toString();
}
