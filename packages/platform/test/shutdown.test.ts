import { describe, expect, it } from 'vitest';
import { createApp, listen } from '../src/index.ts';

describe('graceful shutdown', () => {
  it('when the server is closed mid-request, then the in-flight request still completes and new connections are refused', async () => {
    const app = await createApp({ service: 'probe', logger: false });
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      app.get('/v1/slow', { config: { auth: 'public' } }, async () => {
        resolve();
        await new Promise<void>((r) => (release = r));
        return { finished: true };
      });
    });
    const url = await listen(app, { host: '127.0.0.1', port: 0, graceMs: 5000 });
    const inFlight = fetch(`${url}/v1/slow`).then(async (res) => ({ status: res.status, body: await res.json() }));
    await started;
    const closing = app.close();
    // New connections are no longer accepted while the slow request drains.
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    release();
    await closing;
    expect(await inFlight).toEqual({ status: 200, body: { finished: true } });
  });
});
