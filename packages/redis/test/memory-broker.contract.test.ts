import { MemoryBroker } from '@oxidite/server';
import { brokerContract } from './broker-contract';

// The reference implementation: the contract suite is checked against it too, so the suite
// describes the Broker interface, not the Redis broker's quirks.
brokerContract('MemoryBroker', () => {
  let now = 1_700_000_000_000;
  return {
    create: () => new MemoryBroker({ now: () => now }),
    advance: (ms) => {
      now += ms;
    },
    isMultiNode: false,
  };
});
