// One realtime server (memory broker) in its own process, for `restart.test.ts`. Plain ESM: it
// imports the BUILT package, as a deployment does. Prints `{"port":…}` once listening on
// 127.0.0.1:0; exits when its stdin closes (the test runner died) or on SIGTERM.
import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer } from '@oxidite/server';
import * as z from 'zod';

const topics = defineTopics({
  numbers: { schema: z.object({ n: z.number().int() }), history: { size: 1_000, maxAge: 600_000 } },
});
const rt = createRealtimeServer({ topics, closeGrace: 100 });
const { port } = await rt.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port })}\n`);

const shutdown = () => rt.close().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
