/**
 * The data-plane APIs through the real registry and handlers with an authorizer on: mixed allowed and
 * refused topics in Produce and Fetch (v12 by name, v13 by id), Metadata's filtering and named refusals,
 * InitProducerId's rule, super users, and an authorizer that is off.
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import {
  CreateTopics,
  Fetch,
  InitProducerId,
  ListOffsets,
  Metadata,
  Produce,
} from '@tributary/kafka-protocol';
import type {
  FetchPartitionResult,
  FetchRequest__Output,
  ProducePartitionResult,
  ProduceRequest__Output,
} from '@tributary/protocol';
import type { AccessControl } from '@tributary/security';
import { describe, expect, it } from 'vitest';
import { kafkaHandlers, kafkaRegistry } from '../server.js';
import {
  adminParts,
  brokerRecords,
  FakeController,
  FakeMetadata,
  topicRecords,
} from '../testing/admin-fakes.js';
import { guardKafkaHandlers } from './guard-handlers.js';
import { KAFKA_API_ACCESS } from './kafka-access.js';
import { ADMIN, ALICE, accessControl, askAs, BOB, exchangeAs, TOPIC_A_ID, TOPIC_B_ID } from './testing.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;
const RECORDS = Buffer.from([1, 2, 3, 4]);

function fixture(access: AccessControl | undefined) {
  const metadata = new FakeMetadata([
    ...brokerRecords(1),
    ...topicRecords({ name: 'a', topicId: TOPIC_A_ID, partitions: 2, replicationFactor: 1 }),
    ...topicRecords({ name: 'b', topicId: TOPIC_B_ID, partitions: 2, replicationFactor: 1 }),
  ]);
  const controller = new FakeController(metadata);
  const produced: ProduceRequest__Output[] = [];
  const fetched: FetchRequest__Output[] = [];
  const dataPlane = {
    produce: async (request: ProduceRequest__Output): Promise<ProducePartitionResult[]> => {
      produced.push(request);
      return request.topics.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.name, partition: p.partition, baseOffset: 7, errorCode: '' })),
      );
    },
    fetch: async (request: FetchRequest__Output): Promise<FetchPartitionResult[]> => {
      fetched.push(request);
      return request.topics.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partition,
          highWatermark: 5,
          records: RECORDS,
        })),
      );
    },
    listOffsets: async () => [],
  };
  const parts = adminParts(metadata, controller, {
    dataPlane: dataPlane as unknown as ReturnType<typeof adminParts>['dataPlane'],
    producerIds: { generateProducerId: async () => 42 },
    ...(access === undefined ? {} : { access }),
  });
  return { registry: kafkaRegistry(parts), parts, produced, fetched, controller };
}

function produceBody(topics: readonly string[], acks = -1, transactionalId: string | null = null) {
  return {
    transactionalId,
    acks,
    timeoutMs: 1000,
    topicData: topics.map((name) => ({
      name,
      partitionData: [
        { index: 0, records: RECORDS },
        { index: 1, records: RECORDS },
      ],
    })),
  };
}

function partitionCodes(
  responses: readonly { name: string; partitionResponses: readonly { index: number; errorCode: number }[] }[],
) {
  return Object.fromEntries(responses.map((t) => [t.name, t.partitionResponses.map((p) => p.errorCode)]));
}

describe('KAFKA_API_ACCESS', () => {
  it('names every API the listener serves, and nothing else', () => {
    const { parts } = fixture(undefined);
    const served = kafkaHandlers(parts, () => {
      throw new Error('unused');
    }).map((handler) => handler.api.name);
    expect(Object.keys(KAFKA_API_ACCESS).sort()).toEqual(served.sort());
  });

  it('refuses to register an API it does not name, with or without an authorizer (fail closed)', () => {
    const { parts } = fixture(undefined);
    const handlers = kafkaHandlers(parts, () => {
      throw new Error('unused');
    });
    const { Produce: _, ...withoutProduce } = KAFKA_API_ACCESS;
    expect(() => guardKafkaHandlers(handlers, { parts, table: withoutProduce })).toThrow(
      /Produce has no entry/,
    );
  });
});

describe('Produce', () => {
  it('writes the topics the caller may Write and answers the others TOPIC_AUTHORIZATION_FAILED per partition', async () => {
    const { access, denials } = accessControl();
    const { registry, produced } = fixture(access);
    const response = await askAs(registry, ALICE, Produce, 9, produceBody(['a', 'b']));
    expect(produced.map((r) => r.topics.map((t) => t.name))).toEqual([['a']]);
    expect(partitionCodes(response.responses)).toEqual({
      a: [0, 0],
      b: [code('TOPIC_AUTHORIZATION_FAILED'), code('TOPIC_AUTHORIZATION_FAILED')],
    });
    expect(response.responses.find((t) => t.name === 'a')?.partitionResponses[0]?.baseOffset).toBe(7);
    // One decision (and one reported denial) per topic, not per partition.
    expect(denials.map((d) => `${d.operation} ${d.resourceType} ${d.resourceName}`)).toEqual([
      'Write Topic b',
    ]);
  });

  it('answers a request with no allowed topic without writing anything', async () => {
    const { registry, produced } = fixture(accessControl().access);
    const response = await askAs(registry, BOB, Produce, 9, produceBody(['a', 'b']));
    expect(produced).toEqual([]);
    expect(Object.values(partitionCodes(response.responses)).flat()).toEqual(
      Array(4).fill(code('TOPIC_AUTHORIZATION_FAILED')),
    );
  });

  it('checks acks=0 requests too: the refused data is dropped and nothing is answered', async () => {
    const { registry, produced } = fixture(accessControl().access);
    expect(await exchangeAs(registry, ALICE, Produce, 9, produceBody(['a', 'b'], 0))).toBeNull();
    expect(produced.map((r) => r.topics.map((t) => t.name))).toEqual([['a']]);
    expect(await exchangeAs(registry, BOB, Produce, 9, produceBody(['a'], 0))).toBeNull();
    expect(produced).toHaveLength(1);
  });

  it('refuses a transactional id the caller may not Write everywhere', async () => {
    const { registry, produced } = fixture(accessControl().access);
    const response = await askAs(registry, ALICE, Produce, 9, produceBody(['a'], -1, 'tx-1'));
    expect(produced).toEqual([]);
    expect(partitionCodes(response.responses)).toEqual({
      a: [code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'), code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED')],
    });
  });

  it('lets a super user write anywhere, and everyone when the authorizer is off', async () => {
    const secured = fixture(accessControl().access);
    const asAdmin = await askAs(secured.registry, ADMIN, Produce, 9, produceBody(['a', 'b']));
    expect(partitionCodes(asAdmin.responses)).toEqual({ a: [0, 0], b: [0, 0] });
    const open = fixture(accessControl({ enabled: false }).access);
    const asBob = await askAs(open.registry, BOB, Produce, 9, produceBody(['a', 'b']));
    expect(partitionCodes(asBob.responses)).toEqual({ a: [0, 0], b: [0, 0] });
  });
});

function fetchBody(topics: readonly { topic: string; topicId: string }[]) {
  return {
    clusterId: null,
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: topics.map((t) => ({
      ...t,
      partitions: [
        {
          partition: 0,
          currentLeaderEpoch: -1,
          fetchOffset: 0,
          lastFetchedEpoch: -1,
          logStartOffset: -1,
          partitionMaxBytes: 1 << 20,
        },
      ],
    })),
    forgottenTopicsData: [],
    rackId: '',
  };
}

describe('Fetch', () => {
  it('v12 (names): reads the topics the caller may Read, refuses the others per partition', async () => {
    const { registry, fetched } = fixture(accessControl().access);
    const response = await askAs(
      registry,
      ALICE,
      Fetch,
      12,
      fetchBody([
        { topic: 'a', topicId: TOPIC_A_ID },
        { topic: 'b', topicId: TOPIC_B_ID },
      ]),
    );
    expect(fetched.map((r) => r.topics.map((t) => t.name))).toEqual([['a']]);
    const codes = Object.fromEntries(response.responses.map((t) => [t.topic, t.partitions[0]?.errorCode]));
    expect(codes).toEqual({ a: 0, b: code('TOPIC_AUTHORIZATION_FAILED') });
    expect(response.responses.find((t) => t.topic === 'a')?.partitions[0]?.records).toEqual(RECORDS);
  });

  it('v13 (ids): resolves ids to names; an unknown id is left to the handler', async () => {
    const { registry, fetched } = fixture(accessControl().access);
    const unknown = '33333333-3333-4333-8333-333333333333';
    const response = await askAs(
      registry,
      ALICE,
      Fetch,
      13,
      fetchBody([
        { topic: '', topicId: TOPIC_A_ID },
        { topic: '', topicId: TOPIC_B_ID },
        { topic: '', topicId: unknown },
      ]),
    );
    expect(fetched.map((r) => r.topics.map((t) => t.name))).toEqual([['a']]);
    const codes = Object.fromEntries(response.responses.map((t) => [t.topicId, t.partitions[0]?.errorCode]));
    expect(codes).toEqual({
      [TOPIC_A_ID]: 0,
      [TOPIC_B_ID]: code('TOPIC_AUTHORIZATION_FAILED'),
      [unknown]: code('UNKNOWN_TOPIC_ID'),
    });
  });

  it('answers a caller with no topic it may Read without fetching', async () => {
    const { registry, fetched } = fixture(accessControl().access);
    const response = await askAs(registry, BOB, Fetch, 12, fetchBody([{ topic: 'a', topicId: TOPIC_A_ID }]));
    expect(fetched).toEqual([]);
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(code('TOPIC_AUTHORIZATION_FAILED'));
  });
});

describe('ListOffsets', () => {
  it('needs Describe on each topic', async () => {
    const { registry } = fixture(accessControl().access);
    const response = await askAs(registry, BOB, ListOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 'a',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1, maxNumOffsets: 1 }],
        },
      ],
    });
    expect(response.topics[0]?.partitions[0]?.errorCode).toBe(code('TOPIC_AUTHORIZATION_FAILED'));
  });
});

describe('Metadata', () => {
  const named = (names: readonly string[]) => ({
    topics: names.map((name) => ({ topicId: '00000000-0000-0000-0000-000000000000', name })),
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  });

  it('lists only the topics the caller may Describe', async () => {
    const { registry } = fixture(accessControl().access);
    const response = await askAs(registry, ALICE, Metadata, 12, { ...named([]), topics: null });
    expect(response.topics.map((t) => t.name)).toEqual(['a']);
    expect(response.brokers).toHaveLength(1);
  });

  it('answers named topics it may not Describe TOPIC_AUTHORIZATION_FAILED', async () => {
    const { registry } = fixture(accessControl().access);
    const response = await askAs(registry, ALICE, Metadata, 12, named(['a', 'b']));
    expect(response.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([
      ['a', 0, 2],
      ['b', code('TOPIC_AUTHORIZATION_FAILED'), 0],
    ]);
  });

  it('v0: naming only refused topics does not turn into "every topic"', async () => {
    const { registry } = fixture(accessControl().access);
    const response = await askAs(registry, BOB, Metadata, 0, named(['b']));
    expect(response.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['b', code('TOPIC_AUTHORIZATION_FAILED')],
    ]);
    expect(response.brokers).toHaveLength(1);
  });
});

describe('InitProducerId', () => {
  const body = { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 };

  it('lets a caller with Write on some topic write idempotently (KIP-679), refuses one without', async () => {
    const { registry } = fixture(accessControl().access);
    expect((await askAs(registry, ALICE, InitProducerId, 4, body)).producerId).toBe(42);
    const refused = await askAs(registry, BOB, InitProducerId, 4, body);
    expect([refused.errorCode, refused.producerId]).toEqual([code('CLUSTER_AUTHORIZATION_FAILED'), -1]);
  });

  it('needs Write on the transactional id it names', async () => {
    const { registry } = fixture(accessControl().access);
    const refused = await askAs(registry, ALICE, InitProducerId, 4, { ...body, transactionalId: 'tx-1' });
    expect(refused.errorCode).toBe(code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'));
  });
});

describe('CreateTopics', () => {
  it('needs Create on the cluster or the topic; refused topics never reach the controller', async () => {
    const { registry, controller } = fixture(accessControl().access);
    const body = {
      topics: [{ name: 'c', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 1000,
      validateOnly: false,
    };
    const refused = await askAs(registry, BOB, CreateTopics, 7, body);
    expect(refused.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['c', code('TOPIC_AUTHORIZATION_FAILED')],
    ]);
    expect(controller.callsOf('CreateTopic')).toEqual([]);
    const created = await askAs(registry, ADMIN, CreateTopics, 7, body);
    expect(created.topics.map((t) => [t.name, t.errorCode])).toEqual([['c', 0]]);
  });
});
