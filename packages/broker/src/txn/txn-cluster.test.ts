/**
 * The transaction coordinator on running brokers (issue 14): real gRPC, real logs, transactional batches
 * built with @tributary/records. A committed transaction over two topics is read whole by read_committed
 * (the last stable offset moves past its markers); an aborted one is invisible to read_committed and
 * visible to read_uncommitted; a second InitTransactions fences the first producer and aborts its
 * transaction; a transaction past its timeout is aborted by the coordinator; a write to a partition not
 * added is refused (KIP-890); and in a 3-broker cluster, a PrepareCommit whose markers cannot be written
 * survives the coordinator's failover and completes once the partition is back.
 */
import { waitFor } from '@tributary/core/testing';
import { createTransactionCoordinatorClient, unary } from '@tributary/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerHandle } from '../node/broker-node.js';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import { TRANSACTION_STATE_TOPIC } from './limits.js';
import {
  addressOf,
  CALL,
  leaderOf,
  RawTxnProducer,
  readPartition,
  type TopicPartition,
  WAIT_MS,
} from './testing/txn-cluster-harness.js';

let cluster: InProcessCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function startCluster(brokers: number, extra: Record<string, number> = {}): Promise<InProcessCluster> {
  const c = await InProcessCluster.start({
    name: 'trib-txn',
    brokerDefaults: {
      offsetsTopicPartitions: 1,
      offsetsTopicReplicationFactor: brokers,
      transactionStateLogNumPartitions: 3,
      transactionStateLogReplicationFactor: brokers,
      ...extra,
    },
  });
  cluster = c;
  for (let id = 1; id <= brokers; id++) await c.startBroker(id);
  await c.waitUnfenced();
  return c;
}

async function createTopic(c: InProcessCluster, name: string, partitions: number): Promise<void> {
  await unary(
    c.admin(),
    'CreateTopic',
    { name, partitions, replicationFactor: 1, configs: [], validateOnly: false },
    CALL,
  );
  await waitFor(
    `${name} to have leaders`,
    () =>
      c.brokers.every((b) => {
        const topic = b.follower.currentImage().topicByName(name);
        return topic !== undefined && [...topic.partitions.values()].every((p) => p.leader >= 0);
      }),
    WAIT_MS,
  );
}

function broker(c: InProcessCluster, nodeId: number): BrokerHandle {
  const found = [...c.brokers].reverse().find((b) => b.nodeId === nodeId);
  if (found === undefined) throw new Error(`no broker ${nodeId}`);
  return found;
}

async function read(c: InProcessCluster, tp: TopicPartition, readCommitted: boolean, via = broker(c, 1)) {
  const leader = broker(c, leaderOf(via, tp));
  return readPartition(c.brokerClient(leader), tp, readCommitted);
}

/** The transaction's state at its coordinator, found through `via` (a running broker). */
async function describeState(
  c: InProcessCluster,
  transactionalId: string,
  via = broker(c, 1),
): Promise<string> {
  const client = await new RawTxnProducer(c, transactionalId, via).coordinator();
  const response = await unary(client, 'DescribeTransactions', { transactionalIds: [transactionalId] }, CALL);
  const description = response.transactions[0];
  return description?.errorCode === '' ? description.state : (description?.errorCode ?? 'none');
}

