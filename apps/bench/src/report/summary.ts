import type { Goal, MetricSpec, Scenario } from '../scenarios/scenario';
import type { TargetName } from '../shared/targets';

/** One figure of one run. */
export interface Sample {
  readonly scenario: string;
  readonly target: TargetName;
  readonly round: number;
  readonly metric: string;
  readonly value: number;
}

/** A run that did not produce figures, and why. */
export interface Failure {
  readonly scenario: string;
  readonly target: TargetName;
  readonly round: number;
  readonly error: string;
}

/** The rounds of one target on one metric. */
export interface TargetSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
  /** Median over the baseline's median, when there is a baseline with figures. */
  readonly ratio: number | undefined;
}

/** A goal and whether this run met it. */
export interface GoalVerdict extends Goal {
  readonly ratio: number | undefined;
  readonly isMet: boolean | undefined;
}

export interface MetricSummary extends MetricSpec {
  readonly targets: Partial<Record<TargetName, TargetSummary>>;
  readonly verdicts: readonly GoalVerdict[];
}

export interface ScenarioSummary {
  readonly id: string;
  readonly title: string;
  readonly baseline: TargetName | undefined;
  readonly metrics: readonly MetricSummary[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Medians, ranges, ratios to the baseline and goal verdicts. */
export function summarize(scenarios: readonly Scenario[], samples: readonly Sample[]): ScenarioSummary[] {
  return scenarios.map((scenario) => ({
    id: scenario.id,
    title: scenario.title,
    baseline: scenario.baseline,
    metrics: scenario.metrics.map((metric) => {
      const valuesOf = (target: TargetName): number[] =>
        samples
          .filter((s) => s.scenario === scenario.id && s.target === target && s.metric === metric.key)
          .map((s) => s.value)
          .filter(Number.isFinite);
      const baseValues = scenario.baseline ? valuesOf(scenario.baseline) : [];
      const base = baseValues.length > 0 ? median(baseValues) : undefined;
      const targets: Partial<Record<TargetName, TargetSummary>> = {};
      for (const target of scenario.targets) {
        const values = valuesOf(target);
        if (values.length === 0) continue;
        const m = median(values);
        targets[target] = {
          median: m,
          min: Math.min(...values),
          max: Math.max(...values),
          samples: values,
          ratio: base === undefined || base === 0 ? undefined : m / base,
        };
      }
      const verdicts = (metric.goals ?? []).map((goal): GoalVerdict => {
        const ratio = targets[goal.target]?.ratio;
        const isMet =
          ratio === undefined
            ? undefined
            : (goal.max === undefined || ratio <= goal.max) && (goal.min === undefined || ratio >= goal.min);
        return { ...goal, ratio, isMet };
      });
      return { ...metric, targets, verdicts };
    }),
  }));
}
