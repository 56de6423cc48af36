/**
 * Which event types any active subscription wants, kept in memory, so the
 * consumer can pass over an event nobody subscribed to without a transaction
 * (most of a shop's events, most of the time). Each process reloads it every
 * `refreshMs` and at once after its own changes; a subscription saved through
 * another process is seen by this one within `refreshMs`. Until the first
 * load, and while a reload after a local change is pending, every event is
 * taken in, as without the cache. One reload runs at a time: a slow database
 * delays the next one rather than piling them up.
 */
import type { FastifyBaseLogger } from 'fastify';
import { subscribesTo } from '../domain/event-types.ts';
import type { SubscriptionStore } from '../store/subscription-store.ts';

export class SubscriptionInterest {
  private patterns: string[][] | undefined;
  private running: Promise<void> | undefined;
  /** A change arrived while a reload ran: that reload may have read before it, so one more follows. */
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscriptions: Pick<SubscriptionStore, 'active'>,
    private readonly log?: FastifyBaseLogger,
  ) {}

  /** True when some active subscription may want `type` (or when this process cannot tell yet). */
  concerns(type: string): boolean {
    return this.patterns === undefined || this.patterns.some((p) => subscribesTo(p, type));
  }

  /** Reloads; while one reload runs, a call waits for it and asks for one more after it. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.load().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.running;
  }

  private async load(): Promise<void> {
    try {
      const active = await this.subscriptions.active();
      // A change made here while this read ran may be missing from it: keep considering everything until the next reload.
      if (!this.again) this.patterns = active.map((s) => s.eventTypes);
    } catch (error) {
      // Cannot tell: take everything in until a reload succeeds.
      this.patterns = undefined;
      this.log?.warn({ err: error }, 'could not load the webhook subscriptions; every event is considered until the next try');
    }
  }

  /** A subscription changed in this process: consider everything until the reload that sees the change. */
  changed(): void {
    this.patterns = undefined;
    void this.refresh();
  }

  start(refreshMs: number): void {
    void this.refresh();
    this.timer = setInterval(() => {
      if (!this.running) void this.refresh();
    }, refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
