import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductCreated } from '@fusioncommerce/contracts';
import { catalogService } from '@fusioncommerce/catalog';
import { DEVELOPMENT_SIGNING_KEYS, createTokenService, on, openDatabase, parseKeyring, type Database, type ServiceDefinition } from '@fusioncommerce/platform';
import { buildGateway, type Gateway } from '../src/gateway.ts';

/** A service that keeps a note of every product the catalog creates, the way a future service would consume events. */
const notesService: ServiceDefinition = {
  name: 'notes',
  port: 0,
  migrations: { schema: 'notes', directory: fileURLToPath(new URL('./fixtures/notes-migrations', import.meta.url)) },
  openapi: { title: 'Notes', description: 'Test consumer.' },
  routes: async () => undefined,
  consumes: [
    on(ProductCreated, async (event, { trx }) => {
      await trx('notes.notes').insert({ event_id: event.id, product_id: event.data.product.id, title: event.data.product.title });
    }),
  ],
};

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('events in the embedded gateway', () => {
  let db: Database;
  let gateway: Gateway;
  let admin: { authorization: string };

  beforeAll(async () => {
    db = openDatabase({ inMemory: true });
    gateway = await buildGateway({ config: {}, db, logger: false, demoData: false, services: [catalogService, notesService], events: { EVENTS_POLL_INTERVAL_MS: 50 } });
    const token = await createTokenService(parseKeyring(DEVELOPMENT_SIGNING_KEYS)).sign({ id: crypto.randomUUID(), role: 'admin', email: 'admin@example.test' });
    admin = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await gateway.app.close();
    await db.close();
  });

  it('when the catalog creates a product, then a service that declared the event handles it in process, and an admin sees the event', async () => {
    expect(gateway.events.transport.kind).toBe('in-process');
    const res = await gateway.app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: admin,
      payload: { title: 'Gateway Tee', slug: 'gateway-tee', variants: [{ sku: 'GW-TEE-1', options: { size: 'M' }, price: { amount: 2500, currency: 'USD' } }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const productId = (res.json() as { id: string }).id;

    const note = await waitFor('the note', async () => db.knex('notes.notes').where({ product_id: productId }).first());
    expect(note).toMatchObject({ title: 'Gateway Tee' });

    const events = (await gateway.app.inject({ url: `/v1/admin/events?service=catalog&subject=${productId}`, headers: admin })).json() as {
      data: { id: string; type: string; publishedAt: string | null }[];
    };
    expect(events.data).toEqual([expect.objectContaining({ id: note.event_id, type: 'catalog.product.created', publishedAt: expect.any(String) })]);
    expect((await gateway.app.inject('/ready')).json()).toMatchObject({ status: 'ready', checks: { events: { status: 'up' } } });
  });
});
