import type { Knex } from 'knex';

/**
 * The storefront's read model: each product's JSON document, rendered by one
 * SQL function in the same transaction as every write, so a page of products
 * is an index scan that streams stored text — no per-row aggregation, no
 * parse-and-reserialise in Node.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function catalog.product_document(p_id uuid) returns json
    language sql stable as $$
      select json_build_object(
        'id', p.id,
        'slug', p.slug,
        'title', p.title,
        'description', p.description,
        'status', p.status,
        'images', p.images,
        'tags', p.tags,
        'categories', coalesce((
          select json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) order by c.name, c.id)
          from catalog.product_categories pc join catalog.categories c on c.id = pc.category_id
          where pc.product_id = p.id), '[]'::json),
        'options', coalesce((
          select json_agg(json_build_object('name', o.name, 'values', o.vals) order by o.first_pos, o.first_ord)
          from (
            select x.name, json_agg(x.value order by x.pos, x.ord) as vals, min(x.pos) as first_pos, min(x.ord) as first_ord
            from (
              select e.key as name, e.value, min(v.position) as pos, min(e.ord) as ord
              from catalog.variants v, jsonb_each_text(v.options) with ordinality as e(key, value, ord)
              where v.product_id = p.id
              group by e.key, e.value
            ) x
            group by x.name
          ) o), '[]'::json),
        'variants', coalesce((
          select json_agg(json_build_object(
            'id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options,
            'price', json_build_object('amount', v.price_amount, 'currency', v.currency),
            'compareAtPrice', case when v.compare_at_amount is null then null
              else json_build_object('amount', v.compare_at_amount, 'currency', v.currency) end,
            'weightGrams', v.weight_grams, 'barcode', v.barcode) order by v.position)
          from catalog.variants v where v.product_id = p.id), '[]'::json),
        'priceRange', case when p.price_min is null or p.currency is null then null else json_build_object(
          'min', json_build_object('amount', p.price_min, 'currency', p.currency),
          'max', json_build_object('amount', p.price_max, 'currency', p.currency)) end,
        'version', p.version,
        'createdAt', to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'updatedAt', to_char(p.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'publishedAt', case when p.published_at is null then null
          else to_char(p.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end
      )
      from catalog.products p where p.id = p_id
    $$
  `);
  await knex.raw('alter table catalog.products add column document json');
  await knex.raw('update catalog.products set document = catalog.product_document(id)');
  // Newest-first pages walk the time-ordered UUIDv7 primary key within a status.
  await knex.raw('create index products_status_id_idx on catalog.products (status, id desc)');
  await knex.raw('drop index if exists catalog.products_status_created_idx');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists products_status_created_idx on catalog.products (status, created_at desc, id desc)');
  await knex.raw('drop index if exists catalog.products_status_id_idx');
  await knex.raw('alter table catalog.products drop column if exists document');
  await knex.raw('drop function if exists catalog.product_document(uuid)');
}
