import type { DecodeResult } from '@oxidite/protocol';
import { expect } from 'vitest';
import type { SnippetContexts } from '../support/context';

/** packages/protocol/README.md and PROTOCOL.md. */
export const protocolContexts: SnippetContexts = {
  'packages/protocol/README.md § Topic maps: one declaration, types on both sides #0': {
    env: 'node',
    async run(load) {
      const { topics } = (await load()) as { topics: Record<string, unknown> };
      expect(Object.keys(topics)).toEqual(['chat:{room}', 'user:{id}', 'prices']);
    },
  },
  'packages/protocol/README.md § Codec #0': {
    env: 'browser',
    prelude: `const text = '{"type":"subscribe","id":7,"topic":42}';`,
    epilogue: 'export { result };',
    async run(load) {
      const { result } = (await load()) as { result: DecodeResult<unknown> };
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid', id: 7 } });
    },
  },
};
