import { type BrokerId, brokerEpoch, brokerId, LIMITS, SeededRandom } from '@tributary/core';
import { BROKER_DECOMMISSIONED_CONFIG, MetadataImage } from '@tributary/metadata';
import { describe, expect, it } from 'vitest';
import type { ControllerContext } from './context.js';
import { brokerRecords, commit, expectCode, replay } from './testing.js';
import { alterTopicConfigs, createPartitions, createTopic, deleteTopic } from './topics.js';

function context(seed = 1): ControllerContext {
  let next = 0;
  return {
    random: new SeededRandom(seed),
    nowMs: 0,
    newTopicId: () => `topic-id-${next++}`,
    defaultReplicationFactor: 3,
    defaultPartitions: 2,
  };
}

/** Brokers 1..count, unfenced except those listed. */
function cluster(count: number, fenced: readonly number[] = []): MetadataImage {
  return replay(MetadataImage.EMPTY, brokerRecords(count, fenced));
}

describe('createTopic', () => {
  it('writes Topic, Partition per partition and Config records; replay builds the topic', () => {
    const image = cluster(3);
    const result = createTopic(
      image,
      { name: 'orders', partitions: 6, replicationFactor: 3, configs: { 'retention.ms': '60000' } },
      context(),
    );
    expect(result.records.map((r) => r.type)).toEqual([
      'Topic',
      ...Array<string>(6).fill('Partition'),
      'Config',
    ]);
    expect(result.response).toMatchObject({
      topicId: 'topic-id-0',
      name: 'orders',
      partitions: 6,
      replicationFactor: 3,
    });
    const after = commit(image, result);
    const topic = after.topicByName('orders');
    expect(topic?.partitions.size).toBe(6);
    for (const [index, state] of topic?.partitions ?? []) {
      expect(state.replicas).toEqual(result.response.assignments[index]);
      expect(state.isr).toEqual(state.replicas);
      expect(state.leader).toBe(state.replicas[0]);
      expect(state).toMatchObject({ leaderEpoch: 0, partitionEpoch: 0 });
    }
    for (const id of [1, 2, 3]) expect(after.partitionsLedBy(brokerId(id))).toHaveLength(2);
    expect(after.topicConfigs('orders').get('retention.ms')).toBe('60000');
  });

  it('uses the context defaults and places only on unfenced brokers', () => {
    const image = cluster(4, [2]);
    const result = createTopic(image, { name: 'events' }, context());
    expect(result.response).toMatchObject({ partitions: 2, replicationFactor: 3 });
    for (const replicas of result.response.assignments) expect(replicas).not.toContain(2);
  });

  it('writes nothing when validateOnly', () => {
    const result = createTopic(cluster(3), { name: 'orders', partitions: 3, validateOnly: true }, context());
    expect(result.records).toEqual([]);
    expect(result.response.topicId).toBeNull();
    expect(result.response.assignments).toHaveLength(3);
  });

  it('refuses bad names, duplicates and names colliding over . and _', () => {
    const image = commit(cluster(3), createTopic(cluster(3), { name: 'a.b', partitions: 1 }, context()));
    const ctx = context();
    expectCode(() => createTopic(image, { name: 'bad name' }, ctx), 'INVALID_TOPIC', 'may contain only');
    expectCode(() => createTopic(image, { name: '..' }, ctx), 'INVALID_TOPIC', 'cannot be');
    expectCode(() => createTopic(image, { name: 'x'.repeat(250) }, ctx), 'INVALID_TOPIC', 'limit is 249');
    expectCode(
      () => createTopic(image, { name: 'a.b' }, ctx),
      'TOPIC_ALREADY_EXISTS',
      '"a.b" already exists',
    );
    expectCode(
      () => createTopic(image, { name: 'a_b' }, ctx),
      'INVALID_TOPIC',
      'collides with existing topic "a.b"',
    );
  });

  it('refuses partition counts outside [1, limit]', () => {
    const ctx = context();
    expectCode(
      () => createTopic(cluster(3), { name: 't', partitions: 0 }, ctx),
      'INVALID_PARTITIONS',
      'between 1',
    );
    expectCode(
      () => createTopic(cluster(3), { name: 't', partitions: LIMITS.partitionsPerTopicMax + 1 }, ctx),
      'INVALID_PARTITIONS',
      String(LIMITS.partitionsPerTopicMax),
    );
    expectCode(
      () => createTopic(cluster(3), { name: 't', partitions: 1.5 }, ctx),
      'INVALID_PARTITIONS',
      '1.5',
    );
  });

  it('refuses a replication factor below 1 or above the unfenced broker count, saying how many there are', () => {
    const ctx = context();
    expectCode(
      () => createTopic(cluster(3), { name: 't', replicationFactor: 0 }, ctx),
      'INVALID_REPLICATION_FACTOR',
      '>= 1',
    );
    expectCode(
      () => createTopic(cluster(3, [3]), { name: 't', replicationFactor: 3 }, ctx),
      'INVALID_REPLICATION_FACTOR',
      'the 2 available (unfenced) brokers',
    );
    expectCode(
      () => createTopic(cluster(3), { name: 't', replicationFactor: 17 }, ctx),
      'INVALID_REPLICATION_FACTOR',
      'above the limit',
    );
  });

  it.each([
    [{ 'retention.msec': '1' }, 'unknown topic config "retention.msec"'],
    [{ 'retention.ms': 'soon' }, 'must be an integer'],
    [{ 'retention.ms': '-2' }, 'must be >= -1'],
    [{ 'segment.bytes': '3000000000' }, 'between 1024 and'],
    [{ 'segment.bytes': '100' }, 'between 1024 and'],
    [{ 'cleanup.policy': 'delete,delete' }, "must be 'delete'"],
    [{ 'cleanup.policy': 'archive' }, "must be 'delete'"],
    [{ 'compression.type': 'brotli' }, 'must be one of'],
    [{ 'min.insync.replicas': '4' }, 'above the replication factor 3'],
    [{ 'min.insync.replicas': '0' }, 'must be >= 1'],
    [{ 'min.cleanable.dirty.ratio': '1.5' }, 'between 0 and 1'],
    [{ 'unclean.leader.election.enable': 'true' }, 'must be one of false'],
    [{ 'flush.messages': '10' }, 'must be one of 1'],
    [{ 'flush.ms': '0' }, 'must be >= 1'],
    [{ 'max.compaction.lag.ms': '0' }, 'between 1 and'],
    [{ 'min.compaction.lag.ms': '9223372036854775808' }, 'between 0 and'],
    [
      { 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' },
      'must not exceed max.compaction.lag.ms',
    ],
    [{ 'retention.ms': 'x'.repeat(LIMITS.configValueLengthMax + 1) }, 'the limit is'],
  ])('refuses configs %j', (configs, fragment) => {
    expectCode(
      () => createTopic(cluster(3), { name: 't', replicationFactor: 3, configs }, context()),
      'INVALID_CONFIG',
      fragment,
    );
  });

  it('accepts every known config with a sensible value', () => {
    const configs = {
      'retention.ms': '-1',
      'retention.bytes': '1073741824',
      'segment.bytes': '1048576',
      'segment.ms': '3600000',
      'segment.index.bytes': '10485760',
      'flush.ms': '1000',
      'flush.messages': '1',
      'min.insync.replicas': '2',
      'cleanup.policy': 'compact,delete',
      'max.message.bytes': '1048588',
      'compression.type': 'zstd',
      'message.timestamp.type': 'LogAppendTime',
      'delete.retention.ms': '86400000',
      'min.cleanable.dirty.ratio': '0.5',
      'min.compaction.lag.ms': '60000',
      'max.compaction.lag.ms': '9223372036854775807',
      'unclean.leader.election.enable': 'false',
    };
    const image = cluster(3);
    const after = commit(image, createTopic(image, { name: 't', configs }, context()));
    expect(Object.fromEntries(after.topicConfigs('t'))).toEqual(configs);
  });
});

describe('deleteTopic', () => {
  it('removes the configs and the topic', () => {
    const base = cluster(3);
    const image = commit(
      base,
      createTopic(
        base,
        { name: 'orders', configs: { 'retention.ms': '1', 'cleanup.policy': 'compact' } },
        context(),
      ),
    );
    const result = deleteTopic(image, { name: 'orders' });
    expect(result.records).toEqual([
      { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'cleanup.policy', value: null },
      { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'retention.ms', value: null },
      { type: 'RemoveTopic', topicId: 'topic-id-0' },
    ]);
    const after = commit(image, result);
    expect(after.topicByName('orders')).toBeUndefined();
    expect(after.topicById('topic-id-0')).toBeUndefined();
    expect(after.configs.size).toBe(0);
    expect(after.partitionsWithReplica(brokerId(1))).toEqual([]);
  });

  it('refuses an unknown topic', () => {
    expectCode(() => deleteTopic(cluster(1), { name: 'nope' }), 'UNKNOWN_TOPIC', '"nope" does not exist');
  });

  it('deletes by name and id only while the name still has that id', () => {
    const base = cluster(3);
    const image = commit(base, createTopic(base, { name: 'orders' }, context()));
    expectCode(
      () => deleteTopic(image, { name: 'orders', topicId: 'an-older-id' }),
      'UNKNOWN_TOPIC_ID',
      'deleted and created again',
    );
    expect(deleteTopic(image, { name: 'orders', topicId: 'topic-id-0' }).response.topicId).toBe('topic-id-0');
  });
});

describe('createPartitions', () => {
  const base = cluster(4);
  const image = commit(
    base,
    createTopic(base, { name: 'orders', partitions: 3, replicationFactor: 2 }, context()),
  );

  it('adds partitions with the topic replication factor, from the old count upwards', () => {
    const result = createPartitions(image, { name: 'orders', totalCount: 7 }, context(5));
    expect(result.records).toHaveLength(4);
    expect(result.records.map((r) => (r.type === 'Partition' ? r.partition : -1))).toEqual([3, 4, 5, 6]);
    const after = commit(image, result);
    const topic = after.topicByName('orders');
    expect(topic?.partitions.size).toBe(7);
    for (const state of topic?.partitions.values() ?? []) {
      expect(state.replicas).toHaveLength(2);
      expect(state.leader).toBe(state.replicas[0]);
    }
    const newLeaders = result.response.assignments.map((replicas) => replicas[0] as BrokerId);
    expect(new Set(newLeaders).size).toBe(4);
  });

  it('writes nothing when validateOnly', () => {
    const result = createPartitions(image, { name: 'orders', totalCount: 4, validateOnly: true }, context());
    expect(result.records).toEqual([]);
    expect(result.response.assignments).toHaveLength(1);
  });

  it('refuses a total that does not grow, an unknown topic and too few unfenced brokers', () => {
    const ctx = context();
    expectCode(
      () => createPartitions(image, { name: 'orders', totalCount: 3 }, ctx),
      'INVALID_PARTITIONS',
      'has 3 partitions',
    );
    expectCode(
      () => createPartitions(image, { name: 'orders', totalCount: 2 }, ctx),
      'INVALID_PARTITIONS',
      'must be larger',
    );
    expectCode(() => createPartitions(image, { name: 'nope', totalCount: 9 }, ctx), 'UNKNOWN_TOPIC', 'nope');
    const fenced = replay(image, [
      { type: 'FenceBroker', brokerId: brokerId(1), brokerEpoch: brokerEpoch(1) },
      { type: 'FenceBroker', brokerId: brokerId(2), brokerEpoch: brokerEpoch(2) },
      { type: 'FenceBroker', brokerId: brokerId(3), brokerEpoch: brokerEpoch(3) },
    ]);
    expectCode(
      () => createPartitions(fenced, { name: 'orders', totalCount: 4 }, ctx),
      'INVALID_REPLICATION_FACTOR',
      'the 1 available',
    );
  });
});

describe('placement on placeable brokers, least-loaded for added partitions', () => {
  function decommission(image: MetadataImage, id: number): MetadataImage {
    return replay(image, [
      {
        type: 'Config',
        resourceType: 'broker',
        resourceName: String(id),
        name: BROKER_DECOMMISSIONED_CONFIG,
        value: 'true',
      },
    ]);
  }

  it('createTopic and createPartitions never place on a decommissioned broker', () => {
    const image = decommission(cluster(4), 2);
    const created = createTopic(image, { name: 't', partitions: 8, replicationFactor: 3 }, context());
    expect(created.response.assignments.flat()).not.toContain(2);
    const after = commit(image, created);
    const added = createPartitions(after, { name: 't', totalCount: 16 }, context());
    expect(added.response.assignments.flat()).not.toContain(2);
    expectCode(
      () => createTopic(image, { name: 'u', partitions: 1, replicationFactor: 4 }, context()),
      'INVALID_REPLICATION_FACTOR',
      'the 3 available',
    );
  });

  it('puts added partitions on a newly registered broker first and spreads preferred leaders', () => {
    const three = cluster(3);
    const withTopic = commit(
      three,
      createTopic(three, { name: 't', partitions: 6, replicationFactor: 2 }, context()),
    );
    const four = replay(withTopic, [
      {
        type: 'RegisterBroker',
        brokerId: brokerId(4),
        brokerEpoch: brokerEpoch(4),
        incarnationId: 'inc-4',
        address: 'h4:9092',
        rack: null,
        fenced: false,
      },
    ]);
    const result = createPartitions(four, { name: 't', totalCount: 10 }, context());
    // Brokers 1-3 hold 4 replicas and 2 preferred leaderships each, broker 4 nothing: it takes one replica
    // of every new partition and leads until it has as many leaderships as the others (3 vs 2, then the
    // fourth goes to one of them); the other 4 replicas spread over brokers 1-3.
    expect(result.response.assignments.map((replicas) => replicas[0]).slice(0, 3)).toEqual([4, 4, 4]);
    expect(result.response.assignments.every((replicas) => replicas.includes(brokerId(4)))).toBe(true);
    expect(result.response.assignments[3]?.[0]).not.toBe(4);
    const counts = new Map<number, number>();
    for (const state of commit(four, result).topicByName('t')?.partitions.values() ?? []) {
      for (const id of state.replicas) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.get(4)).toBe(4);
    expect([1, 2, 3].map((id) => counts.get(id)).sort()).toEqual([5, 5, 6]);
  });
});

describe('alterTopicConfigs', () => {
  function withTopic(): MetadataImage {
    const base = cluster(3);
    return commit(
      base,
      createTopic(
        base,
        { name: 'orders', configs: { 'retention.ms': '1000', 'segment.bytes': '4096' } },
        context(),
      ),
    );
  }

  it('writes only the keys that change, and the image shows the result', () => {
    const image = withTopic();
    const result = alterTopicConfigs(image, {
      name: 'orders',
      set: { 'retention.ms': '2000', 'segment.bytes': '4096', 'min.insync.replicas': '2' },
      remove: [],
    });
    expect(result.records).toEqual([
      {
        type: 'Config',
        resourceType: 'topic',
        resourceName: 'orders',
        name: 'min.insync.replicas',
        value: '2',
      },
      { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'retention.ms', value: '2000' },
    ]);
    const after = commit(image, result);
    expect(Object.fromEntries(after.topicConfigs('orders'))).toEqual({
      'min.insync.replicas': '2',
      'retention.ms': '2000',
      'segment.bytes': '4096',
    });
  });

  it('removes keys with null values and leaves the others', () => {
    const image = withTopic();
    const result = alterTopicConfigs(image, { name: 'orders', set: {}, remove: ['retention.ms'] });
    expect(result.records).toEqual([
      { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'retention.ms', value: null },
    ]);
    expect(Object.fromEntries(commit(image, result).topicConfigs('orders'))).toEqual({
      'segment.bytes': '4096',
    });
  });

  it('validate-only answers the result without records', () => {
    const result = alterTopicConfigs(withTopic(), {
      name: 'orders',
      set: { 'retention.bytes': '10' },
      remove: [],
      validateOnly: true,
    });
    expect(result.records).toEqual([]);
    expect(result.response.configs).toEqual({
      'retention.bytes': '10',
      'retention.ms': '1000',
      'segment.bytes': '4096',
    });
  });

  it('refuses a compaction lag conflicting with the one the topic already has', () => {
    const base = withTopic();
    const image = commit(
      base,
      alterTopicConfigs(base, { name: 'orders', set: { 'min.compaction.lag.ms': '60000' }, remove: [] }),
    );
    expectCode(
      () =>
        alterTopicConfigs(image, { name: 'orders', set: { 'max.compaction.lag.ms': '1000' }, remove: [] }),
      'INVALID_CONFIG',
      'min.compaction.lag.ms (60000) must not exceed max.compaction.lag.ms (1000)',
    );
    // Removing the minimum (back to 0) makes the same maximum acceptable.
    const result = alterTopicConfigs(image, {
      name: 'orders',
      set: { 'max.compaction.lag.ms': '1000' },
      remove: ['min.compaction.lag.ms'],
    });
    expect(result.response.configs['max.compaction.lag.ms']).toBe('1000');
  });

  it('refuses bad values, unknown keys, unknown topics and a key both set and removed', () => {
    const image = withTopic();
    expectCode(
      () => alterTopicConfigs(image, { name: 'orders', set: { 'min.insync.replicas': '4' }, remove: [] }),
      'INVALID_CONFIG',
      'above the replication factor 3',
    );
    expectCode(
      () => alterTopicConfigs(image, { name: 'orders', set: { 'retention.msec': '1' }, remove: [] }),
      'INVALID_CONFIG',
      'unknown topic config "retention.msec"',
    );
    expectCode(
      () => alterTopicConfigs(image, { name: 'nope', set: {}, remove: [] }),
      'UNKNOWN_TOPIC',
      '"nope" does not exist',
    );
    expectCode(
      () =>
        alterTopicConfigs(image, { name: 'orders', set: { 'retention.ms': '5' }, remove: ['retention.ms'] }),
      'INVALID_CONFIG',
      'both set and removed',
    );
  });
});
