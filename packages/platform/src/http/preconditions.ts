/**
 * Optimistic concurrency on admin edits, the same in every service: the
 * caller says which version it read, by If-Match (answered with 412 when
 * stale) or a `version` field (409). Saying neither on an edit is a 428, so
 * no edit silently wins.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface ExpectedVersion {
  version: number;
  via: 'if-match' | 'body';
}

const ETAG = /^(?:W\/)?"(\d{1,9})"$/;

/** The version an If-Match names, or null without one (an If-Match that cannot be parsed matches no version). */
export function ifMatchVersion(request: FastifyRequest): ExpectedVersion | null {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') return null;
  const match = ETAG.exec(header.trim());
  return { version: match ? Number(match[1]) : -1, via: 'if-match' };
}

/** If-Match first, then the body's `version`; neither throws the service's own precondition-required error. */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined, preconditionRequired: () => Error): ExpectedVersion {
  const given = ifMatchVersion(request) ?? (bodyVersion !== undefined ? { version: bodyVersion, via: 'body' as const } : null);
  if (!given) throw preconditionRequired();
  return given;
}

export function setEtag(reply: FastifyReply, version: number): void {
  void reply.header('etag', `"${version}"`);
}
