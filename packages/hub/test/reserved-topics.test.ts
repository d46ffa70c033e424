import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/index';
import { hubClient, startTestHub } from './support/test-hub';

describe("the SDK's own topics keep their rules whatever the config declares", () => {
  it("a catch-all pattern (the default config's) does not open a user's notifications to others", async () => {
    await using t = await startTestHub({ topics: DEFAULT_CONFIG.topics });
    const client = hubClient(t.wsUrl); // anonymous
    await client.subscribe('chat:lobby', () => {}).ready; // the catch-all works
    await expect(client.subscribe('notifications:42', () => {}).ready).rejects.toMatchObject({ code: 'forbidden' });
    await expect(client.publish('analytics:metrics', {})).rejects.toMatchObject({ code: 'forbidden' });
    client.close();
  });

  it('refuses a config that redeclares one of them', async () => {
    await expect(startTestHub({ topics: { 'notifications:{user}': {} } })).rejects.toMatchObject({
      name: 'ConfigError',
      problems: [
        { path: 'topics.notifications:{user}', expected: expect.stringContaining('reserved'), got: expect.any(String) },
      ],
    });
  });
});
