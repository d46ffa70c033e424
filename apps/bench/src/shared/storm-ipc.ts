/** Requests from the orchestrator to a reconnect-storm generator process (answered with a `Reply`). */
export type StormRequest =
  | {
      readonly op: 'open';
      readonly url: string;
      readonly count: number;
      /** Index of the first client: spreads the topics over processes. */
      readonly first: number;
      readonly perClient: number;
      readonly concurrency: number;
    }
  | { readonly op: 'has-all'; readonly last: number }
  | { readonly op: 'arm' }
  | { readonly op: 'wait'; readonly last: number; readonly timeoutMs: number }
  | { readonly op: 'report' }
  | { readonly op: 'close' };

/** A request on the wire. */
export type StormRequestFrame = StormRequest & { readonly id: number };
