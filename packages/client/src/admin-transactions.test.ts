/**
 * The transaction admin calls against fake brokers: each serves ListTransactions/DescribeTransactions
 * for the transactional ids it is made to coordinate and WriteTxnMarkers for the partitions it leads
 * (the fake cluster's leaders). The broker's own coordinator is tested in packages/broker; here what is
 * checked is where the client sends each call, what it sends, and how it merges, follows and refuses.
 */
import { type ErrorCode, SeededRandom, TributaryError } from '@tributary/core';
import {
  addTransactionMarkersService,
  handleUnary,
  type ListTransactionsRequest__Output,
  loadTributaryProtos,
  type TransactionCoordinatorHandlers,
  type TransactionDescription,
  type WriteTxnMarkersRequest__Output,
} from '@tributary/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  requireAbortTransactionSpec,
  requireListTransactionsOptions,
  type TransactionStateName,
} from './admin-transactions.js';
import { TributaryClient } from './client.js';
import { type FakeCluster, startFakeCluster } from './testing/fake-broker.js';

interface FakeTxn {
  /** Index of the server that coordinates it. */
  readonly coordinator: number;
  readonly state: string;
  readonly producerId: number;
  readonly partitions: { topic: string; partitions: number[] }[];
}

interface FakeAdminSide {
  readonly txns: Map<string, FakeTxn>;
  /** FindTransactionCoordinator answers this server index for the next `staleFinds` lookups. */
  staleFinds: number;
  staleIndex: number;
  readonly listRequests: { server: number; request: ListTransactionsRequest__Output }[];
  readonly markerRequests: { server: number; request: WriteTxnMarkersRequest__Output }[];
  /** Per-partition answers WriteTxnMarkers gives next (then the fake leader's own rule). */
  readonly markerErrors: string[];
  /** Per server: errors its next ListTransactions calls throw, in order (then it answers). */
  readonly listErrors: Map<number, ErrorCode[]>;
}

function fakeAdminSide(cluster: () => FakeCluster): {
  side: FakeAdminSide;
  services: (server: import('@grpc/grpc-js').Server, index: number) => void;
} {
  const side: FakeAdminSide = {
    txns: new Map(),
    staleFinds: 0,
    staleIndex: 0,
    listRequests: [],
    markerRequests: [],
    markerErrors: [],
    listErrors: new Map(),
  };
  const coordinatorHandlers = (server: number): TransactionCoordinatorHandlers => {
    const unused = handleUnary(async () => {
      throw new TributaryError('UNKNOWN', 'not part of the fake');
    });
    return {
      FindTransactionCoordinator: handleUnary(async (request) => {
        let index = side.txns.get(request.transactionalId)?.coordinator ?? 0;
        if (side.staleFinds > 0) {
          side.staleFinds--;
          index = side.staleIndex;
        }
        return {
          errorCode: '',
          errorMessage: '',
          nodeId: index + 1,
          address: cluster().bootstrap[index] ?? '',
        };
      }),
      ListTransactions: handleUnary(async (request) => {
        side.listRequests.push({ server, request });
        const failure = side.listErrors.get(server)?.shift();
        if (failure !== undefined) throw new TributaryError(failure, `scripted ${failure}`);
        const transactions = [...side.txns]
          .filter(([, t]) => t.coordinator === server)
          .filter(([, t]) => request.stateFilters.length === 0 || request.stateFilters.includes(t.state))
          .map(([transactionalId, t]) => ({ transactionalId, producerId: t.producerId, state: t.state }));
        return { transactions };
      }),
      DescribeTransactions: handleUnary(async (request) => ({
        transactions: request.transactionalIds.map((transactionalId): TransactionDescription => {
          const t = side.txns.get(transactionalId);
          if (t === undefined) return { transactionalId, errorCode: 'TRANSACTIONAL_ID_NOT_FOUND' };
          if (t.coordinator !== server) return { transactionalId, errorCode: 'NOT_COORDINATOR' };
          return {
            transactionalId,
            errorCode: '',
            state: t.state,
            producerId: t.producerId,
            producerEpoch: 3,
            transactionTimeoutMs: 60_000,
            transactionStartTimeMs: t.state === 'Ongoing' ? 1_700_000_000_000 : -1,
            partitions: t.partitions.map((p) => ({ topic: p.topic, partitions: [...p.partitions] })),
          };
        }),
      })),
      InitTransactions: unused,
      AddPartitionsToTxn: unused,
      AddOffsetsToTxn: unused,
      EndTxn: unused,
      TxnOffsetCommit: unused,
    };
  };
  const services = (grpcServer: import('@grpc/grpc-js').Server, index: number): void => {
    grpcServer.addService(loadTributaryProtos().TransactionCoordinator.service, coordinatorHandlers(index));
    addTransactionMarkersService(grpcServer, {
      WriteTxnMarkers: handleUnary(async (request) => {
        side.markerRequests.push({ server: index, request });
        return {
          markers: request.markers.map((marker) => ({
            producerId: marker.producerId,
            results: marker.partitions.flatMap((t) =>
              t.partitions.map((partition) => {
                const leader = cluster().state.leaders.get(t.topic)?.[partition];
                const errorCode = side.markerErrors.shift() ?? (leader === index + 1 ? '' : 'NOT_LEADER');
                return { topic: t.topic, partition, errorCode, errorMessage: errorCode };
              }),
            ),
          })),
        };
      }),
      VerifyTxnPartitions: handleUnary(async () => {
        throw new TributaryError('UNKNOWN', 'not part of the fake');
      }),
    });
  };
  return { side, services };
}

