/**
 * A consumer group's side of an event: check it against its contract, run the
 * handler in one transaction together with the inbox row that makes
 * redelivery harmless, retry with backoff, and after the last attempt park it
 * in the dead letters, where an operator can read it and replay it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { EventContractError, parseCloudEvent, type CloudEvent, type EventContract, type EventData } from '@fusioncommerce/contracts';
import { AppError } from '../errors.ts';
import { topicOfType } from './transport.ts';
import { backoffDelay } from './waiting.ts';

export interface HandlerContext {
  /** The consumer's transaction: write the effects here, so they commit with the inbox row. */
  trx: Knex.Transaction;
  log: FastifyBaseLogger;
}

export type EventHandler<T = unknown> = (event: CloudEvent<T>, context: HandlerContext) => Promise<void>;

/** One event type a service reacts to, and how. */
export interface ConsumedEvent {
  type: string;
  handle: EventHandler;
  /**
   * Which events of the type concern this service (say, only those about its
   * own kind of reference). The others are settled as `ignored` without a
   * transaction or an inbox row: with no effect, there is nothing to do twice.
   */
  when?: (event: CloudEvent) => boolean;
}

export interface HandlerOptions<T> {
  /** See `ConsumedEvent.when`; it sees the event after its contract check. */
  when?: (event: CloudEvent<T>) => boolean;
}

/** Declares a handler for the events of one contract, typed by that contract's schema. */
export function on<C extends EventContract>(contract: C, handle: EventHandler<EventData<C>>, options: HandlerOptions<EventData<C>> = {}): ConsumedEvent {
  return { type: contract.type, handle: handle as EventHandler, ...(options.when ? { when: options.when as (event: CloudEvent) => boolean } : {}) };
}

export type DeliveryOutcome = 'handled' | 'duplicate' | 'ignored' | 'dead_lettered';

export interface ConsumerOptions {
  /** The consumer group: the consuming service's name. */
  group: string;
  /** The consuming service's schema, which holds its inbox and dead letters. */
  schema: string;
  knex: Knex;
  handlers: ConsumedEvent[];
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  log: FastifyBaseLogger;
  onOutcome?: (outcome: DeliveryOutcome, event: { type: string }) => void;
}

/** Thrown to the transport when the consumer stops with an event unsettled: it must be delivered again. */
export class ConsumerStoppedError extends Error {
  constructor(group: string) {
    super(`consumer ${group} is stopping`);
    this.name = 'ConsumerStoppedError';
  }
}

export interface DeadLetterRow {
  id: string;
  consumer_group: string;
  event_id: string;
  type: string;
  subject: string;
  event: unknown;
  error: string;
  attempts: number;
  status: 'dead' | 'replayed';
  failed_at: Date;
  replayed_at: Date | null;
  replay_attempts: number;
  last_replay_error: string | null;
}

const MAX_ERROR_LENGTH = 4000;

