/**
 * An in-process fake of the remote side of transactions (protos/tributary/v1/transactions.proto), for
 * CLIENT unit tests of the transactional producer's state and retry logic, not of the broker's
 * coordinator. It serves TransactionCoordinator (and GroupCoordinator.FindCoordinator, for TxnOffsetCommit's
 * lookup) on the fake brokers' own servers (startFakeCluster's `extraServices`): the broker at index
 * `coordinator` coordinates every transactional id and group, the others answer NOT_COORDINATOR. Its
 * rules are Kafka's in small: InitTransactions bumps the epoch (aborting an open transaction), an older
 * epoch is PRODUCER_FENCED, EndTxn moves the transaction's offsets to `committedOffsets` on commit.
 * No timeouts, no markers, no persistence; `inject()` makes errors.
 */
import type * as grpc from '@grpc/grpc-js';
import { isErrorCode, TributaryError } from '@tributary/core';
import {
  addTransactionCoordinatorService,
  type GroupCoordinatorHandlers,
  handleUnary,
  loadTributaryProtos,
  type TransactionCoordinatorHandlers,
} from '@tributary/protocol';

export type FakeTransactionMethod =
  | 'FindTransactionCoordinator'
  | 'InitTransactions'
  | 'AddPartitionsToTxn'
  | 'AddOffsetsToTxn'
  | 'EndTxn'
  | 'TxnOffsetCommit'
  | 'FindCoordinator';

export interface FakeTransactionalId {
  producerId: number;
  producerEpoch: number;
  transactionTimeoutMs: number;
  state: 'Empty' | 'Ongoing' | 'CompleteCommit' | 'CompleteAbort';
  /** "topic-partition" keys added to the open transaction. */
  readonly partitions: Set<string>;
  readonly groups: Set<string>;
  /** Offsets of the open transaction, by "group/topic-partition". */
  readonly pendingOffsets: Map<string, number>;
}

export interface FakeEndedTransaction {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly partitions: readonly string[];
}

export interface FakeTransactionRequest {
  readonly server: number;
  readonly method: FakeTransactionMethod;
  readonly request: unknown;
}

export interface FakeTransactions {
  /** The servers' addresses, in index order: set by the test once the cluster is bound. */
  addresses: readonly string[];
  /** Which server coordinates every transactional id and group. */
  coordinator: number;
  readonly transactionalIds: Map<string, FakeTransactionalId>;
  /** Offsets of committed transactions, by "group/topic-partition". */
  readonly committedOffsets: Map<string, number>;
  readonly ended: FakeEndedTransaction[];
  readonly requests: FakeTransactionRequest[];
  /** Called when EndTxn is about to complete a transaction (to look at the log at that moment). */
  onEnd: ((ended: FakeEndedTransaction) => void) | undefined;
  /** The next `times` calls of `method` (on any server) answer `errorCode`. */
  inject(method: FakeTransactionMethod, errorCode: string, times?: number): void;
  /** Drops the injected errors not fired yet. */
  clearInjected(): void;
  /** startFakeCluster's extraServices hook. */
  services(server: grpc.Server, index: number): void;
}

interface ProducerFields {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
}

function refuse(code: string, message: string): TributaryError {
  return new TributaryError(isErrorCode(code) ? code : 'UNKNOWN', message);
}

