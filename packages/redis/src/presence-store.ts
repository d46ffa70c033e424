import type { Member } from '@oxidite/protocol';
import type { Redis } from 'ioredis';
import { encodePresence } from './wire';

/** Keys and timings the presence store needs from its broker. */
export interface PresenceStoreOptions {
  readonly client: Redis;
  readonly prefix: string;
  readonly nodeId: string;
  /** How long a node's heartbeat key lives without a refresh, in ms. */
  readonly nodeTtl: number;
}

/**
 * Presence across nodes. Each topic has a hash `{prefix}presence:{topic}` of client id →
 * `<nodeId>\n<member JSON>`; each live node refreshes `{prefix}node:{nodeId}` (PX expiry). A node
 * that crashes stops refreshing its key, and `members()` drops (and announces as leaves) the
 * members of nodes whose key is gone, so no member outlives its node by more than the TTL.
 */
export class PresenceStore {
  readonly #options: PresenceStoreOptions;

  constructor(options: PresenceStoreOptions) {
    this.#options = options;
  }

  #hash(topic: string): string {
    return `${this.#options.prefix}presence:${topic}`;
  }

  #channel(topic: string): string {
    return `${this.#options.prefix}ch:${topic}`;
  }

  /** Key of a node's heartbeat. */
  nodeKey(nodeId: string): string {
    return `${this.#options.prefix}node:${nodeId}`;
  }

  /** Marks this node alive for another `nodeTtl` ms. */
  async heartbeat(): Promise<void> {
    await this.#options.client.set(this.nodeKey(this.#options.nodeId), '1', 'PX', this.#options.nodeTtl);
  }

  async join(topic: string, member: Member): Promise<void> {
    const { client, nodeId, nodeTtl } = this.#options;
    await client
      .multi()
      .set(this.nodeKey(nodeId), '1', 'PX', nodeTtl)
      .hset(this.#hash(topic), member.client, `${nodeId}\n${JSON.stringify(member)}`)
      .publish(this.#channel(topic), encodePresence([member], []))
      .exec();
  }

  async leave(topic: string, member: Member): Promise<void> {
    const removed = await this.#options.client.hdel(this.#hash(topic), member.client);
    if (removed > 0) await this.#options.client.publish(this.#channel(topic), encodePresence([], [member]));
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
    const live: Member[] = [];
    const dead: Member[] = [];
    for (const [i, node] of nodes.entries()) {
      (alive[i] ? live : dead).push(...(byNode.get(node) ?? []));
    }
    if (dead.length > 0) await this.#evict(topic, dead);
    return live;
  }

  /** Removes members of dead nodes; announces only those this call removed (callers may race). */
  async #evict(topic: string, dead: readonly Member[]): Promise<void> {
    const client = this.#options.client;
    const results = await Promise.all(dead.map((member) => client.hdel(this.#hash(topic), member.client)));
    const removed = dead.filter((_, i) => (results[i] ?? 0) > 0);
    if (removed.length > 0) await client.publish(this.#channel(topic), encodePresence([], removed));
  }
}
