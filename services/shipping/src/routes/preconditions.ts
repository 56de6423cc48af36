/** Optimistic concurrency on option edits, as every service does it (the platform's preconditions), with shipping's own 428. */
import type { FastifyRequest } from 'fastify';
import { expectedVersion as expected } from '@fusioncommerce/platform';
import { ShippingError } from '../domain/errors.ts';
import type { ExpectedVersion } from '../use-cases/manage-options.ts';

export { setEtag } from '@fusioncommerce/platform';

export const expectedVersion = (request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion =>
  expected(request, bodyVersion, ShippingError.preconditionRequired);
