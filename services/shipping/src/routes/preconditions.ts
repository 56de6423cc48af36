/**
 * Optimistic concurrency on option edits, as the catalog does it: the caller
 * says which version it read, by If-Match (412 when stale) or a `version`
 * field (409). Saying neither is a 428, so no edit silently wins.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ShippingError } from '../domain/errors.ts';
import type { ExpectedVersion } from '../use-cases/manage-options.ts';

const ETAG = /^(?:W\/)?"(\d{1,9})"$/;

export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion {
  const header = request.headers['if-match'];
  if (typeof header === 'string' && header.trim() !== '') {
    const match = ETAG.exec(header.trim());
    // An If-Match we cannot parse can match no version.
    return { version: match ? Number(match[1]) : -1, via: 'if-match' };
  }
  if (bodyVersion !== undefined) return { version: bodyVersion, via: 'body' };
  throw ShippingError.preconditionRequired();
}

export function setEtag(reply: FastifyReply, version: number): void {
  void reply.header('etag', `"${version}"`);
}
