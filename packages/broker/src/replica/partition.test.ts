import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssertionError, ManualClock } from '@tributary/core';
import { PartitionLog } from '@tributary/log';
import { encodeRecordBatch } from '@tributary/records';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Partition, type PartitionMetadata, type ProduceOutcome } from './partition.js';

const metadata = (overrides: Partial<PartitionMetadata> = {}): PartitionMetadata => ({
  topicId: 't',
  leader: 1,
  leaderEpoch: 0,
  partitionEpoch: 0,
  replicas: [1, 2, 3],
  isr: [1, 2, 3],
  ...overrides,
});

function batch(count: number): Buffer {
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: null,
      value: Buffer.from(`v${i}`),
      timestampMs: i,
    })),
  });
}

let dir = '';
let log: PartitionLog;
const clock = new ManualClock(0);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partition-'));
  log = await PartitionLog.open({ dir, clock });
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

/** Partition t-0 on broker 1 over this test's log, not yet leader or follower of anything. */
function newPartition(minInsyncReplicas = 2, onProduceWaiting?: (partition: Partition) => void): Partition {
  return new Partition({
    topic: 't',
    partition: 0,
    brokerId: 1,
    log,
    metadata: metadata(),
    minInsyncReplicas,
    ...(onProduceWaiting === undefined ? {} : { onProduceWaiting }),
  });
}

function leaderPartition(minInsyncReplicas = 2): Partition {
  const partition = newPartition(minInsyncReplicas);
  partition.becomeLeader(metadata(), clock.nowMs());
  return partition;
}

