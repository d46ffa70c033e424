/** The hub: connections, subscriptions, dispatch of requests, presence and fan-out. */
export { checkTopic, type TopicCheck } from './authorize-topic';
export { createSessionId, Hub } from './hub';
export { BROADCAST_TOPIC, type NodeBroadcast, startNodeBroadcast } from './node-broadcast';
export type { FramePeek, OpenRequest } from './hub';
export { Connection } from './connection';
export type { Subscription } from './connection';
export type { ClientPublishFrame } from './dispatch';
export type {
  CloseInfo,
  FilterVerdict,
  HubContext,
  HubEvents,
  MessageFilter,
  SubscribeInfo,
  UnsubscribeInfo,
} from './hub-context';
export { EncodingSlot, Outbound, OutboundEnvelope, OutboundMessage } from './outbound-message';
export type { Peer } from './peer';
export { publishFromServer } from './publish';
export type { ServerPublishOptions, ServerPublishResult } from './publish';
export { RpcRegistry } from './rpc-registry';
export type { RpcContext, RpcHandler } from './rpc-registry';
export { TopicGroups } from './topic-groups';
export { assertTopicOptions } from './topic-options-check';
export { DEFAULT_RETENTION, retentionOf } from './retention';
export { wireData } from './wire-data';
