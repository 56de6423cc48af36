/** Stock locations: create, rename, reorder, make the default, archive. */
import { v7 as uuidv7 } from 'uuid';
import { InventoryError } from '../domain/errors.ts';
import { locationView, type LocationRow, type LocationView } from '../store/location-store.ts';
import type { InventoryDeps } from './deps.ts';

export interface LocationInput {
  code: string;
  name: string;
  priority?: number;
  isDefault?: boolean;
}

export interface LocationPatch {
  name?: string;
  priority?: number;
  isDefault?: true;
}

function mapDuplicateCode(error: unknown, code: string): never {
  const e = error as { code?: string; constraint?: string; detail?: string };
  if (e.code === '23505' && `${e.constraint ?? ''} ${e.detail ?? ''}`.includes('code')) throw InventoryError.duplicateLocationCode(code);
  throw error;
}

export async function createLocation(deps: InventoryDeps, input: LocationInput): Promise<LocationView> {
  const now = deps.now();
  return deps.knex.transaction(async (trx) => {
    if (input.isDefault) {
      await deps.locations.getDefault(trx, 'update');
      await deps.locations.clearDefault(trx, now);
    }
    const row: Omit<LocationRow, 'archived_at'> = {
      id: uuidv7(),
      code: input.code,
      name: input.name,
      priority: input.priority ?? 100,
      is_default: input.isDefault ?? false,
      created_at: now,
      updated_at: now,
    };
    try {
      // A savepoint, so a duplicate code leaves the transaction usable for the answer.
      return locationView(await trx.transaction((inner) => deps.locations.insert(row, inner)));
    } catch (error) {
      mapDuplicateCode(error, input.code);
    }
  });
}

export async function getLocation(deps: InventoryDeps, id: string): Promise<LocationView> {
  const row = await deps.locations.get(id);
  if (!row) throw InventoryError.locationNotFound(id);
  return locationView(row);
}

export async function updateLocation(deps: InventoryDeps, id: string, patch: LocationPatch): Promise<LocationView> {
  const now = deps.now();
  return deps.knex.transaction(async (trx) => {
    // The current default first, then this one: every default change locks in that order.
    if (patch.isDefault) await deps.locations.getDefault(trx, 'update');
    const row = await deps.locations.get(id, trx, 'update');
    if (!row) throw InventoryError.locationNotFound(id);
    if (patch.isDefault && !row.is_default) {
      if (row.archived_at) throw InventoryError.locationArchived(id);
      await deps.locations.clearDefault(trx, now);
    }
    const changes: Partial<LocationRow> = { updated_at: now };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.priority !== undefined) changes.priority = patch.priority;
    if (patch.isDefault) changes.is_default = true;
    return locationView(await deps.locations.update(id, changes, trx));
  });
}

/** Archives a location that holds nothing; it keeps its history but takes no stock. Archiving twice is a no-op. */
export async function archiveLocation(deps: InventoryDeps, id: string): Promise<LocationView> {
  const now = deps.now();
  return deps.knex.transaction(async (trx) => {
    const row = await deps.locations.get(id, trx, 'update');
    if (!row) throw InventoryError.locationNotFound(id);
    if (row.archived_at) return locationView(row);
    if (row.is_default) throw InventoryError.defaultLocationRequired();
    if (await deps.locations.holdsStock(id, trx)) throw InventoryError.locationNotEmpty(id);
    return locationView(await deps.locations.update(id, { archived_at: now, updated_at: now }, trx));
  });
}
