import {
  CloseCode,
  ErrorCode,
  formatOffset,
  type Member,
  parseOffset,
  presenceKey,
  type Subscribe,
  type Unsubscribe,
} from '@oxidite/protocol';
import type { PresenceChange, StreamMessage } from '../pubsub';
import { takeTokens } from '../security';
import { checkTopic, type TopicCheck } from './authorize-topic';
import type { Connection, Subscription } from './connection';
import type { HubContext, UnsubscribeInfo } from './hub-context';
import { OutboundMessage } from './outbound-message';

/**
 * The subscribe handshake, gap-free and duplicate-free whatever the broker's latency:
 * 1. join the topic's local group in "pending" mode (live messages are parked, not sent);
 * 2. read history after `since` (or the last `rewind` messages) and the current position;
 * 3. send `subscribed`, then the history, then the parked live messages not already sent.
 */
export async function subscribe(
  context: HubContext,
  connection: Connection,
  request: Subscribe,
  /** The authorization, when the transport already asked (see `Hub.subscribeChecked`). */
  checked?: TopicCheck,
): Promise<void> {
  const { id, topic } = request;
  if (connection.subscriptions.has(topic)) {
    return connection.error(id, ErrorCode.INVALID, `already subscribed to ${topic}`, { topic });
  }
  if (connection.subscriptions.size >= context.limits.maxSubscriptions) {
    return connection.error(id, ErrorCode.LIMIT_EXCEEDED, `at most ${context.limits.maxSubscriptions} subscriptions`, {
      topic,
    });
  }
  const rule = context.rateLimits.subscribesPerConnection;
  if (rule) {
    const { state, decision } = takeTokens(connection.subscribeBucket, rule, 1, context.now());
    connection.subscribeBucket = state;
    if (!decision.allowed) {
      context.stats.rateLimited++;
      if (connection.inbound.refused(connection))
        return connection.close(CloseCode.RATE_LIMITED, 'rate limit exceeded');
      return connection.error(id, ErrorCode.RATE_LIMITED, 'too many subscribes', {
        retryAfter: decision.retryAfter,
        topic,
      });
    }
  }
  const since = request.since === undefined ? undefined : parseOffset(request.since);
  if (request.since !== undefined && since === undefined) {
    return connection.error(id, ErrorCode.INVALID, `invalid offset: ${request.since}`, { topic });
  }
  const check = checked ?? (await checkTopic(context, connection, topic, 'subscribe'));
  if (!check.ok) return connection.error(id, check.code, check.message, { topic });
  if (connection.subscriptions.has(topic) || !connection.peer.isOpen) return;

  const subscription: Subscription = {
    topic,
    resolved: check.resolved,
    pending: [],
    parkedPresence: undefined,
    member: undefined,
  };
  connection.subscriptions.set(topic, subscription);
  context.stats.subscriptions++;
  try {
    await context.groups.add(connection, subscription);
    const rewind = since ? Number.MAX_SAFE_INTEGER : Math.min(request.rewind ?? 0, context.limits.maxRewind);
    const history = await context.broker.history(topic, since, rewind);
    const presence = await joinPresence(context, connection, subscription);
    if (connection.subscriptions.get(topic) !== subscription) return; // unsubscribed or closed meanwhile
    connection.send({
      type: 'subscribed',
      id,
      topic,
      offset: formatOffset(history.position),
      recovered: since === undefined ? true : history.recovered,
      ...(presence ? { presence } : {}),
    });
    let last = history.position;
    await replay(connection, history.messages);
    const parked = subscription.pending ?? [];
    const parkedPresence = subscription.parkedPresence ?? [];
    subscription.pending = undefined;
    subscription.parkedPresence = undefined;
    for (const message of parked) {
      if (isDelivered(message, last)) continue;
      last = message.offset;
      connection.peer.deliver(new OutboundMessage(message));
    }
    if (presence) sendPresenceSince(connection, topic, presence, parkedPresence);
    if (connection.subscriptions.get(topic) !== subscription) return;
    const offset = formatOffset(history.position);
    context.events.onSubscribe(
      connection.info(),
      since
        ? { topic, offset, recovered: history.recovered, replayed: history.messages.length }
        : { topic, offset, replayed: history.messages.length },
    );
  } catch (error) {
    release(context, connection, subscription, 'request');
    context.reportError(error, `subscribe ${topic}`);
    connection.error(id, ErrorCode.INTERNAL, 'subscribe failed', { topic });
  }
}

