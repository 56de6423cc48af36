/**
 * Idempotency keys: a row per (scope, key), inserted before the work starts
 * and committed on its own, so a concurrent duplicate finds it and never runs
 * the work a second time. The finished response is stored on the same row.
 */
import type { Knex } from 'knex';

const TABLE = 'payments.idempotency_keys';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

interface KeyRow {
  scope: string;
  key: string;
  fingerprint: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
  response_headers: Record<string, string> | null;
}

export class IdempotencyStore {
  /**
   * @param leaseMs how long an unfinished claim blocks others: longer than any
   *   request can take, so only a claim whose process died is taken over.
   */
  constructor(
    private readonly knex: Knex,
    private readonly leaseMs = 120_000,
  ) {}

  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    for (;;) {
      const inserted = await this.knex(TABLE).insert({ scope, key, fingerprint, state: 'in_progress' }).onConflict(['scope', 'key']).ignore().returning('key');
      if (inserted.length > 0) return { kind: 'claimed' };
      const row = await this.knex<KeyRow>(TABLE).where({ scope, key }).first();
      // Released between our insert and our read: try to claim it again.
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.state === 'completed') {
        return { kind: 'replay', response: { status: row.response_status ?? 200, body: row.response_body, headers: row.response_headers ?? {} } };
      }
      const taken = await this.knex(TABLE)
        .where({ scope, key, state: 'in_progress', fingerprint })
        .whereRaw(`locked_at < now() - (? * interval '1 millisecond')`, [this.leaseMs])
        .update({ locked_at: this.knex.fn.now() })
        .returning('key');
      return taken.length > 0 ? { kind: 'claimed' } : { kind: 'in_progress' };
    }
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.knex(TABLE)
      .where({ scope, key })
      .update({
        state: 'completed',
        response_status: response.status,
        response_body: JSON.stringify(response.body),
        response_headers: JSON.stringify(response.headers),
        completed_at: this.knex.fn.now(),
      });
  }

  /** Forgets an unfinished claim, so a retry with the same key runs again (after a provider outage, say). */
  async release(scope: string, key: string): Promise<void> {
    await this.knex(TABLE).where({ scope, key, state: 'in_progress' }).delete();
  }
}
