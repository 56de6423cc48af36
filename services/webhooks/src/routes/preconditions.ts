/**
 * Optimistic concurrency on subscription edits, as the other services do it:
 * the caller says which version it read, by If-Match (412 when stale) or a
 * `version` field (409). Saying neither on an edit is a 428, so no edit
 * silently wins; a delete honours If-Match when it is given.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebhooksError } from '../domain/errors.ts';
import type { ExpectedVersion } from '../use-cases/manage-subscriptions.ts';

const ETAG = /^(?:W\/)?"(\d{1,9})"$/;

function fromIfMatch(request: FastifyRequest): ExpectedVersion | null {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') return null;
  const match = ETAG.exec(header.trim());
  // An If-Match we cannot parse can match no version.
  return { version: match ? Number(match[1]) : -1, via: 'if-match' };
}

export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion {
  const given = fromIfMatch(request) ?? (bodyVersion !== undefined ? { version: bodyVersion, via: 'body' as const } : null);
  if (!given) throw WebhooksError.preconditionRequired();
  return given;
}

export const optionalExpectedVersion = (request: FastifyRequest): ExpectedVersion | null => fromIfMatch(request);

export function setEtag(reply: FastifyReply, version: number): void {
  void reply.header('etag', `"${version}"`);
}
