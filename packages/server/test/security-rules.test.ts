import path from 'node:path';
import { analyticsTopics, defineTopics, notificationTopics } from '@oxidite/protocol';
import { readmeBlock, runSnippet } from '@oxidite/test-utils';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { RealtimeServer } from '../src/index';
import { createRealtimeServer } from '../src/index';
import { useTestResources } from './support/clients';

const t = useTestResources();
/** Snippets run from the package's folder, where `@oxidite/server` resolves to its built self. */
const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');

/** An app's topics: a shared room, a private inbox per user, a server-only feed, and the SDK's own feeds. */
const topics = defineTopics({
  chat: z.object({ text: z.string() }),
  'user:{id}': z.object({ title: z.string() }),
  'feed:{name}': { schema: z.object({ price: z.number() }), clientPublish: false },
  ...notificationTopics,
  ...analyticsTopics,
});

/** The server README's production `authorize` hook, as printed there. */
const readmeHook = (request: {
  action: string;
  principal: { claims?: Readonly<Record<string, unknown>> | undefined } | null;
}) => request.action !== 'publish' || request.principal?.claims?.['role'] === 'writer';

type Attack = [
  attack: string,
  as: 'writer' | 'mallory',
  action: 'subscribe' | 'publish',
  topic: string,
  data?: unknown,
];

/** Every request here is refused by the rules declared with the topic, whatever the hook says. */
const declaredRefusals: Attack[] = [
  ["subscribe to another user's private topic", 'mallory', 'subscribe', 'user:honest'],
  ["subscribe to another user's notifications", 'mallory', 'subscribe', 'notifications:honest'],
  ['publish on a clientPublish: false feed', 'writer', 'publish', 'feed:prices', { price: 1 }],
  ["publish on another user's private topic", 'writer', 'publish', 'user:honest', { title: 'phish' }],
  ['publish fake notifications to another user', 'writer', 'publish', 'notifications:honest', {}],
  ['publish fake live metrics', 'writer', 'publish', 'analytics:metrics', {}],
];

async function connectAs(url: string, user: string, headers: Record<string, string> = {}) {
  return t.connect(url, { headers: { 'x-user': user, ...headers } });
}

async function attempt(client: Awaited<ReturnType<typeof connectAs>>, action: Attack[2], topic: string, data: unknown) {
  return action === 'subscribe' ? client.subscribe(topic) : client.publish(topic, data);
}

describe('a custom authorize hook can only narrow the declared rules (#14.1)', () => {
  async function start(authorize: typeof readmeHook) {
    const rt = createRealtimeServer({
      topics,
      authorize,
      auth: ({ req }) => {
        const user = req.headers['x-user'];
        return typeof user === 'string'
          ? { id: user, claims: { role: user === 'writer' ? 'writer' : 'reader' } }
          : null;
      },
    });
    const { port } = await rt.listen(0);
    t.track({ close: () => rt.close() } as never);
    return { rt, url: `ws://127.0.0.1:${port}/ws` };
  }

  it.each(declaredRefusals)('%s → forbidden, nothing delivered', async (_attack, as, action, topic, data) => {
    const { rt, url } = await start(readmeHook);
    const honest = await connectAs(url, 'honest');
    expect(await honest.subscribe('user:honest')).toMatchObject({ type: 'subscribed' });
    expect(await honest.subscribe('notifications:honest')).toMatchObject({ type: 'subscribed' });
    const attacker = await connectAs(url, as);
    expect(await attempt(attacker, action, topic, data)).toMatchObject({ type: 'error', code: 'forbidden' });
    await rt.publish('user:honest', { title: 'private' });
    await honest.next('message', (m) => m.topic === 'user:honest');
    expect(attacker.received.filter((e) => e.type === 'message')).toEqual([]);
    expect(honest.received.filter((e) => e.type === 'message').map((m) => 'data' in m && m.data)).toEqual([
      { title: 'private' },
    ]);
  });

  it('a hook that allows everything opens nothing the declarations close', async () => {
    const { url } = await start(() => true);
    const attacker = await connectAs(url, 'writer');
    for (const [, , action, topic, data] of declaredRefusals) {
      expect(await attempt(attacker, action, topic, data), `${action} ${topic}`).toMatchObject({ code: 'forbidden' });
    }
  });

  it('the hook still narrows: a reader cannot publish on chat, a writer can', async () => {
    const { url } = await start(readmeHook);
    const reader = await connectAs(url, 'reader');
    const writer = await connectAs(url, 'writer');
    expect(await reader.publish('chat', { text: 'hi' })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await writer.publish('chat', { text: 'hi' })).toMatchObject({ type: 'ack' });
    expect(await reader.subscribe('user:reader')).toMatchObject({ type: 'subscribed' });
  });
});

