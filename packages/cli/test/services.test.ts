/** The service list against the services themselves: what it declares must be what their code says. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activeServices, schemaOf } from '../src/services.ts';
import { loadMigrations } from '../src/workspace.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('the service list', () => {
  it.each(activeServices().filter((s) => s.kind === 'service').map((s) => [s.name, s] as const))(
    'when %s is listed, then it declares the schema its src/migrations.ts owns',
    async (_name, service) => {
      expect(schemaOf(service)).toBe((await loadMigrations(root, service, true)).schema);
    },
  );

  it('when a process is the gateway, then it owns no schema', () => {
    for (const gateway of activeServices().filter((s) => s.kind === 'gateway')) expect(schemaOf(gateway)).toBeUndefined();
  });
});
