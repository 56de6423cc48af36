/** The CloudEvents 1.0 envelope every event travels in (structured JSON mode), and its checks on the way in. */
import { EventContractError, validateEventData } from './registry.ts';

export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  /** Unique per event (UUIDv7); consumers de-duplicate on it. */
  id: string;
  /** `/fusioncommerce/<service>` */
  source: string;
  /** `<service>.<entity>.<verb>` */
  type: string;
  /** The aggregate id: the ordering and partitioning key. */
  subject: string;
  /** RFC 3339 */
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

export const sourceOf = (service: string): string => `/fusioncommerce/${service}`;

/** The service that publishes an event type: `catalog.product.created` → `catalog`. */
export function producerOf(type: string): string {
  const service = type.split('.')[0];
  if (!service || !type.includes('.')) throw new EventContractError(type, `event type "${type}" names no service`);
  return service;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function envelopeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
  const e = value as Record<string, unknown>;
  if (e.specversion !== '1.0') return `specversion must be "1.0" (got ${JSON.stringify(e.specversion)})`;
  for (const field of ['id', 'source', 'type', 'subject'] as const) {
    if (typeof e[field] !== 'string' || (e[field] as string).length === 0) return `${field} must be a non-empty string`;
  }
  if (typeof e.time !== 'string' || !RFC3339.test(e.time) || Number.isNaN(Date.parse(e.time))) return 'time must be an RFC 3339 timestamp';
  if (e.datacontenttype !== undefined && e.datacontenttype !== 'application/json') return 'datacontenttype must be application/json';
  if (!('data' in e)) return 'data is missing';
  return undefined;
}

/**
 * Checks an event as it arrives from a transport: a well-formed envelope whose
 * data matches the contract of its type. Throws EventContractError otherwise;
 * a consumer sends such an event to its dead letters instead of retrying it.
 */
export function parseCloudEvent(value: unknown): CloudEvent {
  const problem = envelopeProblem(value);
  const type = typeof (value as { type?: unknown } | null)?.type === 'string' ? (value as { type: string }).type : 'unknown';
  if (problem) throw new EventContractError(type, `not a CloudEvents 1.0 envelope: ${problem}`);
  const event = value as CloudEvent;
  validateEventData(event.type, event.data);
  return { ...event, datacontenttype: 'application/json' };
}