describe("the server README's Security snippet, run as printed and attacked", () => {
  const SECRET = 'a-32-byte-secret-for-the-readme!!';
  const ORIGIN = { origin: 'https://app.example.com' };

  async function startReadmeServer() {
    process.env['JWT_SECRET'] = SECRET;
    const snippet = readmeBlock(path.join(PACKAGE_ROOT, 'README.md'), 'Security');
    const prelude = `import { analyticsTopics, defineTopics, notificationTopics } from '@oxidite/protocol';
      const topics = globalThis.__readmeTopics;`;
    (globalThis as { __readmeTopics?: unknown }).__readmeTopics = topics;
    const { rt } = await runSnippet<{ rt: RealtimeServer<typeof topics> }>(
      snippet,
      prelude,
      'export { rt };',
      PACKAGE_ROOT,
    );
    const { port } = await rt.listen(0);
    t.track({ close: () => rt.close() } as never);
    return { rt, url: `ws://127.0.0.1:${port}/ws` };
  }

  const token = (sub: string, claims: Record<string, unknown> = {}, exp: string | null = '10m') => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer('my-app');
    return jwt
      .setAudience('realtime')
      .setExpirationTime(exp ?? '10m')
      .sign(new TextEncoder().encode(SECRET));
  };
  const bearer = async (sub: string, claims?: Record<string, unknown>) => ({
    ...ORIGIN,
    authorization: `Bearer ${await token(sub, claims)}`,
  });

  it.each(declaredRefusals)('%s → forbidden', async (_attack, as, action, topic, data) => {
    const { url } = await startReadmeServer();
    const attacker = await t.connect(url, { headers: await bearer(as, as === 'writer' ? { role: 'writer' } : {}) });
    expect(await attempt(attacker, action, topic, data)).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('writers publish on chat; readers do not; the owner reads their own topic', async () => {
    const { rt, url } = await startReadmeServer();
    const writer = await t.connect(url, { headers: await bearer('w', { role: 'writer' }) });
    const reader = await t.connect(url, { headers: await bearer('honest') });
    expect(await writer.publish('chat', { text: 'hi' })).toMatchObject({ type: 'ack' });
    expect(await reader.publish('chat', { text: 'hi' })).toMatchObject({ code: 'forbidden' });
    expect(await reader.subscribe('user:honest')).toMatchObject({ type: 'subscribed' });
    await rt.publish('user:honest', { title: 'yours' });
    expect(await reader.next('message')).toMatchObject({ data: { title: 'yours' } });
  });

  it('an origin outside the allowlist, a forged token or none at all are refused', async () => {
    const { url } = await startReadmeServer();
    const evil = t.adopt(
      new (await import('./support/raw-client')).RawClient(url, { headers: { origin: 'https://evil.example' } }),
    );
    expect(await evil.closed).toEqual({ code: 1008, reason: 'origin not allowed: https://evil.example' });
    expect(evil.received).toEqual([]);
    const anonymous = await import('./support/raw-client').then(({ RawClient }) =>
      t.adopt(new RawClient(url, { headers: ORIGIN })),
    );
    expect((await anonymous.closed).code).toBe(4401);
    const forged = `${(await token('w', { role: 'writer' })).slice(0, -2)}xx`;
    const { RawClient } = await import('./support/raw-client');
    const forger = t.adopt(new RawClient(url, { headers: { ...ORIGIN, authorization: `Bearer ${forged}` } }));
    expect((await forger.closed).code).toBe(4401);
  });

  it('a client reaching the port directly cannot choose its address with X-Forwarded-For', async () => {
    const { rt, url } = await startReadmeServer();
    const seen: string[] = [];
    rt.on('connection', (c) => seen.push(c.remoteAddress));
    await t.connect(url, { headers: { ...(await bearer('ann')), 'x-forwarded-for': '203.0.113.9' } });
    expect(seen).toEqual(['127.0.0.1']);
  });
});
