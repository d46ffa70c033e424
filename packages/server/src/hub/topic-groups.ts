import { CloseCode } from '@oxidite/protocol';
import type { Broker, BrokerListener, PresenceChange, StreamMessage } from '../pubsub';
import type { Connection, Subscription } from './connection';
import { OutboundEnvelope, OutboundMessage } from './outbound-message';

interface Group {
  readonly topic: string;
  readonly subscribers: Map<Connection, Subscription>;
  /** Whether this node holds the broker subscription for the topic. */
  isBrokerSubscribed: boolean;
  /** The last broker (un)subscribe operation; operations on one topic run in order. */
  op: Promise<void>;
  /** The topic's `latencyBudget` (ms); 0: every message is delivered at once. */
  readonly budget: number;
  /** Messages held for the budget, oldest first; delivered together when `timer` fires. */
  held: OutboundMessage[] | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const noop = (): void => {};
/** The longest accepted `latencyBudget`: beyond a second it is a batch job, not real time. */
export const MAX_LATENCY_BUDGET = 1_000;

function budgetOf(subscription: Subscription): number {
  const budget = subscription.resolved.options.latencyBudget;
  return typeof budget === 'number' && budget > 0 ? Math.min(budget, MAX_LATENCY_BUDGET) : 0;
}

/** Delivers `messages`, in order, to every subscriber of the group. */
function deliverAll(group: Group, messages: readonly OutboundMessage[], capacity: number): void {
  for (const [connection, subscription] of group.subscribers) {
    for (const message of messages) connection.deliver(subscription, message, capacity);
  }
}

/** Delivers what the group holds for its latency budget now. */
function release(group: Group, capacity: number): void {
  const held = group.held;
  clearTimeout(group.timer);
  group.held = undefined;
  group.timer = undefined;
  if (held) deliverAll(group, held, capacity);
}

/**
 * The local subscriber index: which connections on this node want which topic. It holds exactly
 * one broker subscription per topic with local subscribers and fans each message out to them.
 */
export class TopicGroups {
  readonly #groups = new Map<string, Group>();
  readonly #broker: Broker;
  readonly #capacity: number;

  constructor(broker: Broker, capacity: number) {
    this.#broker = broker;
    this.#capacity = capacity;
  }

  /** Adds a subscriber; resolves once the broker subscription for the topic is in place. */
  async add(connection: Connection, subscription: Subscription): Promise<void> {
    const group = this.#group(subscription);
    // Held messages were published before this subscriber joined: they go out to the others
    // first, or it would get them after a `subscribed` whose offset already covers them.
    release(group, this.#capacity);
    group.subscribers.set(connection, subscription);
    if (!group.isBrokerSubscribed) await this.#sync(group);
  }

  /** Removes a subscriber; the broker subscription goes when the last local one does. */
  remove(connection: Connection, topic: string): void {
    const group = this.#groups.get(topic);
    if (!group?.subscribers.delete(connection)) return;
    if (group.subscribers.size === 0) this.#sync(group).catch(noop);
  }

  #group(subscription: Subscription): Group {
    const topic = subscription.topic;
    let group = this.#groups.get(topic);
    if (!group) {
      group = {
        topic,
        subscribers: new Map(),
        isBrokerSubscribed: false,
        op: Promise.resolve(),
        budget: budgetOf(subscription),
        held: undefined,
        timer: undefined,
      };
      this.#groups.set(topic, group);
    }
    return group;
  }

  /** Brings the broker subscription in line with the subscriber count, after earlier operations. */
  #sync(group: Group): Promise<void> {
    const op = group.op.then(async () => {
      if (group.subscribers.size > 0 && !group.isBrokerSubscribed) {
        await this.#broker.subscribe(group.topic, this.#listener(group));
        group.isBrokerSubscribed = true;
      } else if (group.subscribers.size === 0 && group.isBrokerSubscribed) {
        group.isBrokerSubscribed = false;
        await this.#broker.unsubscribe(group.topic);
      }
      if (group.subscribers.size === 0 && !group.isBrokerSubscribed && this.#groups.get(group.topic) === group) {
        release(group, this.#capacity); // no one left to deliver to: this only stops the timer
        this.#groups.delete(group.topic);
      }
    });
    group.op = op.catch(noop);
    return op;
  }

  #listener(group: Group): BrokerListener {
    const capacity = this.#capacity;
    return {
      onMessage(message: StreamMessage): void {
        // The hot path: one OutboundMessage (one frame) for all subscribers, no per-subscriber work
        // beyond the send itself.
        const outbound = new OutboundMessage(message);
        if (group.budget === 0) {
          for (const [connection, subscription] of group.subscribers)
            connection.deliver(subscription, outbound, capacity);
          return;
        }
        if (group.held) {
          group.held.push(outbound);
        } else {
          group.held = [outbound];
          group.timer = setTimeout(release, group.budget, group, capacity);
        }
      },
      onGap(): void {
        // The documented signal for a gap history cannot fill is `recovered: false` on subscribe:
        // a reconnect resubscribes with `since` and gets it (PROTOCOL.md §4.3).
        for (const connection of group.subscribers.keys())
          connection.close(CloseCode.TRY_AGAIN_LATER, 'missed messages');
      },
      onPresence(change: PresenceChange): void {
        release(group, capacity); // keeps messages and presence in the order they happened
        // One envelope for all subscribers: serialized (and framed) once, like a message.
        const envelope = new OutboundEnvelope({
          type: 'presence',
          topic: change.topic,
          joins: [...change.joins],
          leaves: [...change.leaves],
        });
        for (const [connection, subscription] of group.subscribers) {
          // A subscriber still in its handshake may have had its member list read before this
          // change: it gets the difference once live (see `subscribe`).
          if (subscription.pending) {
            subscription.parkedPresence ??= [];
            subscription.parkedPresence.push(change);
          } else {
            connection.send(envelope);
          }
        }
      },
    };
  }
}
