/** Category use cases: create, rename or move (never under itself), delete when empty of children. */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { recordEvents } from '@fusioncommerce/platform';
import { CATALOG_SCHEMA } from '../migrations.ts';
import { slugify } from '../domain/product.ts';
import { CatalogError } from '../domain/errors.ts';
import type { CategoryRow } from '../store/category-store.ts';
import { refreshCategoryDocuments, refreshDocuments } from '../store/product-store.ts';
import type { CatalogDeps } from './deps.ts';

export interface CategoryInput {
  name: string;
  slug?: string;
  description?: string;
  parentId?: string | null;
  position?: number;
}

/** `catalog.category.changed`, in the same transaction as the change: storefront caches and other services follow it. */
async function categoryChanged(trx: Knex.Transaction, change: 'created' | 'updated' | 'deleted', row: CategoryRow): Promise<void> {
  const category = { id: row.id, parentId: row.parent_id, name: row.name, slug: row.slug, position: row.position };
  await recordEvents(trx, CATALOG_SCHEMA, [{ type: 'catalog.category.changed', subject: row.id, data: { change, category } }]);
}

function mapSlugConflict(error: unknown, slug: string): never {
  if ((error as { code?: string }).code === '23505') throw CatalogError.duplicateSlug(slug);
  throw error;
}

export async function createCategory(deps: CatalogDeps, input: CategoryInput): Promise<CategoryRow> {
  const slug = input.slug ?? slugify(input.name);
  return deps.knex.transaction(async (trx) => {
    if (input.parentId) await deps.categories.get(input.parentId, trx);
    const row = {
      id: uuidv7(),
      parent_id: input.parentId ?? null,
      name: input.name,
      slug,
      description: input.description ?? '',
      position: input.position ?? 0,
    };
    try {
      const [created] = (await trx('catalog.categories').insert(row).returning('*')) as CategoryRow[];
      await categoryChanged(trx, 'created', created as CategoryRow);
      return created as CategoryRow;
    } catch (error) {
      return mapSlugConflict(error, slug);
    }
  });
}

export async function updateCategory(deps: CatalogDeps, id: string, patch: Partial<CategoryInput>): Promise<CategoryRow> {
  return deps.knex.transaction(async (trx) => {
    const current = await deps.categories.get(id, trx);
    if (patch.parentId) {
      await deps.categories.get(patch.parentId, trx);
      if (await deps.categories.isSelfOrDescendant(current.id, patch.parentId, trx)) throw CatalogError.categoryCycle();
    }
    const changes = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}),
    };
    try {
      const [updated] = (await trx('catalog.categories')
        .where({ id: current.id })
        .update({ ...changes, version: current.version + 1, updated_at: deps.now() })
        .returning('*')) as CategoryRow[];
      // Product documents carry category names and slugs.
      if (patch.name !== undefined || patch.slug !== undefined) await refreshCategoryDocuments(trx, [current.id]);
      await categoryChanged(trx, 'updated', updated as CategoryRow);
      return updated as CategoryRow;
    } catch (error) {
      return mapSlugConflict(error, patch.slug ?? current.slug);
    }
  });
}

export async function deleteCategory(deps: CatalogDeps, id: string): Promise<void> {
  await deps.knex.transaction(async (trx) => {
    const current = await deps.categories.get(id, trx);
    const child = await trx('catalog.categories').where({ parent_id: current.id }).first('id');
    if (child) throw CatalogError.categoryInUse();
    const products = await trx('catalog.product_categories').where({ category_id: current.id }).pluck<string[]>('product_id');
    await trx('catalog.categories').where({ id: current.id }).delete();
    await refreshDocuments(trx, products);
    await categoryChanged(trx, 'deleted', current);
  });
}
