import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CloseCode,
  ErrorCode,
  RealtimeError,
  type StandardSchemaV1,
  type TopicMap,
  type TopicRegistry,
} from '@oxidite/protocol';
import { type CloseInfo, type Hub, publishFromServer, type RpcRegistry } from '../hub';
import type { RealtimeStats, RefusalRecord } from '../observability';
import { type Broker, forwardingBroker } from '../pubsub';
import { type Admit, type ClientAddressResolver, type ConnectionInfo, INSPECTOR_TOPIC, isInspector } from '../security';
import { admitInspector, createTokenCheck } from './inspector-access';
import type { ResolvedInspector } from './inspector-options';
import { renderInspectorPage } from './inspector-page';
import { INSPECTOR_DISCONNECT } from './inspector-rpc';
import { type ClosedConnection, type InspectorSnapshot, type Refusal, takeSnapshot } from './inspector-snapshot';

/** Refusals and closes the page lists. */
const RECENT = 50;

/** What the inspector needs of the running server. */
export interface InspectorWiring {
  readonly hub: Hub;
  readonly topics: TopicRegistry;
  readonly broker: Broker;
  readonly stats: RealtimeStats;
  readonly rpc: RpcRegistry;
  /** The WebSocket path the page connects to. */
  readonly wsPath: string;
  readonly now: () => number;
}

/**
 * The inspector: a page fed by the SDK itself. A server-only topic (`@inspector`, declared only
 * when the inspector is on, readable only by the inspector's connection) carries a snapshot per
 * interval; the page subscribes to it over the ordinary WebSocket protocol, tails any topic with
 * an ordinary subscribe, and closes connections through an ordinary RPC.
 */
export class Inspector {
  readonly options: ResolvedInspector;
  readonly #isInspectorRequest: (req: IncomingMessage) => boolean;
  readonly #node = Math.random().toString(36).slice(2, 10);
  readonly #refusals: Refusal[] = [];
  readonly #closes: ClosedConnection[] = [];
  readonly #published = new Map<string, number>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #wiring: InspectorWiring | undefined;

  constructor(options: ResolvedInspector) {
    this.options = options;
    this.#isInspectorRequest = createTokenCheck(options.token);
  }

  /** The topic declaration added to the app's map: one snapshot kept, so a page opens on the latest. */
  get topics(): TopicMap {
    // The server is the only publisher (`clientPublish: false`): its own snapshots need no check.
    const snapshot: StandardSchemaV1<InspectorSnapshot> = {
      '~standard': { version: 1, vendor: 'oxidite', validate: (value) => ({ value: value as InspectorSnapshot }) },
    };
    return { [INSPECTOR_TOPIC]: { schema: snapshot, history: { size: 1, maxAge: 60_000 }, clientPublish: false } };
  }

  /** Counts publishes per topic for the page's rates: per publish, never per subscriber. */
  countPublishes(broker: Broker): Broker {
    const published = this.#published;
    return {
      ...forwardingBroker(broker),
      publish(topic, payload, retention, options) {
        if (topic !== INSPECTOR_TOPIC) published.set(topic, (published.get(topic) ?? 0) + 1);
        return broker.publish(topic, payload, retention, options);
      },
    };
  }

  /** The admission with the inspector's own door in front of it. */
  admit(admit: Admit, resolveAddress: ClientAddressResolver): Admit {
    return admitInspector(admit, this.#isInspectorRequest, resolveAddress);
  }

  recordRefusal(refusal: RefusalRecord, at: number): void {
    push(this.#refusals, { at, status: refusal.status, reason: refusal.reason, address: refusal.address });
  }

  recordClose(connection: ConnectionInfo, close: CloseInfo, at: number): void {
    if (isInspector(connection.principal)) return; // the page's own comings and goings are noise
    push(this.#closes, { at, id: connection.id, user: connection.principal?.id ?? null, ...close });
  }

  /** Starts publishing snapshots and registers the disconnect RPC. */
  start(wiring: InspectorWiring): void {
    this.#wiring = wiring;
    wiring.rpc.register(INSPECTOR_DISCONNECT, (data, { principal }) => {
      if (!isInspector(principal)) throw new RealtimeError(ErrorCode.FORBIDDEN, 'inspector only');
      const id = (data as { connectionId?: unknown } | null)?.connectionId;
      if (typeof id !== 'string') throw new RealtimeError(ErrorCode.INVALID, 'connectionId must be a string');
      return { closed: wiring.hub.closeConnection(id, CloseCode.FORBIDDEN, 'disconnected by the inspector') };
    });
    this.#timer = setInterval(() => this.#publish(), this.options.interval);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Serves the page: 404 without the secret (the page's existence is not advertised). */
  readonly page = (req: IncomingMessage, res: ServerResponse): void => {
    if (!this.#isInspectorRequest(req) || !this.#wiring) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const { html, nonce } = renderInspectorPage(this.#wiring.wsPath);
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'`,
      })
      .end(html);
  };

  #publish(): void {
    const wiring = this.#wiring;
    if (!wiring) return;
    const snapshot = takeSnapshot({
      node: this.#node,
      hub: wiring.hub,
      topics: wiring.topics,
      stats: wiring.stats,
      refusals: this.#refusals,
      closes: this.#closes,
      published: this.#published,
      intervalMs: this.options.interval,
      now: wiring.now(),
    });
    // A failed snapshot is retried by the next tick; nothing else depends on it.
    publishFromServer(wiring.topics, wiring.broker, INSPECTOR_TOPIC.length, INSPECTOR_TOPIC, snapshot).catch(() => {});
  }
}

function push<T>(ring: T[], item: T): void {
  ring.push(item);
  if (ring.length > RECENT) ring.shift();
}
