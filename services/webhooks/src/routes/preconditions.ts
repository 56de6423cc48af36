/**
 * Optimistic concurrency on subscription edits, as every service does it (the
 * platform's preconditions), with the webhooks service's own 428; a delete
 * honours If-Match when it is given.
 */
import type { FastifyRequest } from 'fastify';
import { expectedVersion as expected, type ExpectedVersion } from '@fusioncommerce/platform';
import { WebhooksError } from '../domain/errors.ts';

export { ifMatchVersion, setEtag } from '@fusioncommerce/platform';

export const expectedVersion = (request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion =>
  expected(request, bodyVersion, WebhooksError.preconditionRequired);

