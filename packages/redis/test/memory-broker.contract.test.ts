import { MemoryBroker } from '@oxidite/server';
import { brokerContract } from './broker-contract';
import { brokerDedupeContract } from './broker-dedupe-contract';

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

brokerDedupeContract('MemoryBroker', () => {
  let now = 1_700_000_000_000;
  return {
    create: (dedupe) => new MemoryBroker({ now: () => now, dedupe }),
    advance: (ms) => {
      now += ms;
    },
    isMultiNode: false,
  };
});
