/** Categories: a tree by parent id, read whole (shops have tens to hundreds of them). */
import type { Knex } from 'knex';
import { CatalogError } from '../domain/errors.ts';

export interface CategoryRow {
  id: string;
  parent_id: string | null;
  name: string;
  slug: string;
  description: string;
  position: number;
  version: number;
}

export interface CategoryView {
  id: string;
  parentId: string | null;
  name: string;
  slug: string;
  description: string;
  position: number;
  productCount: number;
  children: CategoryView[];
}

const T = 'catalog.categories';

export class CategoryStore {
  constructor(private readonly knex: Knex) {}

  async find(ref: string, db: Knex | Knex.Transaction = this.knex): Promise<CategoryRow | undefined> {
    const query = db<CategoryRow>(T);
    return isUuid(ref) ? query.where({ id: ref }).first() : query.where({ slug: ref }).first();
  }

  async get(ref: string, db: Knex | Knex.Transaction = this.knex): Promise<CategoryRow> {
    const row = await this.find(ref, db);
    if (!row) throw CatalogError.categoryNotFound(ref);
    return row;
  }

  /** The whole tree, with how many published products each category holds (itself and below). */
  async tree(): Promise<CategoryView[]> {
    const rows = (await this.knex
      .from({ c: T })
      .select('c.*', this.knex.raw(`(select count(*) from catalog.product_categories pc join catalog.products p on p.id = pc.product_id and p.status = 'published' where pc.category_id = c.id)::int as own_count`))
      .orderBy([{ column: 'c.position' }, { column: 'c.name' }])) as (CategoryRow & { own_count: number })[];
    const views = new Map<string, CategoryView>(
      rows.map((r) => [r.id, { id: r.id, parentId: r.parent_id, name: r.name, slug: r.slug, description: r.description, position: r.position, productCount: r.own_count, children: [] }]),
    );
    const roots: CategoryView[] = [];
    for (const view of views.values()) {
      const parent = view.parentId ? views.get(view.parentId) : undefined;
      if (parent) parent.children.push(view);
      else roots.push(view);
    }
    const total = (v: CategoryView): number => {
      v.productCount += v.children.reduce((sum, child) => sum + total(child), 0);
      return v.productCount;
    };
    roots.forEach(total);
    return roots;
  }

  /** True when `candidate` is `id` itself or lies below it. */
  async isSelfOrDescendant(id: string, candidate: string, trx: Knex.Transaction): Promise<boolean> {
    const result = (await trx.raw(
      `with recursive tree as (select id from catalog.categories where id = ? union all select c.id from catalog.categories c join tree t on c.parent_id = t.id) select 1 from tree where id = ? limit 1`,
      [id, candidate],
    )) as { rows: unknown[] };
    return result.rows.length > 0;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
