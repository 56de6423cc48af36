import { describe, expect, it } from 'vitest';
import { ConfigError, loadEventsConfig, transportKindFor } from '../../src/index.ts';

const URL = 'postgres://postgres@127.0.0.1:5432/shop';

const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('choosing the event transport', () => {
  it('when nothing is set, then events stay in process', () => {
    expect(transportKindFor(loadEventsConfig({}), 'standalone')).toBe('in-process');
    expect(transportKindFor(loadEventsConfig({}, 'embedded'), 'embedded')).toBe('in-process');
  });

  it('when a service runs alone on PostgreSQL, then it shares events through the database log; the embedded gateway keeps them in process', () => {
    expect(transportKindFor(loadEventsConfig({ DATABASE_URL: URL }), 'standalone')).toBe('postgres');
    expect(transportKindFor(loadEventsConfig({ DATABASE_URL: URL }, 'embedded'), 'embedded')).toBe('in-process');
  });

  it('when KAFKA_BROKERS is set, then Kafka carries the events in every mode', () => {
    const config = loadEventsConfig({ DATABASE_URL: URL, KAFKA_BROKERS: 'redpanda:9092,redpanda-2:9092' });
    expect(transportKindFor(config, 'standalone')).toBe('kafka');
    expect(transportKindFor(config, 'embedded')).toBe('kafka');
  });

  it('when EVENTS_TRANSPORT is set, then it wins', () => {
    expect(transportKindFor(loadEventsConfig({ DATABASE_URL: URL, KAFKA_BROKERS: 'k:9092', EVENTS_TRANSPORT: 'postgres' }), 'standalone')).toBe('postgres');
    expect(transportKindFor(loadEventsConfig({ DATABASE_URL: URL, EVENTS_TRANSPORT: 'in-process' }), 'standalone')).toBe('in-process');
  });

  it('when a choice cannot work, then start-up fails with one line naming what is missing', () => {
    expect(failure(() => loadEventsConfig({ EVENTS_TRANSPORT: 'kafka' }))).toMatch(/EVENTS_TRANSPORT=kafka needs KAFKA_BROKERS/);
    expect(failure(() => loadEventsConfig({ EVENTS_TRANSPORT: 'postgres' }))).toMatch(/EVENTS_TRANSPORT=postgres needs DATABASE_URL/);
    expect(failure(() => loadEventsConfig({ EVENTS_TRANSPORT: 'rabbit' }))).toMatch(/EVENTS_TRANSPORT must be one of in-process, postgres, kafka/);
    expect(failure(() => loadEventsConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_SASL_USERNAME: 'shop' }))).toMatch(/KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together/);
    expect(failure(() => loadEventsConfig({ EVENTS_RETRY_INITIAL_MS: '5000', EVENTS_RETRY_MAX_MS: '100' }))).toMatch(/EVENTS_RETRY_MAX_MS/);
    expect(failure(() => loadEventsConfig({ EVENTS_MAX_ATTEMPTS: '0' }))).toMatch(/EVENTS_MAX_ATTEMPTS/);
  });
});
