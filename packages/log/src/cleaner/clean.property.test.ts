/**
 * The cleaner against a naive reference: random logs (keys from a small set, tombstones, keyless records,
 * idempotent producers, several segments) cleaned with random bounds, clocks and offset-map sizes, reopened
 * cleanly or after a simulated crash in between. After every step the log must read as the reference says:
 * the log end unchanged, every record read is the one appended at that offset, nothing at or past the first
 * dirty offset removed, every key's newest record present unless it is a tombstone past its retention, no
 * older value of a key ever visible once a newer one was removed (no resurrection), and after a pass with
 * an unbounded map nothing superseded below its bound left. At the end a retried idempotent batch is still a
 * duplicate. `CLEANER_PROPERTY_SEED=n` replays a run; the seed is printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogConfig } from '../config.js';
import { PartitionLog } from '../partition-log.js';
import { keyedBatch, type ReadRecord, readAllRecords, type TestRecord } from './test-records.js';

type Op =
  | { kind: 'append'; records: TestRecord[]; producer: number | null }
  | { kind: 'advance'; ms: number }
  | { kind: 'clean'; boundFraction: number; mapKeys: number | null }
  | { kind: 'reopen'; crash: boolean };

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];

const recordArb: fc.Arbitrary<TestRecord> = fc.record({
  key: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  value: fc.oneof(
    { weight: 5, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      records: fc.array(recordArb, { minLength: 1, maxLength: 3 }),
      producer: fc.option(fc.constantFrom(1, 2), { nil: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 50_000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clean' as const),
      boundFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      mapKeys: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), crash: fc.boolean() }) },
);

interface Appended extends ReadRecord {}

class Model {
  readonly records: Appended[] = [];
  /** Per producer: sequence of its next batch and its last batch's bytes (for the retry at the end). */
  readonly producers = new Map<number, { nextSequence: number; lastBatch: Buffer; lastOffset: number }>();
  logEnd = 0;
}

