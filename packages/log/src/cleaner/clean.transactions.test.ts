/**
 * Scenarios of the cleaner with transactions, step by step: an aborted transaction's life (data removed,
 * marker kept while its data is read, then until delete.retention.ms, then removed with its index entry),
 * a producer's newest marker holding its bumped epoch across cleaning and a crash, and a crash at each
 * step of a pass that removes an ABORT marker (the `.txnindex` is replaced after the segment, swap.ts).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { encodeControlBatch } from '@tributary/records';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../partition-log.js';
import type { SwapStep } from './swap.js';
import { keyedBatch, readAllRecords } from './test-records.js';

const RETENTION_MS = 10_000;
const TXN_PRODUCER = 7;
const OTHER_PRODUCER = 8;

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

async function openLog(dir?: string): Promise<PartitionLog> {
  const logDir = dir ?? (await mkdtemp(join(tmpdir(), 'tributary-cleaner-txn-')));
  if (dir === undefined) dirs.push(logDir);
  const log = await PartitionLog.open({
    dir: logDir,
    config: {
      segmentBytes: 1024,
      indexIntervalBytes: 128,
      cleanupPolicy: 'compact',
      deleteRetentionMs: RETENTION_MS,
    },
    clock,
  });
  logs.push(log);
  return log;
}

const value = (i: number) => `value-${i}`.padEnd(60, '.');

async function appendTxn(
  log: PartitionLog,
  input: { epoch: number; sequence: number; key: string; i: number },
) {
  const batch = keyedBatch({
    records: [{ key: input.key, value: value(input.i) }],
    timestampMs: clock.nowMs(),
    producerId: TXN_PRODUCER,
    producerEpoch: input.epoch,
    baseSequence: input.sequence,
    isTransactional: true,
  });
  return log.append(batch, { leaderEpoch: 0, assignOffsets: true });
}

async function appendMarker(log: PartitionLog, marker: 'commit' | 'abort', epoch: number) {
  const batch = encodeControlBatch({
    producerId: TXN_PRODUCER,
    producerEpoch: epoch,
    marker,
    coordinatorEpoch: 0,
    timestampMs: clock.nowMs(),
  });
  return log.append(batch, { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' });
}

/** Plain updates of keys k0..k4 by another idempotent producer, enough to roll `segments` segments. */
async function appendPlain(log: PartitionLog, segments: number): Promise<void> {
  const target = log.segmentCount + segments;
  for (let i = 0; log.segmentCount < target; i++) {
    const batch = keyedBatch({
      records: [{ key: `k${i % 5}`, value: value(i) }],
      timestampMs: clock.nowMs(),
      producerId: OTHER_PRODUCER,
      producerEpoch: 0,
      baseSequence: plainSequence++,
    });
    await log.append(batch, { leaderEpoch: 0, assignOffsets: true });
  }
}
let plainSequence = 0;

async function cleanAll(log: PartitionLog) {
  return log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
}

async function markerOffsets(log: PartitionLog): Promise<number[]> {
  const offsets: number[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const part = await log.read(next, { maxBytes: 1024 * 1024 });
    if (part.bytes.length === 0) break;
    for (let at = 0; at < part.bytes.length; ) {
      const size = 12 + part.bytes.readInt32BE(at + 8);
      if ((part.bytes.readInt16BE(at + 21) & 0x20) !== 0) offsets.push(Number(part.bytes.readBigInt64BE(at)));
      at += size;
    }
    next = part.nextOffset;
  }
  return offsets;
}

/** An aborted transaction of two batches (keys shared with nothing else) and its ABORT marker. */
async function abortedTransaction(log: PartitionLog, epoch: number) {
  const first = await appendTxn(log, { epoch, sequence: 0, key: 'aborted-1', i: 1 });
  await appendTxn(log, { epoch, sequence: 1, key: 'aborted-2', i: 2 });
  const marker = await appendMarker(log, 'abort', epoch);
  return { firstOffset: first.baseOffset, markerOffset: marker.baseOffset };
}

