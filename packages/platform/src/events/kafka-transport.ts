/**
 * Kafka/Redpanda through KafkaJS. One topic per producing service
 * (`fusion.catalog`), the subject as message key so one aggregate stays on one
 * partition and in order, CloudEvents in binary mode (`ce_*` headers, the data
 * as the value), one consumer group per consuming service, offsets committed
 * only after the event settled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type IHeaders, type KafkaConfig, type Message, type Producer, type SASLOptions } from 'kafkajs';
import type { CloudEvent } from '@fusioncommerce/contracts';
import type { DeliverEvent, EventTransport, Subscription } from './transport.ts';
import { backoffDelay } from './waiting.ts';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** Create missing topics on start (off where the cluster's topics are managed elsewhere). */
  createTopics: boolean;
  partitions: number;
  /** -1: the broker's default. */
  replicationFactor: number;
  retryInitialMs: number;
  retryMaxMs: number;
  log: FastifyBaseLogger;
}

const CE_HEADERS = ['id', 'source', 'type', 'subject', 'time'] as const;

/** An event as a Kafka record: key = subject, value = data, attributes in `ce_` headers (CloudEvents Kafka binding, binary mode). */
export function toKafkaMessage(event: CloudEvent): Message {
  const headers: IHeaders = { ce_specversion: event.specversion, 'content-type': event.datacontenttype };
  for (const name of CE_HEADERS) headers[`ce_${name}`] = event[name];
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * A Kafka record back into an envelope. Structured mode (the whole envelope
 * as the value) is read too. Nothing is checked here: the consumer checks the
 * envelope and the contract and dead-letters what fails, under `fallbackId`
 * when the record carries no id.
 */
export function fromKafkaMessage(message: { key?: Buffer | string | null; value: Buffer | string | null; headers?: IHeaders }, fallbackId: string): CloudEvent {
  const value = message.value?.toString() ?? '';
  const parse = (): unknown => {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  };
  if (headerText(message.headers, 'content-type')?.startsWith('application/cloudevents+json')) {
    const envelope = parse() as CloudEvent;
    return { ...envelope, id: typeof envelope?.id === 'string' ? envelope.id : fallbackId };
  }
  return {
    specversion: headerText(message.headers, 'ce_specversion') as '1.0',
    id: headerText(message.headers, 'ce_id') ?? fallbackId,
    source: headerText(message.headers, 'ce_source') as string,
    type: headerText(message.headers, 'ce_type') as string,
    subject: headerText(message.headers, 'ce_subject') ?? message.key?.toString() ?? '',
    time: headerText(message.headers, 'ce_time') as string,
    datacontenttype: 'application/json',
    data: parse(),
  };
}

const LEVELS: Record<logLevel, 'error' | 'warn' | 'info' | 'debug' | undefined> = {
  [logLevel.NOTHING]: undefined,
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export class KafkaTransport implements EventTransport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | undefined;
  private admin: Promise<Admin> | undefined;
  private readonly topicsReady = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: KafkaTransportOptions) {
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: options.brokers,
      ssl: options.ssl,
      sasl: options.sasl as SASLOptions | undefined,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: options.retryInitialMs, maxRetryTime: options.retryMaxMs, retries: 5 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        const level = LEVELS[entry.level];
        if (!level) return;
        const { message, ...extra } = entry.log;
        options.log[level]({ kafka: entry.namespace, ...extra }, message);
      },
    };
    this.kafka = new Kafka(config);
  }

  async start(): Promise<void> {
    // Connecting now makes a reachable broker ready at once; an unreachable one is only reported.
    await this.connectedAdmin().catch((error: unknown) => this.options.log.warn({ err: error }, 'Kafka not reachable yet; will keep trying'));
  }

  async publish(topic: string, events: CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.ensureTopic(topic);
    const producer = await this.connectedProducer();
    // acks from all in-sync replicas: "accepted" must mean it survives a broker.
    await producer.send({ topic, acks: -1, messages: events.map(toKafkaMessage) });
  }

  async subscribe(group: string, topics: string[], deliver: DeliverEvent): Promise<Subscription> {
    let stopped = false;
    let consumer: Consumer | undefined;
    const stopping = new AbortController();
    const run = async (): Promise<void> => {
      for (let failures = 0; !stopped; ) {
        consumer = this.kafka.consumer({ groupId: group, allowAutoTopicCreation: false });
        // KafkaJS restarts itself after retriable errors; after the others the consumer is dead and this loop starts a new one.
        const gaveUp = new Promise<unknown>((resolve) => {
          consumer?.on(consumer.events.CRASH, ({ payload }) => {
            if (!payload.restart) resolve(payload.error);
          });
          stopping.signal.addEventListener('abort', () => resolve(undefined), { once: true });
        });
        try {
          for (const topic of topics) await this.ensureTopic(topic);
          await consumer.connect();
          await consumer.subscribe({ topics, fromBeginning: true });
          const current = consumer;
          await current.run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              await deliver(fromKafkaMessage(message, `${topic}/${partition}/${message.offset}`));
              // Committed only now: a crash before this line means the event comes again, and the inbox skips it.
              await current.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
            },
          });
          failures = 0;
          const crash = await gaveUp;
          if (stopped) return;
          throw crash;
        } catch (error) {
          if (stopped) return;
          failures += 1;
          const wait = backoffDelay(failures, this.options.retryInitialMs, this.options.retryMaxMs);
          this.options.log.warn({ err: error, group, attempt: failures, retryInMs: wait }, 'Kafka consumer is not running; starting it again');
          await consumer.disconnect().catch(() => undefined);
          await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
        }
      }
    };
    const running = run();
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        // Disconnecting waits for the message in hand; its offset is committed only if it settled.
        const disconnected = consumer?.disconnect().catch(() => undefined);
        stopping.abort();
        await Promise.all([running, disconnected]);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async check(): Promise<void> {
    const admin = await this.connectedAdmin();
    try {
      await admin.describeCluster();
    } catch (error) {
      this.admin = undefined;
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async lag(group: string, topics: string[]): Promise<number> {
    const admin = await this.connectedAdmin();
    let lag = 0;
    for (const topic of topics) {
      const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId: group, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
      const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      for (const end of ends) {
        const position = done.get(end.partition) ?? -1;
        // -1: the group never committed here, so everything still kept is ahead of it.
        lag += Math.max(0, Number(end.high) - (position < 0 ? Number(end.low) : position));
      }
    }
    return lag;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    const [producer, admin] = await Promise.all([this.producer?.catch(() => undefined), this.admin?.catch(() => undefined)]);
    await Promise.all([producer?.disconnect().catch(() => undefined), admin?.disconnect().catch(() => undefined)]);
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producer.on(producer.events.DISCONNECT, () => (this.producer = undefined));
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    // No retries of its own: readiness probes ask often and must answer fast.
    this.admin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }

  private ensureTopic(topic: string): Promise<void> {
    if (!this.options.createTopics) return Promise.resolve();
    let ready = this.topicsReady.get(topic);
    if (!ready) {
      ready = (async () => {
        const admin = await this.connectedAdmin();
        await admin.createTopics({
          topics: [{ topic, numPartitions: this.options.partitions, replicationFactor: this.options.replicationFactor }],
          waitForLeaders: true,
        });
      })().catch((error: unknown) => {
        this.topicsReady.delete(topic);
        throw error;
      });
      this.topicsReady.set(topic, ready);
    }
    return ready;
  }
}
