/**
 * The transaction APIs on the Kafka listener (transactions.ts, transaction-admin.ts, init-producer-id.ts,
 * txn-errors.ts). First the golden frames KafkaJS 2.2.4 and @platformatic/kafka sent (kafka-protocol's
 * testdata/captured/*-transactions): each request, decoded from the client's bytes, reaches the coordinator
 * as the client meant it, and our answer is the captured response byte for byte. Then what the goldens do
 * not show: unknown partitions, errors mapped to what each version knew, no coordinator, TxnOffsetCommit
 * through a real group coordinator (pending until its marker), WriteTxnMarkers, the list filters, and a
 * transactional Produce handing its id to the leader.
 */
import { readFileSync } from 'node:fs';
import { ERROR_CODES, type ErrorCode, ManualClock, TributaryError } from '@tributary/core';
import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  type ApiDefinition,
  DescribeTransactions,
  decodeRequestFrame,
  EndTxn,
  encodeResponseFrame,
  InitProducerId,
  KAFKA_APIS,
  ListTransactions,
  OffsetFetch,
  Produce,
  type RequestInputOf,
  type ResponseOf,
  TxnOffsetCommit,
  WriteTxnMarkers,
} from '@tributary/kafka-protocol';
import type {
  ProducePartitionResult,
  ProduceRequest__Output,
  WriteTxnMarkersRequest__Output,
  WriteTxnMarkersResponse,
} from '@tributary/protocol';
import { ANONYMOUS } from '@tributary/security';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { GroupCoordinator, offsetsPartitionFor } from '../../group/coordinator.js';
import { OFFSETS_TOPIC } from '../../group/limits.js';
import { FakeDataPlane } from '../../group/testing/coordinator-fixture.js';
import { groupTxnPorts } from '../../group/txn-port.js';
import type { TxnMarkerWriterPort } from '../../txn/ports.js';
import { askAs } from '../access/testing.js';
import type { KafkaBrokerParts } from '../parts.js';
import type { KafkaApiRegistry } from '../registry.js';
import { kafkaRegistry } from '../server.js';
import {
  adminParts,
  brokerRecords,
  FakeController,
  FakeMetadata,
  topicRecords,
} from '../testing/admin-fakes.js';
import { FakeTransactions } from '../testing/fake-transactions.js';
import { txnCodeFor } from './txn-errors.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;
const CAPTURED = new URL('../../../../kafka-protocol/testdata/captured/', import.meta.url);
const GOLDEN_TOPIC = 'golden-transactions';
const GOLDEN_INPUT = 'golden-input';
const GOLDEN_GROUP = 'golden-transactions-group';
const OFFSETS_PARTITIONS = 4;
const CALLER = { principal: ANONYMOUS, host: '127.0.0.1', authenticatedBy: 'none' as const };

function metadata(): FakeMetadata {
  return new FakeMetadata([
    ...brokerRecords(1),
    ...topicRecords({ name: GOLDEN_TOPIC, topicId: 't-golden', partitions: 2, replicationFactor: 1 }),
    ...topicRecords({ name: GOLDEN_INPUT, topicId: 't-input', partitions: 1, replicationFactor: 1 }),
    ...topicRecords({
      name: OFFSETS_TOPIC,
      topicId: 't-offsets',
      partitions: OFFSETS_PARTITIONS,
      replicationFactor: 1,
    }),
  ]);
}

interface Fixture {
  readonly registry: KafkaApiRegistry;
  readonly transactions: FakeTransactions;
  readonly groups: GroupCoordinator;
  readonly offsets: FakeDataPlane;
  readonly produced: ProduceRequest__Output[];
  /** What the data plane answers every produced partition (error code; '' = written). */
  readonly produceAnswer: { errorCode: string };
}

