import { SeededRandom } from '@tributary/core';
import type {
  AddPartitionsToTxnRequest__Output,
  EndTxnRequest__Output,
  InitTransactionsRequest__Output,
  TxnOffsetCommitRequest__Output,
} from '@tributary/protocol';
import { readBatchHeader, splitBatches } from '@tributary/records';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { type FakeCluster, startFakeCluster } from './testing/fake-broker.js';
import {
  createFakeTransactions,
  type FakeTransactionMethod,
  type FakeTransactions,
} from './testing/fake-transactions.js';

/** Every batch header stored in a partition of the fake cluster. */
function headers(cluster: FakeCluster, topic: string, partition: number) {
  return cluster
    .log(topic, partition)
    .batches.flatMap((b) => splitBatches(b.bytes).batches.map((h) => readBatchHeader(h.bytes())));
}

describe('transactional producer against a fake coordinator', () => {
  let cluster: FakeCluster;
  let fake: FakeTransactions;
  let client: TributaryClient;
  let seq = 0;

  beforeAll(async () => {
    fake = createFakeTransactions();
    cluster = await startFakeCluster({
      brokers: 2,
      topics: { out: 2, again: 1, fenced: 1, broken: 1, offsets: 1, lazy: 1, wait: 1 },
      extraServices: (server, index) => fake.services(server, index),
    });
    fake.addresses = cluster.bootstrap;
  });
  afterAll(async () => {
    client?.close();
    await cluster.stop();
  });
  beforeEach(() => {
    client?.close();
    client = new TributaryClient({ bootstrap: [cluster.bootstrap[0] ?? ''], random: new SeededRandom(7) });
    fake.coordinator = 1;
    fake.requests.length = 0;
    fake.clearInjected();
    fake.onEnd = undefined;
  });

  const requestsOf = <T>(method: FakeTransactionMethod): T[] =>
    fake.requests.filter((r) => r.method === method).map((r) => r.request as T);
  const txnId = (): string => `txn-${++seq}`;

  it('initializes once, adds each partition once, writes transactional batches and commits', async () => {
    const id = txnId();
    const producer = client.producer({ transactionalId: id, transactionTimeoutMs: 30_000 });
    expect(producer.idempotent).toBe(true);
    const txn = await producer.transaction();
    expect(txn.isActive()).toBe(true);
    await txn.send({ topic: 'out', messages: [{ value: 'a', partition: 0 }] });
    await txn.send('out', [
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
    ]);
    await txn.commit();
    expect(txn.isActive()).toBe(false);

    const [init, ...moreInits] = requestsOf<InitTransactionsRequest__Output>('InitTransactions');
    expect(moreInits).toEqual([]);
    expect(init).toMatchObject({ transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1 });
    const identity = fake.transactionalIds.get(id);
    const adds = requestsOf<AddPartitionsToTxnRequest__Output>('AddPartitionsToTxn');
    expect(adds.map((a) => a.partitions)).toEqual([
      [{ topic: 'out', partitions: [0] }],
      [{ topic: 'out', partitions: [1] }],
    ]);
    for (const partition of [0, 1]) {
      for (const header of headers(cluster, 'out', partition)) {
        expect(header.isTransactional).toBe(true);
        expect(header.producerId).toBe(identity?.producerId);
        expect(header.producerEpoch).toBe(identity?.producerEpoch);
      }
    }
    expect(fake.ended).toContainEqual(expect.objectContaining({ transactionalId: id, commit: true }));

    // Sequences continue per partition in the next transaction, under the same epoch.
    const next = await producer.transaction();
    await next.send('out', [{ value: 'd', partition: 0 }]);
    await next.commit();
    expect(headers(cluster, 'out', 0).map((h) => h.baseSequence)).toEqual([0, 1, 2]);
    expect(requestsOf('InitTransactions')).toHaveLength(1);
  });

  it('refuses sends outside a transaction, a second open transaction, and non-transactional settings', async () => {
    const producer = client.producer({ transactionalId: txnId() });
    await expect(producer.send('out', [{ value: 'x' }])).rejects.toMatchObject({ code: 'INVALID_TXN_STATE' });
    const txn = await producer.transaction();
    await expect(producer.transaction()).rejects.toThrow(/one transaction at a time/);
    await expect(producer.sendWithResults('out', [{ value: 'x' }])).rejects.toMatchObject({
      code: 'INVALID_TXN_STATE',
    });
    await txn.abort();
    expect(() => client.producer({ transactionalId: 'x', acks: 1 })).toThrow(/acks=all/);
    expect(() => client.producer({ transactionalId: 'x', idempotent: false })).toThrow(/idempotent: false/);
    expect(() => client.producer({ transactionalId: 'x', transactionTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSACTION_TIMEOUT' }),
    );
    await expect(client.producer().transaction()).rejects.toMatchObject({ code: 'INVALID_TXN_STATE' });
  });

  it('finds the coordinator again after NOT_COORDINATOR and retries CONCURRENT_TRANSACTIONS', async () => {
    const producer = client.producer({ transactionalId: txnId() });
    fake.inject('InitTransactions', 'CONCURRENT_TRANSACTIONS', 2);
    await producer.initTransactions();
    fake.coordinator = 0;
    const txn = await producer.transaction();
    await txn.send('again', [{ value: 'x' }]);
    fake.inject('EndTxn', 'COORDINATOR_LOAD_IN_PROGRESS');
    await txn.commit();
    const finds = requestsOf('FindTransactionCoordinator');
    expect(finds.length).toBe(2);
    const add = fake.requests.filter((r) => r.method === 'AddPartitionsToTxn');
    // First at the old coordinator (NOT_COORDINATOR), then at the new one.
    expect(add.map((r) => r.server)).toEqual([1, 0]);
    expect(requestsOf('InitTransactions')).toHaveLength(3);
    expect(requestsOf('EndTxn')).toHaveLength(2);
  });

  it('gives up on a coordinator that stays unavailable, within the operation deadline, and can try again', async () => {
    const producer = client.producer({ transactionalId: txnId(), deliveryTimeoutMs: 1_500, timeoutMs: 500 });
    fake.inject('InitTransactions', 'COORDINATOR_LOAD_IN_PROGRESS', 1_000);
    await expect(producer.initTransactions()).rejects.toMatchObject({ code: 'COORDINATOR_LOAD_IN_PROGRESS' });
    const attempts = requestsOf('InitTransactions').length;
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(20);
    fake.clearInjected();
    await producer.initTransactions();
    expect((await producer.transaction()).isActive()).toBe(true);
  });

  it('is unusable after PRODUCER_FENCED: a newer instance with the same transactional id fences it', async () => {
    const id = txnId();
    const zombie = client.producer({ transactionalId: id });
    const txn = await zombie.transaction();
    await txn.send('fenced', [{ value: 'zombie-1' }]);
    const successor = client.producer({ transactionalId: id });
    await successor.initTransactions();
    // The successor's InitTransactions aborted the zombie's open transaction.
    expect(fake.ended).toContainEqual(expect.objectContaining({ transactionalId: id, commit: false }));
    await expect(txn.commit()).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
    await expect(zombie.transaction()).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
    await expect(txn.abort()).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
    await expect(txn.send('fenced', [{ value: 'zombie-2' }])).rejects.toMatchObject({
      code: 'PRODUCER_FENCED',
    });
    const fresh = await successor.transaction();
    await fresh.send('fenced', [{ value: 'successor' }]);
    await fresh.commit();
  });

  it('makes the transaction abortable after a failed send; abort bumps the epoch when a batch failed', async () => {
    const id = txnId();
    const producer = client.producer({ transactionalId: id });
    const txn = await producer.transaction();
    await txn.send('broken', [{ value: 'ok' }]);
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'broken',
      partition: 0,
      errorCode: 'RECORD_TOO_LARGE',
    });
    await expect(txn.send('broken', [{ value: 'fails' }])).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
    });
    await expect(txn.send('broken', [{ value: 'refused' }])).rejects.toThrow(/can only be aborted/);
    await expect(txn.commit()).rejects.toMatchObject({ code: 'RECORD_TOO_LARGE' });
    expect(txn.isActive()).toBe(true);
    const epochBefore = fake.transactionalIds.get(id)?.producerEpoch ?? -1;
    await txn.abort();
    expect(txn.isActive()).toBe(false);
    const [, bump] = requestsOf<InitTransactionsRequest__Output>('InitTransactions');
    // KIP-360: the bump names the producer's current id and epoch.
    expect(bump).toMatchObject({ producerEpoch: epochBefore });
    const next = await producer.transaction();
    await next.send('broken', [{ value: 'after' }]);
    await next.commit();
    const last = headers(cluster, 'broken', 0).at(-1);
    expect(last).toMatchObject({ producerEpoch: epochBefore + 1, baseSequence: 0, isTransactional: true });
  });

  it('a non-retriable coordinator error on AddPartitionsToTxn leaves the transaction abortable only', async () => {
    const producer = client.producer({ transactionalId: txnId() });
    const txn = await producer.transaction();
    fake.inject('AddPartitionsToTxn', 'TOPIC_AUTHORIZATION_FAILED');
    await expect(txn.send('again', [{ value: 'x' }])).rejects.toMatchObject({
      code: 'TOPIC_AUTHORIZATION_FAILED',
    });
    await expect(txn.sendOffsets({ consumerGroupId: 'g', topics: [] })).rejects.toThrow(
      /can only be aborted/,
    );
    await txn.abort();
    // Nothing reached the coordinator: the abort completes locally, and no epoch bump was needed.
    expect(requestsOf('EndTxn')).toEqual([]);
    expect(requestsOf('InitTransactions')).toHaveLength(1);
    const next = await producer.transaction();
    await next.send('again', [{ value: 'y' }]);
    await next.commit();
  });

  it('sendOffsets adds the group once and commits the offsets at the group coordinator with the member (KIP-447)', async () => {
    const id = txnId();
    const producer = client.producer({ transactionalId: id });
    const txn = await producer.transaction();
    await txn.send('offsets', [{ value: 'out' }]);
    const consumer = { memberId: 'member-1', memberEpoch: 4 };
    await txn.sendOffsets({
      consumerGroupId: 'pipeline',
      topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '11' }] }],
      consumer,
    });
    await txn.sendOffsets({
      consumerGroupId: 'pipeline',
      topics: [{ topic: 'in', partitions: [{ partition: 1, offset: 7 }] }],
    });
    expect(fake.committedOffsets.get('pipeline/in-0')).toBeUndefined();
    await txn.commit();
    expect(requestsOf('AddOffsetsToTxn')).toHaveLength(1);
    const commits = requestsOf<TxnOffsetCommitRequest__Output>('TxnOffsetCommit');
    expect(commits[0]).toMatchObject({ groupId: 'pipeline', memberId: 'member-1', generationId: 4 });
    expect(commits[1]).toMatchObject({ memberId: '', generationId: -1 });
    expect(fake.committedOffsets.get('pipeline/in-0')).toBe(11);
    expect(fake.committedOffsets.get('pipeline/in-1')).toBe(7);
    expect(requestsOf('FindCoordinator').length).toBeGreaterThan(0);

    const aborted = await producer.transaction();
    await aborted.sendOffsets({
      consumerGroupId: 'pipeline',
      topics: [{ topic: 'in', partitions: [{ partition: 0, offset: 99 }] }],
    });
    await aborted.abort();
    expect(fake.committedOffsets.get('pipeline/in-0')).toBe(11);
    await expect(
      (await producer.transaction()).sendOffsets({
        consumerGroupId: 'pipeline',
        topics: [{ topic: 'in', partitions: [{ partition: 0, offset: -1 }] }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('commit waits for every send of the transaction, lingering ones included, before EndTxn', async () => {
    const producer = client.producer({ transactionalId: txnId(), lingerMs: 50 });
    const txn = await producer.transaction();
    let batchesAtEnd = -1;
    fake.onEnd = () => {
      batchesAtEnd = cluster.log('wait', 0).batches.length;
    };
    const before = cluster.log('wait', 0).batches.length;
    const sends = [txn.send('wait', [{ value: '1' }]), txn.send('wait', [{ value: '2' }])];
    await txn.commit();
    await Promise.all(sends);
    expect(batchesAtEnd).toBe(before + 1);
    const [end] = requestsOf<EndTxnRequest__Output>('EndTxn');
    expect(end?.commit).toBe(true);
  });

  it('an empty transaction commits without calling the coordinator', async () => {
    const producer = client.producer({ transactionalId: txnId() });
    const txn = await producer.transaction();
    await txn.commit();
    expect(requestsOf('EndTxn')).toEqual([]);
    expect(requestsOf('AddPartitionsToTxn')).toEqual([]);
  });

  it('a readCommitted consumer fetches and lists offsets with isolation level read_committed', async () => {
    const producer = client.producer({ transactionalId: txnId() });
    const txn = await producer.transaction();
    await txn.send('lazy', [{ value: 'committed' }]);
    await txn.commit();
    cluster.state.requests.length = 0;
    const consumer = client.consumer();
    const fetched = await consumer.fetch('lazy', 0, 0, { readCommitted: true, maxWaitMs: 10 });
    expect(fetched.records.map((r) => Buffer.from(r.value ?? []).toString())).toEqual(['committed']);
    await consumer.fetch('lazy', 0, 0, { maxWaitMs: 10 });
    const fetches = cluster.state.requests.filter((r) => r.method === 'Fetch');
    expect(fetches.map((r) => (r.request as { isolationLevel?: number }).isolationLevel)).toEqual([1, 0]);
  });
});
