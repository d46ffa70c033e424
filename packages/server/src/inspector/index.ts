/** The inspector (issue #23): an opt-in live page of the server, fed by a server-only topic. */
export { Inspector } from './inspector';
export type { InspectorWiring } from './inspector';
export type { InspectorOptions, ResolvedInspector } from './inspector-options';
export { resolveInspector } from './inspector-options';
export { INSPECTOR_DISCONNECT } from './inspector-rpc';
export type {
  ClosedConnection,
  InspectedConnection,
  InspectedTopic,
  InspectorSnapshot,
  Refusal,
} from './inspector-snapshot';
