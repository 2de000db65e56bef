#!/usr/bin/env node
/**
 * Start-up and footprint benchmark (issue 15 item 5, DESIGN §8): spawns `tributary dev` N times and reports
 * the time from spawn to the first acknowledged acks=all produce (measured by a prober that retries at one
 * fixed interval from the moment of spawn), where that time goes (the process's own milestone log lines),
 * and the idle RSS; then spawns a separate controller and broker N times for their idle RSS.
 * Usage: node dist/startup-bench.js [--runs N] [--poll-ms P] [--idle-ms I] [--root DIR] [--json] (see --help)
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePorts } from '@tributary/testkit';
import { summarizeCpuProfile } from './broker/cpuprofile.js';
import { runBenchMain, sleep } from './cluster-helpers.js';
import { clockTicksPerSecond } from './kafka/proc-cpu.js';
import { parseStartupBenchArgs, STARTUP_BENCH_USAGE, type StartupBenchOptions } from './startup/options.js';
import { type ProbeResult, probeFirstProduce } from './startup/prober.js';
import { milestoneTimes, START_MILESTONES, type StartMilestone } from './startup/process-log.js';
import {
  type DevRun,
  formatComparison,
  formatSummary,
  type SplitRun,
  type StartupSummary,
  summarize,
} from './startup/report.js';
import { SpawnedProcess } from './startup/spawned.js';
import { round } from './stats.js';

const HOST = '127.0.0.1';
/** A start that has not produced by then is a failed run (a loaded 2-core machine stays far below it). */
const START_GIVE_UP_MS = 30_000;
const TOPIC = 'startup-bench';

interface Bins {
  readonly dev: string;
  readonly controller: string;
  readonly broker: string;
}

interface StartupReport {
  readonly config: StartupBenchOptions & { readonly bins: Bins };
  readonly machine: { readonly cpus: number; readonly loadAverageAtStart: number[] };
  readonly summary: StartupSummary;
  readonly devRuns: DevRun[];
  readonly splitRuns: SplitRun[];
  /** --compare: the baseline checkout's runs, alternating with these. */
  readonly baseline: {
    readonly summary: StartupSummary;
    readonly devRuns: DevRun[];
    readonly splitRuns: SplitRun[];
  } | null;
}

/** The runs of one checkout. */
interface Measured {
  readonly bins: Bins;
  readonly devRuns: DevRun[];
  readonly splitRuns: SplitRun[];
}

function nameOf(target: Measured, baseline: Measured | null): string {
  return target === baseline ? 'baseline' : 'this build';
}

function progress(line: string): void {
  process.stderr.write(`[startup-bench] ${line}\n`);
}

/**
 * The entries of the repository at `root` (this one by default; another checkout for a baseline): the
 * committed bins npm links (`npx tributary`, `npm start`), which run what the build made.
 */
function binsOf(root: string): Bins {
  const built = [
    'packages/cli/dist/bin/tributary.js',
    'packages/controller/dist/bin/tributary-controller.js',
    'packages/broker/dist/bin/tributary-broker.js',
  ];
  for (const path of built) {
    if (!existsSync(join(root, path)))
      throw new Error(`${path} is not built: run npm run bench:build (in ${root})`);
  }
  return {
    dev: join(root, 'packages/cli/bin/tributary.js'),
    controller: join(root, 'packages/controller/bin/tributary-controller.js'),
    broker: join(root, 'packages/broker/bin/tributary-broker.js'),
  };
}

/** Milestones of a process's log as milliseconds since `spawnedAtEpochMs` (null: not logged). */
function milestonesSince(
  process: SpawnedProcess,
  spawnedAtEpochMs: number,
): Record<StartMilestone, number | null> {
  const times = milestoneTimes(process.stdout.lines, START_MILESTONES);
  const entries = START_MILESTONES.map((milestone) => {
    const time = times.get(milestone);
    return [milestone, time === undefined ? null : time - spawnedAtEpochMs] as const;
  });
  return Object.fromEntries(entries) as Record<StartMilestone, number | null>;
}

async function probe(
  port: number,
  spawnedAtMs: number,
  options: { readonly pollMs: number; readonly processes: readonly SpawnedProcess[] },
): Promise<ProbeResult> {
  return probeFirstProduce({
    alive: () => options.processes.every((p) => p.running),
    host: HOST,
    port,
    topic: TOPIC,
    pollMs: options.pollMs,
    spawnedAtMs,
    giveUpAtMs: spawnedAtMs + START_GIVE_UP_MS,
  });
}

