/**
 * Both ends of WriteTxnMarkers against a real partition leader: the writer answers
 * TRANSACTION_COORDINATOR_FENCED for a marker from a deposed coordinator (the log refuses an older
 * coordinator epoch than the producer's last marker), and the sender takes that answer as final for the
 * partition (a newer coordinator owns the transaction) instead of retrying it, while an answer that may
 * change (the leader moved) is retried.
 */
import type { WriteTxnMarkersRequest__Output, WriteTxnMarkersResponse } from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplicaTestCluster, waitUntil } from '../replica/test-cluster.js';
import { TxnMarkerSender, TxnMarkersClients, TxnMarkerWriter, type WriteMarkersEffect } from './markers.js';
import type { TxnMarkerWriterPort } from './ports.js';

const TOPIC = 'orders';
const PRODUCER_ID = 4_000;
const logger = pino({ level: 'silent' });

let cluster: ReplicaTestCluster | null = null;
let clients: TxnMarkersClients | null = null;
afterEach(async () => {
  clients?.close();
  clients = null;
  await cluster?.close();
  cluster = null;
});

function effect(marker: 'commit' | 'abort', coordinatorEpoch: number): WriteMarkersEffect {
  return {
    kind: 'write-markers',
    transitionId: 1,
    transactionalId: 'txn-a',
    producerId: PRODUCER_ID,
    producerEpoch: 0,
    marker,
    partitions: [{ topic: TOPIC, partition: 0 }],
    coordinatorEpoch,
  };
}

function markersRequest(
  marker: 'commit' | 'abort',
  coordinatorEpoch: number,
): WriteTxnMarkersRequest__Output {
  return {
    markers: [
      {
        producerId: PRODUCER_ID,
        producerEpoch: 0,
        commit: marker === 'commit',
        partitions: [{ topic: TOPIC, partitions: [0] }],
        coordinatorEpoch,
      },
    ],
  };
}

function errorCodes(response: WriteTxnMarkersResponse): string[] {
  return (response.markers ?? []).flatMap((marker) => (marker.results ?? []).map((r) => r.errorCode ?? ''));
}

async function startLeader() {
  cluster = await ReplicaTestCluster.start([1]);
  await cluster.startBroker(1);
  await cluster.createTopic(TOPIC, [1]);
  const manager = cluster.manager(1);
  await waitUntil('broker 1 to lead', () => manager.partitionReplica(TOPIC, 0)?.leaderState() != null);
  const partition = manager.partitionReplica(TOPIC, 0);
  if (partition === undefined) throw new Error('no partition');
  const writer = new TxnMarkerWriter({
    produceAsCoordinator: (request) => manager.produceAsCoordinator(request),
    ports: { txnOffsetCommit: null, markerListener: null },
    clock: cluster.clock,
    logger,
  });
  // A transactional batch straight into the leader's log (the client path would ask a coordinator).
  let sequence = 0;
  const openTransaction = async () => {
    const bytes = encodeRecordBatch({
      producerId: PRODUCER_ID,
      producerEpoch: 0,
      baseSequence: sequence++,
      isTransactional: true,
      records: [{ key: null, value: Buffer.from('order'), timestampMs: 1_000 }],
    });
    const result = await partition.log.append(bytes, { leaderEpoch: 0, assignOffsets: true });
    partition.onLeaderAppend(result.logEndOffset);
  };
  return { cluster, partition, writer, openTransaction };
}

describe('WriteTxnMarkers and coordinator epochs', () => {
  it('the leader answers TRANSACTION_COORDINATOR_FENCED to a deposed coordinator and writes nothing', async () => {
    const { partition, writer, openTransaction } = await startLeader();
    await openTransaction();
    expect(errorCodes(await writer.writeTxnMarkers(markersRequest('commit', 3)))).toEqual(['']);
    await openTransaction();
    const end = partition.log.logEndOffset;
    const stable = partition.log.firstUnstableOffset;
    expect(errorCodes(await writer.writeTxnMarkers(markersRequest('abort', 2)))).toEqual([
      'TRANSACTION_COORDINATOR_FENCED',
    ]);
    expect(partition.log.logEndOffset).toBe(end);
    expect(partition.log.firstUnstableOffset).toBe(stable);
    // The owning coordinator's marker still goes in.
    expect(errorCodes(await writer.writeTxnMarkers(markersRequest('commit', 3)))).toEqual(['']);
    expect(partition.log.firstUnstableOffset).toBeNull();
  });

  it('the sender drops a fenced marker as done, and retries one the leader may take later', async () => {
    const { cluster: started, writer, openTransaction, partition } = await startLeader();
    const markerClients = new TxnMarkersClients();
    clients = markerClients;
    const sender = (local: TxnMarkerWriterPort) =>
      new TxnMarkerSender({
        brokerId: 1,
        currentImage: () => started.image,
        local,
        clients: markerClients,
        logger,
      });
    const tp = { topic: TOPIC, partition: 0 };
    await openTransaction();
    expect(await sender(writer).send(effect('commit', 5))).toEqual({ written: [tp], failed: [] });
    await openTransaction();
    // The deposed coordinator's late ABORT: final, so its effects runner stops sending it.
    expect(await sender(writer).send(effect('abort', 4))).toEqual({ written: [tp], failed: [] });
    expect(partition.log.firstUnstableOffset).not.toBeNull();
    // The same round answered NOT_LEADER is sent again (the next leader may take it).
    const notLeader: TxnMarkerWriterPort = {
      writeTxnMarkers: async (request) => ({
        markers: request.markers.map((marker) => ({
          producerId: marker.producerId,
          results: [{ topic: TOPIC, partition: 0, errorCode: 'NOT_LEADER', errorMessage: 'moved' }],
        })),
      }),
    };
    expect(await sender(notLeader).send(effect('abort', 4))).toEqual({ written: [], failed: [tp] });
  });
});
