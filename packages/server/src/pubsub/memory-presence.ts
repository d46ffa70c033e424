import { type Member, presenceKey } from '@oxidite/protocol';
import type { PresenceChange } from './broker';

/** One presence member (a user, or an anonymous connection) and its connections on the topic. */
interface PresenceEntry {
  readonly member: Member;
  readonly clients: Set<string>;
}

/**
 * The memory broker's presence, per user (`presenceKey`): a user's second connection joins
 * silently and their last leave is announced, through `announce`.
 */
export class MemoryPresence {
  readonly #presence = new Map<string, Map<string, PresenceEntry>>();
  readonly #announce: (change: PresenceChange) => void;

  constructor(announce: (change: PresenceChange) => void) {
    this.#announce = announce;
  }

  join(topic: string, member: Member): void {
    let members = this.#presence.get(topic);
    if (!members) {
      members = new Map();
      this.#presence.set(topic, members);
    }
    const key = presenceKey(member);
    const entry = members.get(key);
    if (entry) {
      entry.clients.add(member.client);
      return;
    }
    members.set(key, { member, clients: new Set([member.client]) });
    this.#announce({ topic, joins: [member], leaves: [] });
  }

  leave(topic: string, member: Member): void {
    const members = this.#presence.get(topic);
    const key = presenceKey(member);
    const entry = members?.get(key);
    if (!members || !entry?.clients.delete(member.client) || entry.clients.size > 0) return;
    members.delete(key);
    if (members.size === 0) this.#presence.delete(topic);
    // The member as it was announced, so that clients match the leave to the join.
    this.#announce({ topic, joins: [], leaves: [entry.member] });
  }

  members(topic: string): Member[] {
    return [...(this.#presence.get(topic)?.values() ?? [])].map((entry) => entry.member);
  }
}
