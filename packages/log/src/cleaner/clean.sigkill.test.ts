/**
 * SIGKILL during cleaning: a child process (node on the package's dist, built before tests run) cleans a
 * compacted log pass after pass with a rising bound and clock, and is killed at a seeded random moment.
 * Reopened here, the log must read as before cleaning or after some passes: every record read is the one
 * written at that offset, every key's newest value is there (a tombstoned key shows its tombstone or
 * nothing, never an older value), the log end is unchanged, and no temporary file is left after open.
 * `CLEANER_SIGKILL_SEED=n` replays a run; the seed is printed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ManualClock } from '@tributary/core';
import { expect, it } from 'vitest';
import { PartitionLog } from '../partition-log.js';
import { keyedBatch, type ReadRecord, readAllRecords } from './test-records.js';

const DIST_INDEX = join(dirname(fileURLToPath(import.meta.url)), '../../dist/index.js');
const CONFIG = {
  segmentBytes: 1024,
  indexIntervalBytes: 128,
  cleanupPolicy: 'compact',
  deleteRetentionMs: 0,
};
const RECORDS = 600;
const ROUNDS = 6;

/** The child: clean in passes of a growing bound, reopening the log (unflushed) between some of them. */
const CHILD = `
const { PartitionLog } = await import(process.argv[1]);
const dir = process.argv[2];
let now = 1_000_000;
const clock = { nowMs: () => now, wallMs: () => now };
const config = JSON.parse(process.argv[3]);
let log = await PartitionLog.open({ dir, config, clock });
process.stdout.write('ready\\n');
for (let round = 1; ; round++) {
  now += 1_000;
  await log.clean({ nowMs: now, upperBoundOffset: Math.min(log.logEndOffset, 40 * round) });
  if (round % 3 === 0) {
    await log.closeWithoutMarker();
    log = await PartitionLog.open({ dir, config, clock });
  }
}
`;

/** A small seeded generator (mulberry32), so a failing run replays from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function writeLog(dir: string, next: () => number): Promise<ReadRecord[]> {
  const clock = new ManualClock(1_000_000);
  const log = await PartitionLog.open({ dir, config: { ...CONFIG, cleanupPolicy: 'compact' }, clock });
  for (let i = 0; i < RECORDS; i++) {
    const key = `k${Math.floor(next() * 9)}`;
    const value = next() < 0.1 ? null : `v${i}`;
    await log.append(keyedBatch({ records: [{ key, value }], timestampMs: clock.nowMs() }), {
      leaderEpoch: 0,
      assignOffsets: true,
    });
  }
  const records = await readAllRecords(log);
  await log.close();
  return records;
}

async function runChildAndKill(dir: string, delayMs: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', CHILD, pathToFileURL(DIST_INDEX).href, dir, JSON.stringify(CONFIG)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', () => reject(new Error(`child exited before it was ready: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  const code = await exited;
  expect(code, `the child was killed, not failed: ${stderr}`).toBeNull();
}

function newestPerKey(records: readonly ReadRecord[]): Map<string, ReadRecord> {
  const newest = new Map<string, ReadRecord>();
  for (const record of records) if (record.key !== null) newest.set(record.key, record);
  return newest;
}

it('a cleaner killed at random points leaves a readable, correct log', async () => {
  await stat(DIST_INDEX).catch(() => {
    throw new Error(`${DIST_INDEX} is missing: build the package first (npm run build)`);
  });
  const seed = Number(process.env.CLEANER_SIGKILL_SEED ?? Date.now() % 2 ** 31);
  process.stdout.write(`cleaner SIGKILL seed ${seed} (CLEANER_SIGKILL_SEED=${seed} replays)\n`);
  const next = random(seed);
  let cleanedSomewhere = false;
  for (let round = 0; round < ROUNDS; round++) {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-cleaner-kill-'));
    try {
      const written = await writeLog(dir, next);
      await runChildAndKill(dir, Math.floor(next() * 300));
      const log = await PartitionLog.open({
        dir,
        config: { ...CONFIG, cleanupPolicy: 'compact' },
        clock: new ManualClock(0),
      });
      const read = await readAllRecords(log);
      const original = new Map(written.map((record) => [record.offset, record]));
      for (const record of read) expect(record, `round ${round}`).toEqual(original.get(record.offset));
      const newestRead = newestPerKey(read);
      for (const [key, newest] of newestPerKey(written)) {
        const seen = newestRead.get(key);
        if (newest.value !== null || seen !== undefined)
          expect(seen, `round ${round} key ${key}`).toEqual(newest);
      }
      expect(log.logEndOffset).toBe(RECORDS);
      expect((await readdir(dir)).filter((name) => /\.(cleaned|swap|deleted|tmp)$/.test(name))).toEqual([]);
      cleanedSomewhere ||= read.length < written.length;
      await log.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  // The kills are not all before the first pass: the test saw cleaned logs.
  expect(cleanedSomewhere).toBe(true);
}, 120_000);
