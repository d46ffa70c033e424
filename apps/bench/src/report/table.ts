import type { GoalVerdict, ScenarioSummary } from './summary';

/** Human figures: 3 significant digits, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function goalText(goal: GoalVerdict, baseline: string): string {
  const bound = goal.max !== undefined ? `≤ ${goal.max}× ${baseline}` : `≥ ${goal.min}× ${baseline}`;
  const verdict = goal.isMet === undefined ? 'no data' : goal.isMet ? '**met**' : '**missed**';
  return `${bound}: ${verdict}`;
}

/** The results as a Markdown table: medians, [min–max] over rounds, ratio to the baseline, goals. */
export function renderTable(summaries: readonly ScenarioSummary[], rounds: number): string {
  const rows = [
    `| scenario | metric | target | median of ${rounds} | [min–max] | ratio | goal |`,
    '|---|---|---|---:|---|---:|---|',
  ];
  for (const scenario of summaries) {
    for (const metric of scenario.metrics) {
      for (const [target, summary] of Object.entries(metric.targets)) {
        if (!summary) continue;
        const isBaseline = target === scenario.baseline;
        const ratio = isBaseline ? '1 (base)' : summary.ratio === undefined ? '' : `${summary.ratio.toFixed(2)}×`;
        const goals = metric.verdicts
          .filter((goal) => goal.target === target)
          .map((goal) => goalText(goal, scenario.baseline ?? ''))
          .join('; ');
        rows.push(
          `| ${scenario.id} | ${metric.label} | ${target} | ${formatNumber(summary.median)} | ` +
            `[${formatNumber(summary.min)}–${formatNumber(summary.max)}] | ${ratio} | ${goals} |`,
        );
      }
    }
  }
  return rows.join('\n');
}

/** One line per goal, for the end of the output. */
export function renderGoals(summaries: readonly ScenarioSummary[]): string[] {
  const lines: string[] = [];
  for (const scenario of summaries) {
    for (const metric of scenario.metrics) {
      for (const goal of metric.verdicts) {
        const ratio = goal.ratio === undefined ? 'n/a' : `${goal.ratio.toFixed(2)}×`;
        const state = goal.isMet === undefined ? 'NO DATA' : goal.isMet ? 'met' : 'MISSED';
        lines.push(
          `${state.padEnd(7)} ${scenario.id} ${metric.label} (${goal.target}): ${ratio}, goal ${goalText(goal, scenario.baseline ?? '').split(':')[0]}`,
        );
      }
    }
  }
  return lines;
}
