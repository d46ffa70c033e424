/**
 * Oxidite Realtime benchmarks against raw `ws`, `ws` with frames built once, Socket.IO and raw
 * Node SSE, on loopback. This process is the orchestrator and the load generator; each server
 * under test runs in a child process of its own (dist/server.js), started fresh for every run.
 *
 *   node dist/bench.js [--quick] [--json [FILE]] [--only fanout,echo] [--profile [DIR]]
 *
 * Every scenario runs each of its targets once per round, the order rotating between rounds; the
 * table shows medians with [min–max] and each target's ratio to the baseline.
 */
import { writeFileSync } from 'node:fs';
import { parseOptions, USAGE } from './harness/options';
import { describeMachine } from './report/machine';
import { type Failure, type Sample, summarize } from './report/summary';
import { formatNumber, renderGoals, renderTable } from './report/table';
import { plan } from './scenarios/plan';
import type { RunContext } from './scenarios/scenario';
import { monoMs } from './shared/clock';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % Math.max(1, items.length);
  return [...items.slice(k), ...items.slice(0, k)];
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  const machine = describeMachine();
  const command = `node dist/bench.js ${process.argv.slice(2).join(' ')}`.trim();
  log(
    `oxidite bench: ${machine.nproc} × ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAverage.toFixed(2)}; ` +
      `${options.isQuick ? 'quick' : 'full'} run, ${options.rounds} round(s), schema ${options.schema}`,
  );
  const scenarios = plan(options);
  const context: RunContext = { options, log };
  const deadline = monoMs() + options.maxMinutes * 60_000;
  const samples: Sample[] = [];
  const failures: Failure[] = [];
  let skipped = 0;
  const started = monoMs();
  for (const scenario of scenarios) {
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of rotate(scenario.targets, round - 1)) {
        if (monoMs() > deadline) {
          skipped++;
          continue;
        }
        const at = monoMs();
        try {
          const result = await scenario.run(target, context);
          for (const [metric, value] of Object.entries(result)) {
            samples.push({ scenario: scenario.id, target, round, metric, value });
          }
          const figures = scenario.metrics.map((m) => `${m.key} ${formatNumber(result[m.key] ?? Number.NaN)}`);
          log(`  ${scenario.id} #${round} ${target}: ${figures.join(', ')} (${((monoMs() - at) / 1000).toFixed(1)} s)`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ scenario: scenario.id, target, round, error: message });
          log(`  ${scenario.id} #${round} ${target}: FAILED: ${message}`);
        }
      }
    }
  }
  const elapsed = (monoMs() - started) / 1000;
  const summaries = summarize(scenarios, samples);
  const report = {
    machine,
    command,
    options,
    elapsedSeconds: elapsed,
    skipped,
    failures,
    samples,
    scenarios: summaries,
  };
  if (typeof options.json === 'string') writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.json === true) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`\n${renderTable(summaries, options.rounds)}\n`);
    for (const line of renderGoals(summaries)) console.log(line);
    for (const failure of failures) {
      console.log(`FAILED  ${failure.scenario} #${failure.round} ${failure.target}: ${failure.error}`);
    }
    if (skipped > 0) console.log(`skipped ${skipped} run(s): over the ${options.maxMinutes}-minute budget`);
    console.log(`\n${samples.length} figures in ${elapsed.toFixed(0)} s`);
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
