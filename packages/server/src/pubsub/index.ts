/** Pub/sub: the Broker interface, its in-memory implementation and the history ring. */
export type {
  Broker,
  BrokerListener,
  HistoryResult,
  Payload,
  PresenceChange,
  Retention,
  StreamMessage,
} from './broker';
export { HistoryRing } from './history';
export { MemoryBroker, createMemoryBroker } from './memory-broker';
export type { MemoryBrokerOptions } from './memory-broker';
