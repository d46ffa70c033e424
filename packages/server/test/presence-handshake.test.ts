import type { Member } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { type Broker, createMemoryBroker } from '../src/index';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();
const auth = ({ token }: { token: string | undefined }) => (token ? { id: token } : null);

/**
 * A broker whose member list answers late: the list is read at once (like Redis HGETALL) but its
 * reply waits for `release()` — as on a busy machine or a remote Redis. A join announced in that
 * window must still reach the subscriber.
 */
function slowMembersBroker() {
  const inner = createMemoryBroker();
  const joined: string[] = [];
  const joinWaiters: (() => void)[] = [];
  let gate: Promise<void> | undefined;
  let open = (): void => {};
  let reached = (): void => {};
  const waiting = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const broker: Broker = {
    publish: (...args) => inner.publish(...args),
    subscribe: (...args) => inner.subscribe(...args),
    unsubscribe: (...args) => inner.unsubscribe(...args),
    history: (...args) => inner.history(...args),
    async join(topic, member) {
      await inner.join(topic, member);
      joined.push(member.user ?? member.client);
      for (const resolve of joinWaiters.splice(0)) resolve();
    },
    leave: (...args) => inner.leave(...args),
    async members(topic): Promise<Member[]> {
      const list = await inner.members(topic);
      if (gate) {
        reached();
        await gate;
      }
      return list;
    },
    close: () => inner.close(),
  };
  return {
    broker,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
    waiting,
    /** Resolves once `user` has joined. */
    joinOf(user: string): Promise<void> {
      if (joined.includes(user)) return Promise.resolve();
      return new Promise((resolve) => {
        const check = (): void => (joined.includes(user) ? resolve() : void joinWaiters.push(check));
        joinWaiters.push(check);
      });
    },
  };
}

describe('presence during the subscribe handshake (issue #15, item 7)', () => {
  it('announces a join that happened after the member list was read but before the subscription went live', async () => {
    const slow = slowMembersBroker();
    const server = t.track(await startTestServer({ auth, broker: slow.broker }));
    const ada = await t.connect(`${server.url}?access_token=ada`);
    const grace = await t.connect(`${server.url}?access_token=grace`);
    slow.hold();
    const adaSubscribed = ada.subscribe('room:5');
    await slow.waiting; // ada's member list is read (without grace); its answer is late
    const graceSubscribed = grace.subscribe('room:5');
    await slow.joinOf('grace'); // grace joins while ada's subscription is not live yet
    slow.release();
    const [adaAnswer] = await Promise.all([adaSubscribed, graceSubscribed]);
    expect(adaAnswer.type === 'subscribed' && adaAnswer.presence?.map((m) => m.user)).toEqual(['ada']);
    const join = await ada.next('presence', (p) => p.joins.some((m) => m.user === 'grace'), 5_000);
    expect(join.joins.map((m) => m.user)).toEqual(['grace']);
  });
});
