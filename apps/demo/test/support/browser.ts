import { chromiumLaunchOptions } from '@oxidite/test-utils';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Every wait on the page is bounded by this, in ms. */
export const WAIT = 10_000;

/** Launches the system Chromium headless (never a downloaded browser), with the flags that work here. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(['--disable-quic', '--disable-component-update', '--disable-sync']));
}

/** A page plus what it did that a test may want to assert on. */
export interface WatchedPage {
  readonly page: Page;
  /** Messages of `alert`/`confirm`/`prompt` dialogs (each dismissed). */
  readonly dialogs: string[];
  /** Uncaught exceptions in the page. */
  readonly errors: string[];
}

/** Opens `url` in a new page of `context`, recording dialogs and uncaught errors. */
export async function openPage(context: BrowserContext, url: string): Promise<WatchedPage> {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, dialogs, errors };
}

/** Polls `read()` every 50 ms until `check` passes; fails after {@link WAIT} ms with the last value. */
export async function waitUntil<T>(read: () => Promise<T> | T, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${WAIT} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `read()` deep-equals `expected`. */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  expected: T,
  what = JSON.stringify(expected),
): Promise<void> {
  const wanted = JSON.stringify(expected);
  await waitUntil(read, (value) => JSON.stringify(value) === wanted, what);
}

/** The connection indicator's text. */
export const connection = (page: Page): Promise<string | null> => page.getByTestId('conn').textContent();

/** Waits for the indicator to say `live`. */
export const waitLive = (page: Page): Promise<void> => waitFor(() => connection(page), 'live', 'connection is live');

/** Logs in with `name` through the name prompt and waits until the connection is live. */
export async function login(page: Page, name: string): Promise<void> {
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-submit').click();
  await waitLive(page);
}

/** The texts of the chat messages shown, in order. */
export const messageTexts = (page: Page): Promise<string[]> => page.getByTestId('message-text').allTextContents();

/** The user ids in the presence list. */
export const presentUsers = (page: Page): Promise<(string | null)[]> =>
  page.getByTestId('presence-member').evaluateAll((items) => items.map((item) => item.getAttribute('data-user')));

/** Sends a chat message through the composer. */
export async function sendChat(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

/** The session token the page saved after logging in. */
export const tokenOf = (page: Page): Promise<string> =>
  page.evaluate(() => (JSON.parse(localStorage.getItem('oxidite-demo.session') ?? '{}') as { token: string }).token);
