/** What group buying's use cases work with; built once per process. */
import type { Knex } from 'knex';
import { DEFAULT_SETTINGS, type GroupSettings } from '../config.ts';

export interface GroupDeps {
  knex: Knex;
  settings: GroupSettings;
  now: () => Date;
}

/** What the saga's steps need: they run inside the consumer's transaction. */
export type SagaDeps = Omit<GroupDeps, 'knex'>;

export function groupDeps(knex: Knex, settings: Partial<GroupSettings> = {}, now: () => Date = () => new Date()): GroupDeps {
  return { knex, settings: { ...DEFAULT_SETTINGS, ...settings }, now };
}