/** A real group coordinator over in-memory offsets partitions, all led here and loaded. */
async function loadedGroups(
  image: FakeMetadata,
): Promise<{ groups: GroupCoordinator; offsets: FakeDataPlane }> {
  const offsets = new FakeDataPlane();
  const groups = new GroupCoordinator({
    brokerId: 1,
    dataPlane: offsets,
    metadata: image,
    createTopic: async () => undefined,
    config: {
      offsetsTopicPartitions: OFFSETS_PARTITIONS,
      offsetsTopicReplicationFactor: 1,
      offsetsRetentionMs: 60_000,
      defaultSessionTimeoutMs: 10_000,
      classic: { initialRebalanceDelayMs: 100 },
    },
    clock: new ManualClock(1_000_000),
    logger: pino({ level: 'silent' }),
  });
  for (let partition = 0; partition < OFFSETS_PARTITIONS; partition++) {
    offsets.listener?.(OFFSETS_TOPIC, partition, true, 0);
  }
  // Loading reads the (empty) in-memory logs asynchronously; a bounded number of turns.
  for (let turn = 0; turn < 200; turn++) {
    const states = [...groups.shardStates().values()];
    if (states.length === OFFSETS_PARTITIONS && states.every((s) => s === 'active')) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { groups, offsets };
}

async function setUp(overrides: Partial<KafkaBrokerParts> = {}): Promise<Fixture> {
  const image = metadata();
  const { groups, offsets } = await loadedGroups(image);
  const transactions = new FakeTransactions();
  const produced: ProduceRequest__Output[] = [];
  const produceAnswer = { errorCode: '' };
  const dataPlane = {
    produce: async (request: ProduceRequest__Output): Promise<ProducePartitionResult[]> => {
      produced.push(request);
      return request.topics.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partition,
          baseOffset: 3,
          errorCode: produceAnswer.errorCode,
        })),
      );
    },
    fetch: async () => [],
    listOffsets: async () => [],
  };
  const parts = adminParts(image, new FakeController(image), {
    dataPlane: dataPlane as unknown as KafkaBrokerParts['dataPlane'],
    producerIds: { generateProducerId: async () => 42 },
    groupCoordinator: groups,
    transactions,
    ...overrides,
  });
  return { registry: kafkaRegistry(parts), transactions, groups, offsets, produced, produceAnswer };
}

/** The captured request sent to the registry; our answer's frame and the captured one. */
async function replay(registry: KafkaApiRegistry, name: string): Promise<{ ours: Buffer; captured: Buffer }> {
  const decoded = decodeRequestFrame(
    readFileSync(new URL(`${name}.request.bin`, CAPTURED)).subarray(4),
    KAFKA_APIS,
  );
  if (decoded.kind !== 'request') throw new Error(`${name} did not decode`);
  const handler = registry.handler(decoded.header.apiKey);
  if (handler === undefined) throw new Error(`${decoded.api.name} is not served`);
  const response = await handler.answer(decoded.body, {
    header: decoded.header,
    clientHost: '127.0.0.1',
    connectionId: 'golden',
    logger: pino({ level: 'silent' }),
    caller: CALLER,
  });
  const { api, header } = decoded;
  // `api` is whichever definition the frame named, so the response's type cannot be followed through it
  // (the connection encodes its answers the same way).
  const ours = Buffer.concat(
    encodeResponseFrame(api, header.apiVersion, header.correlationId, response as never),
  );
  return { ours, captured: readFileSync(new URL(`${name}.response.bin`, CAPTURED)) };
}

function ask<A extends ApiDefinition>(
  fixture: Fixture,
  api: A,
  version: number,
  body: RequestInputOf<A>,
): Promise<ResponseOf<A>> {
  return askAs(fixture.registry, CALLER, api, version, body);
}

const PRODUCER = { transactionalId: 'tx-1', producerId: 4000, producerEpoch: 3 };

