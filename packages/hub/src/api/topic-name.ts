import { ErrorCode, isValidTopic } from '@oxidite/protocol';
import { HttpError } from './http-error';

/**
 * Longest topic name the hub takes, in characters: the SDK server's default `maxTopicLength`,
 * passed to it explicitly so the API and the WebSocket side refuse the same names.
 */
export const HUB_MAX_TOPIC_LENGTH = 200;

/**
 * Refuses a topic name the hub will not serve (PROTOCOL.md §3.1: `[A-Za-z0-9_.:@/=+~-]`, and at
 * most {@link HUB_MAX_TOPIC_LENGTH} characters) with HttpError `invalid`, before it reaches the
 * registry or a broker: every distinct name a broker sees keeps state (history, dedupe windows).
 */
export function checkTopicName(topic: string): void {
  if (topic.length > HUB_MAX_TOPIC_LENGTH) {
    throw new HttpError(ErrorCode.INVALID, `topic: at most ${HUB_MAX_TOPIC_LENGTH} characters, got ${topic.length}`);
  }
  if (!isValidTopic(topic)) throw new HttpError(ErrorCode.INVALID, `topic: characters A-Z a-z 0-9 _ . : @ / = + ~ -`);
}
