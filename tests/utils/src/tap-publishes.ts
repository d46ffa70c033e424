/** Something with a broker's `publish` (structural, so test-utils needs no server dependency). */
interface Publishing {
  publish(...args: never[]): Promise<unknown>;
}

/**
 * Calls `onPublished` with each publish's result after the broker appended it and before the
 * caller (the hub) gets it back: the place to cut a connection between a publish and its ack
 * (issue #20). Patches `broker.publish` in place and returns the broker.
 *
 * @example
 * const broker = tapPublishes(createMemoryBroker(), () => proxy.cut());
 */
export function tapPublishes<B extends Publishing>(
  broker: B,
  onPublished: (result: Awaited<ReturnType<B['publish']>>) => void,
): B {
  const publish = broker.publish.bind(broker) as (...args: unknown[]) => Promise<Awaited<ReturnType<B['publish']>>>;
  Object.assign(broker, {
    publish: async (...args: unknown[]) => {
      const result = await publish(...args);
      onPublished(result);
      return result;
    },
  });
  return broker;
}