describe('transaction APIs on the golden frames of KafkaJS and @platformatic/kafka', () => {
  it('KafkaJS: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn reach the coordinator as sent and are answered as captured', async () => {
    const fixture = await setUp();
    fixture.transactions.producer = { producerId: 4000, producerEpoch: 0 };
    const names = [
      'kafkajs-transactions/22-InitProducerId-v1-transactional',
      'kafkajs-transactions/24-AddPartitionsToTxn-v1',
      'kafkajs-transactions/25-AddOffsetsToTxn-v1',
      'kafkajs-transactions/26-EndTxn-v1-commit',
      'kafkajs-transactions/26-EndTxn-v1-abort',
    ];
    for (const name of names) {
      const { ours, captured } = await replay(fixture.registry, name);
      expect(ours.toString('hex'), name).toBe(captured.toString('hex'));
    }
    const txn = { transactionalId: 'golden-kafkajs-tx', producerId: 4000, producerEpoch: 0 };
    expect(fixture.transactions.calls).toEqual([
      {
        method: 'initProducerId',
        request: {
          transactionalId: 'golden-kafkajs-tx',
          transactionTimeoutMs: 60_000,
          producerId: -1,
          producerEpoch: -1,
        },
      },
      {
        method: 'addPartitionsToTxn',
        request: { ...txn, partitions: [{ topic: GOLDEN_TOPIC, partition: 1 }] },
      },
      { method: 'addOffsetsToTxn', request: { ...txn, groupId: GOLDEN_GROUP } },
      { method: 'endTxn', request: { ...txn, result: 'commit' } },
      { method: 'endTxn', request: { ...txn, result: 'abort' } },
    ]);
  });

  it("KafkaJS: TxnOffsetCommit v1 is written to the group's offsets partition, pending (unstable to RequireStable) until the COMMIT marker", async () => {
    const fixture = await setUp();
    const { ours, captured } = await replay(fixture.registry, 'kafkajs-transactions/28-TxnOffsetCommit-v1');
    expect(ours.toString('hex')).toBe(captured.toString('hex'));
    const partition = offsetsPartitionFor(GOLDEN_GROUP, OFFSETS_PARTITIONS);
    expect(fixture.offsets.logs.get(partition)).toHaveLength(1);
    expect(fixture.groups.fetchOffsets(GOLDEN_GROUP, null)).toEqual([]);
    // OffsetFetch v7 (KIP-447): RequireStable answers UNSTABLE_OFFSET_COMMIT while the offset is pending.
    const fetchOffsets = async (
      requireStable: boolean,
      topics: { name: string; partitionIndexes: number[] }[] | null,
    ) =>
      (
        await ask(fixture, OffsetFetch, 7, { groupId: GOLDEN_GROUP, topics, groups: [], requireStable })
      ).topics.flatMap((t) => t.partitions.map((p) => [t.name, p.committedOffset, p.errorCode]));
    const input = [{ name: GOLDEN_INPUT, partitionIndexes: [0] }];
    expect(await fetchOffsets(true, input)).toEqual([[GOLDEN_INPUT, -1, code('UNSTABLE_OFFSET_COMMIT')]]);
    expect(await fetchOffsets(false, input)).toEqual([[GOLDEN_INPUT, -1, 0]]);
    groupTxnPorts(fixture.groups).markerListener.onMarkerWritten(OFFSETS_TOPIC, partition, 4000, 0, true);
    expect(fixture.groups.fetchOffsets(GOLDEN_GROUP, null)).toMatchObject([
      { topic: GOLDEN_INPUT, partition: 0, offset: 42 },
    ]);
    expect(await fetchOffsets(true, input)).toEqual([[GOLDEN_INPUT, 42, 0]]);
    expect(await fetchOffsets(true, null)).toEqual([[GOLDEN_INPUT, 42, 0]]);
  });

  it('@platformatic/kafka: InitProducerId v4, AddOffsetsToTxn v4, EndTxn v4, DescribeTransactions and ListTransactions as captured', async () => {
    const fixture = await setUp();
    fixture.transactions.producer = { producerId: 4000, producerEpoch: 0 };
    fixture.transactions.described = [
      {
        kind: 'found',
        description: {
          transactionalId: 'golden-platformatic-tx',
          state: 'Ongoing',
          producerId: 4000,
          producerEpoch: 0,
          timeoutMs: 60_000,
          txnStartMs: 1_700_000_000_000,
          partitions: new Map([[GOLDEN_TOPIC, [0, 1]]]),
        },
      },
    ];
    fixture.transactions.listed = [
      { transactionalId: 'golden-kafkajs-tx', producerId: 4000, state: 'Ongoing' },
    ];
    const names = [
      'platformatic-transactions/22-InitProducerId-v4-transactional',
      'platformatic-transactions/25-AddOffsetsToTxn-v4',
      'platformatic-transactions/26-EndTxn-v4-commit',
      'platformatic-transactions/26-EndTxn-v4-abort',
      'platformatic-transactions/65-DescribeTransactions-v0',
      'platformatic-transactions/66-ListTransactions-v0',
      'platformatic-transactions/66-ListTransactions-v1',
    ];
    for (const name of names) {
      const { ours, captured } = await replay(fixture.registry, name);
      expect(ours.toString('hex'), name).toBe(captured.toString('hex'));
    }
    // Its upper-case state filter names no Kafka state: reported, and left out of the filter (as Kafka).
    const lists = fixture.transactions.calls.filter((c) => c.method === 'listTransactions');
    expect(lists.map((c) => c.request)).toEqual([
      { states: [], producerIds: [4000], durationMs: -1 },
      { states: [], producerIds: [], durationMs: 30_000 },
    ]);
  });
});