describe('transaction admin against fake brokers', () => {
  let cluster: FakeCluster;
  let side: FakeAdminSide;
  let client: TributaryClient;

  beforeAll(async () => {
    const fake = fakeAdminSide(() => cluster);
    side = fake.side;
    cluster = await startFakeCluster({ brokers: 3, topics: { out: 3 }, extraServices: fake.services });
  });
  afterAll(async () => {
    client?.close();
    await cluster.stop();
  });
  beforeEach(() => {
    client?.close();
    client = new TributaryClient({ bootstrap: [cluster.bootstrap[0] ?? ''], random: new SeededRandom(3) });
    side.txns.clear();
    side.listRequests.length = 0;
    side.markerRequests.length = 0;
    side.markerErrors.length = 0;
    side.listErrors.clear();
    side.staleFinds = 0;
  });

  it('lists every broker’s transactions, merged and sorted, with the filters sent to each', async () => {
    side.txns.set('b-txn', { coordinator: 2, state: 'Ongoing', producerId: 11, partitions: [] });
    side.txns.set('a-txn', { coordinator: 0, state: 'Ongoing', producerId: 10, partitions: [] });
    side.txns.set('c-txn', { coordinator: 1, state: 'CompleteCommit', producerId: 12, partitions: [] });
    const all = await client.admin().listTransactions();
    expect(all).toEqual([
      { transactionalId: 'a-txn', producerId: 10, state: 'Ongoing', coordinatorId: 1 },
      { transactionalId: 'b-txn', producerId: 11, state: 'Ongoing', coordinatorId: 3 },
      { transactionalId: 'c-txn', producerId: 12, state: 'CompleteCommit', coordinatorId: 2 },
    ]);
    expect(new Set(side.listRequests.map((r) => r.server))).toEqual(new Set([0, 1, 2]));
    side.listRequests.length = 0;
    const ongoing = await client
      .admin()
      .listTransactions({ states: ['Ongoing'], producerIds: [10, 11], durationMs: 5_000 });
    expect(ongoing.map((t) => t.transactionalId)).toEqual(['a-txn', 'b-txn']);
    expect(side.listRequests).toHaveLength(3);
    for (const { request } of side.listRequests) {
      expect(request).toEqual({
        stateFilters: ['Ongoing'],
        producerIdFilters: [10, 11],
        durationFilterMs: 5_000,
      });
    }
  });

  it('asks a loading broker again, and fails naming a broker that does not answer instead of listing less', async () => {
    side.txns.set('a-txn', { coordinator: 0, state: 'Ongoing', producerId: 10, partitions: [] });
    side.txns.set('b-txn', { coordinator: 1, state: 'Ongoing', producerId: 11, partitions: [] });
    side.listErrors.set(1, ['COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS']);
    const all = await client.admin().listTransactions();
    expect(all.map((t) => t.transactionalId)).toEqual(['a-txn', 'b-txn']);
    expect(side.listRequests.filter((r) => r.server === 1)).toHaveLength(3);
    side.listErrors.set(2, ['CLUSTER_AUTHORIZATION_FAILED']);
    await expect(client.admin().listTransactions()).rejects.toMatchObject({
      code: 'CLUSTER_AUTHORIZATION_FAILED',
      message: expect.stringContaining('broker 3'),
    });
  });

  it('describes at the coordinator, following NOT_COORDINATOR from a stale lookup', async () => {
    side.txns.set('t1', {
      coordinator: 2,
      state: 'Ongoing',
      producerId: 40,
      partitions: [
        { topic: 'zeta', partitions: [2, 0] },
        { topic: 'alpha', partitions: [1] },
      ],
    });
    side.txns.set('t2', { coordinator: 1, state: 'Empty', producerId: 41, partitions: [] });
    side.staleFinds = 1;
    side.staleIndex = 0;
    const [t1, t2] = await client.admin().describeTransactions(['t1', 't2']);
    expect(t1).toEqual({
      transactionalId: 't1',
      coordinatorId: 3,
      state: 'Ongoing',
      producerId: 40,
      producerEpoch: 3,
      transactionTimeoutMs: 60_000,
      transactionStartTimeMs: 1_700_000_000_000,
      partitions: [
        { topic: 'alpha', partitions: [1] },
        { topic: 'zeta', partitions: [0, 2] },
      ],
    });
    expect(t2).toMatchObject({ transactionalId: 't2', coordinatorId: 2, transactionStartTimeMs: null });
  });

  it('fails describe of an unknown id with TRANSACTIONAL_ID_NOT_FOUND, at once', async () => {
    await expect(client.admin().describeTransactions(['nobody'])).rejects.toMatchObject({
      code: 'TRANSACTIONAL_ID_NOT_FOUND',
    });
  });

  it('aborts on the partition’s leader with an ABORT marker carrying the given epochs', async () => {
    await client.admin().abortTransaction({
      topic: 'out',
      partition: 1,
      producerId: 77,
      producerEpoch: 4,
      coordinatorEpoch: 9,
    });
    expect(side.markerRequests).toHaveLength(1);
    const [sent] = side.markerRequests;
    // Partition 1 of "out" is led by broker 2 (index 1): round-robin from id 1.
    expect(sent?.server).toBe(1);
    expect(sent?.request.markers).toEqual([
      {
        producerId: 77,
        producerEpoch: 4,
        commit: false,
        coordinatorEpoch: 9,
        partitions: [{ topic: 'out', partitions: [1] }],
      },
    ]);
  });

  it('asks the leader again after NOT_LEADER, and after the leader moved', async () => {
    side.markerErrors.push('NOT_LEADER');
    cluster.moveLeader('out', 2, 1);
    await client
      .admin()
      .abortTransaction({ topic: 'out', partition: 2, producerId: 5, producerEpoch: 0, coordinatorEpoch: 0 });
    expect(side.markerRequests.map((r) => r.server)).toEqual([0, 0]);
  });

  it('reports the leader’s refusal as its typed error, without retrying it', async () => {
    side.markerErrors.push('TRANSACTION_COORDINATOR_FENCED');
    const abort = client
      .admin()
      .abortTransaction({ topic: 'out', partition: 0, producerId: 5, producerEpoch: 1, coordinatorEpoch: 1 });
    await expect(abort).rejects.toMatchObject({ code: 'TRANSACTION_COORDINATOR_FENCED' });
    expect(side.markerRequests).toHaveLength(1);
  });

  it('refuses an unknown topic or partition without writing anything', async () => {
    for (const [topic, partition] of [
      ['missing', 0],
      ['out', 3],
    ] as const) {
      await expect(
        client
          .admin()
          .abortTransaction({ topic, partition, producerId: 5, producerEpoch: 1, coordinatorEpoch: 1 }),
      ).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    }
    expect(side.markerRequests).toEqual([]);
  });
});

