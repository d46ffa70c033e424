/** Pub/sub: the Broker interface, its in-memory implementation and the history ring. */
export type {
  Broker,
  BrokerListener,
  BrokerPublishOptions,
  HistoryResult,
  Payload,
  PresenceChange,
  PublishedMessage,
  Retention,
  StreamMessage,
} from './broker';
export { HistoryRing } from './history';
export { MemoryBroker, createMemoryBroker } from './memory-broker';
export type { MemoryBrokerOptions } from './memory-broker';
export { DEDUPE_DEFAULTS, DedupeWindows, resolveDedupe } from './dedupe-window';
export type { ResolvedDedupe } from './dedupe-window';
export type { DedupeOptions, FirstPublish } from './dedupe-window';
export { forwardingBroker } from './forwarding-broker';
