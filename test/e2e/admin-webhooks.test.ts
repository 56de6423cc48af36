// An admin subscribes a local receiver to the shop's events, keeps the secret shown once, sends a test event that arrives signed and shows as delivered, replays one that failed, rotates the secret, edits the subscription, meets a concurrent edit, pauses the subscription and deletes it.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ADMIN_EMAIL, DEVELOPMENT_ADMIN_PASSWORD } from '@fusioncommerce/platform';
import { hasChromium, openBrowser, openShop, type BrowserSession, type Shop } from './browser.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Whether one of the request's `v1,` signatures is `{webhook-id}.{webhook-timestamp}.{body}` signed with `secret`, as a receiver checks it. */
function signedWith(secret: string, request: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${String(request.headers['webhook-id'])}.${String(request.headers['webhook-timestamp'])}.${request.body}`).digest('base64');
  return String(request.headers['webhook-signature'] ?? '').split(' ').includes(`v1,${expected}`);
}

const typeOf = (request: Received): unknown => (JSON.parse(request.body) as { type?: unknown }).type;

describe.skipIf(!hasChromium)('admin webhooks in Chromium: subscribe, test, replay, rotate, pause, delete', () => {
  let shop: Shop;
  let b: BrowserSession;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  /** Answers to come before the receiver accepts again (500: it is down). */
  const failures: number[] = [];
  const maxAttempts = process.env.WEBHOOKS_MAX_ATTEMPTS;

  beforeAll(async () => {
    // One attempt per delivery, so a receiver that is down shows a failed delivery at once.
    process.env.WEBHOOKS_MAX_ATTEMPTS = '1';
    shop = await openShop();
    b = await openBrowser();
    // The merchant's receiver: records every request and accepts it.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(failures.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/fusion?token=e2e`;
  });

  afterAll(async () => {
    await b?.close();
    await shop?.close();
    if (receiver) await new Promise((resolve) => receiver.close(resolve));
    if (maxAttempts === undefined) delete process.env.WEBHOOKS_MAX_ATTEMPTS;
    else process.env.WEBHOOKS_MAX_ATTEMPTS = maxAttempts;
  });

  it('when an admin subscribes a receiver, then a test event reaches it signed and the log shows it delivered; a failed one is replayed; pausing and deleting follow', async () => {
    const { page } = b;
    await page.goto(`${shop.url}/admin`);
    await page.getByLabel('Email').fill(DEVELOPMENT_ADMIN_EMAIL);
    await page.getByLabel('Password').fill(DEVELOPMENT_ADMIN_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    const sections = page.getByRole('navigation', { name: 'Sections' });
    await sections.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    expect(await sections.getByRole('link', { name: 'Webhooks' }).getAttribute('aria-current')).toBe('page');
    await page.getByText('No webhook subscriptions yet.').waitFor();

    // The API's validation errors appear next to their fields.
    b.expectHttpError(400);
    const form = page.getByRole('form', { name: 'New subscription' });
    await form.getByLabel('Endpoint URL').fill(receiverUrl.replace('http://', ''));
    await form.getByLabel('Event types').fill('orders.order.confirmd');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    await expect.poll(() => form.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('Enter a full address that starts with https:// (or http://).').count()).toBe(1);
    await form.getByLabel('Endpoint URL').fill(receiverUrl);
    await form.getByLabel('Event types').press('Enter');
    await expect.poll(() => form.getByLabel('Event types').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByText('orders.order.confirmd matches no event type the shop publishes.').count()).toBe(1);
    expect(await form.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBeNull();
    expect(await form.getByRole('alert').filter({ hasText: 'Some fields need attention' }).count()).toBe(1);
    await b.shot('admin-webhook-validation');

    // Subscribed: the signing secret is shown this once.
    await form.getByLabel('Event types').fill('orders.order.confirmed, inventory.*');
    await form.getByLabel('Description').fill('Warehouse order feed');
    await form.getByLabel('Description').press('Enter');
    const created = page.getByRole('region', { name: 'Subscription created: its signing secret' });
    await created.getByText('Copy it now: it will not be shown again.').waitFor();
    const secret = await created.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const row = page.getByRole('table', { name: 'Webhook subscriptions' }).getByRole('row').filter({ hasText: receiverUrl });
    await row.getByText('active', { exact: true }).waitFor();
    expect(await row.getByText('Warehouse order feed').count()).toBe(1);
    expect(await row.getByText('inventory.*', { exact: true }).count()).toBe(1);
    expect(await form.getByLabel('Endpoint URL').inputValue()).toBe('');
    await b.shot('admin-webhook-created');

    await created.getByRole('link', { name: 'Open the subscription' }).click();
    await page.getByRole('heading', { level: 1, name: receiverUrl }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.getByText('No deliveries yet.').waitFor();

    // A test event reaches the receiver, signed with that secret, and the log says it was delivered.
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByRole('status').filter({ hasText: 'Test event sent' }).waitFor();
    await expect.poll(() => received.filter((r) => typeOf(r) === 'webhooks.test.sent').length, { timeout: 30_000 }).toBe(1);
    const test = received.find((r) => typeOf(r) === 'webhooks.test.sent') as Received;
    expect(test.headers['ce-type']).toBe('webhooks.test.sent');
    expect(signedWith(secret, test)).toBe(true);
    const log = page.getByRole('table', { name: 'Deliveries' });
    const delivery = log.getByRole('row').filter({ hasText: 'webhooks.test.sent' });
    await delivery.getByText('delivered', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await delivery.getByText('HTTP 204', { exact: false }).count()).toBe(1);
    expect(await delivery.getByRole('cell').nth(2).textContent()).toBe('1');
    await delivery.getByRole('button', { name: 'Details of the webhooks.test.sent delivery' }).click();
    await expect.poll(() => page.getByLabel('The webhooks.test.sent event as sent').textContent()).toContain('"type": "webhooks.test.sent"');
    await b.shot('admin-webhook-delivered');
    await delivery.getByRole('button', { name: 'Details of the webhooks.test.sent delivery' }).click();

    // The receiver is down for the next one: it fails, and Replay sends it again once the receiver is back.
    failures.push(500);
    await page.getByRole('button', { name: 'Send test event' }).click();
    const newest = log.getByRole('row').nth(1);
    await newest.getByText('failed', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await newest.getByText('HTTP 500', { exact: false }).count()).toBe(1);
    await b.shot('admin-webhook-failed');
    await newest.getByRole('button', { name: 'Replay the webhooks.test.sent delivery' }).click();
    await page.getByRole('status').filter({ hasText: 'a fresh round of attempts has started' }).waitFor();
    await newest.getByText('delivered', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await newest.getByText('replayed 1×').count()).toBe(1);
    expect(await newest.getByText('HTTP 204', { exact: false }).count()).toBe(1);
    expect(await newest.getByRole('button', { name: /Replay/ }).count()).toBe(0);
    const tests = received.filter((r) => typeOf(r) === 'webhooks.test.sent');
    expect(tests).toHaveLength(3);
    // A replay is the same delivery again: the same webhook-id and body, for the receiver to de-duplicate.
    expect(tests[2]?.headers['webhook-id']).toBe(tests[1]?.headers['webhook-id']);
    expect(tests[2]?.body).toBe(tests[1]?.body);

    // A new secret, shown once; the old one keeps signing for a day by default.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = page.getByRole('region', { name: 'New signing secret' });
    await rotated.getByText('The old secret keeps signing next to it until').waitFor();
    const newSecret = await rotated.getByLabel('Signing secret').inputValue();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole('button', { name: 'I have saved it — hide it' }).click();
    expect(await page.content()).not.toContain(newSecret);

    // Edited in place: the details show the change.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editForm = page.getByRole('form', { name: 'Edit subscription' });
    expect(await editForm.getByLabel('Endpoint URL').inputValue()).toBe(receiverUrl);
    await editForm.getByLabel('Description').fill('Warehouse order feed (EU)');
    await editForm.getByLabel('Description').press('Enter');
    await page.getByRole('status').filter({ hasText: 'Subscription saved.' }).waitFor();
    expect(await page.getByRole('definition').filter({ hasText: 'Warehouse order feed (EU)' }).count()).toBe(1);

    // A colleague changes the subscription meanwhile: pausing the version read is refused, says so, and shows theirs.
    const app = shop.gateway.app;
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    const signIn = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: DEVELOPMENT_ADMIN_EMAIL, password: DEVELOPMENT_ADMIN_PASSWORD } });
    const headers = { authorization: `Bearer ${signIn.json<{ accessToken: string }>().accessToken}` };
    const current = (await app.inject({ url: `/v1/webhook-subscriptions/${id}`, headers })).json<{ version: number }>();
    const edit = await app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${id}`, headers, payload: { description: 'Warehouse and shipping feed', version: current.version } });
    expect(edit.statusCode).toBe(200);
    b.expectHttpError(412);
    await page.getByRole('button', { name: 'Pause deliveries' }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this subscription since you opened it.' }).waitFor();
    await page.getByText('Warehouse and shipping feed').first().waitFor();

    await page.getByRole('button', { name: 'Pause deliveries' }).click();
    await page.getByRole('status').filter({ hasText: 'Paused: nothing is sent to this URL' }).waitFor();
    await page.getByText('paused', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Send test event' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Resume deliveries' }).count()).toBe(1);
    await b.shot('admin-webhook-paused');

    // Deleted, after confirming: the list no longer has it.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete subscription' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Subscription deleted' }).waitFor();
    await page.getByText('No webhook subscriptions yet.').waitFor();
    expect(await page.getByRole('link', { name: receiverUrl }).count()).toBe(0);
    expect(received.filter((r) => typeOf(r) === 'webhooks.test.sent')).toHaveLength(3);

    expect(b.errors).toEqual([]);
  });
});
