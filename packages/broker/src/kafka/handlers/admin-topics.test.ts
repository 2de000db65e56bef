/**
 * CreateTopics, DeleteTopics and CreatePartitions against a stand-in controller behind the real
 * AdminForwarder: what is forwarded (Kafka's -1 defaults, names by id, deadlines), what is refused before
 * forwarding, how controller refusals come back per topic, the v0 / v5+ / v7 response shapes, and that an
 * answer waits (bounded) until this broker's image shows the change.
 */
import { TributaryError } from '@tributary/core';
import { CreatePartitions, CreateTopics, DeleteTopics } from '@tributary/kafka-protocol';
import { describe, expect, it } from 'vitest';
import {
  adminParts,
  brokerRecords,
  exchange,
  FakeController,
  FakeMetadata,
  topicRecords,
} from '../testing/admin-fakes.js';
import { createPartitionsHandler, createTopicsHandler, deleteTopicsHandler } from './admin-topics.js';

const NIL = '00000000-0000-0000-0000-000000000000';
const ORDERS_ID = '11111111-2222-4333-8444-555555555555';
const CODE = {
  none: 0,
  unknownTopic: 3,
  invalidTopic: 17,
  topicExists: 36,
  invalidPartitions: 37,
  invalidReplicationFactor: 38,
  invalidConfig: 40,
  notController: 41,
  invalidRequest: 42,
  unknownTopicId: 100,
};

function setup() {
  const metadata = new FakeMetadata([
    ...brokerRecords(3),
    ...topicRecords({
      name: 'orders',
      topicId: ORDERS_ID,
      partitions: 3,
      replicationFactor: 2,
      configs: { 'cleanup.policy': 'compact' },
    }),
  ]);
  const controller = new FakeController(metadata);
  const parts = adminParts(metadata, controller);
  return {
    metadata,
    controller,
    create: createTopicsHandler(parts),
    remove: deleteTopicsHandler(parts),
    grow: createPartitionsHandler(parts),
  };
}

type Creatable = Parameters<typeof exchange<typeof CreateTopics>>[3]['topics'][number];

function topic(name: string, extra: Partial<Creatable> = {}): Creatable {
  return { name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [], ...extra };
}

function createRequest(topics: Creatable[], extra: { timeoutMs?: number; validateOnly?: boolean } = {}) {
  return { topics, timeoutMs: 5_000, validateOnly: false, ...extra };
}

