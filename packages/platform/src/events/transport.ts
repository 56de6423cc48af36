/**
 * The one interface every way of moving events implements (in process, a
 * PostgreSQL log, Kafka/Redpanda), so the relay and the consumers never know
 * which one they run on. Topics are per producing service; the subject (the
 * aggregate id) keeps one aggregate's events in order.
 */
import type { CloudEvent } from '@fusioncommerce/contracts';
import { producerOf } from '@fusioncommerce/contracts';

/**
 * Handles one event for a consumer group and resolves once the group is done
 * with it (handled, a duplicate, or dead-lettered). It rejects only when the
 * event could not be settled at all (the database is gone, the consumer is
 * stopping): the transport must then deliver it again later.
 */
export type DeliverEvent = (event: CloudEvent) => Promise<void>;

export interface Subscription {
  /** Stops taking events and waits for the ones in hand to settle. */
  stop(): Promise<void>;
}

export interface EventTransport {
  readonly kind: 'in-process' | 'postgres' | 'kafka';
  /**
   * Prepares what the transport needs (tables, topics, connections). An
   * unreachable broker does not make it throw: it keeps trying, publish fails
   * meanwhile (so the relay retries) and `check()` reports it.
   */
  start(): Promise<void>;
  /**
   * Resolves once the transport has accepted every event, in order per subject;
   * only then may the relay mark them sent.
   */
  publish(topic: string, events: CloudEvent[]): Promise<void>;
  /** Joins `group`: each event of `topics` goes to one member of the group. */
  subscribe(group: string, topics: string[], deliver: DeliverEvent): Promise<Subscription>;
  /** Throws while the broker is unreachable (readiness). */
  check(): Promise<void>;
  /** Events of `topics` that `group` has not settled yet. */
  lag(group: string, topics: string[]): Promise<number>;
  close(): Promise<void>;
}

/** `fusion.catalog`: the topic a service publishes to. */
export function topicFor(prefix: string, service: string): string {
  return `${prefix}.${service}`;
}

/** The topic an event type travels on. */
export function topicOfType(prefix: string, type: string): string {
  return topicFor(prefix, producerOf(type));
}

/** 32-bit FNV-1a: a stable spread of subjects over partitions, the same in every process. */
export function partitionOf(subject: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < subject.length; i++) {
    hash ^= subject.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** Events in their order, split into one list per subject (order within each kept). */
export function bySubject(events: CloudEvent[]): CloudEvent[][] {
  const chains = new Map<string, CloudEvent[]>();
  for (const event of events) {
    const chain = chains.get(event.subject);
    if (chain) chain.push(event);
    else chains.set(event.subject, [event]);
  }
  return [...chains.values()];
}
