/**
 * DescribeConfigs from the image: values, sources by version, synonyms, types and documentation, key
 * filters, topic and broker resources and their refusals. Also: the topic-config table's defaults agree
 * with what the log, the record codec and the replica layer apply, so DescribeConfigs never reports a
 * default the broker does not use. (The alter APIs: admin-alter-configs.test.ts.)
 */
import { DescribeConfigs } from '@tributary/kafka-protocol';
import { DEFAULT_LOG_CONFIG } from '@tributary/log';
import { TOPIC_CONFIGS, topicConfigDefault } from '@tributary/metadata';
import { RECORD_LIMITS } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import { logConfigFor, minInsyncReplicas } from '../../replica/config.js';
import {
  adminParts,
  brokerRecords,
  exchange,
  FakeController,
  FakeMetadata,
  topicRecords,
} from '../testing/admin-fakes.js';
import { describeConfigsHandler } from './admin-configs.js';

const TOPIC = 2;
const BROKER = 4;
const SOURCE = { topic: 1, broker: 2, cluster: 3, static: 4, default: 5 };

function setup() {
  const metadata = new FakeMetadata([
    ...brokerRecords(3),
    ...topicRecords({
      name: 'orders',
      topicId: '11111111-2222-4333-8444-555555555555',
      partitions: 2,
      replicationFactor: 3,
      configs: { 'retention.ms': '60000', 'cleanup.policy': 'compact' },
    }),
    { type: 'Config', resourceType: 'broker', resourceName: '1', name: 'decommissioned', value: 'true' },
  ]);
  const parts = adminParts(metadata, new FakeController(metadata));
  return {
    metadata,
    describe: describeConfigsHandler(parts),
  };
}

