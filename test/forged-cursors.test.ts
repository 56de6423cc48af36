/**
 * Every cursor-paginated list at the gateway, found in its OpenAPI document,
 * is handed cursors that were tampered with: the right sort with a wrong id,
 * a date that is not one, a number where text belongs. Each must be a 4xx
 * problem, never a 500 from the database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ADMIN_EMAIL, DEVELOPMENT_ADMIN_PASSWORD, openDatabase, type Database } from '@fusioncommerce/platform';
import { buildGateway, type Gateway } from '../apps/gateway/src/gateway.ts';

interface Parameter {
  name: string;
  in: string;
  schema?: { enum?: string[]; anyOf?: { const?: string; enum?: string[] }[] };
}
type OpenApi = { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };

/** Sort names the lists use when the caller gives none (a forged cursor has to carry the right one to get past the first check). */
const DEFAULT_SORTS = ['newest', 'id', 'sku', 'level', 'movement', 'reservation', 'placed_desc', 'created_desc', 'created_asc', 'position'];

const forge = (sort: string, value: unknown, id: unknown) => Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');

function sortsOf(parameters: Parameter[]): string[] {
  const sort = parameters.find((p) => p.in === 'query' && p.name === 'sort');
  const values = [...(sort?.schema?.enum ?? []), ...(sort?.schema?.anyOf ?? []).flatMap((s) => [...(s.enum ?? []), ...(s.const ? [s.const] : [])])];
  return [...new Set([...values, ...DEFAULT_SORTS])];
}

describe('forged cursors on every paginated list', () => {
  let db: Database;
  let gateway: Gateway;
  let admin: string;
  beforeAll(async () => {
    db = openDatabase({ inMemory: true });
    gateway = await buildGateway({ config: {}, db, logger: false, demoData: false });
    const res = await gateway.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: DEVELOPMENT_ADMIN_EMAIL, password: DEVELOPMENT_ADMIN_PASSWORD } });
    admin = `Bearer ${(res.json() as { accessToken: string }).accessToken}`;
  });
  afterAll(async () => {
    await gateway.app.close();
    await db.close();
  });

  it('when a list is given a tampered cursor, then it answers 400 (or 404 for a parent that does not exist), never 5xx', async () => {
    const doc = (await gateway.app.inject('/openapi.json')).json() as OpenApi;
    const lists = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method, op]) => method === 'get' && (op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'cursor'))
        .map(([, op]) => ({ path, sorts: sortsOf(op.parameters ?? []) })),
    );
    expect(lists.length, 'paginated lists in the OpenAPI document').toBeGreaterThan(10);

    const failures: string[] = [];
    for (const { path, sorts } of lists) {
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      for (const sort of sorts) {
        for (const cursor of [
          forge(sort, '2026-01-01T00:00:00.000Z', 'not-a-uuid'),
          forge(sort, 'not a date', randomUUID()),
          forge(sort, 12, randomUUID()),
          forge(sort, 'SKU-1', 'SKU-1'),
          forge(sort, null, "'; drop table x; --"),
        ]) {
          const res = await gateway.app.inject({ url: `${url}?cursor=${cursor}${sort === 'relevance' ? '&q=shirt' : ''}`, headers: { authorization: admin } });
          if (res.statusCode >= 500) failures.push(`${path} sort=${sort} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if (res.statusCode !== 400 && res.statusCode !== 404 && res.statusCode !== 200) failures.push(`${path} sort=${sort} → unexpected ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