describe('AddPartitionsToTxn', () => {
  const body = (partitions: number[]) => ({
    transactions: [],
    v3AndBelowTransactionalId: PRODUCER.transactionalId,
    v3AndBelowProducerId: PRODUCER.producerId,
    v3AndBelowProducerEpoch: PRODUCER.producerEpoch,
    v3AndBelowTopics: [{ name: GOLDEN_TOPIC, partitions }],
  });
  const codes = (answer: {
    resultsByTopicV3AndBelow: readonly { resultsByPartition: readonly { partitionErrorCode: number }[] }[];
  }) => answer.resultsByTopicV3AndBelow.flatMap((t) => t.resultsByPartition.map((p) => p.partitionErrorCode));

  it('adds nothing when a partition is unknown: that one UNKNOWN_TOPIC_OR_PARTITION, the others OPERATION_NOT_ATTEMPTED', async () => {
    const fixture = await setUp();
    const answer = await ask(fixture, AddPartitionsToTxn, 3, body([0, 7, 1]));
    expect(codes(answer)).toEqual([
      code('OPERATION_NOT_ATTEMPTED'),
      code('UNKNOWN_TOPIC_OR_PARTITION'),
      code('OPERATION_NOT_ATTEMPTED'),
    ]);
    expect(fixture.transactions.calls).toEqual([]);
  });

  it("answers every partition with the coordinator's error, PRODUCER_FENCED only from v2", async () => {
    const fixture = await setUp();
    fixture.transactions.failWith = 'PRODUCER_FENCED';
    expect(codes(await ask(fixture, AddPartitionsToTxn, 1, body([0, 1])))).toEqual([
      code('INVALID_PRODUCER_EPOCH'),
      code('INVALID_PRODUCER_EPOCH'),
    ]);
    expect(codes(await ask(fixture, AddPartitionsToTxn, 2, body([0])))).toEqual([code('PRODUCER_FENCED')]);
    fixture.transactions.failWith = 'CONCURRENT_TRANSACTIONS';
    expect(codes(await ask(fixture, AddPartitionsToTxn, 3, body([1])))).toEqual([
      code('CONCURRENT_TRANSACTIONS'),
    ]);
  });

  it("advertises v0-3 only: v4+ is the brokers' batched form (KIP-890)", async () => {
    const fixture = await setUp();
    expect(fixture.registry.handler(AddPartitionsToTxn.key)?.advertised).toEqual({ min: 0, max: 3 });
  });
});

