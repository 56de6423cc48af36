/**
 * Delivery inside one process (the embedded mode). Publishing hands each event
 * to one member of every subscribed group and resolves only when each group
 * has settled it, so the relay marks an outbox row sent only after its
 * consumers committed: a crash before that re-publishes from the outbox, and
 * nothing is lost although nothing is stored here.
 */
import type { CloudEvent } from '@fusioncommerce/contracts';
import { bySubject, partitionOf, type DeliverEvent, type EventTransport, type Subscription } from './transport.ts';

interface Member {
  deliver: DeliverEvent;
  inFlight: Set<Promise<void>>;
}

interface Group {
  topics: Set<string>;
  members: Member[];
  /** Events handed to the group and not settled yet. */
  pending: number;
}

export interface InProcessTransportOptions {
  /** Subjects a group works on at once within one batch; one subject is always sequential. */
  parallelSubjects?: number;
}

export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process' as const;
  private readonly groups = new Map<string, Group>();
  private readonly parallelSubjects: number;

  constructor(options: InProcessTransportOptions = {}) {
    this.parallelSubjects = options.parallelSubjects ?? 4;
  }

  async start(): Promise<void> {}

  async publish(topic: string, events: CloudEvent[]): Promise<void> {
    const targets = [...this.groups.values()].filter((g) => g.topics.has(topic) && g.members.length > 0);
    const results = await Promise.allSettled(targets.map((group) => this.deliverToGroup(group, events)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async subscribe(group: string, topics: string[], deliver: DeliverEvent): Promise<Subscription> {
    const entry = this.groups.get(group) ?? { topics: new Set<string>(), members: [], pending: 0 };
    for (const topic of topics) entry.topics.add(topic);
    const member: Member = { deliver, inFlight: new Set() };
    entry.members.push(member);
    this.groups.set(group, entry);
    return {
      stop: async () => {
        entry.members = entry.members.filter((m) => m !== member);
        await Promise.allSettled([...member.inFlight]);
      },
    };
  }

  async check(): Promise<void> {}

  async lag(group: string): Promise<number> {
    return this.groups.get(group)?.pending ?? 0;
  }

  async close(): Promise<void> {
    this.groups.clear();
  }

  /** One chain per subject, in order; several subjects at once, so one slow subject does not hold up the rest. */
  private async deliverToGroup(group: Group, events: CloudEvent[]): Promise<void> {
    const chains = bySubject(events);
    group.pending += events.length;
    let settled = 0;
    let next = 0;
    let failure: { reason: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (next < chains.length && !failure) {
        const chain = chains[next++] as CloudEvent[];
        for (const event of chain) {
          const member = group.members[partitionOf(event.subject, Math.max(1, group.members.length))];
          if (!member) {
            failure = { reason: new Error('the consumer group has no member left') };
            break;
          }
          const work = member.deliver(event);
          member.inFlight.add(work);
          try {
            await work;
            settled += 1;
            group.pending -= 1;
          } catch (reason) {
            // The rest of this subject must wait for the retry, or it would overtake.
            failure ??= { reason };
            break;
          } finally {
            member.inFlight.delete(work);
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.parallelSubjects, chains.length) }, worker));
    } finally {
      // Whatever did not settle will be published again; it is not pending here any more.
      group.pending -= events.length - settled;
    }
    if (failure) throw failure.reason;
  }
}
