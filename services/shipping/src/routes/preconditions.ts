/** Optimistic concurrency on option edits, as every service does it (the platform's preconditions), with shipping's own 428. */
import type { FastifyRequest } from 'fastify';
import { expectedVersion as expected, type ExpectedVersion } from '@fusioncommerce/platform';
import { ShippingError } from '../domain/errors.ts';

export { setEtag } from '@fusioncommerce/platform';

export const expectedVersion = (request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion =>
  expected(request, bodyVersion, ShippingError.preconditionRequired);
