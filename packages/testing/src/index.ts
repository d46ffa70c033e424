/**
 * @oxidite/testing — tools to test real-time code built on Oxidite Realtime against real sockets:
 * a fault-injecting TCP proxy (cut, stall, refuse, restore), a protocol-level `RawClient` that
 * records every envelope, and an in-process test server on 127.0.0.1 and a free port.
 *
 * @example
 * const server = await createTestServer(createRealtimeServer({ topics }));
 * const proxy = await createTcpProxy(server.port);
 * const client = createClient({ url: `ws://127.0.0.1:${proxy.port}/ws`, topics, WebSocket });
 * proxy.cut(); // the network drops: the client reconnects and recovers what it missed
 *
 * @module
 */

// Faults between a client and a server
export { createTcpProxy, type TcpProxy } from './tcp-proxy';

// The wire protocol, frame by frame
export { RawClient } from './raw-client';

// A server of the test's own
export { createTestServer, type ListenableServer, type TestServer } from './test-server';