describe('AddOffsetsToTxn, EndTxn and InitProducerId: errors as each version knew them', () => {
  it('maps PRODUCER_FENCED and TRANSACTION_ABORTABLE to the codes older versions carried', async () => {
    const fixture = await setUp();
    const offsets = { ...PRODUCER, groupId: 'g' };
    const end = { ...PRODUCER, committed: true };
    fixture.transactions.failWith = 'PRODUCER_FENCED';
    expect((await ask(fixture, AddOffsetsToTxn, 1, offsets)).errorCode).toBe(code('INVALID_PRODUCER_EPOCH'));
    expect((await ask(fixture, AddOffsetsToTxn, 2, offsets)).errorCode).toBe(code('PRODUCER_FENCED'));
    expect((await ask(fixture, EndTxn, 1, end)).errorCode).toBe(code('INVALID_PRODUCER_EPOCH'));
    expect((await ask(fixture, EndTxn, 3, end)).errorCode).toBe(code('PRODUCER_FENCED'));
    fixture.transactions.failWith = 'TRANSACTION_ABORTABLE';
    expect((await ask(fixture, AddOffsetsToTxn, 3, offsets)).errorCode).toBe(code('INVALID_TXN_STATE'));
    expect((await ask(fixture, AddOffsetsToTxn, 4, offsets)).errorCode).toBe(code('TRANSACTION_ABORTABLE'));
    expect((await ask(fixture, EndTxn, 3, end)).errorCode).toBe(code('INVALID_TXN_STATE'));
    expect((await ask(fixture, EndTxn, 4, end)).errorCode).toBe(code('TRANSACTION_ABORTABLE'));
    expect(fixture.transactions.calls.map((c) => c.method)).toEqual([
      ...['addOffsetsToTxn', 'addOffsetsToTxn', 'endTxn', 'endTxn'],
      ...['addOffsetsToTxn', 'addOffsetsToTxn', 'endTxn', 'endTxn'],
    ]);
  });

  it("InitProducerId: a transactional id goes to the coordinator with KIP-360's producer, fenced as v4 knows it", async () => {
    const fixture = await setUp();
    const request = {
      transactionalId: 'tx-1',
      transactionTimeoutMs: 5_000,
      producerId: 4000,
      producerEpoch: 3,
    };
    expect(await ask(fixture, InitProducerId, 3, request)).toMatchObject({
      errorCode: 0,
      producerId: 7,
      producerEpoch: 2,
    });
    expect(fixture.transactions.calls).toEqual([{ method: 'initProducerId', request }]);
    fixture.transactions.failWith = 'PRODUCER_FENCED';
    expect(await ask(fixture, InitProducerId, 3, request)).toMatchObject({
      errorCode: code('INVALID_PRODUCER_EPOCH'),
      producerId: -1,
      producerEpoch: -1,
    });
    expect((await ask(fixture, InitProducerId, 4, request)).errorCode).toBe(code('PRODUCER_FENCED'));
    // Without a transactional id: an idempotent producer's id from the broker's blocks, no coordinator.
    const idempotent = { ...request, transactionalId: null, producerId: -1, producerEpoch: -1 };
    expect(await ask(fixture, InitProducerId, 4, idempotent)).toMatchObject({
      errorCode: 0,
      producerId: 42,
      producerEpoch: 0,
    });
    expect(fixture.transactions.calls).toHaveLength(3);
  });

  it('answers ListTransactions with COORDINATOR_LOAD_IN_PROGRESS while a state partition loads', async () => {
    const fixture = await setUp();
    fixture.transactions.failWith = 'COORDINATOR_LOAD_IN_PROGRESS';
    const listed = await ask(fixture, ListTransactions, 1, {
      stateFilters: ['Ongoing', 'NoSuchState'],
      producerIdFilters: [],
      durationFilter: -1,
    });
    expect(listed).toMatchObject({
      errorCode: code('COORDINATOR_LOAD_IN_PROGRESS'),
      unknownStateFilters: ['NoSuchState'],
      transactionStates: [],
    });
  });

  it('answers COORDINATOR_NOT_AVAILABLE while the broker runs no transaction coordinator', async () => {
    const fixture = await setUp({ transactions: null, txnMarkers: null });
    const unavailable = code('COORDINATOR_NOT_AVAILABLE');
    const init = { transactionalId: 'tx-1', transactionTimeoutMs: 5_000, producerId: -1, producerEpoch: -1 };
    expect((await ask(fixture, InitProducerId, 4, init)).errorCode).toBe(unavailable);
    expect((await ask(fixture, EndTxn, 4, { ...PRODUCER, committed: false })).errorCode).toBe(unavailable);
    expect(
      (
        await ask(fixture, ListTransactions, 1, {
          stateFilters: [],
          producerIdFilters: [],
          durationFilter: -1,
        })
      ).errorCode,
    ).toBe(unavailable);
    const described = await ask(fixture, DescribeTransactions, 0, { transactionalIds: ['a', 'b'] });
    expect(described.transactionStates.map((s) => [s.transactionalId, s.errorCode])).toEqual([
      ['a', unavailable],
      ['b', unavailable],
    ]);
  });
});

describe('TxnOffsetCommit through the group coordinator', () => {
  const commit = (groupId: string, memberId = '', generationId = -1) => ({
    ...PRODUCER,
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    topics: [
      {
        name: GOLDEN_INPUT,
        partitions: [
          { partitionIndex: 0, committedOffset: 9, committedLeaderEpoch: -1, committedMetadata: null },
        ],
      },
    ],
  });
  const codes = (answer: { topics: readonly { partitions: readonly { errorCode: number }[] }[] }) =>
    answer.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));

  it("fences a generation the group never had, and answers the offsets write's producer errors per version", async () => {
    const fixture = await setUp();
    expect(codes(await ask(fixture, TxnOffsetCommit, 3, commit('g-1', 'nobody', 4)))).toEqual([
      code('ILLEGAL_GENERATION'),
    ]);
    fixture.offsets.failNextWrite = 'PRODUCER_FENCED';
    // TxnOffsetCommit never carried PRODUCER_FENCED: a fenced producer is INVALID_PRODUCER_EPOCH there.
    expect(codes(await ask(fixture, TxnOffsetCommit, 3, commit('g-1')))).toEqual([
      code('INVALID_PRODUCER_EPOCH'),
    ]);
    expect(codes(await ask(fixture, TxnOffsetCommit, 3, commit('g-1')))).toEqual([0]);
  });

  it('answers COORDINATOR_NOT_AVAILABLE without a group coordinator', async () => {
    const fixture = await setUp({ groupCoordinator: null });
    expect(codes(await ask(fixture, TxnOffsetCommit, 0, commit('g-1')))).toEqual([
      code('COORDINATOR_NOT_AVAILABLE'),
    ]);
  });
});

