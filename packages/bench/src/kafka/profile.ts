/**
 * `kafka-bench --profile DIR [--profile-path kafka|grpc]`: one produce through the chosen path with every
 * broker under `node --cpu-prof` (the cluster was started with the profiling wrapper bin), then each broker's
 * profile cut to the measured run (the tool's start to its exit) and summarized: self time per package and
 * per function, the inclusive time of Tributary's functions, and of the path's way in (the Kafka listener
 * and codec, or the gRPC server and produce service). A profile is written when a broker exits cleanly,
 * so the brokers are stopped with SIGTERM.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cluster } from '@tributary/testkit';
import { runTimeoutMs } from '../client/timeouts.js';
import { round } from '../stats.js';
import type { KafkaBenchOptions, ProducePath } from './options.js';
import { measurePath, type PathRunContext } from './path-run.js';
import { clockTicksPerSecond } from './proc-cpu.js';
import {
  analyzeProfile,
  type CallFrame,
  type ProfileAnalysis,
  type ProfileEntry,
  readCpuProfile,
} from './profile-analysis.js';

const WARM_UP_RECORDS = 100_000;
const BROKER_STOP_TIMEOUT_MS = 20_000;
const TOP_COUNT = 25;

/**
 * Each path's way into the broker, up to the replica manager both share: the Kafka listener and codec; the
 * gRPC Broker service and protobufjs's generated ProduceRequest/ProduceResponse coders. (grpc-js's own
 * frames serve replica fetches on both paths too, so they cannot be told apart by file.)
 */
const INGRESS: Record<ProducePath, (frame: CallFrame) => boolean> = {
  kafka: (frame) => /\/broker\/dist\/kafka\/|\/kafka-protocol\//.test(frame.url),
  grpc: (frame) =>
    /\/broker\/dist\/services\//.test(frame.url) ||
    /^Produce(Request|Response)\$(de|en)code/.test(frame.functionName),
};

export interface ProfileRunOptions {
  readonly cluster: Cluster;
  readonly options: KafkaBenchOptions;
  readonly inputFile: string;
  readonly profileDir: string;
  readonly progress: (line: string) => void;
}

interface BrokerProfile {
  readonly broker: number;
  readonly file: string;
  readonly leads: number[];
  /** Self time and Tributary's functions (inclusive). */
  readonly ours: ProfileAnalysis;
  /** Inclusive time of the path's ingress code. */
  readonly ingress: ProfileAnalysis;
}

/** Tributary's own code, in the built packages (not node_modules). */
function isOurs(frame: CallFrame): boolean {
  return frame.url.includes('/packages/') && !frame.url.includes('/node_modules/');
}

function entries(list: readonly ProfileEntry[]): string[] {
  return list.map((e) => `    ${e.percentOfBusy.toFixed(1).padStart(5)}%  ${e.name}`);
}

function format(profile: BrokerProfile, path: ProducePath): string {
  const a = profile.ours;
  return [
    `broker ${profile.broker} (leads partitions ${profile.leads.join(',') || 'none'}): ${profile.file}`,
    `  measured run: ${a.samples} samples, ${round(a.idlePercent, 1)}% idle; percentages are of busy samples`,
    `  self time by package: ${a.selfByOwner.map((e) => `${e.name} ${e.percentOfBusy.toFixed(1)}%`).join(', ')}`,
    '  top self time:',
    ...entries(a.topSelf),
    '  inclusive time of Tributary functions:',
    ...entries(a.inclusive),
    `  inclusive time of the ${path} path's way in:`,
    ...entries(profile.ingress.inclusive),
  ].join('\n');
}

export async function profileRun(run: ProfileRunOptions): Promise<void> {
  const { cluster, options, progress } = run;
  const path = options.profilePath;
  const context: PathRunContext = {
    cluster,
    partitions: options.partitions,
    idempotent: options.idempotent,
    kafkaBatchRecords: options.kafkaBatchRecords,
    inputFile: run.inputFile,
    ticksPerSecond: clockTicksPerSecond(),
    timeoutMs: runTimeoutMs(options.records),
  };
  await measurePath(context, path, `${path}-warmup`, Math.min(WARM_UP_RECORDS, options.records));
  const result = await measurePath(context, path, `${path}-profile`, options.records);
  // The CPU figures of this run are the wrapper processes', not the brokers': only the rate is shown.
  progress(
    `profiled ${path} produce: ${round(result.recordsPerSecond, 0)} records/s, ` +
      `${result.check.log.records} records in ${result.check.log.batches} batches` +
      (result.check.problems.length === 0 ? '' : `; COUNTS WRONG: ${result.check.problems.join('; ')}`),
  );
  const leads = new Map<number, number[]>();
  for (const p of result.check.partitions) leads.set(p.leader, [...(leads.get(p.leader) ?? []), p.partition]);
  for (const broker of cluster.brokers) await broker.kill('SIGTERM', BROKER_STOP_TIMEOUT_MS);
  const profiles: BrokerProfile[] = [];
  for (const broker of cluster.brokers) {
    const dir = join(run.profileDir, `broker-${broker.nodeId}`);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile'));
    for (const file of files) {
      const profile = await readCpuProfile(join(dir, file));
      const window = result.toolWindow;
      profiles.push({
        broker: broker.nodeId,
        file: join(dir, file),
        leads: leads.get(broker.nodeId) ?? [],
        ours: analyzeProfile(profile, { window, include: isOurs, topCount: TOP_COUNT }),
        ingress: analyzeProfile(profile, { window, include: INGRESS[path], topCount: TOP_COUNT }),
      });
    }
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ path, produce: result, profiles })}\n`);
    return;
  }
  process.stdout.write(`${profiles.map((p) => format(p, path)).join('\n\n')}\n`);
}
