#!/usr/bin/env node
/**
 * Controller benchmark (DESIGN §8): starts a real 3-controller quorum on 127.0.0.1 and reports the median
 * of N runs of (1) committed metadata records per second from K concurrent CreateTopic clients, (2) the
 * failover time from SIGKILL of the active controller until a CreateTopic commits on its successor, and
 * (3) elections seen during the throughput runs, when nothing was killed (spurious elections). Brokers
 * are fake but speak the real BrokerLifecycle protocol (register, heartbeat every 500 ms) so topics can be
 * placed. Usage: node dist/controller-bench.js [--runs N] [--clients K] [--duration-ms D] [--json]
 */
import {
  type ControllerQuorum,
  FakeBrokerFleet,
  type LeaderFollowingClient,
  startControllerQuorum,
} from '@tributary/testkit';
import { type BenchOptions, parseArgs, USAGE } from './args.js';
import { ElectionWatch } from './election-watch.js';
import { type FailoverRun, measureFailover } from './failover.js';
import { median, percentile, round } from './stats.js';
import { measureThroughput, type ThroughputRun } from './throughput.js';

/** The whole default run stays well under 3 minutes; this aborts a run that hangs. */
const BENCH_TIMEOUT_MS = 170_000;
const SETTLE_MS = 500;

interface BenchReport {
  readonly config: BenchOptions & { readonly controllers: number };
  readonly recordsPerSecond: { readonly median: number; readonly runs: number[] };
  readonly topicsPerSecond: { readonly median: number; readonly runs: number[] };
  readonly failoverMs: {
    readonly median: number;
    readonly p90: number;
    readonly max: number;
    readonly runs: (number | null)[];
    readonly timeouts: number;
  };
  readonly spuriousElections: number;
  readonly leaderChangesWithoutKills: number;
  readonly throughputErrors: number;
  readonly lastThroughputError: string | null;
  readonly totalMs: number;
}

function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function sleep(durationMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, durationMs));
}

async function throughputPhase(
  quorum: ControllerQuorum,
  clients: readonly LeaderFollowingClient[],
  options: BenchOptions,
): Promise<{ runs: ThroughputRun[]; elections: number; leaderChanges: number }> {
  const runs: ThroughputRun[] = [];
  let elections = 0;
  let leaderChanges = 0;
  // Warm-up: connections open, leader known by every client, JIT warm.
  await measureThroughput({ ...options, clients, durationMs: 500, namePrefix: 'warmup' });
  for (let run = 0; run < options.runs; run++) {
    await quorum.waitForLeader({ timeoutMs: 15_000 });
    const watch = new ElectionWatch(quorum);
    watch.start();
    const result = await measureThroughput({ ...options, clients, namePrefix: `bench-r${run}` });
    const seen = await watch.stop();
    elections += seen.newTerms;
    leaderChanges += seen.leaderChanges;
    runs.push(result);
    progress(
      `throughput run ${run + 1}/${options.runs}: ${round(result.recordsPerSecond)} records/s ` +
        `(${result.topics} topics in ${round(result.elapsedMs)} ms, ${result.errors} errors, ` +
        `${seen.newTerms} elections)`,
    );
  }
  return { runs, elections, leaderChanges };
}

async function failoverPhase(quorum: ControllerQuorum, options: BenchOptions): Promise<FailoverRun[]> {
  const runs: FailoverRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    await sleep(SETTLE_MS);
    const result = await measureFailover(quorum, run);
    runs.push(result);
    progress(
      `failover run ${run + 1}/${options.runs}: killed ${result.killedId} (term ${result.oldTerm}) -> ` +
        `${result.failoverMs === undefined ? 'TIMEOUT' : `${round(result.failoverMs)} ms`} ` +
        `(new leader ${result.newLeaderId ?? '?'}, ${result.attempts} attempts)`,
    );
  }
  return runs;
}

