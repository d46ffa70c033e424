import { type Member, presenceKey } from '@oxidite/protocol';
import type { RedisClient } from './connection';
import { topicKey } from './keys';
import { encodePresence } from './wire';

/** Keys and timings the presence store needs from its broker. */
export interface PresenceStoreOptions {
  readonly client: RedisClient;
  readonly prefix: string;
  /** The broker's PUBLISH or SPUBLISH, so presence changes travel with the topic's messages. */
  readonly publish: (channel: string, message: string) => Promise<unknown>;
  readonly nodeId: string;
  /** How long a node's heartbeat key lives without a refresh, in ms. */
  readonly nodeTtl: number;
}

/** KEYS: the count hash. ARGV: presence key. Decrements, and forgets the key at 0; returns the count. */
const RELEASE_SCRIPT = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n
`;

/**
 * Presence across nodes. Each topic has a hash `{prefix}presence:{{topic}}` of client id →
 * `<nodeId>\n<member JSON>`; each live node refreshes `{prefix}node:{nodeId}` (PX expiry). A node
 * that crashes stops refreshing its key, and `members()` drops (and announces as leaves) the
 * members of nodes whose key is gone, so no member outlives its node by more than the TTL.
 * Presence is per user: `{prefix}presence-count:{{topic}}` counts each presence key's connections
 * (all nodes), and only a user's first join and last leave are announced.
 */
export class PresenceStore {
  readonly #options: PresenceStoreOptions;
  /** Served topics with presence seen lately: the ones {@link tick} sweeps. */
  readonly #tracked = new Set<string>();

  constructor(options: PresenceStoreOptions) {
    this.#options = options;
  }

  #hash(topic: string): string {
    return topicKey(this.#options.prefix, 'presence', topic);
  }

  #counts(topic: string): string {
    return topicKey(this.#options.prefix, 'presence-count', topic);
  }

  #channel(topic: string): string {
    return topicKey(this.#options.prefix, 'ch', topic);
  }

  /** Key of a node's heartbeat. */
  nodeKey(nodeId: string): string {
    return `${this.#options.prefix}node:${nodeId}`;
  }

  /** Includes a topic this node serves in the sweep (presence was seen on it). */
  track(topic: string): void {
    this.#tracked.add(topic);
  }

  /** Leaves a topic this node no longer serves out of the sweep. */
  untrack(topic: string): void {
    this.#tracked.delete(topic);
  }

  /**
   * The heartbeat, then a sweep: `members()` removes and announces the members of nodes whose
   * heartbeat expired, so a crashed node's members leave within a bounded time instead of on the
   * next reader's call (issue #21). A topic whose presence is empty drops out of the sweep until
   * presence shows up on it again.
   */
  async tick(): Promise<void> {
    await this.heartbeat();
    for (const topic of [...this.#tracked]) {
      if ((await this.members(topic)).length === 0) this.#tracked.delete(topic);
    }
  }

  /** Marks this node alive for another `nodeTtl` ms. */
  async heartbeat(): Promise<void> {
    await this.#options.client.set(this.nodeKey(this.#options.nodeId), '1', 'PX', this.#options.nodeTtl);
  }

  async join(topic: string, member: Member): Promise<void> {
    const { client, nodeId, nodeTtl } = this.#options;
    // Two commands, not a MULTI: the node key and the topic's hash live in different cluster slots.
    const [, added] = await Promise.all([
      client.set(this.nodeKey(nodeId), '1', 'PX', nodeTtl),
      client.hset(this.#hash(topic), member.client, `${nodeId}\n${JSON.stringify(member)}`),
    ]);
    if (added !== 1) return; // this connection had joined already
    const count = await client.hincrby(this.#counts(topic), presenceKey(member), 1);
    if (count === 1) await this.#options.publish(this.#channel(topic), encodePresence([member], []));
  }

  async leave(topic: string, member: Member): Promise<void> {
    const removed = await this.#options.client.hdel(this.#hash(topic), member.client);
    if (removed > 0) await this.#release(topic, [member]);
  }

  /** Counts down the presence keys of removed connections; announces the users now gone. */
  async #release(topic: string, removed: readonly Member[]): Promise<void> {
    const client = this.#options.client;
    const counts = await Promise.all(
      removed.map((member) => client.eval(RELEASE_SCRIPT, 1, this.#counts(topic), presenceKey(member))),
    );
    const gone = removed.filter((_, i) => Number(counts[i]) <= 0);
    if (gone.length > 0) await this.#options.publish(this.#channel(topic), encodePresence([], gone));
  }

  async members(topic: string): Promise<Member[]> {
    const client = this.#options.client;
    const records = await client.hgetall(this.#hash(topic));
    const byNode = new Map<string, Member[]>();
    for (const value of Object.values(records)) {
      const newline = value.indexOf('\n');
      if (newline < 0) continue;
      const node = value.slice(0, newline);
      const members = byNode.get(node) ?? [];
      members.push(JSON.parse(value.slice(newline + 1)) as Member);
      byNode.set(node, members);
    }
    if (byNode.size === 0) return [];
    const nodes = [...byNode.keys()];
    const alive = await Promise.all(nodes.map((node) => client.exists(this.nodeKey(node))));
    const live = new Map<string, Member>();
    const dead: Member[] = [];
    for (const [i, node] of nodes.entries()) {
      for (const member of byNode.get(node) ?? []) {
        if (!alive[i]) dead.push(member);
        else if (!live.has(presenceKey(member))) live.set(presenceKey(member), member);
      }
    }
    if (dead.length > 0) await this.#evict(topic, dead);
    return [...live.values()];
  }

  /** Removes members of dead nodes; announces only those this call removed (callers may race). */
  async #evict(topic: string, dead: readonly Member[]): Promise<void> {
    const client = this.#options.client;
    const results = await Promise.all(dead.map((member) => client.hdel(this.#hash(topic), member.client)));
    const removed = dead.filter((_, i) => (results[i] ?? 0) > 0);
    if (removed.length > 0) await this.#release(topic, removed);
  }
}
