/**
 * deploy/n8n's workflows import into n8n and do what their README says: each
 * listens on its path for an event type the shop really publishes, and its
 * Code nodes — run here as n8n runs them — accept a delivery signed by the
 * webhooks service, refuse a forged one, and compose the message.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventContract, validateEventData } from '@fusioncommerce/contracts';
import { newSecret, signatureHeader } from '../../services/webhooks/src/domain/signature.ts';
import { payloadOf } from '../../services/webhooks/src/use-cases/record-deliveries.ts';
import { cloudEvent } from '../../services/webhooks/test/factories.ts';

const dir = fileURLToPath(new URL('../../deploy/n8n', import.meta.url));

interface N8nNode {
  name: string;
  type: string;
  typeVersion: number;
  parameters: Record<string, unknown> & { jsCode?: string };
  notes?: string;
  disabled?: boolean;
}
interface Workflow {
  name: string;
  nodes: N8nNode[];
  connections: Record<string, { main: { node: string; type: string; index: number }[][] }>;
}

const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
const KNOWN_TYPES = new Set(['n8n-nodes-base.webhook', 'n8n-nodes-base.code', 'n8n-nodes-base.if', 'n8n-nodes-base.emailSend', 'n8n-nodes-base.respondToWebhook', 'n8n-nodes-base.httpRequest']);

/** Runs a Code node's JavaScript the way n8n's Code node does: an async body with $input, require and this.helpers. */
async function runCode(node: N8nNode, item: { json: unknown }, rawBody?: string): Promise<{ json: Record<string, unknown> }[]> {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
  const run = new AsyncFunction('$input', 'require', 'Buffer', node.parameters.jsCode as string);
  const helpers = {
    async getBinaryDataBuffer(index: number, property: string) {
      if (rawBody === undefined || index !== 0 || property !== 'data') throw new Error('no binary data');
      return Buffer.from(rawBody, 'utf8');
    },
  };
  return (await run.call({ helpers }, { first: () => item }, createRequire(import.meta.url), Buffer)) as { json: Record<string, unknown> }[];
}

const signed = (secret: string, body: string, id = 'd-1', at = new Date()) => {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader([secret], id, timestamp, body), 'content-type': 'application/json' };
};

const withSecret = (node: N8nNode, secret: string): N8nNode => ({
  ...node,
  parameters: { ...node.parameters, jsCode: (node.parameters.jsCode as string).replace('whsec_PASTE_THE_SUBSCRIPTION_SECRET_HERE', secret) },
});

