import { statMetrics } from './metric-table';
import type { RealtimeStats } from './stats';

/**
 * Renders stats in the Prometheus text exposition format (version 0.0.4).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export function renderPrometheus(stats: RealtimeStats, prefix = 'oxidite_'): string {
  const lines: string[] = [];
  let previous = '';
  for (const { name, type, help, value, labels } of statMetrics(stats)) {
    const full = prefix + name;
    if (full !== previous) {
      lines.push(`# HELP ${full} ${help}`, `# TYPE ${full} ${type}`);
      previous = full;
    }
    const rendered = labels
      ? `{${Object.entries(labels)
          .map(([key, label]) => `${key}="${label}"`)
          .join(',')}}`
      : '';
    lines.push(`${full}${rendered} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}
