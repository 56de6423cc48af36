/**
 * Optimistic concurrency on admin writes: the caller says which version it
 * read, by If-Match (answered with 412 when stale) or a `version` field
 * (answered with 409). Saying neither is a 428, so no edit silently wins.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogError } from '../domain/errors.ts';

export interface ExpectedVersion {
  version: number;
  via: 'if-match' | 'body';
}

const ETAG = /^(?:W\/)?"(\d{1,9})"$/;

export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion {
  const header = request.headers['if-match'];
  if (typeof header === 'string' && header.trim() !== '') {
    const match = ETAG.exec(header.trim());
    // An If-Match we cannot parse can match no version.
    return { version: match ? Number(match[1]) : -1, via: 'if-match' };
  }
  if (bodyVersion !== undefined) return { version: bodyVersion, via: 'body' };
  throw CatalogError.preconditionRequired();
}

export function setEtag(reply: FastifyReply, version: number): void {
  void reply.header('etag', `"${version}"`);
}
