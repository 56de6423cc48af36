/**
 * How a process moves its events, from the environment: which transport, and
 * the few knobs an operator may turn. Validated at start-up like all config.
 */
import { Type, type Static } from 'typebox';
import { CommonSettings, ConfigError, loadConfig } from '../config/load-config.ts';

export type TransportKind = 'in-process' | 'postgres' | 'kafka';

export const EventsConfigSchema = Type.Object({
  DATABASE_URL: CommonSettings.DATABASE_URL,
  KAFKA_BROKERS: CommonSettings.KAFKA_BROKERS,
  EVENTS_TRANSPORT: Type.Optional(Type.Enum(['in-process', 'postgres', 'kafka'])),
  EVENTS_RELAY_BATCH_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  EVENTS_POLL_INTERVAL_MS: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000 })),
  EVENTS_MAX_ATTEMPTS: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  EVENTS_RETRY_INITIAL_MS: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000 })),
  EVENTS_RETRY_MAX_MS: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
  EVENTS_CONSUMER_CONCURRENCY: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
  EVENTS_LOG_RETENTION_HOURS: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 365 })),
  KAFKA_CLIENT_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  KAFKA_TOPIC_PREFIX: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$' })),
  KAFKA_CREATE_TOPICS: Type.Optional(Type.Boolean()),
  KAFKA_TOPIC_PARTITIONS: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  KAFKA_REPLICATION_FACTOR: Type.Optional(Type.Integer({ minimum: -1, maximum: 10 })),
  KAFKA_SSL: Type.Optional(Type.Boolean()),
  KAFKA_SASL_MECHANISM: Type.Optional(Type.Enum(['plain', 'scram-sha-256', 'scram-sha-512'])),
  KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
});

export type EventsConfig = Static<typeof EventsConfigSchema>;

/** The tuning every relay and consumer works with, defaults filled in. */
export interface EventSettings {
  relayBatchSize: number;
  pollIntervalMs: number;
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  consumerConcurrency: number;
  logRetentionHours: number;
  topicPrefix: string;
}

export function eventSettings(config: EventsConfig = {}): EventSettings {
  return {
    relayBatchSize: config.EVENTS_RELAY_BATCH_SIZE ?? 100,
    pollIntervalMs: config.EVENTS_POLL_INTERVAL_MS ?? 1000,
    maxAttempts: config.EVENTS_MAX_ATTEMPTS ?? 5,
    retryInitialMs: config.EVENTS_RETRY_INITIAL_MS ?? 200,
    retryMaxMs: config.EVENTS_RETRY_MAX_MS ?? 10_000,
    consumerConcurrency: config.EVENTS_CONSUMER_CONCURRENCY ?? 2,
    logRetentionHours: config.EVENTS_LOG_RETENTION_HOURS ?? 7 * 24,
    topicPrefix: config.KAFKA_TOPIC_PREFIX ?? 'fusion',
  };
}

/**
 * Which transport a process uses. Explicit EVENTS_TRANSPORT wins; otherwise
 * Kafka when brokers are configured; otherwise a service running alone on a
 * real PostgreSQL shares events through the database, and everything else
 * (the embedded gateway, a lone service on PGlite) delivers in process.
 */
export function transportKindFor(config: EventsConfig, mode: 'embedded' | 'standalone'): TransportKind {
  const chosen = config.EVENTS_TRANSPORT as TransportKind | undefined;
  if (chosen === 'kafka' && !config.KAFKA_BROKERS) {
    throw new ConfigError('Invalid configuration: EVENTS_TRANSPORT=kafka needs KAFKA_BROKERS (host:port,host:port).');
  }
  if (chosen === 'postgres' && !config.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: EVENTS_TRANSPORT=postgres needs DATABASE_URL (the log lives in that database).');
  }
  if (chosen) return chosen;
  if (config.KAFKA_BROKERS) return 'kafka';
  return mode === 'standalone' && config.DATABASE_URL ? 'postgres' : 'in-process';
}

export function loadEventsConfig(env: Record<string, string | undefined> = process.env, mode: 'embedded' | 'standalone' = 'standalone'): EventsConfig {
  const config = loadConfig(EventsConfigSchema, env);
  transportKindFor(config, mode);
  const sasl = [config.KAFKA_SASL_MECHANISM, config.KAFKA_SASL_USERNAME, config.KAFKA_SASL_PASSWORD];
  if (sasl.some((v) => v !== undefined) && sasl.some((v) => v === undefined)) {
    throw new ConfigError('Invalid configuration: set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together.');
  }
  if ((config.EVENTS_RETRY_MAX_MS ?? 10_000) < (config.EVENTS_RETRY_INITIAL_MS ?? 200)) {
    throw new ConfigError('Invalid configuration: EVENTS_RETRY_MAX_MS must not be below EVENTS_RETRY_INITIAL_MS.');
  }
  return config;
}
