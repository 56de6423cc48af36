/** The group-commerce service as the platform mounts it: deals, groups, the deadline schedule and its part of the saga. */
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { loadGroupSettings, type GroupSettings } from './config.ts';
import { catalogReplicaHandlers } from './events/catalog-replica.ts';
import { sagaHandlers } from './events/saga-handlers.ts';
import { startDeadlinePoller } from './jobs/deadline-poller.ts';
import { groupCommerceMigrations } from './migrations.ts';
import { dealRoutes } from './routes/deals.ts';
import { groupRoutes } from './routes/groups.ts';
import { DEFAULT_SETTINGS } from './config.ts';
import type { GroupDeps, SagaDeps } from './use-cases/deps.ts';

export interface GroupCommerceServiceOptions {
  /** Settings to use instead of the environment's (tests); missing ones come from the environment. */
  settings?: Partial<GroupSettings>;
  /** The clock (tests). */
  now?: () => Date;
}

/** Builds the service; the environment is read when it is mounted, so a bad value stops start-up with one clear line. */
export function createGroupCommerceService(options: GroupCommerceServiceOptions = {}): ServiceDefinition {
  // The saga's handlers share settings and clock with the routes; settings are resolved when the routes mount.
  const shared: SagaDeps = { settings: { ...DEFAULT_SETTINGS, ...options.settings }, now: options.now ?? (() => new Date()) };
  return {
    name: 'group-commerce',
    port: 3003,
    migrations: groupCommerceMigrations,
    openapi: { title: 'FusionCommerce group buying', description: 'Group deals with price tiers, groups with share codes, and their settlement.' },
    consumes: [...sagaHandlers(shared), ...catalogReplicaHandlers],
    routes: async (app, { knex }) => {
      shared.settings = { ...loadGroupSettings(), ...options.settings };
      const deps: GroupDeps = { ...shared, knex, settings: shared.settings };
      await app.register(dealRoutes, { deps });
      await app.register(groupRoutes, { deps });
      if (deps.settings.deadlinePollMs > 0) {
        const poller = startDeadlinePoller(deps, deps.settings.deadlinePollMs, app.log);
        app.addHook('onClose', async () => poller.stop());
      }
    },
  };
}

export const groupCommerceService: ServiceDefinition = createGroupCommerceService();
