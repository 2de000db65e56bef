/**
 * KIP-890's verification guard on the leader: a transactional write whose verification answer left the
 * coordinator before the transaction ended must not open a new transaction after the marker (a hanging
 * transaction holding the last stable offset back for ever). The transactional chaos workload under link
 * partitions left such transactions open after healing; here the verifier's answer is held back while the
 * coordinator's ABORT marker is appended, then released as "added".
 */

import { TributaryError } from '@tributary/core';
import type { ProducePartitionResult } from '@tributary/protocol';
import { encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { markersAppended, markersArriving } from './produce-validation.js';
import { ReplicaTestCluster, waitUntil } from './test-cluster.js';

const TOPIC = 'guarded';
const PRODUCER_ID = 500;

function transactionalBatch(sequence: number, value: string): Buffer {
  return encodeRecordBatch({
    producerId: PRODUCER_ID,
    producerEpoch: 0,
    baseSequence: sequence,
    isTransactional: true,
    records: [{ key: null, value: Buffer.from(value), timestampMs: 1_000 }],
  });
}

function abortMarker(): Buffer {
  return encodeControlBatch({
    producerId: PRODUCER_ID,
    producerEpoch: 0,
    marker: 'abort',
    coordinatorEpoch: 0,
    timestampMs: 1_000,
  });
}

function request(records: Buffer, transactionalId: string) {
  return {
    acks: 1,
    timeoutMs: 10_000,
    transactionalId,
    topics: [{ name: TOPIC, partitions: [{ partition: 0, records }] }],
  };
}

let cluster: ReplicaTestCluster | null = null;
afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function leaderManager() {
  cluster = await ReplicaTestCluster.start([1]);
  await cluster.startBroker(1);
  await cluster.createTopic(TOPIC, [1]);
  const manager = cluster.manager(1);
  await waitUntil('broker 1 to lead', () => manager.partitionReplica(TOPIC, 0)?.leaderState() != null);
  return manager;
}

describe('the KIP-890 verification guard', () => {
  it('refuses a write verified before a marker that reached the partition first', async () => {
    const manager = await leaderManager();
    let release: (() => void) | undefined;
    let asked = 0;
    manager.setTransactionVerifier(async () => {
      asked++;
      // The coordinator said "added"; the answer is on its way while the transaction ends.
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return null;
    });
    const write = manager.produce(request(transactionalBatch(0, 'late'), 'tx-1'));
    await waitUntil('the verification to be asked', () => asked === 1);
    const [marked] = await manager.produceAsCoordinator(request(abortMarker(), ''));
    expect(marked?.errorCode).toBe('');
    release?.();
    const [late] = (await write) as ProducePartitionResult[];
    expect(late?.errorCode).toBe('INVALID_TXN_STATE');
    const partition = manager.partitionReplica(TOPIC, 0);
    // Only the marker is in the log, and no transaction is left open.
    expect(partition?.log.logEndOffset).toBe(1);
    expect(partition?.log.firstUnstableOffset).toBeNull();
  });

  it('lets a verified write in when no marker came, and later writes of the open transaction', async () => {
    const manager = await leaderManager();
    let asked = 0;
    manager.setTransactionVerifier(async () => {
      asked++;
      return null;
    });
    const [first] = await manager.produce(request(transactionalBatch(0, 'a'), 'tx-1'));
    const [second] = await manager.produce(request(transactionalBatch(1, 'b'), 'tx-1'));
    expect([first?.errorCode, second?.errorCode]).toEqual(['', '']);
    // The second write needed no verification: the transaction is open in this partition.
    expect(asked).toBe(1);
    const partition = manager.partitionReplica(TOPIC, 0);
    expect(partition?.log.firstUnstableOffset).toBe(0);
  });

  it('asks the coordinator again while a marker for the producer is on its way to the log', async () => {
    const manager = await leaderManager();
    let asked = 0;
    let transactionEnded = false;
    manager.setTransactionVerifier(async () => {
      asked++;
      return transactionEnded ? new TributaryError('INVALID_TXN_STATE', 'the transaction has ended') : null;
    });
    const [first] = await manager.produce(request(transactionalBatch(0, 'a'), 'tx-1'));
    expect(first?.errorCode).toBe('');
    const partition = manager.partitionReplica(TOPIC, 0);
    if (partition === undefined) throw new Error('no partition');
    // The coordinator ended the transaction and its marker is issued but not appended yet: the producer
    // state still shows the transaction open, which must not let a write in unasked.
    transactionEnded = true;
    const inFlight = markersArriving(partition, partition.log.parseAppend(abortMarker()));
    const [second] = await manager.produce(request(transactionalBatch(1, 'b'), 'tx-1'));
    markersAppended(partition, inFlight);
    expect(second?.errorCode).toBe('INVALID_TXN_STATE');
    expect(asked).toBe(2);
    // Once no marker is in flight, the open transaction is trusted again without asking.
    transactionEnded = false;
    const [third] = await manager.produce(request(transactionalBatch(1, 'c'), 'tx-1'));
    expect(third?.errorCode).toBe('');
    expect(asked).toBe(2);
  });
});
