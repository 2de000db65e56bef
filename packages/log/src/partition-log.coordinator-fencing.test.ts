/**
 * Coordinator fencing through the partition log: markers appended with origin 'coordinator' carry their
 * coordinator epoch in the control record, the leader refuses an older one, and the epoch survives a clean
 * close (the producer snapshot), a crash (the scan) and replication (a follower's state).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import { PartitionLog } from './partition-log.js';

const PRODUCER_ID = 42;

let dirs: string[];
let logs: PartitionLog[];
const clock = new ManualClock(1_000_000);

beforeEach(() => {
  dirs = [];
  logs = [];
});

afterEach(async () => {
  for (const log of logs) await log.closeWithoutMarker().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-coordinator-fencing-'));
  dirs.push(dir);
  return dir;
}

async function openLog(dir: string): Promise<PartitionLog> {
  const log = await PartitionLog.open({
    dir,
    clock,
    config: { segmentBytes: 1024, indexIntervalBytes: 256 },
  });
  logs.push(log);
  return log;
}

/** Closes `log` (cleanly or as a crash) and opens its directory again. */
async function reopen(log: PartitionLog, dir: string, clean: boolean): Promise<PartitionLog> {
  if (clean) await log.close();
  else await log.closeWithoutMarker();
  logs = logs.filter((open) => open !== log);
  return openLog(dir);
}

function txnBatch(sequence: number): Buffer {
  return encodeRecordBatch({
    producerId: PRODUCER_ID,
    producerEpoch: 0,
    baseSequence: sequence,
    isTransactional: true,
    records: [{ key: null, value: Buffer.from(`r${sequence}`), timestampMs: 1_000 }],
  });
}

function marker(coordinatorEpoch: number, kind: 'commit' | 'abort' = 'abort'): Buffer {
  return encodeControlBatch({
    producerId: PRODUCER_ID,
    producerEpoch: 0,
    marker: kind,
    coordinatorEpoch,
    timestampMs: 1_000,
  });
}

const asLeader = { leaderEpoch: 0, assignOffsets: true } as const;
const asCoordinator = { ...asLeader, origin: 'coordinator' } as const;

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LogAppendError) return `${error.failure}/${error.code}`;
    throw error;
  }
  return 'accepted';
}

/** Opens a transaction at the log end and returns its first offset. */
async function openTransaction(log: PartitionLog, sequence: number): Promise<number> {
  return (await log.append(txnBatch(sequence), asLeader)).baseOffset;
}

/** A stale ABORT is refused with nothing written; the open transaction stays open. */
async function expectFenced(log: PartitionLog, coordinatorEpoch: number): Promise<void> {
  const end = log.logEndOffset;
  const firstUnstable = log.firstUnstableOffset;
  expect(await failureOf(log.append(marker(coordinatorEpoch), asCoordinator))).toBe(
    'TRANSACTION_COORDINATOR_FENCED/TRANSACTION_COORDINATOR_FENCED',
  );
  expect(log.logEndOffset).toBe(end);
  expect(log.firstUnstableOffset).toBe(firstUnstable);
}

describe('PartitionLog coordinator fencing', () => {
  it('refuses a marker from an older coordinator, before and after a clean close and a crash', async () => {
    const dir = await newDir();
    const log = await openLog(dir);
    await openTransaction(log, 0);
    await log.append(marker(3, 'commit'), asCoordinator);
    expect(log.producers.entry(PRODUCER_ID)?.coordinatorEpoch).toBe(3);
    const first = await openTransaction(log, 1);
    await expectFenced(log, 2);
    expect(log.firstUnstableOffset).toBe(first);
    expect(await log.abortedTransactions(0, log.logEndOffset)).toEqual([]);

    const reopened = await reopen(log, dir, true);
    // From the snapshot (a clean close): a v2 snapshot would have forgotten the epoch.
    await expectFenced(reopened, 2);
    const recovered = await reopen(reopened, dir, false);
    // From the scan (a crash): the epoch is read back from the COMMIT marker in the log.
    await expectFenced(recovered, 2);
    expect(recovered.firstUnstableOffset).toBe(first);
    // The current coordinator's marker goes in and closes the transaction.
    expect(await failureOf(recovered.append(marker(3), asCoordinator))).toBe('accepted');
    expect(recovered.firstUnstableOffset).toBeNull();
    expect(await recovered.abortedTransactions(0, recovered.logEndOffset)).toEqual([
      { producerId: PRODUCER_ID, firstOffset: first, lastOffset: recovered.logEndOffset - 1 },
    ]);
  });

  it('gives a follower the coordinator epoch the leader has', async () => {
    const leader = await openLog(await newDir());
    const follower = await openLog(await newDir());
    await openTransaction(leader, 0);
    await leader.append(marker(5, 'commit'), asCoordinator);
    await openTransaction(leader, 1);
    const { bytes } = await leader.read(0, { maxBytes: 1 << 20 });
    await follower.appendAsFollower(bytes);
    expect(follower.producers.entry(PRODUCER_ID)?.coordinatorEpoch).toBe(5);
    // Promoted, the follower fences the deposed coordinator just as the old leader would have.
    await expectFenced(follower, 4);
    expect(await failureOf(follower.append(marker(6, 'commit'), asCoordinator))).toBe('accepted');
    expect(follower.producers.entry(PRODUCER_ID)?.coordinatorEpoch).toBe(6);
  });
});
