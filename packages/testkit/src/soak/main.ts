#!/usr/bin/env node
/**
 * `npm run soak -- --duration 3600 [--interval 60] [--rate R] [--seed N] [--nemesis kill,pause]
 *   [--fault-interval 180] [--record-size 200] [--json]`
 * A soak run (soak-runner.ts): prints one table row per interval as it goes (stderr), then the whole table,
 * the totals and the verdict (stdout). Exit code: 0 clean, 1 anomalies or growth found, 2 the run itself
 * failed (bad arguments, cluster never started).
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseNemesisKinds } from '../chaos/nemesis-types.js';
import { formatSamples, formatSoak } from './soak-report.js';
import { runSoak } from './soak-runner.js';

const USAGE =
  'usage: npm run soak -- --duration S [--interval S] [--rate R] [--seed N] [--nemesis kill,pause|none] [--fault-interval S] [--record-size B] [--json]';
const SEED_MAX = 2 ** 31;

function positive(name: string, raw: string | undefined, fallback: number | undefined): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`--${name} must be a whole number > 0, got ${raw}`);
  return value;
}

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      interval: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      nemesis: { type: 'string' },
      'fault-interval': { type: 'string' },
      'record-size': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const durationS = positive('duration', values.duration, 3_600) ?? 3_600;
  const intervalS = positive('interval', values.interval, 60) ?? 60;
  if (intervalS > durationS) throw new RangeError('--interval must not exceed --duration');
  const kinds = parseNemesisKinds(values.nemesis ?? 'kill,pause', { allowNone: true });
  return {
    durationS,
    intervalS,
    ratePerS: positive('rate', values.rate, undefined),
    seed: values.seed === undefined ? randomInt(SEED_MAX) : (positive('seed', values.seed, 1) ?? 1),
    kinds,
    faultIntervalS: positive('fault-interval', values['fault-interval'], undefined),
    recordSizeBytes: positive('record-size', values['record-size'], undefined),
    json: values.json,
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { json, ratePerS, faultIntervalS, recordSizeBytes, ...rest } = options;
  console.error(`soak: seed ${options.seed}, ${options.durationS} s, a sample every ${options.intervalS} s`);
  const started = performance.now();
  const log = (line: string): void =>
    console.error(`soak [${((performance.now() - started) / 1_000).toFixed(1)} s] ${line}`);
  const result = await runSoak({
    ...rest,
    ...(ratePerS === undefined ? {} : { ratePerS }),
    ...(faultIntervalS === undefined ? {} : { faultIntervalS }),
    ...(recordSizeBytes === undefined ? {} : { recordSizeBytes }),
    log,
    onSample: (sample) => log(formatSamples([sample]).split('\n').slice(1).join('')),
  });
  if (json) console.log(JSON.stringify(result));
  console.log(formatSoak(result));
  return result.anomalies.length === 0 && result.growth.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 2;
  },
);
