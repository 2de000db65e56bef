/** Summaries and text lines of the start-up and footprint benchmark (pure, so it is testable). */
import { median, round } from '../stats.js';
import { START_MILESTONES, type StartMilestone } from './process-log.js';

/** A figure over the runs: its median and its range, rounded. */
export interface Range {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** One spawn of `tributary dev`; times are milliseconds since spawn. */
export interface DevRun {
  readonly portOpenMs: number;
  readonly leaderKnownMs: number;
  readonly producedMs: number;
  /**
   * CPU time (user + system) the process had used when its produce was acknowledged: unlike the wall-clock
   * figures it hardly depends on what else the machine runs, so it compares builds on a loaded machine.
   */
  readonly cpuToProducedMs: number;
  /** The process's own milestone log lines, since spawn; null when it did not write that line. */
  readonly milestonesMs: Readonly<Record<StartMilestone, number | null>>;
  readonly idleRssMB: number;
  readonly retries: { readonly connect: number; readonly metadata: number; readonly produce: number };
}

/** One spawn of a separate controller and broker; times since the controller's spawn. */
export interface SplitRun {
  readonly brokerRegisteredMs: number;
  readonly producedMs: number;
  readonly controllerIdleRssMB: number;
  readonly brokerIdleRssMB: number;
}

export interface StartupSummary {
  readonly dev: {
    readonly producedMs: Range;
    readonly cpuToProducedMs: Range;
    readonly portOpenMs: Range;
    readonly leaderKnownMs: Range;
    readonly milestonesMs: Readonly<Record<StartMilestone, Range | null>>;
    readonly idleRssMB: Range;
  };
  readonly split: {
    readonly producedMs: Range;
    readonly controllerIdleRssMB: Range;
    readonly brokerIdleRssMB: Range;
  } | null;
}

export function rangeOf(values: readonly number[], digits = 1): Range {
  if (values.length === 0) throw new RangeError('rangeOf needs at least one value');
  return {
    median: round(median(values), digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
  };
}

function milestoneRanges(runs: readonly DevRun[]): Record<StartMilestone, Range | null> {
  const entries = START_MILESTONES.map((milestone) => {
    const values = runs.flatMap((run) => {
      const value = run.milestonesMs[milestone];
      return value === null ? [] : [value];
    });
    // A milestone some runs lack (an older build without the line) is reported for none.
    return [milestone, values.length === runs.length ? rangeOf(values, 0) : null] as const;
  });
  return Object.fromEntries(entries) as Record<StartMilestone, Range | null>;
}

export function summarize(devRuns: readonly DevRun[], splitRuns: readonly SplitRun[]): StartupSummary {
  return {
    dev: {
      producedMs: rangeOf(
        devRuns.map((r) => r.producedMs),
        0,
      ),
      cpuToProducedMs: rangeOf(
        devRuns.map((r) => r.cpuToProducedMs),
        0,
      ),
      portOpenMs: rangeOf(
        devRuns.map((r) => r.portOpenMs),
        0,
      ),
      leaderKnownMs: rangeOf(
        devRuns.map((r) => r.leaderKnownMs),
        0,
      ),
      milestonesMs: milestoneRanges(devRuns),
      idleRssMB: rangeOf(devRuns.map((r) => r.idleRssMB)),
    },
    split:
      splitRuns.length === 0
        ? null
        : {
            producedMs: rangeOf(
              splitRuns.map((r) => r.producedMs),
              0,
            ),
            controllerIdleRssMB: rangeOf(splitRuns.map((r) => r.controllerIdleRssMB)),
            brokerIdleRssMB: rangeOf(splitRuns.map((r) => r.brokerIdleRssMB)),
          },
  };
}

function formatRange(range: Range, unit: string): string {
  return `${range.median} ${unit} (${range.min}–${range.max})`;
}

/** The phases of a start, in order, each with the time since spawn and the step from the previous one. */
function phaseLines(dev: StartupSummary['dev']): string[] {
  const phases: [string, Range | null][] = [
    ['modules loaded (log: starting)', dev.milestonesMs.starting],
    ['controller serving (controller ready)', dev.milestonesMs['controller ready']],
    ['one-voter election won (became leader)', dev.milestonesMs['became leader']],
    ['broker port open (prober: TCP connect)', dev.portOpenMs],
    ['broker serving (broker ready)', dev.milestonesMs['broker ready']],
    ['broker registered (controller committed it)', dev.milestonesMs['broker registered']],
    ['topic auto-created, leader known (prober: Metadata)', dev.leaderKnownMs],
    ['first acks=all produce acknowledged (prober)', dev.producedMs],
  ];
  let previous = 0;
  const lines: string[] = [];
  for (const [name, range] of phases) {
    if (range === null) {
      lines.push(`  ${name.padEnd(52)} (not logged by this build)`);
      continue;
    }
    const step = Math.round(range.median - previous);
    lines.push(`  ${name.padEnd(52)} ${String(range.median).padStart(6)} ms  (+${step} ms)`);
    previous = range.median;
  }
  return lines;
}

export function formatSummary(
  summary: StartupSummary,
  context: { readonly runs: number; readonly pollMs: number; readonly idleMs: number },
): string[] {
  const { dev, split } = summary;
  const lines = [
    `tributary dev, ${context.runs} spawns (medians, range in parentheses; the prober retries every ` +
      `${context.pollMs} ms, so each time is late by at most ${context.pollMs} ms plus one round trip):`,
    `  spawn → first acknowledged acks=all produce: ${formatRange(dev.producedMs, 'ms')}  (target ≤ 400 ms)`,
    `  CPU time (user + system) the process used until then: ${formatRange(dev.cpuToProducedMs, 'ms')}`,
    `  idle RSS ${context.idleMs} ms after it: ${formatRange(dev.idleRssMB, 'MB')}`,
    'where the time goes (medians since spawn; the step from the line before):',
    ...phaseLines(dev),
  ];
  if (split !== null) {
    lines.push(
      `separate tributary-controller + tributary-broker, ${context.runs} spawns:`,
      `  spawn → first acknowledged produce: ${formatRange(split.producedMs, 'ms')}`,
      `  controller idle RSS: ${formatRange(split.controllerIdleRssMB, 'MB')}  (target ≤ 80 MB)`,
      `  broker idle RSS: ${formatRange(split.brokerIdleRssMB, 'MB')}  (target ≤ 80 MB)`,
    );
  }
  return lines;
}

/** Before → after of the headline figures (medians), for --compare. */
export function formatComparison(
  baseline: StartupSummary,
  current: StartupSummary,
  names: { readonly baseline: string; readonly current: string },
): string[] {
  const line = (what: string, before: Range, after: Range, unit: string): string =>
    `  ${what.padEnd(44)} ${before.median} → ${after.median} ${unit} (× ${round(after.median / before.median, 2)})`;
  const lines = [
    `${names.baseline} → ${names.current} (medians of alternating spawns):`,
    line('dev: spawn → first acknowledged produce', baseline.dev.producedMs, current.dev.producedMs, 'ms'),
    line('dev: CPU time until then', baseline.dev.cpuToProducedMs, current.dev.cpuToProducedMs, 'ms'),
    line('dev: idle RSS', baseline.dev.idleRssMB, current.dev.idleRssMB, 'MB'),
  ];
  if (baseline.split !== null && current.split !== null) {
    lines.push(
      line(
        'controller: idle RSS',
        baseline.split.controllerIdleRssMB,
        current.split.controllerIdleRssMB,
        'MB',
      ),
      line('broker: idle RSS', baseline.split.brokerIdleRssMB, current.split.brokerIdleRssMB, 'MB'),
    );
  }
  return lines;
}
