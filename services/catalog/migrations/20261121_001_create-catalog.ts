import type { Knex } from 'knex';

const S = 'catalog';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);

  await knex.schema.withSchema(S).createTable('categories', (t) => {
    t.uuid('id').primary();
    t.uuid('parent_id').nullable().references('id').inTable(`${S}.categories`).onDelete('RESTRICT');
    t.text('name').notNullable();
    t.text('slug').notNullable().unique();
    t.text('description').notNullable().defaultTo('');
    t.integer('position').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['parent_id', 'position']);
  });

  await knex.schema.withSchema(S).createTable('products', (t) => {
    t.uuid('id').primary();
    t.text('slug').notNullable().unique();
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('status').notNullable().defaultTo('draft');
    t.jsonb('images').notNullable().defaultTo('[]');
    t.jsonb('tags').notNullable().defaultTo('[]');
    // Denormalised from the variants in the same transaction, for price filters and sorts.
    t.bigInteger('price_min').nullable();
    t.bigInteger('price_max').nullable();
    t.text('currency').nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('published_at', { useTz: true }).nullable();
  });
  await knex.raw(`alter table ??.products add constraint products_status_check check (status in ('draft', 'published', 'archived'))`, [S]);
  await knex.raw(
    `alter table ??.products add column search tsvector generated always as (
       setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
       setweight(to_tsvector('english', coalesce(tags::text, '')), 'B') ||
       setweight(to_tsvector('english', coalesce(description, '')), 'C')
     ) stored`,
    [S],
  );
  await knex.raw('create index products_search_idx on ??.products using gin (search)', [S]);
  await knex.raw('create index products_status_created_idx on ??.products (status, created_at desc, id desc)', [S]);
  await knex.raw('create index products_status_price_idx on ??.products (status, price_min, id)', [S]);
  await knex.raw('create index products_status_title_idx on ??.products (status, title, id)', [S]);

  await knex.schema.withSchema(S).createTable('product_categories', (t) => {
    t.uuid('product_id').notNullable().references('id').inTable(`${S}.products`).onDelete('CASCADE');
    t.uuid('category_id').notNullable().references('id').inTable(`${S}.categories`).onDelete('CASCADE');
    t.primary(['product_id', 'category_id']);
    t.index(['category_id', 'product_id']);
  });

  await knex.schema.withSchema(S).createTable('variants', (t) => {
    t.uuid('id').primary();
    t.uuid('product_id').notNullable().references('id').inTable(`${S}.products`).onDelete('CASCADE');
    t.text('sku').notNullable().unique();
    t.text('title').notNullable();
    t.jsonb('options').notNullable().defaultTo('{}');
    t.bigInteger('price_amount').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('compare_at_amount').nullable();
    t.integer('weight_grams').notNullable().defaultTo(0);
    t.text('barcode').nullable();
    t.integer('position').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['product_id', 'position']);
  });
  await knex.raw('alter table ??.variants add constraint variants_price_check check (price_amount >= 0)', [S]);
  await knex.raw('alter table ??.variants add constraint variants_weight_check check (weight_grams >= 0)', [S]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).dropTableIfExists('variants');
  await knex.schema.withSchema(S).dropTableIfExists('product_categories');
  await knex.schema.withSchema(S).dropTableIfExists('products');
  await knex.schema.withSchema(S).dropTableIfExists('categories');
}