describe('CreateTopics', () => {
  it('creates through the controller and answers v0 with the error code only', async () => {
    const { create, metadata, controller } = setup();
    const answer = await exchange(create, CreateTopics, 0, createRequest([topic('payments')]));
    expect(answer.topics).toEqual([
      expect.objectContaining({ name: 'payments', errorCode: CODE.none, errorMessage: null }),
    ]);
    expect(controller.callsOf('CreateTopic')[0]?.request).toEqual({
      name: 'payments',
      partitions: 2,
      replicationFactor: 1,
      configs: [],
      validateOnly: false,
    });
    // Answered once this broker's image shows the topic (KafkaJS asks it for the leaders next).
    expect(metadata.currentImage().topicByName('payments')?.partitions.size).toBe(2);
  });

  it('answers v5+ with the counts and every config with its source, and v7 with the topic id', async () => {
    const { create, metadata } = setup();
    const configs = [{ name: 'retention.ms', value: '60000' }];
    const v5 = await exchange(create, CreateTopics, 5, createRequest([topic('a', { configs })]));
    const result = v5.topics[0];
    expect(result).toMatchObject({ name: 'a', errorCode: 0, numPartitions: 2, replicationFactor: 1 });
    const byName = new Map(result?.configs?.map((c) => [c.name, c]));
    expect(byName.get('retention.ms')).toEqual({
      name: 'retention.ms',
      value: '60000',
      readOnly: false,
      configSource: 1,
      isSensitive: false,
    });
    expect(byName.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: 5 });
    expect(byName.get('min.insync.replicas')).toMatchObject({ value: '1', configSource: 5 });
    expect(result?.topicId).toBe(NIL); // no topic id before v7
    const v7 = await exchange(create, CreateTopics, 7, createRequest([topic('b')]));
    expect(v7.topics[0]?.topicId).toBe(metadata.currentImage().topicByName('b')?.topicId);
    expect(v7.topics[0]?.topicId).not.toBe(NIL);
  });

  it("takes -1 as the broker's default partition count and replication factor (KIP-464)", async () => {
    const { create, controller } = setup();
    const answer = await exchange(
      create,
      CreateTopics,
      7,
      createRequest([topic('defaults', { numPartitions: -1, replicationFactor: -1 })]),
    );
    expect(answer.topics[0]).toMatchObject({ errorCode: 0, numPartitions: 3, replicationFactor: 2 });
    expect(controller.callsOf('CreateTopic')[0]?.request).toMatchObject({
      partitions: 3,
      replicationFactor: 2,
    });
  });

  it('validates only: nothing is created and no topic id is given', async () => {
    const { create, metadata, controller } = setup();
    const answer = await exchange(
      create,
      CreateTopics,
      7,
      createRequest([topic('dry')], { validateOnly: true }),
    );
    expect(answer.topics[0]).toMatchObject({ errorCode: 0, topicId: NIL, numPartitions: 2 });
    expect(controller.callsOf('CreateTopic')[0]?.request).toMatchObject({ validateOnly: true });
    expect(metadata.currentImage().topicByName('dry')).toBeUndefined();
  });

  it("refuses per topic, with the controller's code and message from v1", async () => {
    const { create, controller } = setup();
    const topics = [
      topic('orders'),
      topic('bad name!'),
      topic('zero', { numPartitions: 0 }),
      topic('no-replicas', { replicationFactor: 0 }),
      topic('too-many-replicas', { replicationFactor: 9 }),
      topic('unknown-config', { configs: [{ name: 'retention.msec', value: '1' }] }),
      topic('bad-value', { configs: [{ name: 'retention.ms', value: 'soon' }] }),
      topic('null-value', { configs: [{ name: 'retention.ms', value: null }] }),
      topic('placed', {
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1] }],
      }),
      topic('__consumer_offsets'),
      topic('twice'),
      topic('twice', { numPartitions: 5 }),
    ];
    const answer = await exchange(create, CreateTopics, 1, createRequest(topics));
    const codes = Object.fromEntries(answer.topics.map((t) => [t.name, t.errorCode]));
    expect(codes).toEqual({
      orders: CODE.topicExists,
      'bad name!': CODE.invalidTopic,
      zero: CODE.invalidPartitions,
      'no-replicas': CODE.invalidReplicationFactor,
      'too-many-replicas': CODE.invalidReplicationFactor,
      'unknown-config': CODE.invalidConfig,
      'bad-value': CODE.invalidConfig,
      'null-value': CODE.invalidConfig,
      placed: CODE.invalidRequest,
      __consumer_offsets: CODE.invalidTopic,
      twice: CODE.invalidRequest,
    });
    const messages = new Map(answer.topics.map((t) => [t.name, t.errorMessage]));
    expect(messages.get('orders')).toContain('already exists');
    expect(messages.get('placed')).toContain('manual replica assignments');
    // Refused before forwarding: bad counts, null values, assignments, the internal topic, duplicates.
    expect(controller.callsOf('CreateTopic').map((c) => (c.request as { name: string }).name)).toEqual([
      'orders',
      'bad name!',
      'too-many-replicas',
      'unknown-config',
      'bad-value',
    ]);
    const v0 = await exchange(create, CreateTopics, 0, createRequest([topic('orders')]));
    expect(v0.topics[0]).toMatchObject({ errorCode: CODE.topicExists, errorMessage: null });
  });

  it('relays a controller that cannot be reached as its retriable code', async () => {
    const { create, controller } = setup();
    controller.failNext.set('CreateTopic', new TributaryError('NOT_CONTROLLER', 'no active controller'));
    const answer = await exchange(create, CreateTopics, 4, createRequest([topic('later')]));
    expect(answer.topics[0]).toMatchObject({
      errorCode: CODE.notController,
      errorMessage: 'no active controller',
    });
  });

  it("forwards with the request's timeout, capped; <= 0 takes the default and does not wait", async () => {
    const { create, controller } = setup();
    await exchange(create, CreateTopics, 4, createRequest([topic('t1')], { timeoutMs: 1_234 }));
    await exchange(create, CreateTopics, 4, createRequest([topic('t2')], { timeoutMs: 3_600_000 }));
    controller.publishes = false;
    const started = performance.now();
    await exchange(create, CreateTopics, 4, createRequest([topic('t3')], { timeoutMs: 0 }));
    expect(performance.now() - started).toBeLessThan(1_000);
    const deadlines = controller.callsOf('CreateTopic').map((c) => c.deadlineMs);
    expect(deadlines[0]).toBeGreaterThan(1_000);
    expect(deadlines[0]).toBeLessThanOrEqual(1_234);
    expect(deadlines[1]).toBeLessThanOrEqual(30_000);
    expect(deadlines[1]).toBeGreaterThan(29_000);
    expect(deadlines[2]).toBeGreaterThan(9_000);
    expect(deadlines[2]).toBeLessThanOrEqual(10_000);
  });

  it("answers once this broker's image shows the topic, or when the timeout runs out", async () => {
    const { create, controller, metadata } = setup();
    controller.publishes = false;
    let answered = false;
    const pending = exchange(create, CreateTopics, 7, createRequest([topic('lagging')])).then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(answered).toBe(false);
    controller.flush();
    expect((await pending).topics[0]?.errorCode).toBe(0);
    expect(metadata.currentImage().topicByName('lagging')).toBeDefined();
    // An image that never catches up: still a success (the topic exists), after the timeout.
    const late = await exchange(create, CreateTopics, 7, createRequest([topic('late')], { timeoutMs: 50 }));
    expect(late.topics[0]?.errorCode).toBe(0);
  });
});

