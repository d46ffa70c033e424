import { describe, expect, it } from 'vitest';
import { bounded } from '../src/connection';

describe('bounded (the subscriber connection’s (un)subscribe)', () => {
  it('rejects with "broker unavailable" when no reply comes in time, and passes a reply through', async () => {
    await expect(bounded(new Promise(() => {}), 20)).rejects.toThrow('broker unavailable');
    await expect(bounded(Promise.resolve('ok'), 1_000)).resolves.toBe('ok');
    await expect(bounded(Promise.reject(new Error('refused')), 1_000)).rejects.toThrow('refused');
  });
});
