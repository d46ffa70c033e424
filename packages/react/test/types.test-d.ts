import type { ClientState, MessageMeta, PublishResult, RealtimeClient } from '@oxidite/client';
import type { Member, Notification, RealtimeError } from '@oxidite/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import { createOxiditeHooks, type EventStreamView, useEventStream, useNotifications } from '../src/index';
import { type Methods, methods, type Topics, topics } from './support/topics';

// Hooks are only type-checked here (`tsc -p tsconfig.test.json`), never called outside a component.
const hooks = createOxiditeHooks({ topics, methods });

describe('types flow from the topic map, with nothing to annotate at the call site', () => {
  it('useSubscription: the payload of the topic, patterns included', () => {
    const view = hooks.useSubscription('chat:lobby', {
      onMessage: (data, meta) => {
        expectTypeOf(data).toEqualTypeOf<{ text: string }>();
        expectTypeOf(meta).toEqualTypeOf<MessageMeta>();
      },
    });
    expectTypeOf(view.latest).toEqualTypeOf<{ text: string } | undefined>();
    expectTypeOf(view.messages[0]?.data).toEqualTypeOf<{ text: string } | undefined>();
    expectTypeOf(view.error).toEqualTypeOf<RealtimeError | undefined>();
    expectTypeOf(hooks.useSubscription('prices').latest).toEqualTypeOf<{ symbol: string; price: number } | undefined>();
    // @ts-expect-error: not a topic of the map
    hooks.useSubscription('nope');
    expectTypeOf(hooks.usePresence('chat:x')).toEqualTypeOf<readonly Member[]>();
    expectTypeOf(hooks.useConnectionState()).toEqualTypeOf<ClientState>();
  });

  it('usePublish: a wrong payload is a compile error', () => {
    const send = hooks.usePublish('chat:lobby');
    expectTypeOf(send({ text: 'hi' })).toEqualTypeOf<Promise<PublishResult>>();
    // @ts-expect-error: `text` is a string
    void send({ text: 1 });
    // @ts-expect-error: a payload of another topic
    void send({ symbol: 'OXI', price: 1 });
    // @ts-expect-error: not a topic of the map
    hooks.usePublish('nope');
    // Every option of the client's publish: exactly-once with your own id, or at most once.
    void send({ text: 'hi' }, { messageId: 'order-1', timeout: 5_000 });
    void send({ text: 'hi' }, { atMostOnce: true });
  });

  it('useRpc: input and reply of the method', () => {
    const double = hooks.useRpc('math.double');
    expectTypeOf(double({ n: 2 })).toEqualTypeOf<Promise<{ n: number }>>();
    // @ts-expect-error: `n` is a number
    void double({ n: '2' });
    // @ts-expect-error: not a method of the map
    hooks.useRpc('nope');
  });

  it('the provider takes a client of the map, or a function creating one', () => {
    expectTypeOf(hooks.OxiditeProvider)
      .parameter(0)
      .toHaveProperty('client')
      .toEqualTypeOf<RealtimeClient<Topics, Methods> | (() => RealtimeClient<Topics, Methods>)>();
  });

  it('useEventStream: handlers typed from the topics passed; useNotifications: the inbox', () => {
    const view = useEventStream('/events', {
      topics,
      handlers: { prices: (price) => expectTypeOf(price).toEqualTypeOf<{ symbol: string; price: number }>() },
    });
    expectTypeOf(view).toEqualTypeOf<EventStreamView>();
    // @ts-expect-error: not a topic of the map
    useEventStream('/events', { topics, handlers: { nope: () => {} } });
    expectTypeOf(useNotifications('alice').items).toEqualTypeOf<readonly Notification[]>();
  });
});