/**
 * Attempts of one run: a free port can be taken by another process between freePorts() and the spawn
 * (other tests run on this machine), which fails the start with nothing wrong in what is measured.
 */
const RUN_ATTEMPTS = 2;

async function withRetry<T>(what: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= RUN_ATTEMPTS) throw error;
      progress(`${what} attempt ${attempt} of ${RUN_ATTEMPTS} failed; again:\n${String(error)}`);
    }
  }
}

/** Runs `body` with a fresh data directory, removed afterwards. */
async function withDataDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'trib-startup-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function devArgs(bin: string, dataDir: string): Promise<{ args: string[]; brokerPort: number }> {
  const [controllerPort, brokerPort, kafkaPort] = await freePorts(3);
  if (controllerPort === undefined || brokerPort === undefined || kafkaPort === undefined) {
    throw new Error('no free ports');
  }
  const args = [
    bin,
    'dev',
    '--data-dir',
    dataDir,
    '--controller-listen',
    `${HOST}:${controllerPort}`,
    '--broker-listen',
    `${HOST}:${brokerPort}`,
    '--kafka-listen',
    `${HOST}:${kafkaPort}`,
  ];
  return { args, brokerPort };
}

/** One spawn of `tributary dev`: the probe, then idle, then RSS; always stopped. */
async function devRun(bins: Bins, options: StartupBenchOptions, ticksPerSecond: number): Promise<DevRun> {
  return withDataDir(async (dataDir) => {
    const { args, brokerPort } = await devArgs(bins.dev, dataDir);
    const spawnedAtEpochMs = Date.now();
    const spawnedAtMs = performance.now();
    const dev = new SpawnedProcess(args);
    try {
      const result = await probe(brokerPort, spawnedAtMs, { pollMs: options.pollMs, processes: [dev] });
      const cpuToProducedMs = dev.cpuMs(ticksPerSecond);
      await sleep(options.idleMs);
      return {
        portOpenMs: result.portOpenMs,
        leaderKnownMs: result.leaderKnownMs,
        producedMs: result.producedMs,
        cpuToProducedMs,
        milestonesMs: milestonesSince(dev, spawnedAtEpochMs),
        idleRssMB: dev.rssMB(),
        retries: result.retries,
      };
    } catch (error) {
      throw new Error(`tributary dev run failed: ${String(error)}\n${dev.tail()}`);
    } finally {
      await dev.stop();
    }
  });
}

/** One spawn of a separate controller (one voter) and broker: first produce, idle, both RSS. */
async function splitRun(bins: Bins, options: StartupBenchOptions): Promise<SplitRun> {
  return withDataDir(async (dataDir) => {
    const [controllerPort, brokerPort] = await freePorts(2);
    if (controllerPort === undefined || brokerPort === undefined) throw new Error('no free ports');
    const controllerAddress = `${HOST}:${controllerPort}`;
    const spawnedAtEpochMs = Date.now();
    const spawnedAtMs = performance.now();
    const controller = new SpawnedProcess([
      bins.controller,
      ...['--node-id', '1', '--listen', controllerAddress, '--data-dir', join(dataDir, 'controller')],
      ...['--voters', `1@${controllerAddress}`],
    ]);
    const broker = new SpawnedProcess([
      bins.broker,
      ...['--node-id', '1', '--listen', `${HOST}:${brokerPort}`, '--data-dir', join(dataDir, 'broker')],
      ...['--controllers', controllerAddress, '--auto-create-topics'],
    ]);
    try {
      const result = await probe(brokerPort, spawnedAtMs, {
        pollMs: options.pollMs,
        processes: [controller, broker],
      });
      const registeredMs = milestonesSince(broker, spawnedAtEpochMs)['broker registered'];
      await sleep(options.idleMs);
      return {
        brokerRegisteredMs: registeredMs ?? Number.NaN,
        producedMs: result.producedMs,
        controllerIdleRssMB: controller.rssMB(),
        brokerIdleRssMB: broker.rssMB(),
      };
    } catch (error) {
      throw new Error(
        `controller + broker run failed: ${String(error)}\n${controller.tail()}\n${broker.tail()}`,
      );
    } finally {
      await broker.stop();
      await controller.stop();
    }
  });
}

