import { PROTOCOL_VERSION, type ServerEnvelope } from '@oxidite/protocol';
import type { RealtimeLimits } from '../config';
import { OutboundEnvelope } from '../hub';

type Welcome = Extract<ServerEnvelope, { type: 'welcome' }>;

/** A `welcome` whose JSON was assembled from the transport's template (see {@link createWelcomes}). */
class WelcomeEnvelope extends OutboundEnvelope {
  readonly #json: string;

  constructor(envelope: Welcome, json: string) {
    super(envelope);
    this.#json = json;
  }

  protected override encode(): Buffer {
    return Buffer.from(this.#json);
  }
}

/**
 * Builds the `welcome` of each connection. Only the session id differs between connections, so
 * the rest is serialized once per transport (and the `limits` object is shared) instead of once
 * per connection (issue #18, goal 4: connect cost). The bytes are exactly `JSON.stringify` of
 * the envelope.
 */
export function createWelcomes(limits: RealtimeLimits): (session: string) => OutboundEnvelope {
  const announced = {
    maxPayload: limits.maxPayload,
    maxSubscriptions: limits.maxSubscriptions,
    maxInflight: limits.maxInflight,
  };
  const envelope = (session: string): Welcome => ({
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    session,
    heartbeat: limits.heartbeatInterval,
    limits: announced,
  });
  const template = JSON.stringify(envelope(''));
  const at = template.indexOf('"session":""') + '"session":'.length;
  const head = template.slice(0, at);
  const tail = template.slice(at + 2);
  return (session) => new WelcomeEnvelope(envelope(session), head + JSON.stringify(session) + tail);
}