const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('the n8n workflows in deploy/n8n', () => {
  it('ships the order confirmation mail and the low-stock alert', () => {
    expect(files).toEqual(['low-stock-alert.json', 'order-confirmation-mail.json']);
  });

  it.each(files)('%s is a well-formed workflow listening for an event type the shop publishes, with its signature checked first', (file) => {
    const workflow = load(file);
    const names = workflow.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    for (const node of workflow.nodes) expect(KNOWN_TYPES, node.type).toContain(node.type);
    for (const [source, { main }] of Object.entries(workflow.connections)) {
      expect(names).toContain(source);
      for (const target of main.flat()) expect(names).toContain(target.node);
    }
    const [trigger] = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.webhook');
    expect(trigger?.parameters).toMatchObject({ httpMethod: 'POST', responseMode: 'responseNode', options: { rawBody: true } });
    const eventType = /eventTypes \["([^"]+)"\]/.exec(trigger?.notes ?? '')?.[1] as string;
    expect(eventContract(eventType), `${eventType} in @fusioncommerce/contracts`).toBeDefined();
    expect(trigger?.notes).toContain(`http://n8n:5678/webhook/${trigger?.parameters.path as string}`);
    // The trigger's only next step is the signature check, and a bad signature is answered 401.
    expect(workflow.connections[trigger?.name as string]?.main.flat().map((t) => t.node)).toEqual(['Verify signature']);
    expect(workflow.nodes.find((n) => n.name === 'Refuse')?.parameters).toMatchObject({ options: { responseCode: 401 } });
    const typeCheck = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.if' && JSON.stringify(n.parameters).includes('$json.event.type'));
    expect(JSON.stringify(typeCheck?.parameters)).toContain(`"rightValue":"${eventType}"`);
  });

  it('when a delivery is signed with the subscription’s secret, then the Verify node accepts it, from the raw body or the parsed one; otherwise it refuses', async () => {
    const verify = load('order-confirmation-mail.json').nodes.find((n) => n.name === 'Verify signature') as N8nNode;
    const secret = newSecret();
    const event = cloudEvent('inventory.stock.low', { sku: 'MUG-1', onHand: 3, reserved: 1, available: 2, threshold: 5 });
    const body = payloadOf(event);
    const headers = signed(secret, body);
    const item = { json: { headers, body: JSON.parse(body) } };

    expect(await runCode(withSecret(verify, secret), item, body)).toEqual([{ json: { valid: true, deliveryId: 'd-1', event } }]);
    expect((await runCode(withSecret(verify, secret), item))[0]?.json.valid).toBe(true);
    expect((await runCode(verify, item, body))[0]?.json).toMatchObject({ valid: false, reason: expect.stringContaining('signature does not match') });
    expect((await runCode(withSecret(verify, newSecret()), item, body))[0]?.json.valid).toBe(false);
    expect((await runCode(withSecret(verify, secret), item, body.replace('"available":2', '"available":200')))[0]?.json.valid).toBe(false);
    const old = signed(secret, body, 'd-1', new Date(Date.now() - 3_600_000));
    expect((await runCode(withSecret(verify, secret), { json: { headers: old, body: JSON.parse(body) } }, body))[0]?.json).toMatchObject({ valid: false, reason: 'the timestamp is too far from now' });
    expect((await runCode(withSecret(verify, secret), { json: { headers: {}, body: {} } }, body))[0]?.json.valid).toBe(false);
  });

  it('when the events arrive, then the order mail and the low-stock alert are composed from them', async () => {
    const orderData = {
      orderId: 'o-1',
      number: 'FC-1042',
      paymentId: 'p-1',
      total: { amount: 5499, currency: 'USD' },
      capture: true,
      email: 'ada@example.test',
      lines: [{ variantId: 'v-1', sku: 'TEE-S', title: 'Tee — S', quantity: 2 }],
      shippingAddress: { name: 'Ada', line1: '1 Way', city: 'Town', postalCode: '1000', country: 'NL' },
    };
    validateEventData('orders.order.confirmed', orderData);
    const mail = load('order-confirmation-mail.json').nodes.find((n) => n.name === 'Compose the mail') as N8nNode;
    const [composed] = await runCode(mail, { json: { valid: true, event: cloudEvent('orders.order.confirmed', orderData) } });
    expect(composed?.json).toMatchObject({ to: 'ada@example.test', subject: 'Your order FC-1042 is confirmed' });
    expect(composed?.json.text).toContain('$54.99');
    expect(composed?.json.text).toContain('2 × Tee — S (TEE-S)');

    const yen = await runCode(mail, { json: { event: cloudEvent('orders.order.confirmed', { ...orderData, total: { amount: 5499, currency: 'JPY' }, lines: undefined, shippingAddress: undefined }) } });
    expect(yen[0]?.json.text).toContain('¥5,499');

    const alert = load('low-stock-alert.json').nodes.find((n) => n.name === 'Compose the alert') as N8nNode;
    const [low] = await runCode(alert, { json: { event: cloudEvent('inventory.stock.low', { sku: 'MUG-1', onHand: 3, reserved: 1, available: 2, threshold: 5 }) } });
    expect(low?.json).toMatchObject({ subject: 'Low stock: MUG-1 (2 left)' });
    expect(low?.json.text).toContain('SKU `MUG-1`: 2 left to sell (threshold 5; 3 on hand, 1 reserved)');
  });
});
