import { type RefObject, useEffect, useRef } from 'react';

/**
 * A ref to the latest committed `value`: shared subscriptions call a component's callback through
 * it, so the callback may close over fresh props without resubscribing (no stale closures).
 */
export function useLatest<V>(value: V): RefObject<V> {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}