function describeRequest(
  resources: { resourceType: number; resourceName: string; configurationKeys?: string[] | null }[],
  flags: { includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
) {
  return {
    resources: resources.map((r) => ({ configurationKeys: null, ...r })),
    includeSynonyms: false,
    includeDocumentation: false,
    ...flags,
  };
}

describe('DescribeConfigs', () => {
  it('v0: every topic config with its value; overrides are not defaults', async () => {
    const { describe: handler } = setup();
    const answer = await exchange(
      handler,
      DescribeConfigs,
      0,
      describeRequest([{ resourceType: TOPIC, resourceName: 'orders' }]),
    );
    const result = answer.results[0];
    expect(result).toMatchObject({ errorCode: 0, resourceType: TOPIC, resourceName: 'orders' });
    const byName = new Map(result?.configs.map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(Object.keys(TOPIC_CONFIGS).sort());
    expect(byName.get('retention.ms')).toMatchObject({ value: '60000', isDefault: false, readOnly: false });
    expect(byName.get('segment.bytes')).toMatchObject({ value: String(1024 ** 3), isDefault: true });
    // DESIGN §6: replication factor 3 gives min.insync.replicas 2 unless set.
    expect(byName.get('min.insync.replicas')).toMatchObject({ value: '2', isDefault: true });
    expect(byName.get('retention.ms')?.isSensitive).toBe(false);
  });

  it('v1+: sources, and synonyms only when asked for', async () => {
    const { describe: handler } = setup();
    const resource = {
      resourceType: TOPIC,
      resourceName: 'orders',
      configurationKeys: ['retention.ms', 'segment.bytes'],
    };
    const plain = await exchange(handler, DescribeConfigs, 1, describeRequest([resource]));
    expect(plain.results[0]?.configs.map((c) => [c.name, c.configSource, c.synonyms])).toEqual([
      ['retention.ms', SOURCE.topic, []],
      ['segment.bytes', SOURCE.default, []],
    ]);
    const synonyms = await exchange(
      handler,
      DescribeConfigs,
      2,
      describeRequest([resource], { includeSynonyms: true }),
    );
    expect(synonyms.results[0]?.configs.map((c) => c.synonyms)).toEqual([
      [
        { name: 'retention.ms', value: '60000', source: SOURCE.topic },
        { name: 'log.retention.ms', value: String(DEFAULT_LOG_CONFIG.retentionMs), source: SOURCE.default },
      ],
      [{ name: 'log.segment.bytes', value: String(1024 ** 3), source: SOURCE.default }],
    ]);
  });

  it('v3+: config types, and documentation only when asked for', async () => {
    const { describe: handler } = setup();
    const keys = [
      'retention.ms',
      'cleanup.policy',
      'unclean.leader.election.enable',
      'min.cleanable.dirty.ratio',
    ];
    const resource = { resourceType: TOPIC, resourceName: 'orders', configurationKeys: keys };
    const without = await exchange(handler, DescribeConfigs, 3, describeRequest([resource]));
    // Kafka's ConfigType: LIST 7, DOUBLE 6, LONG 5, BOOLEAN 1.
    expect(without.results[0]?.configs.map((c) => [c.name, c.configType, c.documentation])).toEqual([
      ['cleanup.policy', 7, null],
      ['min.cleanable.dirty.ratio', 6, null],
      ['retention.ms', 5, null],
      ['unclean.leader.election.enable', 1, null],
    ]);
    const withDocs = await exchange(
      handler,
      DescribeConfigs,
      4,
      describeRequest([resource], { includeDocumentation: true }),
    );
    for (const config of withDocs.results[0]?.configs ?? []) expect(config.documentation).toMatch(/\w/);
  });

  it('filters by the keys asked for (unknown keys are left out) and refuses per resource', async () => {
    const { describe: handler } = setup();
    const answer = await exchange(
      handler,
      DescribeConfigs,
      4,
      describeRequest([
        { resourceType: TOPIC, resourceName: 'orders', configurationKeys: ['cleanup.policy', 'no.such.key'] },
        { resourceType: TOPIC, resourceName: 'nope' },
        { resourceType: TOPIC, resourceName: 'bad name!' },
        { resourceType: 8, resourceName: 'root' },
      ]),
    );
    expect(answer.results.map((r) => [r.resourceName, r.errorCode, r.configs.map((c) => c.value)])).toEqual([
      ['orders', 0, ['compact']],
      ['nope', 3, []],
      ['bad name!', 17, []],
      ['root', 42, []],
    ]);
    expect(answer.results[3]?.errorMessage).toContain('topic (2) and broker (4)');
  });

  it("a broker describes its own settings (static, read-only), its dynamic keys and the cluster's", async () => {
    const { describe: handler, metadata } = setup();
    metadata.publish([
      {
        type: 'Config',
        resourceType: 'cluster',
        resourceName: '',
        name: 'replication.throttled.rate',
        value: '1000',
      },
    ]);
    const answer = await exchange(
      handler,
      DescribeConfigs,
      4,
      describeRequest([{ resourceType: BROKER, resourceName: '1' }]),
    );
    const byName = new Map(answer.results[0]?.configs.map((c) => [c.name, c]));
    expect(byName.get('node.id')).toMatchObject({ value: '1', configSource: SOURCE.static, readOnly: true });
    expect(byName.get('num.partitions')).toMatchObject({ value: '3', configSource: SOURCE.static });
    expect(byName.get('default.replication.factor')).toMatchObject({ value: '2' });
    expect(byName.get('auto.create.topics.enable')).toMatchObject({ value: 'false' });
    expect(byName.get('broker.rack')).toMatchObject({ value: 'rack-a' });
    expect(byName.get('advertised.listeners')).toMatchObject({ value: 'PLAINTEXT://127.0.0.1:19092' });
    expect(byName.get('decommissioned')).toMatchObject({
      value: 'true',
      configSource: SOURCE.broker,
      readOnly: true,
    });
    expect(byName.get('replication.throttled.rate')).toMatchObject({
      value: '1000',
      configSource: SOURCE.cluster,
      readOnly: false,
    });
    expect(byName.get('log.retention.ms')).toMatchObject({
      value: String(DEFAULT_LOG_CONFIG.retentionMs),
      configSource: SOURCE.default,
    });
    // Its default depends on each topic's replication factor: no broker-wide value to report.
    expect(byName.has('min.insync.replicas')).toBe(false);
  });

  it('the broker resource "" holds the cluster-wide dynamic configs; other brokers are refused', async () => {
    const { describe: handler, metadata } = setup();
    metadata.publish([
      {
        type: 'Config',
        resourceType: 'cluster',
        resourceName: '',
        name: 'replication.throttled.rate',
        value: '5',
      },
    ]);
    const answer = await exchange(
      handler,
      DescribeConfigs,
      1,
      describeRequest([
        { resourceType: BROKER, resourceName: '' },
        { resourceType: BROKER, resourceName: '2' },
        { resourceType: BROKER, resourceName: '9' },
        { resourceType: BROKER, resourceName: 'one' },
      ]),
    );
    expect(answer.results.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['', 0],
      ['2', 42],
      ['9', 102],
      ['one', 42],
    ]);
    expect(answer.results[0]?.configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ['replication.throttled.rate', '5', SOURCE.cluster],
    ]);
    expect(answer.results[1]?.errorMessage).toContain('send it to broker 2');
  });
});

describe("the topic-config table's defaults", () => {
  it('are what the log, the record codec and the replica layer apply without overrides', () => {
    const defaults = new Map(
      Object.entries(TOPIC_CONFIGS).map(([name, definition]) => [name, topicConfigDefault(definition, 3)]),
    );
    // Setting every default explicitly changes nothing about a partition log.
    expect({ ...DEFAULT_LOG_CONFIG, ...logConfigFor(defaults) }).toEqual(DEFAULT_LOG_CONFIG);
    expect(defaults.get('max.message.bytes')).toBe(String(RECORD_LIMITS.batchBytesMax));
    for (const replicationFactor of [1, 2, 3, 5]) {
      const definition = TOPIC_CONFIGS['min.insync.replicas'];
      if (definition === undefined) throw new Error('min.insync.replicas is in the table');
      expect(Number(topicConfigDefault(definition, replicationFactor))).toBe(
        minInsyncReplicas(new Map(), replicationFactor, undefined),
      );
    }
  });
});