describe('transaction admin input checks', () => {
  const spec = { topic: 't', partition: 0, producerId: 1, producerEpoch: 0, coordinatorEpoch: 0 };
  it.each([
    ['an empty topic', { ...spec, topic: '' }],
    ['a negative partition', { ...spec, partition: -1 }],
    ['a fractional producer id', { ...spec, producerId: 1.5 }],
    ['a negative producer id', { ...spec, producerId: -1 }],
    ['an epoch of Short.MAX_VALUE', { ...spec, producerEpoch: 0x7fff }],
    ['a negative coordinator epoch', { ...spec, coordinatorEpoch: -1 }],
    ['a coordinator epoch past int32', { ...spec, coordinatorEpoch: 2 ** 31 }],
  ])('abort refuses %s', (_name, bad) => {
    expect(() => requireAbortTransactionSpec(bad)).toThrow(/must/);
  });
  it('abort accepts the largest legal values', () => {
    expect(() =>
      requireAbortTransactionSpec({ ...spec, producerEpoch: 0x7ffe, coordinatorEpoch: 2 ** 31 - 1 }),
    ).not.toThrow();
  });
  it('list refuses an unknown state, a bad producer id or duration, too many ids', () => {
    expect(() => requireListTransactionsOptions({ states: ['Going' as TransactionStateName] })).toThrow(
      /unknown transaction state "Going"/,
    );
    expect(() => requireListTransactionsOptions({ producerIds: [-2] })).toThrow(/producer id/);
    expect(() => requireListTransactionsOptions({ durationMs: 0.5 })).toThrow(/duration/);
    expect(() =>
      requireListTransactionsOptions({ producerIds: Array.from({ length: 1_001 }, (_, i) => i) }),
    ).toThrow(/at most 1000/);
    expect(() => requireListTransactionsOptions({ states: ['Ongoing', 'PrepareAbort'] })).not.toThrow();
  });
  it('describe refuses an empty id before calling anyone', async () => {
    const client = new TributaryClient({ bootstrap: ['127.0.0.1:1'] });
    try {
      await expect(client.admin().describeTransactions([''])).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
    } finally {
      client.close();
    }
  });
});