describe('the cleaner with an aborted transaction', () => {
  it('removes the data, then the marker and its index entry once no data is left and the horizon passed', async () => {
    plainSequence = 0;
    const log = await openLog();
    const { markerOffset } = await abortedTransaction(log, 0);
    // The producer writes on (committed), so the marker is not its newest entry.
    await appendTxn(log, { epoch: 0, sequence: 2, key: 'committed', i: 3 });
    await appendMarker(log, 'commit', 0);
    await appendPlain(log, 2);
    expect(await log.abortedTransactions(0, log.logEndOffset)).toHaveLength(1);

    await cleanAll(log);
    const keys = (await readAllRecords(log)).map((record) => record.key);
    expect(keys).not.toContain('aborted-1');
    expect(keys).not.toContain('aborted-2');
    expect(keys).toContain('committed');
    // Its data was read by this pass: the marker and its index entry stay.
    expect(await markerOffsets(log)).toContain(markerOffset);
    expect(await log.abortedTransactions(0, log.logEndOffset)).toHaveLength(1);

    // No data is left, but the horizon has not passed.
    await appendPlain(log, 1);
    await cleanAll(log);
    expect(await markerOffsets(log)).toContain(markerOffset);

    clock.advance(RETENTION_MS);
    await appendPlain(log, 1);
    await cleanAll(log);
    expect(await markerOffsets(log)).not.toContain(markerOffset);
    expect(await log.abortedTransactions(0, log.logEndOffset)).toEqual([]);
    // The committed transaction's data holds its marker.
    expect((await markerOffsets(log)).length).toBe(1);
    const dir = dirs[0] ?? '';
    await log.closeWithoutMarker();
    const reopened = await openLog(dir);
    expect(reopened.firstUnstableOffset).toBeNull();
    expect(await reopened.abortedTransactions(0, reopened.logEndOffset)).toEqual([]);
  });

  it("keeps a producer's newest marker, so its bumped epoch survives cleaning and a crash", async () => {
    plainSequence = 0;
    const log = await openLog();
    await appendTxn(log, { epoch: 0, sequence: 0, key: 'aborted-1', i: 1 });
    // A coordinator timing the transaction out aborts it with the producer's epoch bumped.
    const { baseOffset: markerOffset } = await appendMarker(log, 'abort', 1);
    await appendPlain(log, 3);
    await cleanAll(log);
    clock.advance(RETENTION_MS);
    await appendPlain(log, 1);
    await cleanAll(log);
    await cleanAll(log);
    expect((await readAllRecords(log)).map((record) => record.key)).not.toContain('aborted-1');
    expect(await markerOffsets(log)).toEqual([markerOffset]);

    const dir = dirs[0] ?? '';
    await log.closeWithoutMarker();
    const reopened = await openLog(dir);
    expect(reopened.producers.entry(TXN_PRODUCER)?.producerEpoch).toBe(1);
    await expect(appendTxn(reopened, { epoch: 0, sequence: 1, key: 'zombie', i: 9 })).rejects.toMatchObject({
      code: 'INVALID_PRODUCER_EPOCH',
    });
  });
});

describe('a crash at each step of a pass removing an ABORT marker', () => {
  const steps: readonly SwapStep[] = [
    'cleaned-written',
    'swap-renamed',
    'checkpoint-written',
    'old-renamed',
    'swap-installed',
    'deleted-removed',
  ];
  for (const step of steps) {
    it(`${step}: read_committed and the aborted index agree with the log after reopening`, async () => {
      plainSequence = 0;
      const log = await openLog();
      const dir = dirs[0] ?? '';
      const { markerOffset } = await abortedTransaction(log, 0);
      await appendTxn(log, { epoch: 0, sequence: 2, key: 'committed', i: 3 });
      await appendMarker(log, 'commit', 0);
      await appendPlain(log, 2);
      await cleanAll(log);
      clock.advance(RETENTION_MS);
      await appendPlain(log, 1);
      let crashed = false;
      await log
        .clean({
          nowMs: clock.nowMs(),
          upperBoundOffset: log.logEndOffset,
          onSwapStep: (at) => {
            if (at === step && !crashed) {
              crashed = true;
              throw new Error(`injected crash at ${step}`);
            }
          },
        })
        .catch((error: unknown) => {
          expect(String(error)).toContain('injected crash');
        });
      expect(crashed).toBe(true);
      await log.closeWithoutMarker();
      const reopened = await openLog(dir);
      expect((await readdir(dir)).filter((name) => /\.(cleaned|swap|deleted)$/.test(name))).toEqual([]);
      expect(reopened.firstUnstableOffset).toBeNull();
      const keys = (await readAllRecords(reopened)).map((record) => record.key);
      expect(keys).not.toContain('aborted-1');
      expect(keys).toContain('committed');
      // Whether the marker went or not, the index lists nothing with data left to hide, and never an
      // aborted transaction whose data is still there is missing (its data is gone here already).
      const markers = await markerOffsets(reopened);
      for (const entry of await reopened.abortedTransactions(0, reopened.logEndOffset)) {
        expect(entry.lastOffset).toBe(markerOffset);
      }
      // A later pass finishes the job.
      await cleanAll(reopened);
      expect(await markerOffsets(reopened)).not.toContain(markerOffset);
      expect(markers.length).toBeGreaterThanOrEqual(1);
    });
  }
});