async function run(ops: readonly Op[], deleteRetentionMs: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-cleaner-prop-'));
  const clock = new ManualClock(1_000_000);
  const config: Partial<LogConfig> = {
    segmentBytes: 1024,
    indexIntervalBytes: 200,
    cleanupPolicy: 'compact',
    deleteRetentionMs,
  };
  const open = () => PartitionLog.open({ dir, config, clock });
  let log = await open();
  const model = new Model();
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'append':
          await append(log, model, op, clock.nowMs());
          break;
        case 'advance':
          clock.advance(op.ms);
          break;
        case 'clean':
          await cleanAndCheck(log, model, op, clock.nowMs());
          break;
        case 'reopen':
          if (op.crash) await log.closeWithoutMarker();
          else await log.close();
          log = await open();
          break;
      }
      await check(log, model, deleteRetentionMs === Number.MAX_SAFE_INTEGER);
    }
    await log.close();
    log = await open();
    for (const [producerId, producer] of model.producers) {
      const retry = await log.append(Buffer.from(producer.lastBatch), {
        leaderEpoch: 0,
        assignOffsets: true,
      });
      expect(retry, `producer ${producerId}'s retry`).toMatchObject({
        duplicate: true,
        lastOffset: producer.lastOffset,
      });
    }
  } finally {
    await log.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

async function append(log: PartitionLog, model: Model, op: Extract<Op, { kind: 'append' }>, nowMs: number) {
  const producer = op.producer === null ? undefined : model.producers.get(op.producer);
  const batch = keyedBatch({
    records: op.records,
    timestampMs: nowMs,
    ...(op.producer === null
      ? {}
      : { producerId: op.producer, producerEpoch: 0, baseSequence: producer?.nextSequence ?? 0 }),
  });
  const result = await log.append(Buffer.from(batch), { leaderEpoch: 0, assignOffsets: true });
  expect(result.baseOffset).toBe(model.logEnd);
  op.records.forEach((record, i) => {
    model.records.push({ ...record, offset: result.baseOffset + i });
  });
  model.logEnd = result.lastOffset + 1;
  if (op.producer !== null) {
    model.producers.set(op.producer, {
      nextSequence: (producer?.nextSequence ?? 0) + op.records.length,
      lastBatch: batch,
      lastOffset: result.lastOffset,
    });
  }
}

async function cleanAndCheck(
  log: PartitionLog,
  model: Model,
  op: Extract<Op, { kind: 'clean' }>,
  nowMs: number,
) {
  const upperBoundOffset = Math.floor(op.boundFraction * model.logEnd);
  const dirtyBefore = log.cleanableState(nowMs, model.logEnd)?.firstDirtyOffset ?? 0;
  const result = await log.clean({
    nowMs,
    upperBoundOffset,
    ...(op.mapKeys === null ? {} : { offsetMapKeysMax: op.mapKeys }),
  });
  // A pass never moves the first dirty offset past its bound (one below the checkpoint leaves it where it was).
  expect(result.firstDirtyOffset).toBeLessThanOrEqual(
    Math.max(upperBoundOffset, dirtyBefore, log.logStartOffset),
  );
  if (op.mapKeys !== null || result.segmentsCleaned === 0) return;
  // An unbounded map: below the pass's end, nothing superseded (by a record also below it) and nothing keyless.
  const bound = result.firstDirtyOffset;
  const latest = new Map<string, number>();
  for (const record of model.records)
    if (record.offset < bound && record.key !== null) latest.set(record.key, record.offset);
  for (const record of await readAllRecords(log)) {
    if (record.offset >= bound) break;
    expect(record.key, `keyless record at ${record.offset} below ${bound}`).not.toBeNull();
    if (record.key !== null)
      expect(record.offset, `superseded ${record.key} below ${bound}`).toBe(latest.get(record.key));
  }
}

async function check(log: PartitionLog, model: Model, tombstonesKept: boolean): Promise<void> {
  expect(log.logEndOffset).toBe(model.logEnd);
  const read = await readAllRecords(log);
  const appended = new Map(model.records.map((record) => [record.offset, record]));
  for (const record of read) expect(record).toEqual(appended.get(record.offset));
  const present = new Set(read.map((record) => record.offset));
  const firstDirty = log.cleanableState(0, model.logEnd)?.firstDirtyOffset ?? 0;
  for (const record of model.records) {
    if (record.offset >= firstDirty)
      expect(present.has(record.offset), `untouched ${record.offset}`).toBe(true);
  }
  // Per key: the newest record the log holds is the newest appended, or none when that is a removed tombstone.
  const newestAppended = new Map<string, Appended>();
  for (const record of model.records) if (record.key !== null) newestAppended.set(record.key, record);
  const newestRead = new Map<string, ReadRecord>();
  for (const record of read) if (record.key !== null) newestRead.set(record.key, record);
  for (const [key, newest] of newestAppended) {
    const seen = newestRead.get(key);
    if (newest.value !== null || tombstonesKept) expect(seen, `key ${key}`).toEqual(newest);
    else if (seen !== undefined) expect(seen, `key ${key} (tombstone)`).toEqual(newest);
  }
}

describe('the cleaner against the reference', () => {
  it('reads as the last record per key, offsets and log end unchanged, through reopens and crashes', async () => {
    const seed = Number(process.env.CLEANER_PROPERTY_SEED ?? Date.now() % 2 ** 31);
    process.stdout.write(`cleaner property seed ${seed} (CLEANER_PROPERTY_SEED=${seed} replays)\n`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 10, maxLength: 80 }),
        fc.constantFrom(0, 30_000, Number.MAX_SAFE_INTEGER),
        (ops, deleteRetentionMs) => run(ops, deleteRetentionMs),
      ),
      { seed, numRuns: Number(process.env.CLEANER_PROPERTY_RUNS ?? 40) },
    );
  }, 120_000);
});
