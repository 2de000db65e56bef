/**
 * OffsetForLeaderEpoch as consumers see it across leader changes (KIP-320), over real replication: each
 * epoch ends where the next starts, the current one at the log end (even before its first append), later
 * epochs are unknown, the client's current epoch is fenced as in Fetch, and only the leader answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { endOffsetOf, type LeaderEpochEndOffset } from './offset-for-leader-epoch.js';
import type { ReplicaManager } from './replica-manager.js';
import { produceTo, ReplicaTestCluster, testBatch, waitUntil } from './test-cluster.js';

const TOPIC = 'epochs';

let cluster: ReplicaTestCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

function ask(
  manager: ReplicaManager,
  leaderEpoch: number,
  currentLeaderEpoch = -1,
  topic = TOPIC,
): Pick<LeaderEpochEndOffset, 'errorCode' | 'leaderEpoch' | 'endOffset'> {
  const [answer] = manager.offsetForLeaderEpoch([{ topic, partition: 0, currentLeaderEpoch, leaderEpoch }]);
  if (answer === undefined) throw new Error('no answer');
  return { errorCode: answer.errorCode, leaderEpoch: answer.leaderEpoch, endOffset: answer.endOffset };
}

const ok = (leaderEpoch: number, endOffset: number) => ({ errorCode: '', leaderEpoch, endOffset });
const UNDEFINED = ok(-1, -1);

async function produceOn(c: ReplicaTestCluster, leader: number, records: number): Promise<void> {
  expect((await produceTo(c.manager(leader), TOPIC, testBatch(records, 10), -1)).errorCode).toBe('');
}

async function allCaughtUp(c: ReplicaTestCluster, logEnd: number): Promise<void> {
  await waitUntil(`every replica to hold ${logEnd} records`, () =>
    [1, 2, 3].every((id) => c.manager(id).partitionReplica(TOPIC, 0)?.log.logEndOffset === logEnd),
  );
}

describe('OffsetForLeaderEpoch on the replica manager', () => {
  it('answers each epoch across leader changes, fences the current epoch and answers only on the leader', async () => {
    const c = await ReplicaTestCluster.start([1, 2, 3]);
    cluster = c;
    for (const id of [1, 2, 3]) await c.startBroker(id);
    await c.createTopic(TOPIC, [1, 2, 3]);
    await produceOn(c, 1, 5); // epoch 0: offsets 0..4
    await allCaughtUp(c, 5);
    await c.changePartition(TOPIC, { leader: 2 }); // epoch 1
    await produceOn(c, 2, 3); // epoch 1: offsets 5..7
    await allCaughtUp(c, 8);
    await c.changePartition(TOPIC, { leader: 3 }); // epoch 2, nothing written yet

    const leader = c.manager(3);
    expect(ask(leader, 0)).toEqual(ok(0, 5));
    expect(ask(leader, 1)).toEqual(ok(1, 8));
    // The current epoch ends at the log end before its first append too (Kafka's leader caches it at once).
    expect(ask(leader, 2)).toEqual(ok(2, 8));
    expect(ask(leader, 3)).toEqual(UNDEFINED);
    expect(ask(leader, -1)).toEqual(UNDEFINED);
    expect(ask(leader, 1, 2)).toEqual(ok(1, 8));
    expect(ask(leader, 1, 1).errorCode).toBe('FENCED_LEADER_EPOCH');
    expect(ask(leader, 1, 3).errorCode).toBe('UNKNOWN_LEADER_EPOCH');
    expect(ask(c.manager(1), 1).errorCode).toBe('NOT_LEADER');
    expect(ask(c.manager(2), 1, 2).errorCode).toBe('NOT_LEADER');
    expect(ask(leader, 0, -1, 'nope').errorCode).toBe('UNKNOWN_TOPIC_OR_PARTITION');

    await produceOn(c, 3, 2); // epoch 2: offsets 8..9
    expect(ask(leader, 2)).toEqual(ok(2, 10));
    expect(ask(leader, 1)).toEqual(ok(1, 8));

    // Epoch 0's records deleted: it answers itself and the log start (Kafka's rule), so a consumer at
    // offset 6 of epoch 1 keeps its position, and one that stopped in epoch 0 sees a position <= 6.
    const [deleted] = await leader.deleteRecords({
      timeoutMs: 10_000,
      topics: [{ name: TOPIC, partitions: [{ partition: 0, offset: 6 }] }],
    });
    expect(deleted?.errorCode).toBe('');
    expect(ask(leader, 0)).toEqual(ok(0, 6));
    expect(ask(leader, 1)).toEqual(ok(1, 8));
  });
});

describe('endOffsetOf', () => {
  const log = {
    logEndOffset: 30,
    endOffsetForEpoch: (epoch: number) => ({ leaderEpoch: Math.min(epoch, 4), endOffset: 20 }),
  };
  it('answers the current epoch with the log end and a later one as unknown, else the epoch cache', () => {
    expect(endOffsetOf(6, 6, log)).toEqual({ leaderEpoch: 6, endOffset: 30 });
    expect(endOffsetOf(7, 6, log)).toEqual({ leaderEpoch: -1, endOffset: -1 });
    expect(endOffsetOf(-1, 6, log)).toEqual({ leaderEpoch: -1, endOffset: -1 });
    expect(endOffsetOf(5, 6, log)).toEqual({ leaderEpoch: 4, endOffset: 20 });
  });
});
