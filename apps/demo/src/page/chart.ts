/** The per-minute bar chart of the dashboard, as inline SVG (no library). */
import type { MinuteCount } from '@oxidite/protocol';
import { svg } from './dom';

const WIDTH = 600;
const HEIGHT = 140;
const AXIS = 18;

/**
 * Draws one bar per minute, oldest first; the current minute is highlighted. The total is on
 * the root as `data-total`, each bar's count as `data-count` (tests read them).
 */
export function renderChart(minutes: readonly MinuteCount[]): SVGSVGElement {
  const max = Math.max(1, ...minutes.map((m) => m.count));
  const total = minutes.reduce((sum, m) => sum + m.count, 0);
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${total} events in the last hour, at most ${max} in one minute`,
    'data-testid': 'chart',
    'data-total': total,
    class: 'chart',
  });
  const slot = WIDTH / Math.max(1, minutes.length);
  const plot = HEIGHT - AXIS;
  minutes.forEach((minute, i) => {
    const height = minute.count === 0 ? 1 : Math.max(3, (minute.count / max) * (plot - 8));
    const bar = svg('rect', {
      x: (i * slot + 1).toFixed(1),
      y: (plot - height).toFixed(1),
      width: Math.max(1, slot - 2).toFixed(1),
      height: height.toFixed(1),
      rx: 1.5,
      class: i === minutes.length - 1 ? 'bar now' : minute.count === 0 ? 'bar zero' : 'bar',
      'data-count': minute.count,
    });
    const title = svg('title');
    title.textContent = `${new Date(minute.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${minute.count}`;
    bar.append(title);
    root.append(bar);
  });
  for (const [label, x, anchor] of [
    ['60 min ago', 0, 'start'],
    ['now', WIDTH, 'end'],
  ] as const) {
    const text = svg('text', { x, y: HEIGHT - 4, 'text-anchor': anchor, class: 'axis' });
    text.textContent = label;
    root.append(text);
  }
  return root;
}