/**
 * Sends what changed in presence between the member list in `subscribed` and now: the changes
 * announced during the handshake, applied to that list, minus what it already showed.
 */
function sendPresenceSince(
  connection: Connection,
  topic: string,
  listed: readonly Member[],
  changes: readonly PresenceChange[],
): void {
  if (changes.length === 0) return;
  const now = new Map(listed.map((member) => [presenceKey(member), member]));
  for (const change of changes) {
    for (const member of change.leaves) now.delete(presenceKey(member));
    for (const member of change.joins) now.set(presenceKey(member), member);
  }
  const before = new Set(listed.map(presenceKey));
  const joins = [...now.values()].filter((member) => !before.has(presenceKey(member)));
  const leaves = listed.filter((member) => !now.has(presenceKey(member)));
  if (joins.length > 0 || leaves.length > 0) connection.send({ type: 'presence', topic, joins, leaves });
}

/** History replays go out in chunks, each after the socket drained: a long gap never floods it. */
const REPLAY_CHUNK = 256;

async function replay(connection: Connection, messages: readonly StreamMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += REPLAY_CHUNK) {
    if (i > 0) await connection.peer.whenWritable();
    if (!connection.peer.isOpen) return;
    for (const message of messages.slice(i, i + REPLAY_CHUNK)) connection.peer.deliver(new OutboundMessage(message));
  }
}

function isDelivered(message: StreamMessage, last: { epoch: string; seq: number }): boolean {
  return message.offset.epoch === last.epoch && message.offset.seq <= last.seq;
}

async function joinPresence(
  context: HubContext,
  connection: Connection,
  subscription: Subscription,
): Promise<Member[] | undefined> {
  const options = subscription.resolved.options.presence;
  if (!options) return undefined;
  const check = await checkTopic(context, connection, subscription.topic, 'presence');
  if (!check.ok) return undefined;
  // SSE readers see presence; they are in it only where the topic says so (`presence: { sse: true }`).
  const isMember = connection.transport !== 'sse' || (typeof options === 'object' && options.sse === true);
  if (!isMember) return context.broker.members(subscription.topic);
  const principal = connection.principal;
  const member: Member = {
    client: connection.id,
    ...(principal ? { user: principal.id } : {}),
    ...(principal?.info === undefined ? {} : { info: principal.info }),
  };
  subscription.member = member;
  await context.broker.join(subscription.topic, member);
  return context.broker.members(subscription.topic);
}

/**
 * Removes a subscription from every index and announces the presence leave; a subscription that
 * had gone live is reported by the `unsubscribe` event (a failed handshake never was live).
 */
export function release(
  context: HubContext,
  connection: Connection,
  subscription: Subscription,
  reason: UnsubscribeInfo['reason'],
): void {
  if (connection.subscriptions.get(subscription.topic) !== subscription) return;
  const wasLive = subscription.pending === undefined;
  connection.subscriptions.delete(subscription.topic);
  context.stats.subscriptions--;
  context.groups.remove(connection, subscription.topic);
  if (subscription.member) {
    context.broker.leave(subscription.topic, subscription.member).catch((error: unknown) => {
      context.reportError(error, `presence leave ${subscription.topic}`);
    });
  }
  if (wasLive) context.events.onUnsubscribe(connection.info(), { topic: subscription.topic, reason });
}

/** Handles `unsubscribe`: idempotent, always confirmed. */
export function unsubscribe(context: HubContext, connection: Connection, request: Unsubscribe): void {
  const subscription = connection.subscriptions.get(request.topic);
  if (subscription) release(context, connection, subscription, 'request');
  connection.send({ type: 'unsubscribed', id: request.id, topic: request.topic });
}
