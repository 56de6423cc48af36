/** Optimistic concurrency on admin writes, as every service does it (the platform's preconditions), with the catalog's own 428. */
import type { FastifyRequest } from 'fastify';
import { expectedVersion as expected, type ExpectedVersion } from '@fusioncommerce/platform';
import { CatalogError } from '../domain/errors.ts';

export { setEtag, type ExpectedVersion } from '@fusioncommerce/platform';

export const expectedVersion = (request: FastifyRequest, bodyVersion: number | undefined): ExpectedVersion =>
  expected(request, bodyVersion, CatalogError.preconditionRequired);
