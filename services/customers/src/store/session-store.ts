/** Sessions (refresh-token families) and their refresh tokens, stored as hashes. */
import type { Knex } from 'knex';
import type { Db } from './account-store.ts';

export interface SessionRow {
  id: string;
  customer_id: string;
  created_at: Date;
  last_used_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export interface RefreshTokenRow {
  id: string;
  session_id: string;
  token_hash: string;
  issued_at: Date;
  expires_at: Date;
  rotated_at: Date | null;
}

export type RevokeReason = 'sign_out' | 'sign_out_everywhere' | 'reuse_detected' | 'password_changed' | 'role_changed' | 'admin';

const SESSIONS = 'customers.sessions';
const TOKENS = 'customers.refresh_tokens';

export class SessionStore {
  constructor(private readonly knex: Knex) {}

  async createSession(row: Omit<SessionRow, 'revoked_at' | 'revoked_reason'>, db: Db = this.knex): Promise<void> {
    await db(SESSIONS).insert(row);
  }

  async addRefreshToken(row: Omit<RefreshTokenRow, 'rotated_at'>, db: Db = this.knex): Promise<void> {
    await db(TOKENS).insert(row);
  }

  /** The token and its session, the token row locked so concurrent refreshes queue up behind each other. */
  async findRefreshToken(tokenHash: string, db: Knex.Transaction): Promise<{ token: RefreshTokenRow; session: SessionRow } | undefined> {
    const token = (await db(TOKENS).where({ token_hash: tokenHash }).forUpdate().first()) as RefreshTokenRow | undefined;
    if (!token) return undefined;
    const session = (await db(SESSIONS).where({ id: token.session_id }).first()) as SessionRow | undefined;
    return session ? { token, session } : undefined;
  }

  /** Marks the token used; 0 when someone rotated it first. */
  async markRotated(id: string, at: Date, db: Db = this.knex): Promise<number> {
    return db(TOKENS).where({ id }).whereNull('rotated_at').update({ rotated_at: at });
  }

  async touch(sessionId: string, at: Date, db: Db = this.knex): Promise<void> {
    await db(SESSIONS).where({ id: sessionId }).update({ last_used_at: at });
  }

  async revoke(sessionId: string, reason: RevokeReason, at: Date, db: Db = this.knex): Promise<number> {
    return db(SESSIONS).where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: at, revoked_reason: reason });
  }

  async revokeAllFor(customerId: string, reason: RevokeReason, at: Date, db: Db = this.knex): Promise<number> {
    return db(SESSIONS).where({ customer_id: customerId }).whereNull('revoked_at').update({ revoked_at: at, revoked_reason: reason });
  }
}
