/**
 * Code written against one backend behaves the same on the other: what a
 * query answers does not depend on whether the shop runs embedded or on a
 * PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

describe.each(BACKENDS)('database answers on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await db.knex.raw('create schema if not exists shelf');
    await db.knex.schema.withSchema('shelf').createTable('books', (t) => {
      t.integer('id').primary();
      t.integer('copies').notNullable();
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it('when rows are deleted, updated or counted up, then the answer is the number of rows touched', async () => {
    await db.knex('shelf.books').insert([1, 2, 3, 4].map((id) => ({ id, copies: 1 })));
    expect(await db.knex('shelf.books').where('id', '<=', 2).update({ copies: 5 })).toBe(2);
    expect(await db.knex('shelf.books').where('id', '<=', 3).increment('copies', 1)).toBe(3);
    expect(await db.knex('shelf.books').where('id', '>', 10).delete()).toBe(0);
    expect(await db.knex('shelf.books').whereIn('id', db.knex('shelf.books').select('id').orderBy('id').limit(3)).delete()).toBe(3);
    expect(await db.knex('shelf.books').pluck('copies')).toEqual([1]);
  });

  it('when rows are deleted with returning, then the deleted rows come back', async () => {
    await db.knex('shelf.books').insert([{ id: 7, copies: 2 }]);
    expect(await db.knex('shelf.books').where({ id: 7 }).delete().returning(['id', 'copies'])).toEqual([{ id: 7, copies: 2 }]);
  });
});
