import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import type { LogConfig } from './config.js';
import { PartitionLog } from './partition-log.js';
import { PRODUCER_SNAPSHOT_FILE } from './producer-snapshot.js';
import type { ProducerEntry } from './producer-state.js';
import { buildBatch, splitBatches } from './test-batches.js';

let dirs: string[];
let clock: ManualClock;
let logs: PartitionLog[];

beforeEach(() => {
  dirs = [];
  clock = new ManualClock(1_000_000);
  logs = [];
});

afterEach(async () => {
  for (const log of logs) await log.close().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-log-producers-'));
  dirs.push(dir);
  return dir;
}

async function openLog(dir: string, config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  const log = await PartitionLog.open({
    dir,
    config: { segmentBytes: 1024, indexIntervalBytes: 256, ...config },
    clock,
  });
  logs.push(log);
  return log;
}

function idempotent(producerId: number, baseSequence: number, recordCount = 1, producerEpoch = 0): Buffer {
  return buildBatch({ producerId, producerEpoch, baseSequence, recordCount, fill: baseSequence % 256 });
}

const leader = { leaderEpoch: 0, assignOffsets: true } as const;

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LogAppendError) return error.failure;
    throw error;
  }
  return 'accepted';
}

/** The state in a comparable form, ignoring the clock readings. */
function stateOf(log: PartitionLog): Array<Omit<ProducerEntry, 'lastUpdateMs'>> {
  return log.producers
    .entries()
    .map(({ producerId, producerEpoch, batches }) => ({ producerId, producerEpoch, batches }))
    .sort((a, b) => a.producerId - b.producerId);
}

/** Appends `count` two-record batches of producer `id` from `fromSequence`, mixed with plain batches. */
async function appendRun(log: PartitionLog, id: number, fromSequence: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await log.append(idempotent(id, fromSequence + 2 * i, 2), leader);
    await log.append(buildBatch(), leader);
  }
}

