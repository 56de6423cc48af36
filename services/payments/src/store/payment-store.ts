/** Reads and writes payments, their provider attempts and their transitions. */
import type { Knex } from 'knex';
import { AppError, decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import { PaymentsError } from '../domain/errors.ts';
import { Payment, type PaymentState, type PaymentStatus, type ReferenceKind, type Transition } from '../domain/payment.ts';

const T = {
  intents: 'payments.payment_intents',
  attempts: 'payments.payment_attempts',
  transitions: 'payments.payment_transitions',
} as const;

interface IntentRow {
  id: string;
  reference_kind: ReferenceKind;
  reference_id: string;
  currency: string;
  amount: number | string;
  status: PaymentStatus;
  authorized_amount: number | string;
  captured_amount: number | string;
  refunded_amount: number | string;
  provider: string;
  provider_ref: string | null;
  payment_method: PaymentState['paymentMethod'];
  next_action: PaymentState['nextAction'];
  failure_code: string | null;
  failure_message: string | null;
  client_secret: string;
  created_by: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type Operation = 'authorize' | 'confirm' | 'capture' | 'void' | 'refund';
export type AttemptStatus = 'pending' | 'succeeded' | 'failed' | 'requires_action';

export interface Attempt {
  id: string;
  paymentId: string;
  operation: Operation;
  seq: number;
  status: AttemptStatus;
  amount: number | null;
  providerKey: string;
  providerRef: string | null;
  requestKey: string | null;
  paymentMethod: string | null;
  reason: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  lastError: string | null;
  tries: number;
  actor: string;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

interface AttemptRow {
  id: string;
  payment_id: string;
  operation: Operation;
  seq: number;
  status: AttemptStatus;
  amount: number | string | null;
  provider_key: string;
  provider_ref: string | null;
  request_key: string | null;
  payment_method: string | null;
  reason: string | null;
  failure_code: string | null;
  failure_message: string | null;
  last_error: string | null;
  tries: number;
  actor: string;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface TransitionRecord extends Transition {
  id: number;
  attemptId: string | null;
  source: 'api' | 'webhook';
  actor: string;
  at: Date;
}

const int = (value: number | string): number => Number(value);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const invalidCursor = () =>
  new AppError('REQUEST.INVALID_CURSOR', 'invalid', 'The cursor is not one this list handed out; start again without it.', {
    errors: [{ pointer: '/querystring/cursor', message: 'is not a valid cursor' }],
  });

function toState(row: IntentRow): PaymentState {
  return {
    id: row.id,
    reference: { kind: row.reference_kind, id: row.reference_id },
    currency: row.currency,
    amount: int(row.amount),
    status: row.status,
    authorizedAmount: int(row.authorized_amount),
    capturedAmount: int(row.captured_amount),
    refundedAmount: int(row.refunded_amount),
    provider: row.provider,
    providerRef: row.provider_ref,
    paymentMethod: row.payment_method,
    nextAction: row.next_action,
    failure: row.failure_code ? { code: row.failure_code, message: row.failure_message ?? '' } : null,
    clientSecret: row.client_secret,
    createdBy: row.created_by,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toRow(s: PaymentState) {
  return {
    id: s.id,
    reference_kind: s.reference.kind,
    reference_id: s.reference.id,
    currency: s.currency,
    amount: s.amount,
    status: s.status,
    authorized_amount: s.authorizedAmount,
    captured_amount: s.capturedAmount,
    refunded_amount: s.refundedAmount,
    provider: s.provider,
    provider_ref: s.providerRef,
    payment_method: s.paymentMethod ? JSON.stringify(s.paymentMethod) : null,
    next_action: s.nextAction ? JSON.stringify(s.nextAction) : null,
    failure_code: s.failure?.code ?? null,
    failure_message: s.failure?.message ?? null,
    client_secret: s.clientSecret,
    created_by: s.createdBy,
    version: s.version,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function toAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    paymentId: row.payment_id,
    operation: row.operation,
    seq: row.seq,
    status: row.status,
    amount: row.amount === null ? null : int(row.amount),
    providerKey: row.provider_key,
    providerRef: row.provider_ref,
    requestKey: row.request_key,
    paymentMethod: row.payment_method,
    reason: row.reason,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    lastError: row.last_error,
    tries: row.tries,
    actor: row.actor,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    completedAt: row.completed_at ? new Date(row.completed_at) : null,
  };
}

interface PgError {
  code?: string;
  constraint?: string;
}

export interface PaymentFilter {
  status?: PaymentStatus;
  referenceKind?: ReferenceKind;
  referenceId?: string;
  limit: number;
  cursor?: string;
}

export class PaymentStore {
  constructor(private readonly knex: Knex) {}

  async insert(payment: Payment, trx: Knex.Transaction): Promise<void> {
    try {
      await trx(T.intents).insert(toRow(payment.state));
    } catch (error) {
      const e = error as PgError;
      if (e.code === '23505' && e.constraint === 'payment_intents_live_reference_idx') {
        throw PaymentsError.referenceInUse(payment.state.reference.kind, payment.state.reference.id);
      }
      throw error;
    }
  }

  /** Loads and locks the payment row for the rest of the transaction: operations on one payment run one at a time. */
  async lock(id: string, trx: Knex.Transaction): Promise<Payment | null> {
    const row = await trx<IntentRow>(T.intents).where({ id }).forUpdate().first();
    return row ? Payment.restore(toState(row)) : null;
  }

  async lockByProviderRef(provider: string, providerRef: string, trx: Knex.Transaction): Promise<Payment | null> {
    const row = await trx<IntentRow>(T.intents).where({ provider, provider_ref: providerRef }).forUpdate().first();
    return row ? Payment.restore(toState(row)) : null;
  }

  async find(id: string, trx?: Knex.Transaction): Promise<Payment | null> {
    const row = await (trx ?? this.knex)<IntentRow>(T.intents).where({ id }).first();
    return row ? Payment.restore(toState(row)) : null;
  }

  /** Saves a changed payment; the row is locked, so the version check is a last line of defence. */
  async save(payment: Payment, trx: Knex.Transaction): Promise<void> {
    const state = payment.state;
    const { id: _id, created_at: _createdAt, ...row } = toRow(state);
    const updated = await trx(T.intents)
      .where({ id: state.id, version: state.version })
      .update({ ...row, version: state.version + 1 });
    if (updated !== 1) throw new Error(`payment ${state.id} changed under a lock`);
    payment.saved();
  }

  async list(filter: PaymentFilter): Promise<Page<PaymentState>> {
    // Newest first by creation time (ids are not always time-ordered: the saga derives them from the order).
    const query = this.knex<IntentRow>(T.intents)
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(filter.limit + 1);
    if (filter.status) query.where('status', filter.status);
    if (filter.referenceKind) query.where('reference_kind', filter.referenceKind);
    if (filter.referenceId) query.where('reference_id', filter.referenceId);
    if (filter.cursor) {
      const { value, id } = decodeCursor(filter.cursor, 'newest');
      const after = typeof value === 'string' ? new Date(value) : null;
      if (!after || Number.isNaN(after.getTime()) || !UUID.test(id)) throw invalidCursor();
      query.whereRaw('(created_at, id) < (?, ?)', [after, id]);
    }
    const rows = (await query).map(toState);
    return toPage(rows, filter.limit, (s) => ({ sort: 'newest', value: s.createdAt.toISOString(), id: s.id }));
  }

  // ── attempts ────────────────────────────────────────────────────────────────

  async attempts(paymentId: string, trx?: Knex.Transaction): Promise<Attempt[]> {
    const rows = await (trx ?? this.knex)<AttemptRow>(T.attempts).where({ payment_id: paymentId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(toAttempt);
  }

  async pendingAttempts(paymentId: string, trx: Knex.Transaction): Promise<Attempt[]> {
    const rows = await trx<AttemptRow>(T.attempts).where({ payment_id: paymentId, status: 'pending' }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(toAttempt);
  }

  async latestAttemptForRequest(paymentId: string, requestKey: string, trx: Knex.Transaction): Promise<Attempt | null> {
    const row = await trx<AttemptRow>(T.attempts).where({ payment_id: paymentId, request_key: requestKey }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).first();
    return row ? toAttempt(row) : null;
  }

  /** The next number for an operation on a payment; keys built from it are the same on every retry of a lost attempt. */
  async nextSeq(paymentId: string, operation: Operation, trx: Knex.Transaction): Promise<number> {
    const row = await trx(T.attempts).where({ payment_id: paymentId, operation }).max<{ max: number | null }>('seq as max').first();
    return (row?.max ?? 0) + 1;
  }

  async insertAttempt(attempt: Attempt, trx: Knex.Transaction): Promise<void> {
    await trx(T.attempts).insert({
      id: attempt.id,
      payment_id: attempt.paymentId,
      operation: attempt.operation,
      seq: attempt.seq,
      status: attempt.status,
      amount: attempt.amount,
      provider_key: attempt.providerKey,
      provider_ref: attempt.providerRef,
      request_key: attempt.requestKey,
      payment_method: attempt.paymentMethod,
      reason: attempt.reason,
      actor: attempt.actor,
      created_at: attempt.createdAt,
      updated_at: attempt.updatedAt,
    });
  }

  async updateAttempt(attempt: Attempt, trx: Knex.Transaction): Promise<void> {
    await trx(T.attempts).where({ id: attempt.id }).update({
      status: attempt.status,
      provider_ref: attempt.providerRef,
      failure_code: attempt.failureCode,
      failure_message: attempt.failureMessage,
      last_error: attempt.lastError,
      tries: attempt.tries,
      updated_at: attempt.updatedAt,
      completed_at: attempt.completedAt,
    });
  }

  // ── transitions ─────────────────────────────────────────────────────────────

  async recordTransitions(
    paymentId: string,
    transitions: Transition[],
    context: { attemptId: string | null; source: 'api' | 'webhook'; actor: string; at: Date },
    trx: Knex.Transaction,
  ): Promise<void> {
    if (transitions.length === 0) return;
    await trx(T.transitions).insert(
      transitions.map((t) => ({
        payment_id: paymentId,
        from_status: t.from,
        to_status: t.to,
        amount: t.amount,
        attempt_id: context.attemptId,
        source: context.source,
        actor: context.actor,
        reason: t.reason,
        created_at: context.at,
      })),
    );
  }

  async transitions(paymentId: string): Promise<TransitionRecord[]> {
    const rows = await this.knex(T.transitions).where({ payment_id: paymentId }).orderBy('id');
    return rows.map((r: Record<string, unknown>) => ({
      id: int(r.id as number),
      from: r.from_status as PaymentStatus | null,
      to: r.to_status as PaymentStatus,
      amount: int(r.amount as number),
      reason: r.reason as string | null,
      attemptId: r.attempt_id as string | null,
      source: r.source as 'api' | 'webhook',
      actor: r.actor as string,
      at: new Date(r.created_at as Date),
    }));
  }
}
