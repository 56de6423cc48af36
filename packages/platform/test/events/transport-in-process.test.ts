// The contract suite on the embedded mode's transport, on both databases.
import { InProcessTransport } from '../../src/index.ts';
import { describeTransportContract } from './contract-suite.ts';

describeTransportContract({ name: 'the in-process transport on PGlite', backend: 'pglite', shared: true, create: () => new InProcessTransport() });
describeTransportContract({ name: 'the in-process transport on PostgreSQL', backend: 'postgres', shared: true, create: () => new InProcessTransport() });