describe('txnCodeFor', () => {
  it('replaces codes a version did not know, and only those', () => {
    const table: [Parameters<typeof txnCodeFor>[0], number, ErrorCode, ErrorCode][] = [
      ['InitProducerId', 3, 'PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'],
      ['InitProducerId', 4, 'PRODUCER_FENCED', 'PRODUCER_FENCED'],
      ['AddPartitionsToTxn', 3, 'TRANSACTION_ABORTABLE', 'INVALID_TXN_STATE'],
      ['TxnOffsetCommit', 4, 'PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'],
      ['TxnOffsetCommit', 4, 'TRANSACTION_ABORTABLE', 'TRANSACTION_ABORTABLE'],
      // KAFKA-7296: TxnOffsetCommit v0-1 clients treated COORDINATOR_LOAD_IN_PROGRESS as fatal.
      ['TxnOffsetCommit', 1, 'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE'],
      ['TxnOffsetCommit', 2, 'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS'],
      ['EndTxn', 0, 'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS'],
      ['Produce', 10, 'TRANSACTION_ABORTABLE', 'INVALID_TXN_STATE'],
      ['Produce', 11, 'TRANSACTION_ABORTABLE', 'TRANSACTION_ABORTABLE'],
      ['Produce', 11, 'PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'],
      ['EndTxn', 0, 'CONCURRENT_TRANSACTIONS', 'CONCURRENT_TRANSACTIONS'],
    ];
    expect(
      table.map(([api, version, given]) => [api, version, given, txnCodeFor(api, version, given)]),
    ).toEqual(table);
  });
});

describe('a transactional Produce', () => {
  const produce = (transactionalId: string | null) => ({
    transactionalId,
    acks: -1,
    timeoutMs: 1_000,
    topicData: [{ name: GOLDEN_TOPIC, partitionData: [{ index: 0, records: Buffer.from([1, 2, 3]) }] }],
  });
  const codeOf = (answer: {
    responses: readonly { partitionResponses: readonly { errorCode: number }[] }[];
  }) => answer.responses[0]?.partitionResponses[0]?.errorCode;

  it("hands its transactional id to the leader's verification, and maps its refusals per version", async () => {
    const fixture = await setUp();
    expect(codeOf(await ask(fixture, Produce, 9, produce('tx-1')))).toBe(0);
    expect(codeOf(await ask(fixture, Produce, 9, produce(null)))).toBe(0);
    expect(fixture.produced.map((r) => r.transactionalId)).toEqual(['tx-1', '']);
    fixture.produceAnswer.errorCode = 'TRANSACTION_ABORTABLE';
    expect(codeOf(await ask(fixture, Produce, 10, produce('tx-1')))).toBe(code('INVALID_TXN_STATE'));
    expect(codeOf(await ask(fixture, Produce, 11, produce('tx-1')))).toBe(code('TRANSACTION_ABORTABLE'));
    fixture.produceAnswer.errorCode = 'PRODUCER_FENCED';
    expect(codeOf(await ask(fixture, Produce, 11, produce('tx-1')))).toBe(code('INVALID_PRODUCER_EPOCH'));
    fixture.produceAnswer.errorCode = 'INVALID_TXN_STATE';
    expect(codeOf(await ask(fixture, Produce, 11, produce('tx-1')))).toBe(code('INVALID_TXN_STATE'));
  });
});

/** A marker writer answering every partition with `errorCode` ('' = written), recording each request. */
class RecordingMarkerWriter implements TxnMarkerWriterPort {
  readonly requests: WriteTxnMarkersRequest__Output[] = [];
  errorCode = '';

