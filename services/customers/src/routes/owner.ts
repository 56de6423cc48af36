/**
 * Who a customer-owned route acts for. A customer reaches only their own
 * account (`me` or their id); anyone else's id answers 404, exactly as an id
 * that does not exist, so ids cannot be probed. Admins reach every account.
 */
import { AppError } from '@fusioncommerce/platform';
import type { FastifyRequest } from 'fastify';
import { isAccountId } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';

export function principalId(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal.type !== 'user') throw new AppError('AUTH.UNAUTHENTICATED', 'unauthorized', 'Sign in first: this endpoint needs a bearer token.');
  return principal.id;
}

export function ownerId(request: FastifyRequest, ref: string): string {
  const me = principalId(request);
  const id = ref === 'me' ? me : ref;
  if (id !== me && request.principal.type === 'user' && request.principal.role !== 'admin') throw CustomersError.customerNotFound(ref);
  // A valid token whose subject is not an account id (a service or test identity) owns nothing here.
  if (!isAccountId(id)) throw CustomersError.customerNotFound(ref);
  return id;
}