/** One spawn of `tributary dev` under node --cpu-prof, stopped right after its first produce. */
async function profileRun(bins: Bins, options: StartupBenchOptions, dir: string): Promise<string[]> {
  const profileDir = resolve(dir);
  await mkdir(profileDir, { recursive: true });
  const before = new Set(await readdir(profileDir));
  await withDataDir(async (dataDir) => {
    const { args, brokerPort } = await devArgs(bins.dev, dataDir);
    const spawnedAtMs = performance.now();
    const dev = new SpawnedProcess(['--cpu-prof', '--cpu-prof-dir', profileDir, ...args]);
    try {
      await probe(brokerPort, spawnedAtMs, { pollMs: options.pollMs, processes: [dev] });
    } finally {
      await dev.stop();
    }
  });
  const written = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  const lines: string[] = [];
  for (const file of written) {
    const summary = await summarizeCpuProfile(join(profileDir, file), 12);
    lines.push(
      `profile ${summary.file}: ${round(summary.durationMs, 0)} ms, ${round(summary.idlePercent, 0)}% idle`,
      '  self time by owner:',
      ...summary.byOwner.map((e) => `    ${round(e.percent, 1)}%  ${e.name}`),
      '  top functions:',
      ...summary.top.map((e) => `    ${round(e.percent, 1)}%  ${e.name}`),
    );
  }
  return lines;
}

async function main(): Promise<number> {
  const options = parseStartupBenchArgs(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${STARTUP_BENCH_USAGE}\n`);
    return 0;
  }
  // dist/startup-bench.js is three levels below the repository root.
  const bins = binsOf(resolve(options.root ?? fileURLToPath(new URL('../../..', import.meta.url))));
  const baselineBins = options.compareRoot === undefined ? null : binsOf(resolve(options.compareRoot));
  const ticksPerSecond = clockTicksPerSecond();
  const loadAverageAtStart = loadavg();
  progress(
    `spawning ${bins.dev} dev ${options.runs} times (load average ${loadAverageAtStart[0]?.toFixed(2)})`,
  );
  if (baselineBins !== null) progress(`alternating with ${baselineBins.dev}`);
  const current: Measured = { bins, devRuns: [], splitRuns: [] };
  const baseline: Measured | null =
    baselineBins === null ? null : { bins: baselineBins, devRuns: [], splitRuns: [] };
  // Alternating (A B, B A, ...) so that neither build always runs first after a quiet or a busy spell.
  const order = (run: number): Measured[] =>
    baseline === null ? [current] : run % 2 === 1 ? [baseline, current] : [current, baseline];
  for (let run = 1; run <= options.runs; run++) {
    for (const target of order(run)) {
      const result = await withRetry('dev run', () => devRun(target.bins, options, ticksPerSecond));
      target.devRuns.push(result);
      progress(
        `${nameOf(target, baseline)} dev ${run}/${options.runs}: produced at ${round(result.producedMs, 0)} ms ` +
          `(${round(result.cpuToProducedMs, 0)} ms CPU), idle RSS ${round(result.idleRssMB)} MB ` +
          `(retries: ${JSON.stringify(result.retries)})`,
      );
    }
  }
  for (let run = 1; run <= (options.devOnly ? 0 : options.runs); run++) {
    for (const target of order(run)) {
      const result = await withRetry('controller + broker run', () => splitRun(target.bins, options));
      target.splitRuns.push(result);
      progress(
        `${nameOf(target, baseline)} controller + broker ${run}/${options.runs}: produced at ` +
          `${round(result.producedMs, 0)} ms, idle RSS controller ${round(result.controllerIdleRssMB)} MB, ` +
          `broker ${round(result.brokerIdleRssMB)} MB`,
      );
    }
  }
  const { devRuns, splitRuns } = current;
  const summary = summarize(devRuns, splitRuns);
  const baselineSummary = baseline === null ? null : summarize(baseline.devRuns, baseline.splitRuns);
  const profileLines =
    options.profileDir === undefined ? [] : await profileRun(bins, options, options.profileDir);
  if (options.json) {
    const report: StartupReport = {
      config: { ...options, bins },
      machine: { cpus: cpus().length, loadAverageAtStart },
      summary,
      devRuns,
      splitRuns,
      baseline:
        baseline === null || baselineSummary === null
          ? null
          : { summary: baselineSummary, devRuns: baseline.devRuns, splitRuns: baseline.splitRuns },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const lines = [
      ...(baselineSummary === null
        ? []
        : [
            `baseline ${options.compareRoot}:`,
            ...formatSummary(baselineSummary, options),
            '',
            'this build:',
          ]),
      ...formatSummary(summary, options),
      ...(baselineSummary === null
        ? []
        : [
            '',
            ...formatComparison(baselineSummary, summary, { baseline: 'baseline', current: 'this build' }),
          ]),
      ...profileLines,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

runBenchMain('startup-bench', main);
