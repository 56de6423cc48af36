/**
 * Sessions: a sign-in opens one (a family of refresh tokens); each refresh
 * rotates its token; a rotated token presented again means it was copied, and
 * the whole family is revoked. Access tokens are the kernel's short-lived JWTs.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { recordEvents } from '@fusioncommerce/platform';
import { customerView, type CustomerView } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import { hashToken, newOpaqueToken } from '../security/opaque-tokens.ts';
import { toAccount, type AccountRow } from '../store/account-store.ts';
import type { RevokeReason } from '../store/session-store.ts';
import { addSeconds, type CustomersDeps } from './deps.ts';

export interface IssuedSession {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  customer: CustomerView;
}

interface RefreshGrant {
  refreshToken: string;
  expiresAt: Date;
}

async function grantRefreshToken(deps: CustomersDeps, sessionId: string, trx: Knex.Transaction): Promise<RefreshGrant> {
  const now = deps.now();
  const { token, hash } = newOpaqueToken('refresh');
  const expiresAt = addSeconds(now, deps.settings.refreshTokenTtlSeconds);
  await deps.sessions.addRefreshToken({ id: uuidv7(), session_id: sessionId, token_hash: hash, issued_at: now, expires_at: expiresAt }, trx);
  return { refreshToken: token, expiresAt };
}

/** Opens a session for the account inside `trx`; call `completeSession` after commit. */
export async function openSession(deps: CustomersDeps, account: AccountRow, trx: Knex.Transaction): Promise<RefreshGrant> {
  const now = deps.now();
  const sessionId = uuidv7();
  await deps.sessions.createSession({ id: sessionId, customer_id: account.id, created_at: now, last_used_at: now }, trx);
  await deps.accounts.update(account.id, { last_sign_in_at: now }, trx);
  return grantRefreshToken(deps, sessionId, trx);
}

/** Signs the access token that goes with a refresh grant. */
export async function completeSession(deps: CustomersDeps, account: AccountRow, grant: RefreshGrant): Promise<IssuedSession> {
  const accessToken = await deps.tokens.sign({ id: account.id, role: account.role, email: account.email });
  return {
    tokenType: 'Bearer',
    accessToken,
    expiresIn: deps.tokens.ttlSeconds,
    refreshToken: grant.refreshToken,
    refreshTokenExpiresAt: grant.expiresAt.toISOString(),
    customer: customerView(toAccount(account)),
  };
}

export async function startSession(deps: CustomersDeps, account: AccountRow): Promise<IssuedSession> {
  const grant = await deps.knex.transaction((trx) => openSession(deps, account, trx));
  return completeSession(deps, account, grant);
}

type RefreshOutcome = { kind: 'ok'; account: AccountRow; grant: RefreshGrant } | { kind: 'invalid' } | { kind: 'reused' };

export async function refreshSession(deps: CustomersDeps, refreshToken: string): Promise<IssuedSession> {
  const outcome = await deps.knex.transaction(async (trx): Promise<RefreshOutcome> => {
    const now = deps.now();
    const found = await deps.sessions.findRefreshToken(hashToken(refreshToken), trx);
    if (!found || found.session.revoked_at !== null || new Date(found.token.expires_at) <= now) return { kind: 'invalid' };
    const rotated = found.token.rotated_at === null && (await deps.sessions.markRotated(found.token.id, now, trx)) === 1;
    if (!rotated) {
      // The revocation commits; the 401 is thrown after the transaction.
      await deps.sessions.revoke(found.session.id, 'reuse_detected', now, trx);
      await recordEvents(trx, CUSTOMERS_SCHEMA, [
        { type: 'customers.refresh_token.reused', subject: found.session.customer_id, data: { customerId: found.session.customer_id, sessionId: found.session.id } },
      ]);
      return { kind: 'reused' };
    }
    const account = await deps.accounts.findById(found.session.customer_id, trx);
    if (!account) return { kind: 'invalid' };
    await deps.sessions.touch(found.session.id, now, trx);
    return { kind: 'ok', account, grant: await grantRefreshToken(deps, found.session.id, trx) };
  });
  if (outcome.kind === 'reused') throw CustomersError.refreshTokenReused();
  if (outcome.kind === 'invalid') throw CustomersError.invalidRefreshToken();
  return completeSession(deps, outcome.account, outcome.grant);
}

/** Ends the session the refresh token belongs to. Idempotent: an unknown or spent token is already signed out. */
export async function signOut(deps: CustomersDeps, refreshToken: string): Promise<void> {
  await deps.knex.transaction(async (trx) => {
    const found = await deps.sessions.findRefreshToken(hashToken(refreshToken), trx);
    if (found) await deps.sessions.revoke(found.session.id, 'sign_out', deps.now(), trx);
  });
}

export async function revokeAllSessions(deps: CustomersDeps, customerId: string, reason: RevokeReason): Promise<number> {
  return deps.knex.transaction(async (trx) => {
    const account = await deps.accounts.findById(customerId, trx, true);
    if (!account) throw CustomersError.customerNotFound(customerId);
    return deps.sessions.revokeAllFor(customerId, reason, deps.now(), trx);
  });
}
