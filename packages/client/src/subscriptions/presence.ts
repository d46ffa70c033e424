import type { Member } from '@oxidite/protocol';
import type { PresenceChange } from './types';

/** Applies joins and leaves (by presence `client` id) to a member list. */
export function applyPresence(
  members: readonly Member[],
  joins: readonly Member[],
  leaves: readonly Member[],
): Member[] {
  const byClient = new Map(members.map((member) => [member.client, member]));
  for (const member of leaves) byClient.delete(member.client);
  for (const member of joins) byClient.set(member.client, member);
  return [...byClient.values()];
}

/** The change from one full member list to another (after a resubscribe), or undefined if none. */
export function diffMembers(before: readonly Member[], after: readonly Member[]): PresenceChange | undefined {
  const had = new Set(before.map((member) => member.client));
  const has = new Set(after.map((member) => member.client));
  const joins = after.filter((member) => !had.has(member.client));
  const leaves = before.filter((member) => !has.has(member.client));
  return joins.length || leaves.length ? { joins, leaves, members: after } : undefined;
}
