/** The subset of the WHATWG `EventSource` the SSE client uses (browsers' own, or `eventsource` on Node). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: { data?: string; lastEventId?: string }) => void): void;
  close(): void;
}

/** A constructor of {@link EventSourceLike}. */
export type EventSourceConstructor = new (url: string, init?: { withCredentials?: boolean }) => EventSourceLike;
