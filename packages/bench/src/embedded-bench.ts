#!/usr/bin/env node
/**
 * `npm run bench:embedded -- [--runs 10] [--brokers 1]`: how fast and how small an embedded cluster
 * (@tributary/testing, issue 17 item 3; target one broker in <= 300 ms and <= 60 MB) starts. Each run is a
 * fresh node process (embedded/start-once.ts), alternating with an empty process measured the same way as the
 * same run's baseline; reports medians: time from process start to a started cluster (module loading
 * included), the startEmbeddedCluster call alone, and RSS at that moment, with what the baseline accounts for.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Sample {
  readonly sinceProcessStartMs: number;
  readonly startMs: number;
  readonly rssBytes: number;
}

const ONCE = join(dirname(fileURLToPath(import.meta.url)), 'embedded', 'start-once.js');
const RUN_TIMEOUT_MS = 60_000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function once(args: readonly string[]): Sample {
  const out = execFileSync(process.execPath, [ONCE, ...args], { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Sample;
}

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, brokers: { type: 'string', default: '1' } },
});
const runs = Number(values.runs);
const brokers = Number(values.brokers);
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(brokers) || brokers < 1) {
  console.error('usage: npm run bench:embedded -- [--runs N >= 1] [--brokers N >= 1]');
  process.exit(2);
}
const samples: Sample[] = [];
const baselines: Sample[] = [];
for (let run = 0; run < runs; run++) {
  baselines.push(once(['--baseline']));
  const sample = once(['--brokers', String(brokers)]);
  samples.push(sample);
  console.error(
    `run ${run + 1}/${runs}: ${sample.sinceProcessStartMs.toFixed(0)} ms from process start, ` +
      `start call ${sample.startMs.toFixed(0)} ms, RSS ${(sample.rssBytes / 2 ** 20).toFixed(1)} MB`,
  );
}
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const fromStart = median(samples.map((s) => s.sinceProcessStartMs));
const call = median(samples.map((s) => s.startMs));
const rss = median(samples.map((s) => s.rssBytes));
const baseFromStart = median(baselines.map((s) => s.sinceProcessStartMs));
const baseRss = median(baselines.map((s) => s.rssBytes));
console.log(`embedded cluster, ${brokers} broker(s), median of ${runs} fresh processes:`);
console.log(
  `  from process start to a started cluster: ${fromStart.toFixed(0)} ms (empty process: ${baseFromStart.toFixed(0)} ms)`,
);
console.log(
  `  startEmbeddedCluster call alone: ${call.toFixed(0)} ms (target <= 300 ms: ${call <= 300 ? 'met' : 'not met'})`,
);
// In a test the cluster shares the test runner's process: what it adds to an empty process is what it costs there.
const addedMet = rss - baseRss <= 60 * 2 ** 20 ? 'met' : 'not met';
console.log(
  `  RSS once started: ${mb(rss)} MB, ${mb(rss - baseRss)} MB more than an empty process (${mb(baseRss)} MB); ` +
    `target <= 60 MB: ${rss <= 60 * 2 ** 20 ? 'met' : `not met for the process, ${addedMet} for what the cluster adds`}`,
);
