import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { PartitionLog } from '@tributary/log';
import type { AlterPartitionItem, AlterPartitionResult__Output } from '@tributary/protocol';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IsrReporter } from './isr-reporter.js';
import { Partition } from './partition.js';

let dir = '';
const logs: PartitionLog[] = [];
const clock = new ManualClock(1_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isr-reporter-'));
});
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  await rm(dir, { recursive: true, force: true });
});

/** A partition this broker (1) leads with ISR [1] and follower 2 out of it. */
async function ledPartition(index: number): Promise<Partition> {
  const log = await PartitionLog.open({ dir: join(dir, `t-${index}`), clock });
  logs.push(log);
  const metadata = { topicId: 't', leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1, 2], isr: [1] };
  const partition = new Partition({
    topic: 't',
    partition: index,
    brokerId: 1,
    log,
    metadata,
    minInsyncReplicas: 1,
  });
  partition.becomeLeader(metadata, clock.nowMs());
  return partition;
}

/** Follower 2 fetched at the leader's end: it is caught up and due to join the ISR. */
function caughtUp(partition: Partition): void {
  partition.leaderState()?.recordFollowerFetch(2, 0, clock.nowMs());
}

describe('IsrReporter', () => {
  it('sends the expansions of one fetch together, and what comes while a request is out in the next one', async () => {
    const calls: AlterPartitionItem[][] = [];
    const answers: (() => void)[] = [];
    const reporter = new IsrReporter({
      clock,
      logger: pino({ level: 'silent' }),
      lagMaxMs: 10_000,
      alterPartition: (items) => {
        calls.push(items);
        return new Promise<AlterPartitionResult__Output[]>((resolve) => {
          answers.push(() =>
            resolve(
              items.map((item) => ({
                topic: item.topic ?? '',
                partition: item.partition ?? 0,
                errorCode: 'FAILED',
                errorMessage: '',
                partitionInfo: null,
              })),
            ),
          );
        });
      },
    });
    const partitions = await Promise.all([0, 1, 2, 3, 4].map(ledPartition));
    for (const partition of partitions.slice(0, 3)) {
      caughtUp(partition);
      reporter.afterFollowerFetch(partition);
    }
    await Promise.resolve();
    expect(calls.map((items) => items.map((item) => item.partition))).toEqual([[0, 1, 2]]);
    // While that request is out, two more partitions catch up: they wait, then go in one request.
    for (const partition of partitions.slice(3)) {
      caughtUp(partition);
      reporter.afterFollowerFetch(partition);
    }
    await Promise.resolve();
    expect([calls.length, reporter.pendingCount]).toEqual([1, 2]);
    answers[0]?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((items) => items.map((item) => item.partition))).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(calls[1]?.[0]?.newIsr).toEqual([1, 2]);
    answers[1]?.();
  });

  it('frees the partitions and sends what waits when an AlterPartition call fails', async () => {
    const calls: AlterPartitionItem[][] = [];
    let fail = true;
    const reporter = new IsrReporter({
      clock,
      logger: pino({ level: 'silent' }),
      lagMaxMs: 10_000,
      alterPartition: async (items) => {
        calls.push(items);
        if (fail) throw new Error('no active controller answered');
        return items.map((item) => ({
          topic: item.topic ?? '',
          partition: item.partition ?? 0,
          errorCode: '',
          errorMessage: '',
          partitionInfo: null,
        }));
      },
    });
    const [first, second] = await Promise.all([0, 1].map(ledPartition));
    if (first === undefined || second === undefined) throw new Error('test: no partitions');
    caughtUp(first);
    reporter.afterFollowerFetch(first);
    caughtUp(second);
    reporter.afterFollowerFetch(second);
    await new Promise((resolve) => setImmediate(resolve));
    // Both went in one call, which failed: neither is left in flight, so the next look proposes them again.
    expect(calls.map((items) => items.length)).toEqual([2]);
    expect(first.leaderState()?.alterInFlight).toBe(false);
    fail = false;
    reporter.checkIsr([first, second]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((items) => items.map((item) => item.partition))).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(reporter.pendingCount).toBe(0);
  });
});
