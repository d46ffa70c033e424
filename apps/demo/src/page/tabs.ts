/**
 * On a narrow screen the chat, the notifications and the dashboard are tabs: one panel at a time
 * under a tab bar (the stylesheet hides every `.card` without `data-active` there). On a wide
 * screen the bar is hidden and every panel shows, so selecting a tab changes nothing visible.
 */
import { byTestId } from './dom';

/** The panels, by the test id of both the panel and (with a `tab-` prefix) its tab. */
export type Panel = 'chat' | 'inbox' | 'dashboard';

const PANELS: readonly Panel[] = ['chat', 'inbox', 'dashboard'];

/** The tab bar. */
export interface Tabs {
  /** Shows `panel` (on a narrow screen). */
  select(panel: Panel): void;
  /** Whether the panels are tabs right now (the bar is visible). */
  readonly isTabbed: boolean;
}

/** Wires the tab bar of the page shell. */
export function mountTabs(): Tabs {
  const bar = byTestId('tabs');
  const select = (panel: Panel): void => {
    for (const name of PANELS) {
      const isActive = name === panel;
      byTestId(name).toggleAttribute('data-active', isActive);
      byTestId(`tab-${name}`).setAttribute('aria-current', String(isActive));
    }
  };
  for (const panel of PANELS) byTestId(`tab-${panel}`).addEventListener('click', () => select(panel));
  return {
    select,
    get isTabbed() {
      return getComputedStyle(bar).display !== 'none';
    },
  };
}