describe('DeleteTopics', () => {
  it('deletes by name (v0-5): unknown names, the internal topic and repeats are refused per topic', async () => {
    const { remove, metadata } = setup();
    const answer = await exchange(remove, DeleteTopics, 5, {
      topicNames: ['orders', 'nope', '__consumer_offsets', 'again', 'again'],
      timeoutMs: 5_000,
      topics: [],
    });
    expect(answer.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['orders', CODE.none],
      ['nope', CODE.unknownTopic],
      ['__consumer_offsets', CODE.invalidTopic],
      ['again', CODE.invalidRequest],
    ]);
    expect(answer.responses[1]?.errorMessage).toContain('does not exist');
    expect(metadata.currentImage().topicByName('orders')).toBeUndefined();
    const v0 = await exchange(remove, DeleteTopics, 0, {
      topicNames: ['nope'],
      timeoutMs: 5_000,
      topics: [],
    });
    expect(v0.responses[0]).toMatchObject({ name: 'nope', errorCode: CODE.unknownTopic, errorMessage: null });
  });

  it('deletes by id (v6), checked by the controller, and names the topic in the answer', async () => {
    const { remove, metadata, controller } = setup();
    const answer = await exchange(remove, DeleteTopics, 6, {
      topics: [{ name: null, topicId: ORDERS_ID }],
      timeoutMs: 5_000,
      topicNames: [],
    });
    expect(answer.responses).toEqual([
      { name: 'orders', topicId: ORDERS_ID, errorCode: 0, errorMessage: null },
    ]);
    expect(controller.callsOf('DeleteTopic')[0]?.request).toEqual({ name: 'orders', topicId: ORDERS_ID });
    expect(metadata.currentImage().topicById(ORDERS_ID)).toBeUndefined();
  });

  it('refuses what Kafka refuses in v6: unknown ids, name and id in one entry, neither, a topic named both ways', async () => {
    const { remove, controller } = setup();
    const unknownId = '99999999-9999-4999-8999-999999999999';
    const answer = await exchange(remove, DeleteTopics, 6, {
      topics: [
        { name: null, topicId: unknownId },
        { name: 'orders', topicId: ORDERS_ID },
        { name: null, topicId: NIL },
        { name: null, topicId: ORDERS_ID },
        { name: 'orders', topicId: NIL },
      ],
      timeoutMs: 5_000,
      topicNames: [],
    });
    expect(answer.responses.map((r) => [r.name, r.topicId, r.errorCode])).toEqual([
      [null, unknownId, CODE.unknownTopicId],
      ['orders', ORDERS_ID, CODE.invalidRequest],
      [null, NIL, CODE.invalidRequest],
      [null, ORDERS_ID, CODE.invalidRequest],
      ['orders', NIL, CODE.invalidRequest],
    ]);
    // A topic named both by name and by id is deleted neither way, as in Kafka.
    expect(controller.callsOf('DeleteTopic')).toHaveLength(0);
  });

  it('answers UNKNOWN_TOPIC_ID when a topic named by id is gone by the time the controller decides', async () => {
    const { remove, controller } = setup();
    controller.failNext.set(
      'DeleteTopic',
      new TributaryError('UNKNOWN_TOPIC', 'topic "orders" does not exist'),
    );
    const answer = await exchange(remove, DeleteTopics, 6, {
      topics: [{ name: null, topicId: ORDERS_ID }],
      timeoutMs: 5_000,
      topicNames: [],
    });
    expect(answer.responses[0]).toMatchObject({
      name: null,
      topicId: ORDERS_ID,
      errorCode: CODE.unknownTopicId,
    });
  });
});

