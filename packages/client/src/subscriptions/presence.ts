import { type Member, presenceKey } from '@oxidite/protocol';
import type { PresenceChange } from './types';

/** Applies joins and leaves to a member list, by `presenceKey` (presence is per user). */
export function applyPresence(
  members: readonly Member[],
  joins: readonly Member[],
  leaves: readonly Member[],
): Member[] {
  const byKey = new Map(members.map((member) => [presenceKey(member), member]));
  for (const member of leaves) byKey.delete(presenceKey(member));
  for (const member of joins) byKey.set(presenceKey(member), member);
  return [...byKey.values()];
}

/** The change from one full member list to another (after a resubscribe), or undefined if none. */
export function diffMembers(before: readonly Member[], after: readonly Member[]): PresenceChange | undefined {
  const had = new Set(before.map(presenceKey));
  const has = new Set(after.map(presenceKey));
  const joins = after.filter((member) => !had.has(presenceKey(member)));
  const leaves = before.filter((member) => !has.has(presenceKey(member)));
  return joins.length || leaves.length ? { joins, leaves, members: after } : undefined;
}