  async writeTxnMarkers(request: WriteTxnMarkersRequest__Output): Promise<WriteTxnMarkersResponse> {
    this.requests.push(request);
    return {
      markers: request.markers.map((marker) => ({
        producerId: String(marker.producerId),
        results: marker.partitions.flatMap((entry) =>
          entry.partitions.map((partition) => ({
            topic: entry.topic,
            partition,
            errorCode: this.errorCode,
            errorMessage: '',
          })),
        ),
      })),
    };
  }
}

describe('WriteTxnMarkers, DescribeTransactions, ListTransactions', () => {
  const markers = {
    markers: [
      {
        producerId: 4000,
        producerEpoch: 3,
        transactionResult: true,
        topics: [{ name: GOLDEN_TOPIC, partitionIndexes: [0, 1] }],
        coordinatorEpoch: 5,
      },
    ],
  };

  it("WriteTxnMarkers hands each marker to this broker's writer and answers per partition", async () => {
    const writer = new RecordingMarkerWriter();
    const fixture = await setUp({ txnMarkers: writer });
    const answer = await ask(fixture, WriteTxnMarkers, 1, markers);
    expect(writer.requests).toEqual([
      {
        markers: [
          {
            producerId: 4000,
            producerEpoch: 3,
            commit: true,
            coordinatorEpoch: 5,
            partitions: [{ topic: GOLDEN_TOPIC, partitions: [0, 1] }],
          },
        ],
      },
    ]);
    expect(answer.markers).toEqual([
      {
        producerId: 4000,
        topics: [
          {
            name: GOLDEN_TOPIC,
            partitions: [
              { partitionIndex: 0, errorCode: 0 },
              { partitionIndex: 1, errorCode: 0 },
            ],
          },
        ],
      },
    ]);
    writer.errorCode = 'TRANSACTION_COORDINATOR_FENCED';
    const fenced = await ask(fixture, WriteTxnMarkers, 0, markers);
    expect(fenced.markers[0]?.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([
      code('TRANSACTION_COORDINATOR_FENCED'),
      code('TRANSACTION_COORDINATOR_FENCED'),
    ]);
  });

  it('WriteTxnMarkers without a writer answers every partition COORDINATOR_NOT_AVAILABLE', async () => {
    const fixture = await setUp();
    const answer = await ask(fixture, WriteTxnMarkers, 1, markers);
    expect(answer.markers[0]?.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([
      code('COORDINATOR_NOT_AVAILABLE'),
      code('COORDINATOR_NOT_AVAILABLE'),
    ]);
  });

  it("DescribeTransactions answers each id with the coordinator's description or its error", async () => {
    const fixture = await setUp();
    fixture.transactions.described = [
      {
        kind: 'error',
        transactionalId: 'elsewhere',
        error: new TributaryError('NOT_COORDINATOR', 'not here'),
      },
      {
        kind: 'error',
        transactionalId: 'unknown',
        error: new TributaryError('TRANSACTIONAL_ID_NOT_FOUND', 'no such id'),
      },
    ];
    const answer = await ask(fixture, DescribeTransactions, 0, {
      transactionalIds: ['elsewhere', 'unknown'],
    });
    expect(answer.transactionStates.map((s) => [s.transactionalId, s.errorCode, s.producerId])).toEqual([
      ['elsewhere', code('NOT_COORDINATOR'), -1],
      ['unknown', code('TRANSACTIONAL_ID_NOT_FOUND'), -1],
    ]);
  });

  it('ListTransactions filters by the Kafka state names it knows and reports the others', async () => {
    const fixture = await setUp();
    fixture.transactions.listed = [{ transactionalId: 'a', producerId: 1, state: 'PrepareCommit' }];
    const answer = await ask(fixture, ListTransactions, 1, {
      stateFilters: ['PrepareCommit', 'Ongoing', 'Bogus'],
      producerIdFilters: [1, 2],
      durationFilter: 500,
    });
    expect(answer).toMatchObject({
      errorCode: 0,
      unknownStateFilters: ['Bogus'],
      transactionStates: [{ transactionalId: 'a', producerId: 1, transactionState: 'PrepareCommit' }],
    });
    expect(fixture.transactions.calls).toEqual([
      {
        method: 'listTransactions',
        request: { states: ['PrepareCommit', 'Ongoing'], producerIds: [1, 2], durationMs: 500 },
      },
    ]);
  });
});
