/**
 * Sign-in with email and password. An unknown email costs the same argon2
 * check as a known one and fails with the same error, so neither the answer
 * nor its timing says which emails have accounts. Throttled per email and per IP.
 */
import { normalizeEmail } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';
import type { CustomersDeps } from './deps.ts';
import { startSession, type IssuedSession } from './sessions.ts';

export async function signIn(deps: CustomersDeps, input: { email: string; password: string; ip: string }): Promise<IssuedSession> {
  const email = normalizeEmail(input.email);
  const attempt = deps.limiters.signIn.begin({ email, ip: input.ip });
  const account = await deps.accounts.findByEmail(email);
  const passwordOk = account ? await deps.passwords.verify(account.password_hash, input.password) : await deps.passwords.verifyNobody(input.password);
  const { requireVerifiedEmail } = deps.settings;
  if (!account || !passwordOk || (requireVerifiedEmail && account.email_verified_at === null)) {
    attempt.failed();
    throw CustomersError.invalidCredentials(requireVerifiedEmail);
  }
  attempt.succeeded();
  return startSession(deps, account);
}
