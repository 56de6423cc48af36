/**
 * Optimistic concurrency on subscription edits, as every service does it (the
 * platform's preconditions), with the webhooks service's own 428; a delete
 * honours If-Match when it is given.
 */
import type { FastifyRequest } from 'fastify';
import { expectedVersion as expected, ifMatchVersion } from '@fusioncommerce/platform';
import { WebhooksError } from '../domain/errors.ts';
import type { ExpectedVersion } from '../use-cases/manage-subscriptions.ts';

export { setEtag } from '@fusioncommerce/platform';

export const expectedVersion = (request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion =>
  expected(request, bodyVersion, WebhooksError.preconditionRequired);

export const optionalExpectedVersion = (request: FastifyRequest): ExpectedVersion | null => ifMatchVersion(request);