function report(
  options: BenchOptions,
  throughput: { runs: ThroughputRun[]; elections: number; leaderChanges: number },
  failovers: FailoverRun[],
  totalMs: number,
): BenchReport {
  const failoverTimes = failovers.flatMap((run) => (run.failoverMs === undefined ? [] : [run.failoverMs]));
  const lastError = throughput.runs.findLast((run) => run.lastError !== undefined)?.lastError;
  return {
    config: { ...options, controllers: 3 },
    recordsPerSecond: {
      median: round(median(throughput.runs.map((run) => run.recordsPerSecond))),
      runs: throughput.runs.map((run) => round(run.recordsPerSecond)),
    },
    topicsPerSecond: {
      median: round(median(throughput.runs.map((run) => run.topicsPerSecond))),
      runs: throughput.runs.map((run) => round(run.topicsPerSecond)),
    },
    failoverMs: {
      median: round(median(failoverTimes)),
      p90: round(percentile(failoverTimes.length > 0 ? failoverTimes : [Number.NaN], 90)),
      max: round(failoverTimes.length > 0 ? Math.max(...failoverTimes) : Number.NaN),
      runs: failovers.map((run) => (run.failoverMs === undefined ? null : round(run.failoverMs))),
      timeouts: failovers.length - failoverTimes.length,
    },
    spuriousElections: throughput.elections,
    leaderChangesWithoutKills: throughput.leaderChanges,
    throughputErrors: throughput.runs.reduce((sum, run) => sum + run.errors, 0),
    lastThroughputError: lastError ?? null,
    totalMs: round(totalMs),
  };
}

function printHuman(result: BenchReport): void {
  const { config } = result;
  const skipped = (runs: readonly unknown[]) => runs.length === 0;
  const lines = [
    `controller bench: 3 controllers, ${config.brokers} fake brokers, ${config.clients} clients, ` +
      `${config.runs} runs of ${config.durationMs} ms, CreateTopic partitions=${config.partitions} RF=${config.replicationFactor}`,
    skipped(result.recordsPerSecond.runs)
      ? '  committed metadata records/s   skipped'
      : `  committed metadata records/s   median ${result.recordsPerSecond.median}   runs ${result.recordsPerSecond.runs.join(', ')}`,
    skipped(result.topicsPerSecond.runs)
      ? '  topics created/s               skipped'
      : `  topics created/s               median ${result.topicsPerSecond.median}   runs ${result.topicsPerSecond.runs.join(', ')}`,
    skipped(result.failoverMs.runs)
      ? '  failover (SIGKILL -> commit)   skipped'
      : `  failover (SIGKILL -> commit)   median ${result.failoverMs.median} ms   p90 ${result.failoverMs.p90} ms   ` +
        `max ${result.failoverMs.max} ms   runs ${result.failoverMs.runs.map((ms) => ms ?? 'timeout').join(', ')}`,
    `  spurious elections (no kills)  ${result.spuriousElections} new terms, ${result.leaderChangesWithoutKills} leader changes`,
    `  throughput errors              ${result.throughputErrors}${result.lastThroughputError === null ? '' : ` (last: ${result.lastThroughputError})`}`,
    `  total                          ${round(result.totalMs / 1_000)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function runBench(options: BenchOptions): Promise<BenchReport> {
  const startedMs = performance.now();
  progress('starting 3 controllers');
  const quorum = await startControllerQuorum({ size: 3, logLevel: 'warn' });
  let fleet: FakeBrokerFleet | undefined;
  const onSignal = (): void => {
    progress('interrupted; stopping the quorum');
    void quorum.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const elected = await quorum.waitForLeader({ timeoutMs: 15_000 });
    progress(
      `leader ${elected.leaderId} in term ${elected.term}; registering ${options.brokers} fake brokers`,
    );
    fleet = new FakeBrokerFleet(quorum.admin(), { count: options.brokers });
    fleet.start();
    await fleet.waitUnfenced();
    const clients = Array.from({ length: options.clients }, () => quorum.admin({ rpcDeadlineMs: 2_000 }));
    const throughput = options.skipThroughput
      ? { runs: [], elections: 0, leaderChanges: 0 }
      : await throughputPhase(quorum, clients, options);
    const failovers = options.skipFailover ? [] : await failoverPhase(quorum, options);
    return report(options, throughput, failovers, performance.now() - startedMs);
  } catch (error) {
    process.stderr.write(`${quorum.dump(40)}\n`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await fleet?.stop();
    await quorum.stop();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const watchdog = setTimeout(() => {
    process.stderr.write(`controller-bench: exceeded ${BENCH_TIMEOUT_MS} ms; aborting\n`);
    process.exit(1);
  }, BENCH_TIMEOUT_MS);
  watchdog.unref();
  try {
    const result = await runBench(options);
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else printHuman(result);
    return 0;
  } finally {
    clearTimeout(watchdog);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`controller-bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