describe('PartitionLog with idempotent producers', () => {
  it('answers a retried batch with its original offsets and appends nothing', async () => {
    const log = await openLog(await newDir());
    const first = await log.append(idempotent(1, 0, 3), leader);
    await log.append(buildBatch(), leader);
    const retry = await log.append(idempotent(1, 0, 3), leader);
    expect(first).toEqual({ baseOffset: 0, lastOffset: 2, logEndOffset: 3 });
    expect(retry).toEqual({ duplicate: true, baseOffset: 0, lastOffset: 2, logEndOffset: 4 });
    expect(log.logEndOffset).toBe(4);
    const batches = splitBatches((await log.read(0, { maxBytes: 1 << 20 })).bytes);
    expect(batches).toHaveLength(2);
  });

  it('refuses out-of-order sequences, old epochs and a mix of duplicate and new batches', async () => {
    const log = await openLog(await newDir());
    await log.append(idempotent(1, 0, 2, 1), leader);
    expect(await failureOf(log.append(idempotent(1, 3, 1, 1), leader))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(await failureOf(log.append(idempotent(1, 2, 1, 0), leader))).toBe('INVALID_PRODUCER_EPOCH');
    expect(await failureOf(log.append(idempotent(2, 4), leader))).toBe('OUT_OF_ORDER_SEQUENCE');
    const mixed = Buffer.concat([idempotent(1, 0, 2, 1), idempotent(1, 2, 1, 1)]);
    const error = await log.append(mixed, leader).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogAppendError);
    expect((error as LogAppendError).code).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(log.logEndOffset).toBe(2);
    // Nothing of the refused appends stuck: sequence 2 is still the next one.
    expect(await log.append(idempotent(1, 2, 1, 1), leader)).toEqual({
      baseOffset: 2,
      lastOffset: 2,
      logEndOffset: 3,
    });
  });

  it('checks the batches of one append in order against each other', async () => {
    const log = await openLog(await newDir());
    const both = Buffer.concat([idempotent(5, 0, 2), idempotent(5, 2, 2)]);
    expect(await log.append(both, leader)).toEqual({ baseOffset: 0, lastOffset: 3, logEndOffset: 4 });
    const again = Buffer.concat([idempotent(5, 0, 2), idempotent(5, 2, 2)]);
    expect(await log.append(again, leader)).toEqual({
      duplicate: true,
      baseOffset: 0,
      lastOffset: 3,
      logEndOffset: 4,
    });
    const gap = Buffer.concat([idempotent(5, 4), idempotent(5, 6)]);
    expect(await failureOf(log.append(gap, leader))).toBe('OUT_OF_ORDER_SEQUENCE');
    expect(log.logEndOffset).toBe(4);
  });

  it('rebuilds the state after a clean close and after a crash', async () => {
    const dir = await newDir();
    const log = await openLog(dir);
    await appendRun(log, 1, 0, 20);
    await appendRun(log, 2, 0, 3);
    expect(log.segmentCount).toBeGreaterThan(1);
    const before = stateOf(log);
    await log.close();
    const reopened = await openLog(dir);
    expect(stateOf(reopened)).toEqual(before);
    expect(await reopened.append(idempotent(1, 38, 2), leader)).toMatchObject({ duplicate: true });
    await reopened.append(idempotent(2, 6, 2), leader);
    const afterAppend = stateOf(reopened);
    await reopened.closeWithoutMarker();
    logs = logs.filter((l) => l !== reopened);
    const recovered = await openLog(dir);
    expect(stateOf(recovered)).toEqual(afterAppend);
    expect(await recovered.append(idempotent(2, 6, 2), leader)).toMatchObject({ duplicate: true });
    expect(await failureOf(recovered.append(idempotent(2, 8, 2), leader))).toBe('accepted');
  });

  it('keeps the state across a clean close in a snapshot, and scans when the snapshot is damaged', async () => {
    const dir = await newDir();
    const log = await openLog(dir, { retentionBytes: 0 });
    await appendRun(log, 1, 0, 10);
    await appendRun(log, 2, 0, 12);
    // Retention deletes the segments with producer 1's batches; only the state remembers them.
    await log.applyRetention(0);
    expect(log.logStartOffset).toBeGreaterThanOrEqual(30);
    const before = stateOf(log);
    expect(before.map((entry) => entry.producerId)).toEqual([1, 2]);
    await log.close();
    expect((await readdir(dir)).includes(PRODUCER_SNAPSHOT_FILE)).toBe(true);
    const reopened = await openLog(dir, { retentionBytes: 0 });
    expect(stateOf(reopened)).toEqual(before);
    expect(await reopened.append(idempotent(1, 18, 2), leader)).toMatchObject({ duplicate: true });
    // Taken at open: a crash now must not leave a snapshot that no longer matches the log.
    expect((await readdir(dir)).includes(PRODUCER_SNAPSHOT_FILE)).toBe(false);
    await reopened.close();
    const path = join(dir, PRODUCER_SNAPSHOT_FILE);
    const bytes = await readFile(path);
    bytes.writeUInt8(bytes.readUInt8(20) ^ 0xff, 20);
    await writeFile(path, bytes);
    const scanned = await openLog(dir, { retentionBytes: 0 });
    // The scan only sees what retention left, without producer 1, which must start over.
    expect(stateOf(scanned).map((entry) => entry.producerId)).not.toContain(1);
    expect(await failureOf(scanned.append(idempotent(1, 20, 2), leader))).toBe('OUT_OF_ORDER_SEQUENCE');
  });

  it('rebuilds the state after truncation, so a truncated batch can be appended again', async () => {
    const log = await openLog(await newDir());
    await appendRun(log, 1, 0, 10);
    const end = log.logEndOffset;
    await appendRun(log, 1, 20, 2);
    // A retry of sequence 20 is a duplicate before the truncation...
    expect(await log.append(idempotent(1, 20, 2), leader)).toMatchObject({ duplicate: true });
    await log.truncateTo(end);
    // ...and a new batch after it: the copy the truncation removed is gone.
    expect(await log.append(idempotent(1, 20, 2), leader)).toEqual({
      baseOffset: end,
      lastOffset: end + 1,
      logEndOffset: end + 2,
    });
    // Cutting only plain batches leaves the state as it is.
    const state = stateOf(log);
    const plainFrom = log.logEndOffset;
    await log.append(buildBatch({ recordCount: 3 }), leader);
    await log.truncateTo(plainFrom);
    expect(stateOf(log)).toEqual(state);
    expect(await log.append(idempotent(1, 20, 2), leader)).toMatchObject({ duplicate: true });
    await log.truncateFullyAndStartAt(500);
    expect(log.producers.producerCount).toBe(0);
  });

  it('keeps on a follower the state the leader has', async () => {
    const leaderLog = await openLog(await newDir());
    const followerLog = await openLog(await newDir());
    await appendRun(leaderLog, 1, 0, 8);
    await appendRun(leaderLog, 2, 0, 3);
    await leaderLog.append(idempotent(1, 0, 1, 1), leader);
    const { bytes } = await leaderLog.read(0, { maxBytes: 1 << 20 });
    await followerLog.appendAsFollower(bytes);
    expect(followerLog.logEndOffset).toBe(leaderLog.logEndOffset);
    expect(stateOf(followerLog)).toEqual(stateOf(leaderLog));
    // The follower, once leader, deduplicates the last batch and continues the sequence.
    expect(await followerLog.append(idempotent(1, 0, 1, 1), leader)).toMatchObject({ duplicate: true });
    expect(await failureOf(followerLog.append(idempotent(1, 1, 1, 1), leader))).toBe('accepted');
  });

  it('expires idle producers on the leader path', async () => {
    const log = await openLog(await newDir(), { producerIdExpirationMs: 60_000 });
    await log.append(idempotent(1, 0), leader);
    clock.advance(11 * 60 * 1000);
    await log.append(idempotent(2, 0), leader);
    expect(stateOf(log).map((entry) => entry.producerId)).toEqual([2]);
  });

  it('agrees with a replay of its own log after random appends, retries and restarts', async () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('send' as const), producer: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant('retry' as const), producer: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant('restart' as const), crash: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 25 }), async (actions) => {
        const dir = await newDir();
        let log = await openLog(dir);
        const next = [0, 0, 0];
        const offsets = new Map<string, number>();
        for (const step of actions) {
          if (step.kind === 'restart') {
            if (step.crash) await log.closeWithoutMarker();
            else await log.close();
            logs = logs.filter((l) => l !== log);
            log = await openLog(dir);
            continue;
          }
          const sequence = next[step.producer] ?? 0;
          if (step.kind === 'send') {
            const result = await log.append(idempotent(step.producer, sequence, 2), leader);
            expect(result.duplicate).toBeUndefined();
            offsets.set(`${step.producer}:${sequence}`, result.baseOffset);
            next[step.producer] = sequence + 2;
          } else if (sequence > 0) {
            const result = await log.append(idempotent(step.producer, sequence - 2, 2), leader);
            expect(result.duplicate).toBe(true);
            expect(result.baseOffset).toBe(offsets.get(`${step.producer}:${sequence - 2}`));
          }
        }
        await log.close();
        logs = logs.filter((l) => l !== log);
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});
