/**
 * Producer throughput per variant (issue 4): compression none/gzip/lz4, idempotence on/off, each measured
 * with the real `trib perf produce` on a fresh topic. Variants are interleaved within each run (and the
 * order rotates from run to run) so the noisy shared machine slows them alike.
 */
import type { Cluster } from '@tributary/testkit';
import { type PerfProduceResult, runTrib } from '../broker/trib.js';
import { createTopic, errorMessage, produceArgs } from '../cluster-helpers.js';
import { round, type Series, series } from '../stats.js';
import type { ClientBenchOptions } from './options.js';
import { runTimeoutMs } from './timeouts.js';

export interface ProduceVariant {
  readonly name: string;
  readonly compression: 'none' | 'gzip' | 'lz4';
  readonly idempotent: boolean;
}

/** The baseline the other variants are compared with: perf's defaults with acks=all. */
export const BASELINE_VARIANT: ProduceVariant = {
  name: 'none, idempotent',
  compression: 'none',
  idempotent: true,
};

/** The first is the baseline. */
export const PRODUCE_VARIANTS: readonly ProduceVariant[] = [
  BASELINE_VARIANT,
  { name: 'none, no idempotence', compression: 'none', idempotent: false },
  { name: 'gzip, idempotent', compression: 'gzip', idempotent: true },
  { name: 'lz4, idempotent', compression: 'lz4', idempotent: true },
];

/** Records each variant sends once before the timed runs (JIT, codecs, connections). */
const WARM_UP_MESSAGES = 50_000;

export interface VariantReport {
  readonly variant: string;
  readonly compression: ProduceVariant['compression'];
  readonly idempotent: boolean;
  readonly recordsPerSecond: Series;
  readonly mbPerSecond: Series;
  /** This variant's median records/s over the baseline's median. */
  readonly ratioToBaseline: number;
  readonly p50Ms: Series;
  readonly p99Ms: Series;
  readonly failed: Series;
  readonly runErrors: string[];
}

export function variantFlags(variant: ProduceVariant, valuePool: number | undefined): (string | number)[] {
  return [
    ...(variant.compression === 'none' ? [] : ['--compression', variant.compression]),
    ...(variant.idempotent ? [] : ['--no-idempotence']),
    ...(valuePool === undefined ? [] : ['--value-pool', valuePool]),
  ];
}

/** Run r measures the variants starting at index r mod n, so no variant is always first after a pause. */
export function runOrder<T>(items: readonly T[], run: number): T[] {
  const start = items.length === 0 ? 0 : run % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

export async function produceVariantsPhase(
  cluster: Cluster,
  options: ClientBenchOptions,
  progress: (line: string) => void,
): Promise<VariantReport[]> {
  const results = new Map<string, PerfProduceResult[]>(PRODUCE_VARIANTS.map((v) => [v.name, []]));
  const errors = new Map<string, string[]>(PRODUCE_VARIANTS.map((v) => [v.name, []]));
  const timeoutMs = runTimeoutMs(options.messages);
  await createTopic(cluster, 'client-warmup', options.partitions);
  for (const variant of PRODUCE_VARIANTS) {
    const messages = Math.min(WARM_UP_MESSAGES, options.messages);
    await runTrib(
      produceArgs(cluster, 'client-warmup', [
        '--messages',
        messages,
        ...variantFlags(variant, options.valuePool),
      ]),
      { timeoutMs: runTimeoutMs(messages) },
    ).catch((error: unknown) => errors.get(variant.name)?.push(`warm-up: ${errorMessage(error)}`));
  }
  for (let run = 0; run < options.runs; run++) {
    for (const variant of runOrder(PRODUCE_VARIANTS, run)) {
      const topic = `produce-r${run}-${variant.compression}${variant.idempotent ? '' : '-noidem'}`;
      try {
        await createTopic(cluster, topic, options.partitions);
        const result = await runTrib<PerfProduceResult>(
          produceArgs(cluster, topic, [
            '--messages',
            options.messages,
            ...variantFlags(variant, options.valuePool),
          ]),
          { timeoutMs },
        );
        results.get(variant.name)?.push(result);
        progress(
          `produce run ${run + 1}/${options.runs} [${variant.name}]: ${round(result.recordsPerSecond, 0)} records/s, ` +
            `${round(result.mbPerSecond, 1)} MB/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
            `${result.failed} failed`,
        );
      } catch (error) {
        errors.get(variant.name)?.push(`run ${run + 1}: ${errorMessage(error)}`);
        progress(`produce run ${run + 1} [${variant.name}] failed: ${errorMessage(error)}`);
      }
    }
  }
  const reports = PRODUCE_VARIANTS.map((variant) => {
    const runs = results.get(variant.name) ?? [];
    return {
      variant: variant.name,
      compression: variant.compression,
      idempotent: variant.idempotent,
      recordsPerSecond: series(
        runs.map((r) => r.recordsPerSecond),
        0,
      ),
      mbPerSecond: series(runs.map((r) => r.mbPerSecond)),
      ratioToBaseline: Number.NaN,
      p50Ms: series(runs.map((r) => r.p50Ms)),
      p99Ms: series(runs.map((r) => r.p99Ms)),
      failed: series(
        runs.map((r) => r.failed),
        0,
      ),
      runErrors: errors.get(variant.name) ?? [],
    };
  });
  const baseline = reports[0]?.recordsPerSecond.median ?? Number.NaN;
  return reports.map((r) => ({ ...r, ratioToBaseline: round(r.recordsPerSecond.median / baseline, 3) }));
}
