// The contract suite on the PostgreSQL event log (the real server): every node has its own transport, as separate processes do.
import { PostgresTransport } from '../../src/index.ts';
import { describeTransportContract } from './contract-suite.ts';
import { silent } from './harness.ts';

describeTransportContract({
  name: 'the PostgreSQL log',
  backend: 'postgres',
  shared: false,
  rewind: async (db, group) => {
    await db.knex('fusion_events.consumer_offsets').where({ consumer_group: group }).update({ position: 0 });
  },
  create: (db, settings) =>
    new PostgresTransport({
      knex: db.knex,
      listenUrl: db.url,
      pollIntervalMs: 1000,
      concurrency: settings.consumerConcurrency,
      retryInitialMs: settings.retryInitialMs,
      retryMaxMs: settings.retryMaxMs,
      retentionHours: settings.logRetentionHours,
      log: silent,
    }),
});