describe('CreatePartitions', () => {
  const grow = (name: string, count: number, assignments: { brokerIds: number[] }[] | null = null) => ({
    name,
    count,
    assignments,
  });

  it('adds partitions and answers once the image shows them', async () => {
    const { grow: handler, metadata } = setup();
    // KafkaJS sends an empty assignment list, not null, when it gives none.
    const answer = await exchange(handler, CreatePartitions, 0, {
      topics: [grow('orders', 5, [])],
      timeoutMs: 5_000,
      validateOnly: false,
    });
    expect(answer.results).toEqual([{ name: 'orders', errorCode: 0, errorMessage: null }]);
    expect(metadata.currentImage().topicByName('orders')?.partitions.size).toBe(5);
  });

  it('validates only through the controller, adding nothing', async () => {
    const { grow: handler, metadata, controller } = setup();
    const answer = await exchange(handler, CreatePartitions, 3, {
      topics: [grow('orders', 6)],
      timeoutMs: 5_000,
      validateOnly: true,
    });
    expect(answer.results[0]?.errorCode).toBe(0);
    expect(controller.callsOf('CreatePartitions')[0]?.request).toEqual({
      name: 'orders',
      totalCount: 6,
      validateOnly: true,
    });
    expect(metadata.currentImage().topicByName('orders')?.partitions.size).toBe(3);
  });

  it('refuses counts that do not grow, unknown topics, assignments, the internal topic and repeats', async () => {
    const { grow: handler, controller } = setup();
    const answer = await exchange(handler, CreatePartitions, 2, {
      topics: [
        grow('orders', 3),
        grow('nope', 4),
        grow('orders-placed', 0),
        grow('x', 4, [{ brokerIds: [1, 2] }]),
        grow('__consumer_offsets', 32),
        grow('dup', 2),
        grow('dup', 3),
      ],
      timeoutMs: 5_000,
      validateOnly: false,
    });
    expect(answer.results.map((r) => [r.name, r.errorCode])).toEqual([
      ['orders', CODE.invalidPartitions],
      ['nope', CODE.unknownTopic],
      ['orders-placed', CODE.invalidPartitions],
      ['x', CODE.invalidRequest],
      ['__consumer_offsets', CODE.invalidTopic],
      ['dup', CODE.invalidRequest],
    ]);
    expect(answer.results[0]?.errorMessage).toContain('3 partitions');
    expect(controller.callsOf('CreatePartitions')).toHaveLength(2);
  });
});
