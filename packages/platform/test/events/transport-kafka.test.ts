// The contract suite against a real Kafka or Redpanda: runs when KAFKA_BROKERS is set (e.g. 127.0.0.1:9092), reported skipped otherwise.
import { describe } from 'vitest';
import { KafkaTransport } from '../../src/index.ts';
import { describeTransportContract } from './contract-suite.ts';
import { silent } from './harness.ts';

const brokers = process.env.KAFKA_BROKERS;

describe.skipIf(!brokers)('Kafka/Redpanda transport contract (needs KAFKA_BROKERS)', () => {
  describeTransportContract({
    name: `Kafka at ${brokers ?? 'KAFKA_BROKERS'}`,
    backend: 'postgres',
    shared: false,
    waitMs: 90_000,
    mayRedeliverOnRebalance: true,
    create: () =>
      new KafkaTransport({
        brokers: (brokers ?? '').split(','),
        clientId: 'fusioncommerce-contract-test',
        createTopics: true,
        partitions: 6,
        replicationFactor: -1,
        retryInitialMs: 100,
        retryMaxMs: 2000,
        log: silent,
      }),
  });
});