export function createFakeTransactions(): FakeTransactions {
  const injected: { method: FakeTransactionMethod; errorCode: string }[] = [];
  let nextProducerId = 5000;
  const fake: FakeTransactions = {
    addresses: [],
    coordinator: 0,
    transactionalIds: new Map(),
    committedOffsets: new Map(),
    ended: [],
    requests: [],
    onEnd: undefined,
    inject(method, errorCode, times = 1) {
      for (let i = 0; i < times; i++) injected.push({ method, errorCode });
    },
    clearInjected() {
      injected.length = 0;
    },
    services(server, index) {
      addTransactionCoordinatorService(server, handlers(index));
      const findOnly: Pick<GroupCoordinatorHandlers, 'FindCoordinator'> = {
        FindCoordinator: handleUnary(async (request) => {
          enter(index, 'FindCoordinator', request, false);
          return { errorCode: '', errorMessage: '', nodeId: fake.coordinator, address: coordinatorAddress() };
        }),
      };
      // Only FindCoordinator: the group's other calls are not part of these tests (grpc-js answers
      // UNIMPLEMENTED for handlers left out).
      server.addService(loadTributaryProtos().GroupCoordinator.service, findOnly);
    },
  };

  const coordinatorAddress = (): string => fake.addresses[fake.coordinator] ?? '';

  /** Logs the request, fires an injected error, refuses calls on a server that does not coordinate. */
  function enter(
    server: number,
    method: FakeTransactionMethod,
    request: unknown,
    coordinated: boolean,
  ): void {
    fake.requests.push({ server, method, request });
    const index = injected.findIndex((e) => e.method === method);
    if (index !== -1) {
      const [error] = injected.splice(index, 1);
      throw refuse(error?.errorCode ?? 'UNKNOWN', `injected ${error?.errorCode}`);
    }
    if (coordinated && server !== fake.coordinator) {
      throw refuse('NOT_COORDINATOR', `server ${server} does not coordinate; ${fake.coordinator} does`);
    }
  }

  /** The transactional id's state, after Kafka's producer id and epoch checks. */
  function checked(request: ProducerFields): FakeTransactionalId {
    const entry = fake.transactionalIds.get(request.transactionalId);
    if (entry === undefined) throw refuse('INVALID_PRODUCER_ID_MAPPING', 'unknown transactional id');
    if (entry.producerId !== request.producerId) {
      throw refuse(
        'INVALID_PRODUCER_ID_MAPPING',
        `producer id ${request.producerId} is not ${entry.producerId}`,
      );
    }
    if (request.producerEpoch < entry.producerEpoch) {
      throw refuse('PRODUCER_FENCED', `epoch ${request.producerEpoch} < ${entry.producerEpoch}`);
    }
    return entry;
  }

  function end(transactionalId: string, entry: FakeTransactionalId, commit: boolean): void {
    const ended = {
      transactionalId,
      producerId: entry.producerId,
      producerEpoch: entry.producerEpoch,
      commit,
      partitions: [...entry.partitions],
    };
    fake.onEnd?.(ended);
    fake.ended.push(ended);
    if (commit) for (const [key, offset] of entry.pendingOffsets) fake.committedOffsets.set(key, offset);
    entry.partitions.clear();
    entry.groups.clear();
    entry.pendingOffsets.clear();
    entry.state = commit ? 'CompleteCommit' : 'CompleteAbort';
  }

  function handlers(server: number): TransactionCoordinatorHandlers {
    const none = { errorCode: '', errorMessage: '' };
    const unimplemented = handleUnary(async () => {
      throw refuse('UNKNOWN', 'not part of the fake');
    });
    return {
      FindTransactionCoordinator: handleUnary(async (request) => {
        enter(server, 'FindTransactionCoordinator', request, false);
        return { ...none, nodeId: fake.coordinator, address: coordinatorAddress() };
      }),
      InitTransactions: handleUnary(async (request) => {
        enter(server, 'InitTransactions', request, true);
        let entry = fake.transactionalIds.get(request.transactionalId);
        if (entry === undefined) {
          entry = {
            producerId: nextProducerId++,
            producerEpoch: 0,
            transactionTimeoutMs: request.transactionTimeoutMs,
            state: 'Empty',
            partitions: new Set(),
            groups: new Set(),
            pendingOffsets: new Map(),
          };
          fake.transactionalIds.set(request.transactionalId, entry);
        } else {
          // KIP-360: a producer naming its id and epoch must name the current ones.
          if (
            request.producerId !== -1 &&
            (request.producerId !== entry.producerId || request.producerEpoch !== entry.producerEpoch)
          ) {
            throw refuse('PRODUCER_FENCED', `epoch ${request.producerEpoch} is not ${entry.producerEpoch}`);
          }
          if (entry.state === 'Ongoing') end(request.transactionalId, entry, false);
          entry.producerEpoch++;
          entry.transactionTimeoutMs = request.transactionTimeoutMs;
          entry.state = 'Empty';
        }
        return { ...none, producerId: entry.producerId, producerEpoch: entry.producerEpoch };
      }),
      AddPartitionsToTxn: handleUnary(async (request) => {
        enter(server, 'AddPartitionsToTxn', request, true);
        const entry = checked(request);
        entry.state = 'Ongoing';
        const results = request.partitions.flatMap((t) =>
          t.partitions.map((partition) => {
            entry.partitions.add(`${t.topic}-${partition}`);
            return { topic: t.topic, partition, ...none };
          }),
        );
        return { results };
      }),
      AddOffsetsToTxn: handleUnary(async (request) => {
        enter(server, 'AddOffsetsToTxn', request, true);
        const entry = checked(request);
        entry.state = 'Ongoing';
        entry.groups.add(request.groupId);
        return none;
      }),
      TxnOffsetCommit: handleUnary(async (request) => {
        enter(server, 'TxnOffsetCommit', request, true);
        const entry = checked(request);
        if (!entry.groups.has(request.groupId)) throw refuse('INVALID_TXN_STATE', 'group not added');
        const results = request.topics.flatMap((t) =>
          t.partitions.map((p) => {
            entry.pendingOffsets.set(`${request.groupId}/${t.name}-${p.partition}`, p.offset);
            return { topic: t.name, partition: p.partition, ...none };
          }),
        );
        return { results };
      }),
      EndTxn: handleUnary(async (request) => {
        enter(server, 'EndTxn', request, true);
        const entry = checked(request);
        if (entry.state === 'Ongoing') end(request.transactionalId, entry, request.commit);
        else if (entry.state !== (request.commit ? 'CompleteCommit' : 'CompleteAbort')) {
          throw refuse('INVALID_TXN_STATE', `EndTxn(${request.commit}) in state ${entry.state}`);
        }
        return none;
      }),
      DescribeTransactions: unimplemented,
      ListTransactions: unimplemented,
    };
  }

  return fake;
}
