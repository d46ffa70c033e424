import { defineTopics } from '@oxidite/protocol';
import { eventually, withDeadline } from '@oxidite/test-utils';
import { type HTMLInputElement as HappyInput, Window } from 'happy-dom';
import { type ComponentType, createElement } from 'react';
import { expect } from 'vitest';
import * as z from 'zod/mini';
import { startBackend } from '../support/backend';
import { installBrowserPage } from '../support/browser-page';
import type { SnippetContexts } from '../support/context';

const REACT = 'packages/react/README.md';

/** The topic map the README's prose names. */
const topics = defineTopics({ 'chat:{room}': { schema: z.object({ text: z.string() }), presence: true } });

/**
 * A page for React to render into: a happy-dom window whose `document` is the global one while the
 * snippet runs (the WebSocket and `location` come from `installBrowserPage`). Returns the function
 * that removes it.
 */
function installDocument(origin: string): { readonly window: Window; remove(): void } {
  const window = new Window({ url: origin });
  const globals = { window, document: window.document };
  for (const [key, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  return {
    window,
    remove() {
      for (const key of Object.keys(globals)) Reflect.deleteProperty(globalThis, key);
      void window.happyDOM.close();
    },
  };
}

/** packages/react/README.md. */
export const reactContexts: SnippetContexts = {
  [`${REACT} § A chat in 25 lines #0`]: {
    env: 'browser',
    prelude: `import { defineTopics } from '@oxidite/protocol';
import * as z from 'zod/mini';
const topics = defineTopics({ 'chat:{room}': { schema: z.object({ text: z.string() }), presence: true } });`,
    async run(load) {
      const backend = await startBackend({ topics });
      const restore = installBrowserPage(backend.origin);
      const page = installDocument(backend.origin);
      // Imported only now: react-dom decides at load whether it runs in a page with a DOM.
      const { createRoot } = await import('react-dom/client');
      const container = page.window.document.createElement('div');
      page.window.document.body.append(container);
      const root = createRoot(container as unknown as HTMLElement);
      const left = new Promise((resolve) => backend.rt.on('disconnect', resolve));
      try {
        const { App } = (await load()) as { App: ComponentType };
        root.render(createElement(App));
        const text = () => container.textContent ?? '';
        await eventually(async () => expect(text()).toContain('1 here'), 'the chat shows who is here');
        // Type and press Enter as a user would: React reads the value through its own setter.
        const input = container.querySelector('input') as HappyInput;
        const setValue = Object.getOwnPropertyDescriptor(page.window.HTMLInputElement.prototype, 'value')?.set;
        setValue?.call(input, 'hello from the docs');
        input.dispatchEvent(new page.window.Event('input', { bubbles: true }));
        await eventually(async () => expect(input.value).toBe('hello from the docs'), 'the input holds the text');
        container
          .querySelector('form')
          ?.dispatchEvent(new page.window.Event('submit', { bubbles: true, cancelable: true }));
        await eventually(async () => expect(text()).toContain('hello from the docs'), 'the message comes back');
        await backend.rt.publish('chat:lobby', { text: 'hi from the server' });
        await eventually(async () => expect(text()).toContain('hi from the server'), 'a message from the server');
        expect(input.value).toBe('');
      } finally {
        root.unmount();
        // The provider closes the client it created: wait for that before the page goes away.
        await withDeadline(left, 10_000, 'the client closes on unmount').catch(() => {});
        page.remove();
        restore();
        await backend.close();
      }
    },
  },
};
