/**
 * Listens, logs where to point the browser, and shuts down cleanly: on SIGTERM
 * or SIGINT the server stops accepting, in-flight requests finish (new ones on
 * kept-alive sockets get 503), then onClose hooks release the database.
 */
import type { FastifyInstance } from 'fastify';

export interface RunOptions {
  host: string;
  port: number;
  /** Longest wait for in-flight requests before the process exits anyway. */
  graceMs: number;
}

export async function listen(app: FastifyInstance, options: RunOptions): Promise<string> {
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return `http://${shownHost}:${port}`;
}

export function closeOnSignals(app: FastifyInstance, graceMs: number, signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    const force = setTimeout(() => {
      app.log.error({ graceMs }, 'in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    app.close().then(
      () => {
        app.log.info('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a signal that arrives twice (a terminal's Ctrl-C reaches `npm start` and the platform alike) must not end the drain early.
  for (const signal of signals) process.on(signal, onSignal);
}
