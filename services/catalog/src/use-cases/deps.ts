import type { Knex } from 'knex';
import { CategoryStore } from '../store/category-store.ts';
import { ProductQueries } from '../store/product-queries.ts';
import { ProductStore } from '../store/product-store.ts';

/** What catalog's use cases work with; built once per process. */
export interface CatalogDeps {
  knex: Knex;
  products: ProductStore;
  queries: ProductQueries;
  categories: CategoryStore;
  now: () => Date;
}

export function catalogDeps(knex: Knex, now: () => Date = () => new Date()): CatalogDeps {
  return {
    knex,
    products: new ProductStore(knex),
    queries: new ProductQueries(knex),
    categories: new CategoryStore(knex),
    now,
  };
}
