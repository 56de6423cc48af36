/** Admins invite people (as customers or admins); the invitee chooses a password and is signed in. */
import { v7 as uuidv7 } from 'uuid';
import { recordEvents } from '@fusioncommerce/platform';
import { normalizeEmail, type Role } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import { hashToken } from '../security/opaque-tokens.ts';
import type { CustomersDeps } from './deps.ts';
import { issueOneTimeToken } from './issue-one-time-token.ts';
import { completeSession, openSession, type IssuedSession } from './sessions.ts';

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
}

export async function inviteAccount(deps: CustomersDeps, input: { email: string; role: Role; invitedBy: string }): Promise<InvitationView> {
  return deps.knex.transaction(async (trx) => {
    const email = input.email.trim();
    // Admins may know which emails have accounts: they can list them.
    if (await deps.accounts.findByEmail(normalizeEmail(email), trx)) throw CustomersError.accountExists(email);
    const invitation = await issueOneTimeToken(deps, trx, { purpose: 'invitation', email, role: input.role, createdBy: input.invitedBy });
    const expiresAt = invitation.expiresAt.toISOString();
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      {
        type: 'customers.invitation.created',
        subject: invitation.id,
        data: { invitationId: invitation.id, email, role: input.role, token: invitation.token, expiresAt, invitedBy: input.invitedBy },
      },
    ]);
    return { id: invitation.id, email, role: input.role, expiresAt };
  });
}

export async function acceptInvitation(deps: CustomersDeps, input: { token: string; password: string; name?: string; ip: string }): Promise<IssuedSession> {
  const attempt = deps.limiters.oneTimeToken.begin({ ip: input.ip });
  const tokenHash = hashToken(input.token);
  if (!(await deps.oneTimeTokens.findRedeemable('invitation', tokenHash, deps.now()))) {
    attempt.failed();
    throw CustomersError.invalidInvitation();
  }
  const passwordHash = await deps.passwords.hash(input.password);
  const { account, grant } = await deps.knex.transaction(async (trx) => {
    const now = deps.now();
    const token = await deps.oneTimeTokens.findRedeemable('invitation', tokenHash, now, trx, true);
    if (!token || (await deps.oneTimeTokens.markUsed(token.id, now, trx)) !== 1) throw CustomersError.invalidInvitation();
    const role = token.role ?? 'customer';
    const created = await deps.accounts.insertIfNew(
      {
        id: uuidv7(),
        email: token.email,
        email_normalized: normalizeEmail(token.email),
        name: input.name ?? '',
        phone: null,
        role,
        password_hash: passwordHash,
        // The token came by mail to this address.
        email_verified_at: now,
        created_at: now,
        updated_at: now,
      },
      trx,
    );
    if (!created) throw CustomersError.accountExists(token.email);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      { type: 'customers.account.registered', subject: created.id, data: { customerId: created.id, email: created.email, name: created.name, role, via: 'invitation' } },
    ]);
    return { account: created, grant: await openSession(deps, created, trx) };
  });
  attempt.succeeded();
  return completeSession(deps, account, grant);
}
