/**
 * The per-minute bar chart of the dashboard, as inline SVG. Hand-drawn rather than uPlot
 * (≈ 50 KB): one bar series with two axes is about 120 lines, and the page stays small.
 * Drawn at the host's real width in CSS pixels (no viewBox scaling), so an 11 px label is 11 px
 * on a phone too; the dashboard redraws it when the width changes.
 */
import type { MinuteCount } from '@oxidite/protocol';
import { clock, svg } from './dom';

const HEIGHT = 180;
/** Room for the y axis title above the plot, the tick labels left of it, the x labels and title below. */
const TOP = 30;
const LEFT = 30;
const BOTTOM = 38;
const FONT = 11;

/** A tick step of 1, 2 or 5 × 10ⁿ (never below 1: counts are integers) giving at most four steps up to `max`. */
function tickStep(max: number): number {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? 10 * power;
}

function label(x: number, y: number, text: string, attrs: Readonly<Record<string, string | number>>): SVGTextElement {
  const element = svg('text', { x, y, ...attrs });
  element.textContent = text;
  return element;
}

/**
 * Draws one bar per minute, oldest first, `width` px wide: the current minute (still counting)
 * highlighted, a y scale with grid lines, time labels and the values of the current and the
 * busiest minute; every bar has a tooltip. The total is on the root as `data-total`, each bar's
 * count as `data-count` (tests read them).
 */
export function renderChart(minutes: readonly MinuteCount[], width: number): SVGSVGElement {
  const max = Math.max(1, ...minutes.map((m) => m.count));
  const total = minutes.reduce((sum, m) => sum + m.count, 0);
  const step = tickStep(max);
  const top = Math.ceil(max / step) * step;
  const plotWidth = Math.max(1, width - LEFT);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const baseline = TOP + plotHeight;
  const y = (count: number): number => baseline - (count / top) * plotHeight;
  const root = svg('svg', {
    width,
    height: HEIGHT,
    viewBox: `0 0 ${width} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${total} events in the last hour, at most ${max} in one minute`,
    'data-testid': 'chart',
    'data-total': total,
    class: 'chart',
  });
  root.append(
    label(0, FONT, 'events per minute', { class: 'axis-title', 'data-testid': 'y-axis-title' }),
    label(LEFT + plotWidth / 2, HEIGHT - 2, 'time', {
      class: 'axis-title',
      'text-anchor': 'middle',
      'data-testid': 'x-axis-title',
    }),
  );
  for (let tick = 0; tick <= top; tick += step) {
    root.append(
      svg('line', { x1: LEFT, x2: width, y1: y(tick), y2: y(tick), class: tick === 0 ? 'baseline' : 'grid' }),
      label(LEFT - 6, y(tick) + FONT / 3, String(tick), {
        class: 'axis',
        'text-anchor': 'end',
        'data-testid': 'y-tick',
      }),
    );
  }

  const slot = plotWidth / Math.max(1, minutes.length);
  const busiest = minutes.findIndex((m) => m.count === max);
  // A time label every 15 minutes, every 30 or more when the plot is too narrow for them (a
  // label is ≈ 34 px wide: keep 40 px per label).
  const every = Math.ceil(Math.max(15, (40 / plotWidth) * minutes.length) / 15) * 15;
  minutes.forEach((minute, i) => {
    const x = LEFT + i * slot;
    const isNow = i === minutes.length - 1;
    if (minute.count > 0) {
      const bar = svg('rect', {
        x: (x + slot * 0.1).toFixed(1),
        y: y(minute.count).toFixed(1),
        width: Math.max(1, slot * 0.8).toFixed(1),
        height: (baseline - y(minute.count)).toFixed(1),
        class: isNow ? 'bar now' : 'bar',
        'data-count': minute.count,
      });
      const title = svg('title');
      title.textContent = `${clock(minute.minute)}: ${minute.count} ${minute.count === 1 ? 'event' : 'events'}`;
      bar.append(title);
      root.append(bar);
    }
    // The current minute's value, and the busiest one's unless it would collide with it.
    const isLabelled = isNow || (i === busiest && (minutes.length - 1 - i) * slot > 30);
    if (isLabelled && minute.count > 0) {
      const anchor = isNow ? 'end' : 'middle';
      root.append(
        label(isNow ? width : x + slot / 2, y(minute.count) - 4, String(minute.count), {
          class: 'value',
          'text-anchor': anchor,
        }),
      );
    }
    const fromEnd = minutes.length - 1 - i;
    if (fromEnd % every === 0) {
      root.append(
        label(isNow ? width : x + slot / 2, baseline + FONT + 5, isNow ? 'now' : clock(minute.minute), {
          class: 'axis',
          'text-anchor': isNow ? 'end' : 'middle',
          'data-testid': 'x-tick',
        }),
      );
    }
  });
  return root;
}
