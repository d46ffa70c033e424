import type { Cancel } from '../util/timers';
import type { SendBeacon } from './tracker-types';

/**
 * The browser globals of the page lifecycle, looked up through `globalThis` at call time: the
 * client compiles without DOM declarations, and on Node (no `document`) nothing is listened to.
 */
interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

interface LifecycleGlobals {
  readonly document?: (EventTargetLike & { readonly visibilityState?: string }) | undefined;
  readonly window?: EventTargetLike | undefined;
  readonly navigator?: { sendBeacon?(url: string, body: string): boolean } | undefined;
}

const globals = (): LifecycleGlobals => globalThis as LifecycleGlobals;

/**
 * Calls `onHide` when the page is hidden or unloaded: `visibilitychange` to `hidden` on `document`
 * (the last event a mobile browser reliably fires before it discards a tab) and `pagehide` on
 * `window` (desktop navigations). Both may fire for one hide. Returns the function that stops listening.
 * https://developer.chrome.com/docs/web-platform/page-lifecycle-api#advice-hidden
 */
export function onPageHide(onHide: () => void): Cancel {
  const { document, window } = globals();
  if (!document) return () => {};
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') onHide();
  };
  document.addEventListener('visibilitychange', onVisibility);
  window?.addEventListener('pagehide', onHide);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    window?.removeEventListener('pagehide', onHide);
  };
}

/** `navigator.sendBeacon`, bound to `navigator` (called detached it throws), when there is one. */
export function defaultSendBeacon(): SendBeacon | undefined {
  const { navigator } = globals();
  return typeof navigator?.sendBeacon === 'function'
    ? (url, body) => navigator.sendBeacon?.(url, body) ?? false
    : undefined;
}

/** `location.pathname`, when there is a `location`. */
export function currentPath(): string | undefined {
  return (globalThis as { location?: { pathname?: string } }).location?.pathname;
}
