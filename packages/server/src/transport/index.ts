/** Transports: glue between `ws` / Node HTTP and the hub. */
export { createWebSocketTransport } from './websocket-transport';
export type { WebSocketTransport, WebSocketTransportOptions } from './websocket-transport';
export { refuseUpgrade } from './http-refusal';
