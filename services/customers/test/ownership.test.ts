import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { buildCustomersApp, closeApp, events, newCustomer, signInAdmin, type CustomersTestApp, type Session } from './helpers.ts';

const buildAddress = (overrides: Record<string, unknown> = {}) => ({
  label: 'Home',
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
  ...overrides,
});

describe.each(BACKENDS)('profiles and address books belong to their owner, on %s', (backend) => {
  let t: CustomersTestApp;
  let ada: Session;
  let bob: Session;
  let admin: Session;

  beforeAll(async () => {
    t = await buildCustomersApp(backend);
    ada = await newCustomer(t, 'Ada');
    bob = await newCustomer(t, 'Bob');
    admin = await signInAdmin(t);
  });
  afterAll(async () => closeApp(t));

  const add = async (who: Session, body = buildAddress()) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/customers/me/addresses', headers: who.auth, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; isDefaultShipping: boolean };
  };

  it("when a customer asks for another customer's profile, then it is a 404 indistinguishable from an unknown id", async () => {
    const other = await t.app.inject({ url: `/v1/customers/${ada.customer.id}`, headers: bob.auth });
    const unknown = await t.app.inject({ url: '/v1/customers/0190aaaa-0000-7000-8000-000000000000', headers: bob.auth });
    expect(other.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(other.json().code).toBe('CUSTOMERS.CUSTOMER_NOT_FOUND');
    expect(unknown.json().code).toBe(other.json().code);
    const edit = await t.app.inject({ method: 'PATCH', url: `/v1/customers/${ada.customer.id}`, headers: bob.auth, payload: { name: 'Mallory' } });
    expect(edit.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/customers/me', headers: ada.auth })).json().name).toBe('Ada');
  });

  it("when a customer tries another customer's addresses by any path, then every read and write is a 404 and nothing changes", async () => {
    const home = await add(ada);
    const attempts = [
      { method: 'GET' as const, url: `/v1/customers/${ada.customer.id}/addresses` },
      { method: 'GET' as const, url: `/v1/customers/${ada.customer.id}/addresses/${home.id}` },
      { method: 'GET' as const, url: `/v1/customers/me/addresses/${home.id}` },
      { method: 'PATCH' as const, url: `/v1/customers/me/addresses/${home.id}`, payload: { city: 'Nowhere' } },
      { method: 'PATCH' as const, url: `/v1/customers/${ada.customer.id}/addresses/${home.id}`, payload: { city: 'Nowhere' } },
      { method: 'DELETE' as const, url: `/v1/customers/me/addresses/${home.id}` },
      { method: 'DELETE' as const, url: `/v1/customers/${ada.customer.id}/addresses/${home.id}` },
      { method: 'POST' as const, url: `/v1/customers/${ada.customer.id}/addresses`, payload: buildAddress() },
      { method: 'DELETE' as const, url: `/v1/customers/${ada.customer.id}/sessions` },
    ];
    for (const attempt of attempts) {
      const res = await t.app.inject({ ...attempt, headers: bob.auth });
      expect(res.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
    }
    const mine = await t.app.inject({ url: `/v1/customers/me/addresses/${home.id}`, headers: ada.auth });
    expect(mine.json()).toMatchObject({ city: 'London' });
    expect((await t.app.inject({ url: '/v1/customers/me/addresses', headers: ada.auth })).json().data).toHaveLength(1);
    expect((await t.app.inject({ url: '/v1/customers/me/addresses', headers: bob.auth })).json().data).toHaveLength(0);
  });

  it("when an admin looks at a customer's profile and address book, then they see them", async () => {
    const profile = await t.app.inject({ url: `/v1/customers/${ada.customer.id}`, headers: admin.auth });
    expect(profile.statusCode).toBe(200);
    expect(profile.json().email).toBe(ada.customer.email);
    expect((await t.app.inject({ url: `/v1/customers/${ada.customer.id}/addresses`, headers: admin.auth })).statusCode).toBe(200);
  });

  it('when a valid token names a subject that is no account (a service identity), then its own data is a 404, not an error', async () => {
    const service = await t.as('admin', 'bench-admin');
    for (const url of ['/v1/customers/me', '/v1/customers/me/addresses']) {
      const res = await t.app.inject({ url, headers: service });
      expect(res.statusCode, url).toBe(404);
    }
    const password = await t.app.inject({ method: 'POST', url: '/v1/auth/password', headers: service, payload: { currentPassword: 'x', newPassword: 'long enough password' } });
    expect(password.statusCode).toBe(404);
    const invite = await t.app.inject({ method: 'POST', url: '/v1/customers/invitations', headers: service, payload: { email: `svc-${Date.now()}@example.test` } });
    expect(invite.statusCode, invite.body).toBe(201);
    expect((await t.app.inject({ url: `/v1/customers/${ada.customer.id}`, headers: service })).statusCode).toBe(200);
  });

  it('when a customer edits their profile, then it changes and an event names the fields', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/customers/me', headers: bob.auth, payload: { name: 'Robert', phone: '+44 20 7946 0000' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Robert', phone: '+44 20 7946 0000' });
    const updated = (await events(t, 'customers.profile.updated')).find((e) => e.subject === bob.customer.id);
    expect(updated?.data.changed).toEqual(['name', 'phone']);
  });

  it('when an address becomes the default, then the previous default stops being one', async () => {
    const owner = await newCustomer(t);
    const first = await add(owner, buildAddress({ isDefaultShipping: true }));
    const second = await add(owner, buildAddress({ label: 'Work', isDefaultShipping: true, isDefaultBilling: true }));
    const list = (await t.app.inject({ url: '/v1/customers/me/addresses', headers: owner.auth })).json().data as { id: string; isDefaultShipping: boolean }[];
    expect(list.find((a) => a.id === first.id)?.isDefaultShipping).toBe(false);
    expect(list.find((a) => a.id === second.id)?.isDefaultShipping).toBe(true);

    const back = await t.app.inject({ method: 'PATCH', url: `/v1/customers/me/addresses/${first.id}`, headers: owner.auth, payload: { isDefaultShipping: true } });
    expect(back.json()).toMatchObject({ isDefaultShipping: true });
    const again = (await t.app.inject({ url: `/v1/customers/me/addresses/${second.id}`, headers: owner.auth })).json();
    expect(again).toMatchObject({ isDefaultShipping: false, isDefaultBilling: true });

    const removed = await t.app.inject({ method: 'DELETE', url: `/v1/customers/me/addresses/${second.id}`, headers: owner.auth });
    expect(removed.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/customers/me/addresses/${second.id}`, headers: owner.auth })).statusCode).toBe(404);
    expect((await events(t, 'customers.address.removed')).map((e) => e.data.addressId)).toContain(second.id);
  });

  it('when ten addresses are added at once as the default, then exactly one ends up the default', async () => {
    const owner = await newCustomer(t);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/v1/customers/me/addresses', headers: owner.auth, payload: buildAddress({ label: `A${i}`, isDefaultShipping: true }) }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const list = (await t.app.inject({ url: '/v1/customers/me/addresses', headers: owner.auth })).json().data as { isDefaultShipping: boolean }[];
    expect(list).toHaveLength(10);
    expect(list.filter((a) => a.isDefaultShipping)).toHaveLength(1);
  });

  it('when the address book is full, then another address is a 409 and nothing is added', async () => {
    const owner = await newCustomer(t);
    const rows = Array.from({ length: 50 }, (_, i) => ({
      id: `0190aaaa-0000-7000-8000-${String(i).padStart(12, '0')}`.replace('0190aaaa', owner.customer.id.slice(0, 8)),
      customer_id: owner.customer.id,
      name: 'Filler',
      line1: `${i} Road`,
      city: 'Town',
      postal_code: '12345',
      country: 'US',
    }));
    await t.db.knex('customers.addresses').insert(rows);
    const res = await t.app.inject({ method: 'POST', url: '/v1/customers/me/addresses', headers: owner.auth, payload: buildAddress() });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CUSTOMERS.ADDRESS_BOOK_FULL');
    expect((await t.app.inject({ url: '/v1/customers/me/addresses', headers: owner.auth })).json().data).toHaveLength(50);
  });
});
