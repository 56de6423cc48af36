import type { Knex } from 'knex';

const S = 'catalog';

function searchColumn(configs: string[]): string {
  const weighted = (expr: string, weight: string) => configs.map((config) => `setweight(to_tsvector('${config}', coalesce(${expr}, '')), '${weight}')`);
  return [...weighted('title', 'A'), ...weighted('tags::text', 'B'), ...weighted('description', 'C')].join(' ||\n       ');
}

async function rebuild(knex: Knex, configs: string[]): Promise<void> {
  await knex.raw('drop index if exists ??.products_search_idx', [S]);
  await knex.raw('alter table ??.products drop column search', [S]);
  await knex.raw(`alter table ??.products add column search tsvector generated always as (\n       ${searchColumn(configs)}\n     ) stored`, [S]);
  await knex.raw('create index products_search_idx on ??.products using gin (search)', [S]);
}

/**
 * The search vector also keeps every word as written (the 'simple'
 * configuration), so a word the shopper is still typing matches as a prefix of
 * the word in the product: English stemming turns "runn" and "pony" into
 * lexemes that no stemmed word starts with.
 */
export async function up(knex: Knex): Promise<void> {
  await rebuild(knex, ['english', 'simple']);
}

export async function down(knex: Knex): Promise<void> {
  await rebuild(knex, ['english']);
}
