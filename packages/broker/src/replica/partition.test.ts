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

function leaderPartition(minInsyncReplicas = 2): Partition {
  const partition = new Partition({
    topic: 't',
    partition: 0,
    brokerId: 1,
    log,
    metadata: metadata(),
    minInsyncReplicas,
  });
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
