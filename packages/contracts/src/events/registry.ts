/**
 * The published language between services: every event type has a JSON
 * schema here, checked when an event is recorded and again when it is consumed.
 */
import { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

export interface EventContract<T extends TSchema = TSchema> {
  /** `<service>.<entity>.<verb>`, past tense: `catalog.product.published`. */
  type: string;
  description: string;
  schema: T;
}

export class EventContractError extends Error {
  constructor(
    readonly eventType: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventContractError';
  }
}

const TYPE_PATTERN = /^[a-z][a-z-]*\.[a-z][a-z_]*\.[a-z][a-z_]*$/;
const contracts = new Map<string, { contract: EventContract; check: ReturnType<typeof Compile> }>();

export function defineEvent<T extends TSchema>(type: string, description: string, schema: T): EventContract<T> {
  if (!TYPE_PATTERN.test(type)) throw new Error(`event type "${type}" is not <service>.<entity>.<verb>`);
  if (contracts.has(type)) throw new Error(`event type "${type}" is defined twice`);
  const contract = { type, description, schema };
  contracts.set(type, { contract, check: Compile(schema) });
  return contract;
}

export function eventContract(type: string): EventContract | undefined {
  return contracts.get(type)?.contract;
}

export function allEventContracts(): EventContract[] {
  return [...contracts.values()].map((c) => c.contract);
}

/** Throws EventContractError unless `data` matches the schema of `type`. */
export function validateEventData(type: string, data: unknown): void {
  const entry = contracts.get(type);
  if (!entry) throw new EventContractError(type, `no contract for event type "${type}"`);
  if (!entry.check.Check(data)) {
    const first = entry.check.Errors(data)[0];
    throw new EventContractError(type, `${type} data does not match its contract: ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`);
  }
}

export type EventData<C> = C extends EventContract<infer T> ? Static<T> : never;