describe('transactions on one broker', () => {
  it('commits over two topics, aborts invisibly to read_committed, fences a zombie, refuses unadded partitions', async () => {
    const c = await startCluster(1);
    await createTopic(c, 'orders', 1);
    await createTopic(c, 'payments', 1);
    const orders = { topic: 'orders', partition: 0 };
    const payments = { topic: 'payments', partition: 0 };
    const b1 = broker(c, 1);
    const producer = new RawTxnProducer(c, 'tx-one', b1);
    expect(await producer.init()).toBe('');

    // A transactional write before AddPartitionsToTxn is refused (KIP-890 part 1).
    expect(await producer.produce(orders, ['early'])).toBe('INVALID_TXN_STATE');

    expect(await producer.addPartitions([orders, payments])).toBe('');
    expect(await producer.produce(orders, ['o1', 'o2'])).toBe('');
    expect(await producer.produce(payments, ['p1'])).toBe('');
    const open = await read(c, orders, true);
    expect(open.values).toEqual([]);
    expect(open.lastStableOffset).toBe(0);
    expect(await producer.endTxn(true)).toBe('');
    const committed = await read(c, orders, true);
    expect(committed.values).toEqual(['o1', 'o2']);
    // The marker is at offset 2: the last stable offset is past it.
    expect(committed.lastStableOffset).toBe(3);
    expect(committed.highWatermark).toBe(3);
    expect((await read(c, payments, true)).values).toEqual(['p1']);

    // A second transaction, aborted.
    expect(await producer.addPartitions([orders])).toBe('');
    expect(await producer.produce(orders, ['a1'])).toBe('');
    expect(await producer.endTxn(false)).toBe('');
    expect((await read(c, orders, true)).values).toEqual(['o1', 'o2']);
    expect((await read(c, orders, false)).values).toEqual(['o1', 'o2', 'a1']);
    expect(await describeState(c, 'tx-one')).toBe('CompleteAbort');

    // A zombie: the same id initialised again fences the first producer and aborts its open transaction.
    expect(await producer.addPartitions([orders])).toBe('');
    expect(await producer.produce(orders, ['zombie'])).toBe('');
    const successor = new RawTxnProducer(c, 'tx-one', b1);
    expect(await successor.init()).toBe('');
    expect(successor.producerId).toBe(producer.producerId);
    expect(successor.producerEpoch).toBeGreaterThan(producer.producerEpoch);
    expect(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']).toContain(await producer.endTxn(true));
    expect(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']).toContain(await producer.produce(orders, ['late']));
    const afterFence = await read(c, orders, true);
    expect(afterFence.values).toEqual(['o1', 'o2']);
    expect(afterFence.lastStableOffset).toBe(afterFence.highWatermark);
    expect((await read(c, orders, false)).values).toContain('zombie');

    // The successor's transaction commits as usual.
    expect(await successor.addPartitions([payments])).toBe('');
    expect(await successor.produce(payments, ['p2'])).toBe('');
    expect(await successor.endTxn(true)).toBe('');
    expect((await read(c, payments, true)).values).toEqual(['p1', 'p2']);
  });

  it('aborts a transaction past its timeout', async () => {
    const c = await startCluster(1, { transactionAbortTimedOutTransactionCleanupIntervalMs: 100 });
    await createTopic(c, 'slow', 1);
    const slow = { topic: 'slow', partition: 0 };
    const producer = new RawTxnProducer(c, 'tx-slow', broker(c, 1), 1_500);
    expect(await producer.init()).toBe('');
    expect(await producer.addPartitions([slow])).toBe('');
    expect(await producer.produce(slow, ['never'])).toBe('');
    await waitFor(
      'the coordinator to abort the timed-out transaction',
      async () => (await describeState(c, 'tx-slow')) === 'CompleteAbort',
      WAIT_MS,
    );
    const after = await read(c, slow, true);
    expect(after.values).toEqual([]);
    expect(after.lastStableOffset).toBe(after.highWatermark);
    // The abort bumped the epoch: the old producer is fenced.
    expect(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']).toContain(await producer.endTxn(true));
  });
});

describe('transactions on three brokers', () => {
  it('commits across brokers and resumes a PrepareCommit after the coordinator fails over', async () => {
    const c = await startCluster(3);
    await createTopic(c, 'spread', 3);
    const b1 = broker(c, 1);
    const txnId = 'tx-failover';
    const producer = new RawTxnProducer(c, txnId, b1);
    expect(await producer.init()).toBe('');
    const coordinatorAddress = (
      await unary(
        c.track(createTransactionCoordinatorClient(addressOf(b1))),
        'FindTransactionCoordinator',
        { transactionalId: producer.transactionalId },
        CALL,
      )
    ).nodeId;
    const partitions = [0, 1, 2].map((partition) => ({ topic: 'spread', partition }));
    const leaders = partitions.map((tp) => leaderOf(b1, tp));
    expect(new Set(leaders).size).toBeGreaterThan(1);

    // A transaction over partitions on different brokers commits whole.
    expect(await producer.addPartitions(partitions)).toBe('');
    for (const tp of partitions) expect(await producer.produce(tp, [`first-${tp.partition}`])).toBe('');
    expect(await producer.endTxn(true)).toBe('');
    for (const tp of partitions)
      expect((await read(c, tp, true, b1)).values).toEqual([`first-${tp.partition}`]);

    // The next one includes a partition whose only replica is on a broker that then stops: its marker
    // cannot be written, so the transaction stays in PrepareCommit.
    const coordinatorId = coordinatorAddress;
    const victim = partitions.find((tp) => leaderOf(b1, tp) !== coordinatorId);
    if (victim === undefined) throw new Error('some partition is led away from the coordinator');
    const victimBrokerId = leaderOf(b1, victim);
    expect(await producer.addPartitions(partitions)).toBe('');
    for (const tp of partitions) expect(await producer.produce(tp, [`second-${tp.partition}`])).toBe('');
    await broker(c, victimBrokerId).close();
    const up = (id: number) => id !== victimBrokerId;
    const bystander = broker(c, [1, 2, 3].find(up) ?? -1);
    // EndTxn is answered once every marker is written: here it cannot be, so the call times out.
    expect(await producer.endTxnOnce(true, 1_000)).not.toBe('');
    await waitFor(
      'PrepareCommit',
      async () => (await describeState(c, txnId, bystander)) === 'PrepareCommit',
      WAIT_MS,
    );

    // The coordinator's broker stops too: another broker leads its state partition, loads PrepareCommit
    // and resumes the markers. As in Kafka, a loaded PrepareCommit re-sends every marker (which partitions
    // already had one is not persisted), so the commit completes once both stopped brokers are back.
    await broker(c, coordinatorId).close();
    const survivor = broker(c, [1, 2, 3].find((id) => id !== coordinatorId && id !== victimBrokerId) ?? -1);
    await waitFor(
      'the survivor to lead the state partitions',
      () => {
        const topic = survivor.follower.currentImage().topicByName(TRANSACTION_STATE_TOPIC);
        return [...(topic?.partitions.values() ?? [])].every((p) => p.leader === survivor.nodeId);
      },
      WAIT_MS,
    );
    await waitFor(
      'the new coordinator to load PrepareCommit',
      async () => (await describeState(c, txnId, survivor)) === 'PrepareCommit',
      WAIT_MS,
    );
    await c.startBroker(victimBrokerId);
    await c.startBroker(coordinatorId);
    await waitFor(
      'the markers to complete the commit',
      async () => (await describeState(c, txnId, survivor)) === 'CompleteCommit',
      WAIT_MS,
    );
    for (const tp of partitions) {
      await waitFor(`${tp.topic}-${tp.partition} led again`, () => leaderOf(survivor, tp) >= 0, WAIT_MS);
      expect((await read(c, tp, true, survivor)).values).toEqual([
        `first-${tp.partition}`,
        `second-${tp.partition}`,
      ]);
    }
  });
});