function messageOf(error: unknown): string {
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 3)}...` : message;
}

/** The replayed event itself failed (its contract or its handler), as opposed to the replay request. */
class ReplayFailure extends Error {
  constructor(readonly reason: unknown) {
    super(messageOf(reason));
  }
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value.length > 0 ? value : fallback);

export class EventConsumer {
  readonly group: string;
  readonly schema: string;
  private readonly handlers = new Map<string, EventHandler>();
  private readonly filters = new Map<string, (event: CloudEvent) => boolean>();
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: ConsumerOptions) {
    this.group = options.group;
    this.schema = options.schema;
    for (const { type, handle, when } of options.handlers) {
      if (this.handlers.has(type)) throw new Error(`${options.group} declares two handlers for ${type}`);
      this.handlers.set(type, handle);
      if (when) this.filters.set(type, when);
    }
  }

  get types(): string[] {
    return [...this.handlers.keys()];
  }

  /** The topics this group must read: those of the services that publish its event types. */
  topics(prefix: string): string[] {
    return [...new Set(this.types.map((type) => topicOfType(prefix, type)))];
  }

  /** What transports call: settles one event, or rejects so that it is delivered again. */
  readonly deliver = async (event: CloudEvent): Promise<void> => {
    await this.settle(event);
  };

  settle(event: CloudEvent): Promise<DeliveryOutcome> {
    const work = this.settleOnce(event);
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  /** Stops retrying: unsettled events are rejected back to their transport, settled ones stay settled. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private get table() {
    return { inbox: `${this.schema}.inbox`, deadLetters: `${this.schema}.dead_letters` };
  }

  private async settleOnce(received: CloudEvent): Promise<DeliveryOutcome> {
    if (this.stopping.signal.aborted) throw new ConsumerStoppedError(this.group);
    const handle = this.handlers.get(received.type);
    if (!handle) return this.outcome('ignored', received);
    let event: CloudEvent;
    try {
      event = parseCloudEvent(received);
    } catch (error) {
      if (!(error instanceof EventContractError)) throw error;
      // A contract violation does not heal with time: no retries.
      return this.outcome(await this.deadLetter(received, error, 0), received);
    }
    if (!this.concerns(event)) return this.outcome('ignored', event);
    for (let attempt = 1; ; attempt++) {
      try {
        const handled = await this.options.knex.transaction(async (trx) => {
          const claimed = await trx(this.table.inbox)
            .insert({ consumer_group: this.group, event_id: event.id, type: event.type, outcome: 'handled' })
            .onConflict(['consumer_group', 'event_id'])
            .ignore()
            .returning('event_id');
          if (claimed.length === 0) return false;
          await handle(event, { trx, log: this.options.log });
          return true;
        });
        return this.outcome(handled ? 'handled' : 'duplicate', event);
      } catch (error) {
        if (this.stopping.signal.aborted) throw new ConsumerStoppedError(this.group);
        if (attempt >= this.options.maxAttempts) return this.outcome(await this.deadLetter(event, error, attempt), event);
        const delay = backoffDelay(attempt, this.options.retryInitialMs, this.options.retryMaxMs);
        this.options.log.warn({ err: error, group: this.group, eventId: event.id, type: event.type, attempt, retryInMs: delay }, 'event handler failed; retrying');
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        if (this.stopping.signal.aborted) throw new ConsumerStoppedError(this.group);
      }
    }
  }

  /** A filter that throws is a bug in it: the event is handled, so the handler decides. */
  private concerns(event: CloudEvent): boolean {
    const when = this.filters.get(event.type);
    if (!when) return true;
    try {
      return when(event);
    } catch (error) {
      this.options.log.warn({ err: error, group: this.group, eventId: event.id, type: event.type }, 'event filter failed; handling the event');
      return true;
    }
  }

  private outcome(outcome: DeliveryOutcome, event: { type?: unknown }): DeliveryOutcome {
    this.options.onOutcome?.(outcome, { type: text(event.type, 'unknown') });
    return outcome;
  }

  /**
   * Parks the event: the inbox row (so a redelivery is skipped rather than
   * retried all over again) and the dead letter commit together.
   */
  private async deadLetter(event: CloudEvent, error: unknown, attempts: number): Promise<DeliveryOutcome> {
    const raw = event as Partial<Record<keyof CloudEvent, unknown>>;
    const eventId = text(raw.id, `malformed:${uuidv7()}`);
    const type = text(raw.type, 'unknown');
    const reason = messageOf(error);
    const parked = await this.options.knex.transaction(async (trx) => {
      const claimed = await trx(this.table.inbox)
        .insert({ consumer_group: this.group, event_id: eventId, type, outcome: 'dead_lettered' })
        .onConflict(['consumer_group', 'event_id'])
        .ignore()
        .returning('event_id');
      if (claimed.length === 0) return false;
      await trx(this.table.deadLetters)
        .insert({
          id: uuidv7(),
          consumer_group: this.group,
          event_id: eventId,
          type,
          subject: text(raw.subject, ''),
          event: JSON.stringify(event),
          error: reason,
          attempts,
        })
        .onConflict(['consumer_group', 'event_id'])
        .merge({ error: reason, attempts, status: 'dead', failed_at: new Date(), replayed_at: null });
      return true;
    });
    if (!parked) return 'duplicate';
    this.options.log.error({ err: error, group: this.group, eventId, type, attempts }, 'event moved to the dead letters');
    return 'dead_lettered';
  }

  async findDeadLetter(id: string, trx: Knex | Knex.Transaction = this.options.knex): Promise<DeadLetterRow | undefined> {
    return (await trx(this.table.deadLetters).where({ id, consumer_group: this.group }).first()) as DeadLetterRow | undefined;
  }

  /**
   * Runs the handler on a dead letter again, now. Success marks it replayed in
   * the same transaction as the handler's effects, so a letter is replayed at
   * most once; failure leaves it dead and says why.
   */
  async replay(id: string): Promise<DeadLetterRow> {
    try {
      return await this.options.knex.transaction(async (trx) => {
        const letter = (await trx(this.table.deadLetters).where({ id, consumer_group: this.group }).forUpdate().first()) as DeadLetterRow | undefined;
        if (!letter) throw new AppError('EVENTS.DEAD_LETTER_NOT_FOUND', 'not_found', `There is no dead letter ${id}.`);
        if (letter.status !== 'dead') {
          throw new AppError('EVENTS.ALREADY_REPLAYED', 'conflict', `Dead letter ${id} was already replayed.`, { extensions: { status: letter.status } });
        }
        const handle = this.handlers.get(letter.type);
        if (!handle) throw new AppError('EVENTS.NO_HANDLER', 'conflict', `${this.group} no longer handles ${letter.type}.`);
        try {
          await handle(parseCloudEvent(letter.event), { trx, log: this.options.log });
        } catch (error) {
          throw new ReplayFailure(error);
        }
        await trx(this.table.inbox)
          .insert({ consumer_group: this.group, event_id: letter.event_id, type: letter.type, outcome: 'handled' })
          .onConflict(['consumer_group', 'event_id'])
          .merge({ outcome: 'handled', handled_at: new Date() });
        const [replayed] = (await trx(this.table.deadLetters)
          .where({ id })
          .update({ status: 'replayed', replayed_at: new Date(), replay_attempts: trx.raw('replay_attempts + 1'), last_replay_error: null })
          .returning('*')) as DeadLetterRow[];
        return replayed as DeadLetterRow;
      });
    } catch (error) {
      if (!(error instanceof ReplayFailure)) throw error;
      await this.options.knex(this.table.deadLetters)
        .where({ id })
        .update({ replay_attempts: this.options.knex.raw('replay_attempts + 1'), last_replay_error: error.message });
      this.options.log.warn({ err: error.reason, group: this.group, deadLetterId: id }, 'dead letter replay failed');
      throw new AppError('EVENTS.REPLAY_FAILED', 'conflict', `The event failed again and stays in the dead letters: ${error.message}`, {
        cause: error.reason,
      });
    }
  }
}
