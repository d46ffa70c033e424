import { ErrorCode, isValidTopic, type ResolvedTopic } from '@oxidite/protocol';
import {
  type AuthorizeRequest,
  type ConnectionInfo,
  INSPECTOR_TOPIC,
  isInspector,
  type TopicAction,
  topicRules,
} from '../security';
import type { HubContext } from './hub-context';

/** Result of checking a topic request: the resolved topic, or the error to answer with. */
export type TopicCheck =
  | { readonly ok: true; readonly resolved: ResolvedTopic }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * What is wrong with a topic name, whoever sends it (a client, `rt.publish`, SSE): longer than the
 * server's limit, or not a name of the protocol (PROTOCOL.md §3.1); undefined when it is fine.
 */
export function topicNameProblem(topic: string, maxLength: number): string | undefined {
  if (topic.length > maxLength) return `topic longer than ${maxLength}`;
  // WebSocket envelopes were checked by the decoder; SSE query names and server publishes were not.
  if (!isValidTopic(topic)) return 'invalid topic name';
  return undefined;
}

/**
 * Resolves `topic` against the topic map, applies the rules declared with it, then asks the
 * authorize hook (if any) about `action`: the hook can narrow the declared rules, never widen them.
 */
export async function checkTopic(
  context: HubContext,
  connection: { readonly principal: ConnectionInfo['principal']; info(): ConnectionInfo },
  topic: string,
  action: TopicAction,
): Promise<TopicCheck> {
  const problem = topicNameProblem(topic, context.limits.maxTopicLength);
  if (problem) return { ok: false, code: ErrorCode.INVALID, message: problem };
  const resolved = context.topics.resolve(topic);
  if (!resolved) return { ok: false, code: ErrorCode.UNKNOWN_TOPIC, message: `unknown topic: ${topic}` };
  if (resolved.pattern === INSPECTOR_TOPIC || isInspector(connection.principal)) {
    // The inspector reads every topic (its tail) and only it reads its own feed; it never
    // publishes or joins presence. No hook is asked: this rule is the server's, not the app's.
    if (action === 'subscribe' && isInspector(connection.principal)) return { ok: true, resolved };
    context.stats.forbidden++;
    return { ok: false, code: ErrorCode.FORBIDDEN, message: `${action} not allowed on ${topic}` };
  }
  const request: AuthorizeRequest = {
    action,
    topic,
    pattern: resolved.pattern,
    params: resolved.params,
    owner: resolved.options.owner,
    clientPublish: resolved.options.clientPublish,
    principal: connection.principal,
    connection: connection.info(),
  };
  const allowed = topicRules(request) && (context.authorize === undefined || (await context.authorize(request)));
  if (!allowed) {
    context.stats.forbidden++;
    return { ok: false, code: ErrorCode.FORBIDDEN, message: `${action} not allowed on ${topic}` };
  }
  return { ok: true, resolved };
}
