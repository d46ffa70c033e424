import { describe, expectTypeOf, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type ClientState,
  createClient,
  createEventStream,
  type EventStreamStateChange,
  type MessageMeta,
  type PublishResult,
  type StateChange,
  type SubscribedInfo,
  type Subscription,
  type SubscriptionState,
  type SubscriptionStateChange,
  type WebSocketConstructor,
} from '../src/index';
import { methods, topics } from './support/topics';

const client = createClient({ url: 'ws://localhost/ws', topics, methods, WebSocket });

describe('types', () => {
  it('accepts the WebSocket class of ws as it is', () => {
    expectTypeOf(WebSocket).toMatchTypeOf<WebSocketConstructor>();
  });

  it('types subscribe handlers and publish payloads by topic, patterns included', () => {
    const sub = client.subscribe('room:lobby', (data, meta) => {
      expectTypeOf(data).toEqualTypeOf<{ text: string }>();
      expectTypeOf(meta).toEqualTypeOf<MessageMeta>();
    });
    expectTypeOf(sub).toEqualTypeOf<Subscription>();
    client.subscribe('files', (data) => expectTypeOf(data).toEqualTypeOf<Uint8Array<ArrayBuffer>>());
    expectTypeOf(client.publish('numbers', { n: 1 })).toEqualTypeOf<Promise<PublishResult>>();
    // @ts-expect-error: not a topic of the map
    client.subscribe('nope', () => {});
    // @ts-expect-error: wrong payload shape
    void client.publish('chat', { text: 1 });
  });

  it('types RPC input and output by method', () => {
    expectTypeOf(client.rpc('echo', { x: 1 })).toEqualTypeOf<Promise<{ x: number }>>();
    // @ts-expect-error: wrong input
    void client.rpc('echo', { y: 1 });
    // @ts-expect-error: unknown method
    void client.rpc('nope', {});
  });

  it('types events', () => {
    client.on('state', (change) => expectTypeOf(change).toEqualTypeOf<StateChange>());
    client.on('broadcast', (data, meta) => {
      expectTypeOf(data).toBeUnknown();
      expectTypeOf(meta.ts).toBeNumber();
    });
    // @ts-expect-error: not an event
    client.on('nope', () => {});
  });

  it('types subscription states and confirmations', () => {
    const sub = client.subscribe('chat', () => {});
    expectTypeOf(sub.state).toEqualTypeOf<SubscriptionState>();
    expectTypeOf<'retrying'>().toMatchTypeOf<SubscriptionState>();
    sub.on('state', (change) => expectTypeOf(change).toEqualTypeOf<SubscriptionStateChange>());
    sub.on('subscribed', (info) => {
      expectTypeOf(info).toEqualTypeOf<SubscribedInfo>();
      expectTypeOf(info.recovered).toBeBoolean();
    });
  });

  it('types the SSE stream: handlers by topic, a token function, states', () => {
    const stream = createEventStream('/events', {
      topics,
      handlers: { numbers: (data) => expectTypeOf(data).toEqualTypeOf<{ n: number }>() },
      token: async () => 'token',
      onState: (change) => expectTypeOf(change).toEqualTypeOf<EventStreamStateChange>(),
    });
    expectTypeOf(stream.state).toEqualTypeOf<ClientState>();
  });

  it('without a method map, rpc takes and returns unknown', () => {
    const plain = createClient({ url: 'ws://localhost/ws', topics, WebSocket });
    expectTypeOf(plain.rpc('anything', 1)).toEqualTypeOf<Promise<unknown>>();
  });
});
