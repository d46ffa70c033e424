import type { Member } from './fields';

/**
 * Who a presence member is: its user id when the connection is authenticated, else its session
 * (`client`) id. Presence is per user: a user with a WebSocket tab and an SSE stream on a topic is
 * one member, announced when their first connection joins and gone when their last one leaves.
 */
export function presenceKey(member: Member): string {
  return member.user === undefined ? `client:${member.client}` : `user:${member.user}`;
}
