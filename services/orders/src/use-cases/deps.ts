/** What orders' use cases work with; built once per process. */
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import pLimit, { type LimitFunction } from 'p-limit';
import { afterCommit } from '@fusioncommerce/platform';

export interface OrdersSettings {
  /** How long POST /v1/checkout waits for the saga's outcome before answering "pending". */
  checkoutWaitMs: number;
  /** A pending order older than this is cancelled as expired (its stock and payment let go). */
  pendingTimeoutMs: number;
  /** How often the expiry sweep runs. */
  sweepIntervalMs: number;
  /** Capture the payment as soon as the order is confirmed (until shipping captures at shipment). */
  captureOnConfirm: boolean;
  /** Checkouts that may place their order at once in this process; the others queue (see checkout.ts). */
  checkoutConcurrency: number;
}

export const DEFAULT_SETTINGS: OrdersSettings = {
  checkoutWaitMs: 5_000,
  pendingTimeoutMs: 120_000,
  sweepIntervalMs: 10_000,
  captureOnConfirm: true,
  checkoutConcurrency: 8,
};

/** Wakes checkouts waiting in this process when their order's state changes. */
export class OrderWatch {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  changed(orderId: string): void {
    this.emitter.emit(orderId);
  }

  /** Resolves on the next change of `orderId`, or after `ms`. */
  next(orderId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(orderId, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once(orderId, done);
    });
  }
}

/** What the saga's steps need: they run inside the consumer's transaction, so no connection of their own. */
export interface SagaDeps {
  settings: OrdersSettings;
  watch: OrderWatch;
  now: () => Date;
}

export interface OrdersDeps extends SagaDeps {
  knex: Knex;
  /** Admits checkouts to place their orders, `checkoutConcurrency` at a time; without it, all at once. */
  admitCheckout?: LimitFunction;
}

export function ordersDeps(knex: Knex, settings: Partial<OrdersSettings> = {}, now: () => Date = () => new Date()): OrdersDeps {
  const all = { ...DEFAULT_SETTINGS, ...settings };
  return { knex, settings: all, watch: new OrderWatch(), now, admitCheckout: pLimit(all.checkoutConcurrency) };
}

/** Tells waiting checkouts once the transaction that changed the order has committed. */
export function notifyAfterCommit(deps: SagaDeps, trx: Knex.Transaction, orderId: string): void {
  afterCommit(trx, () => deps.watch.changed(orderId));
}
