/**
 * The webhooks service listens to every event the shop publishes (every
 * contract in @fusioncommerce/contracts but the test event, which is never
 * published): each becomes deliveries for the subscriptions that want it,
 * in the consumer's transaction, once per event. After the commit the
 * delivery worker of this process is woken, so a delivery goes out at once.
 */
import { allEventContracts, WebhookTestSent } from '@fusioncommerce/contracts';
import { afterCommit, on, type ConsumedEvent } from '@fusioncommerce/platform';
import type { WebhooksDeps } from '../use-cases/deps.ts';
import { recordDeliveries } from '../use-cases/record-deliveries.ts';

/** Filled in when the service's routes are mounted; the handlers run in the same process. */
export interface WebhooksRuntime {
  deps?: WebhooksDeps;
}

export function shopEventHandlers(runtime: WebhooksRuntime): ConsumedEvent[] {
  return allEventContracts()
    .filter((contract) => contract.type !== WebhookTestSent.type)
    .map((contract) =>
      on(
        contract,
        async (event, { trx }) => {
          const deps = runtime.deps;
          if (!deps) throw new Error('webhooks handled an event before its routes were mounted');
          if ((await recordDeliveries(deps, trx, event)) > 0) afterCommit(trx, deps.wake);
        },
        // An event no subscription wants costs no transaction.
        { when: (event) => runtime.deps?.interest.concerns(event.type) ?? true },
      ),
    );
}
