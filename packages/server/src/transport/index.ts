/** Transports: glue between `ws` / Node HTTP and the hub. */
export { createWebSocketTransport } from './websocket-transport';
export type { WebSocketTransport, WebSocketTransportOptions } from './websocket-transport';
export { createSseTransport } from './sse-transport';
export type { SseTransportOptions } from './sse-transport';
export { EventStream, openEventStream } from './event-stream';
export type { EventStreamOptions } from './event-stream';
export { refuseUpgrade } from './http-refusal';
export { type RefusalHeaders, refuseRequest } from './refuse-request';
export { createUpgradeRouter, refuseConnect } from './upgrade-router';
export type { UpgradeListener, UpgradeRouterOptions } from './upgrade-router';
export { createRequestHandler, readOnly } from './request-handler';
export type { NodeHandler, RealtimeRequestHandler } from './request-handler';