describe('Partition delayed produce', () => {
  it('settles acks=all waiters when the high watermark passes them, in any order', async () => {
    const partition = leaderPartition();
    const appended = await log.append(batch(3), { leaderEpoch: 0, assignOffsets: true });
    partition.onLeaderAppend(appended.logEndOffset);
    const outcomes: [number, ProduceOutcome][] = [];
    partition.addProduceWaiter(1, 100, (o) => outcomes.push([1, o]));
    partition.addProduceWaiter(3, 100, (o) => outcomes.push([3, o]));
    const state = partition.leaderState();
    state?.recordFollowerFetch(2, 2, 1);
    state?.recordFollowerFetch(3, 1, 1);
    partition.onLeaderStateChanged();
    expect(outcomes).toEqual([[1, { ok: true }]]);
    state?.recordFollowerFetch(3, 3, 2);
    partition.onLeaderStateChanged();
    expect(outcomes).toEqual([[1, { ok: true }]]); // 2 is still at 2
    state?.recordFollowerFetch(2, 3, 2);
    partition.onLeaderStateChanged();
    expect(outcomes).toEqual([
      [1, { ok: true }],
      [3, { ok: true }],
    ]);
  });

  it('times waiters out by deadline and fails them on losing leadership', async () => {
    const partition = leaderPartition();
    const appended = await log.append(batch(1), { leaderEpoch: 0, assignOffsets: true });
    partition.onLeaderAppend(appended.logEndOffset);
    const outcomes: ProduceOutcome[] = [];
    partition.addProduceWaiter(1, 50, (o) => outcomes.push(o));
    partition.addProduceWaiter(1, 500, (o) => outcomes.push(o));
    partition.expireProduceWaiters(49);
    expect(outcomes).toEqual([]);
    partition.expireProduceWaiters(50);
    expect(outcomes).toEqual([{ ok: false, code: 'REQUEST_TIMED_OUT' }]);
    partition.becomeFollower(metadata({ leader: 2, leaderEpoch: 1, partitionEpoch: 1 }));
    expect(outcomes[1]).toEqual({ ok: false, code: 'NOT_LEADER' });
    expect(partition.role.kind).toBe('follower');
  });

  it('fails waiters with NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR drops below the minimum', async () => {
    const partition = leaderPartition(2);
    const appended = await log.append(batch(1), { leaderEpoch: 0, assignOffsets: true });
    partition.onLeaderAppend(appended.logEndOffset);
    const outcomes: ProduceOutcome[] = [];
    partition.addProduceWaiter(1, 500, (o) => outcomes.push(o));
    partition.applyPartitionChange(metadata({ partitionEpoch: 1, isr: [1, 2] }));
    expect(outcomes).toEqual([]);
    partition.applyPartitionChange(metadata({ partitionEpoch: 2, isr: [1] }));
    expect(outcomes).toEqual([{ ok: false, code: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' }]);
  });
});

describe('Partition roles', () => {
  it('only lets leader epochs grow and caps a follower high watermark at its log end', async () => {
    const partition = new Partition({
      topic: 't',
      partition: 0,
      brokerId: 2,
      log,
      metadata: metadata(),
      minInsyncReplicas: 1,
    });
    partition.becomeFollower(metadata({ leaderEpoch: 3 }));
    expect(() => partition.becomeFollower(metadata({ leaderEpoch: 3 }))).toThrow(AssertionError);
    expect(() => partition.becomeLeader(metadata({ leaderEpoch: 2, leader: 2 }), 0)).toThrow(AssertionError);
    await log.appendAsFollower(
      encodeRecordBatch({ partitionLeaderEpoch: 3, records: [{ key: null, value: null, timestampMs: 0 }] }),
    );
    partition.updateFollowerHighWatermark(10);
    expect(partition.highWatermark).toBe(1);
    partition.becomeLeader(metadata({ leader: 2, leaderEpoch: 4 }), 0);
    expect(partition.highWatermark).toBe(1);
    expect(partition.leaderState()?.leaderEpochStartOffset).toBe(1);
  });

  it('wakes long polls when the high watermark moves and bounds nothing silently', async () => {
    const partition = leaderPartition(1);
    let woken = 0;
    const unsubscribe = partition.onHighWatermark(() => woken++);
    expect(unsubscribe).not.toBeNull();
    const appended = await log.append(batch(1), { leaderEpoch: 0, assignOffsets: true });
    partition.onLeaderAppend(appended.logEndOffset);
    expect(woken).toBe(0); // the ISR has not fetched yet
    partition.leaderState()?.recordFollowerFetch(2, 1, 1);
    partition.leaderState()?.recordFollowerFetch(3, 1, 1);
    partition.onLeaderStateChanged();
    expect(woken).toBe(1);
    expect(partition.highWatermark).toBe(1);
  });
});

describe('Partition parked writes', () => {
  it('tells its owner when the first acks=all write parks, so a deadline sweep visits only such partitions', () => {
    const waiting: Partition[] = [];
    const partition = newPartition(2, (p) => waiting.push(p));
    partition.becomeLeader(metadata(), clock.nowMs());
    const outcomes: ProduceOutcome[] = [];
    partition.addProduceWaiter(1, 100, (outcome) => outcomes.push(outcome));
    partition.addProduceWaiter(2, 200, (outcome) => outcomes.push(outcome));
    expect(waiting).toEqual([partition]);
    expect(partition.produceWaiterCount).toBe(2);
    partition.expireProduceWaiters(150);
    expect([partition.produceWaiterCount, outcomes]).toEqual([1, [{ ok: false, code: 'REQUEST_TIMED_OUT' }]]);
    partition.expireProduceWaiters(250);
    partition.addProduceWaiter(3, 300, (outcome) => outcomes.push(outcome));
    expect(waiting).toEqual([partition, partition]); // parked again after it had none
  });
});

describe('Partition.appendRecordsToLeader (the leader append)', () => {
  const request = (records: Buffer, acks: -1 | 0 | 1) => ({
    records,
    acks,
    timeoutMs: 5_000,
    origin: 'client' as const,
    transactionalId: '',
    verifier: null,
    clock,
  });

  it('appends, moves the log end and answers acks=1 at once with the base offset', async () => {
    const partition = leaderPartition();
    await partition.appendRecordsToLeader(request(batch(2), 1));
    const outcome = await partition.appendRecordsToLeader(request(batch(3), 1));
    expect(outcome).toEqual({ ok: true, baseOffset: 2, leaderEpoch: 0 });
    expect(partition.leaderState()?.leaderLogEndOffset).toBe(5);
  });

  it('answers acks=all once the high watermark passes the write, not before', async () => {
    const partition = leaderPartition();
    let settled = false;
    const pending = partition.appendRecordsToLeader(request(batch(3), -1)).then((outcome) => {
      settled = true;
      return outcome;
    });
    await waitUntil(() => partition.leaderState()?.leaderLogEndOffset === 3);
    partition.leaderState()?.recordFollowerFetch(2, 3, 1);
    partition.onLeaderStateChanged();
    await Promise.resolve();
    expect(settled).toBe(false); // replica 3 is in the ISR and has not fetched
    partition.leaderState()?.recordFollowerFetch(3, 3, 1);
    partition.onLeaderStateChanged();
    expect(await pending).toEqual({ ok: true, baseOffset: 0, leaderEpoch: 0 });
  });

  it('refuses on a follower, below min.insync.replicas, and for a batch the producer rules refuse', async () => {
    const follower = newPartition();
    follower.becomeFollower(metadata({ leader: 2 }));
    expect(await follower.appendRecordsToLeader(request(batch(1), 1))).toMatchObject({
      ok: false,
      code: 'NOT_LEADER',
    });

    const leader = newPartition();
    leader.becomeLeader(metadata({ leaderEpoch: 1, isr: [1] }), 0);
    expect(await leader.appendRecordsToLeader(request(batch(1), -1))).toMatchObject({
      ok: false,
      code: 'NOT_ENOUGH_REPLICAS',
    });
    const corrupt = batch(1);
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1); // the CRC no longer matches
    expect(await leader.appendRecordsToLeader(request(corrupt, 1))).toMatchObject({
      ok: false,
      code: 'CORRUPT_MESSAGE',
    });
    expect(log.logEndOffset).toBe(0);
  });

  it('fails a waiting acks=all write with NOT_LEADER when leadership moves', async () => {
    const partition = leaderPartition();
    const pending = partition.appendRecordsToLeader(request(batch(1), -1));
    await waitUntil(() => partition.leaderState()?.leaderLogEndOffset === 1);
    partition.becomeFollower(metadata({ leader: 2, leaderEpoch: 1 }));
    expect(await pending).toMatchObject({ ok: false, code: 'NOT_LEADER' });
  });
});

/** Lets the append's awaits run (at most 2,000 turns of 1 ms): the log's write completes on the thread pool. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 2_000 && !condition(); turn++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(condition()).toBe(true);
}
