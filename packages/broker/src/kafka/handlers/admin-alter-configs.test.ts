/**
 * AlterConfigs and IncrementalAlterConfigs through a stand-in controller behind the real AdminForwarder:
 * full replacement, SET/DELETE/APPEND/SUBTRACT, validateOnly, the cluster's replication throttle on the
 * broker resource "", refusals before forwarding and the controller's refusals per resource.
 */
import { TributaryError } from '@tributary/core';
import { AlterConfigs, IncrementalAlterConfigs } from '@tributary/kafka-protocol';
import { describe, expect, it } from 'vitest';
import {
  adminParts,
  brokerRecords,
  exchange,
  FakeController,
  FakeMetadata,
  topicRecords,
} from '../testing/admin-fakes.js';
import { alterConfigsHandler, incrementalAlterConfigsHandler } from './admin-configs.js';

const TOPIC = 2;
const BROKER = 4;
const OP = { set: 0, delete: 1, append: 2, subtract: 3 };

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
  ]);
  const controller = new FakeController(metadata);
  const parts = adminParts(metadata, controller);
  return {
    metadata,
    controller,
    alter: alterConfigsHandler(parts),
    incremental: incrementalAlterConfigsHandler(parts),
  };
}

function alterRequest(
  resources: {
    resourceType: number;
    resourceName: string;
    configs: { name: string; value: string | null }[];
  }[],
  validateOnly = false,
) {
  return { resources, validateOnly };
}

describe('AlterConfigs (legacy: replaces the overrides)', () => {
  it("sets the given keys and removes the topic's other overrides, read from the controller", async () => {
    const { alter, metadata, controller } = setup();
    const answer = await exchange(
      alter,
      AlterConfigs,
      0,
      alterRequest([
        { resourceType: TOPIC, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '1000' }] },
      ]),
    );
    expect(answer.responses).toEqual([
      { errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 'orders' },
    ]);
    expect(controller.callsOf('DescribeTopics')).toHaveLength(1);
    expect(controller.callsOf('AlterTopicConfigs')[0]?.request).toEqual({
      name: 'orders',
      set: [{ name: 'retention.ms', value: '1000' }],
      remove: ['cleanup.policy'],
      validateOnly: false,
    });
    // Answered once this broker's image has the change: a DescribeConfigs here shows it.
    expect(Object.fromEntries(metadata.currentImage().topicConfigs('orders'))).toEqual({
      'retention.ms': '1000',
    });
  });

  it("validates only, and relays the controller's refusals per resource", async () => {
    const { alter, metadata } = setup();
    const answer = await exchange(
      alter,
      AlterConfigs,
      2,
      alterRequest(
        [
          { resourceType: TOPIC, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '5' }] },
          { resourceType: TOPIC, resourceName: 'nope', configs: [] },
          { resourceType: TOPIC, resourceName: 'orders2', configs: [] },
        ],
        true,
      ),
    );
    expect(answer.responses.map((r) => r.errorCode)).toEqual([0, 3, 3]);
    const invalid = await exchange(
      alter,
      AlterConfigs,
      1,
      alterRequest([
        { resourceType: TOPIC, resourceName: 'orders', configs: [{ name: 'retention.ms', value: 'x' }] },
      ]),
    );
    expect(invalid.responses[0]).toMatchObject({ errorCode: 40 });
    expect(invalid.responses[0]?.errorMessage).toContain('retention.ms');
    expect(metadata.currentImage().topicConfigs('orders').get('retention.ms')).toBe('60000');
  });

  it('sets and removes the cluster throttle on the broker resource ""; brokers and other types are refused', async () => {
    const { alter, metadata, controller } = setup();
    const set = await exchange(
      alter,
      AlterConfigs,
      1,
      alterRequest([
        {
          resourceType: BROKER,
          resourceName: '',
          configs: [{ name: 'replication.throttled.rate', value: '2048' }],
        },
      ]),
    );
    expect(set.responses[0]?.errorCode).toBe(0);
    expect(controller.callsOf('AlterPartitionReassignments')[0]?.request).toEqual({
      targets: [],
      throttleBytesPerSec: 2048,
      removeThrottle: false,
      validateOnly: false,
    });
    expect(metadata.currentImage().replicationThrottle()).toBe(2048);
    // Full replacement: leaving the key out removes it.
    await exchange(
      alter,
      AlterConfigs,
      1,
      alterRequest([{ resourceType: BROKER, resourceName: '', configs: [] }]),
    );
    expect(metadata.currentImage().replicationThrottle()).toBeNull();
    const refused = await exchange(
      alter,
      AlterConfigs,
      1,
      alterRequest([
        { resourceType: BROKER, resourceName: '1', configs: [{ name: 'num.partitions', value: '4' }] },
        { resourceType: BROKER, resourceName: '9', configs: [] },
        { resourceType: BROKER, resourceName: '', configs: [{ name: 'num.partitions', value: '4' }] },
        { resourceType: 16, resourceName: 'x', configs: [] },
        { resourceType: TOPIC, resourceName: 'orders', configs: [] },
        { resourceType: TOPIC, resourceName: 'orders', configs: [] },
      ]),
    );
    expect(refused.responses.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['1', 42],
      ['9', 102],
      ['', 40],
      ['x', 42],
      ['orders', 42],
    ]);
    expect(refused.responses[0]?.errorMessage).toContain('replication.throttled.rate');
  });
});

describe('IncrementalAlterConfigs', () => {
  const change = (name: string, configOperation: number, value: string | null = null) => ({
    name,
    configOperation,
    value,
  });
  const topicResource = (configs: ReturnType<typeof change>[]) => ({
    resources: [{ resourceType: TOPIC, resourceName: 'orders', configs }],
    validateOnly: false,
  });

  it('SET and DELETE without reading the current configs', async () => {
    const { incremental, metadata, controller } = setup();
    const answer = await exchange(
      incremental,
      IncrementalAlterConfigs,
      1,
      topicResource([change('segment.bytes', OP.set, '1048576'), change('retention.ms', OP.delete)]),
    );
    expect(answer.responses[0]?.errorCode).toBe(0);
    expect(controller.callsOf('DescribeTopics')).toHaveLength(0);
    expect(Object.fromEntries(metadata.currentImage().topicConfigs('orders'))).toEqual({
      'cleanup.policy': 'compact',
      'segment.bytes': '1048576',
    });
  });

  it('APPEND and SUBTRACT build on the current list, or the default', async () => {
    const { incremental, metadata } = setup();
    await exchange(
      incremental,
      IncrementalAlterConfigs,
      0,
      topicResource([change('cleanup.policy', OP.append, 'delete')]),
    );
    expect(metadata.currentImage().topicConfigs('orders').get('cleanup.policy')).toBe('compact,delete');
    await exchange(
      incremental,
      IncrementalAlterConfigs,
      0,
      topicResource([change('cleanup.policy', OP.subtract, 'compact')]),
    );
    expect(metadata.currentImage().topicConfigs('orders').get('cleanup.policy')).toBe('delete');
    await exchange(
      incremental,
      IncrementalAlterConfigs,
      0,
      topicResource([change('cleanup.policy', OP.delete)]),
    );
    // No override: APPEND starts from the default ('delete').
    await exchange(
      incremental,
      IncrementalAlterConfigs,
      0,
      topicResource([change('cleanup.policy', OP.append, 'compact')]),
    );
    expect(metadata.currentImage().topicConfigs('orders').get('cleanup.policy')).toBe('delete,compact');
  });

  it('refuses APPEND on a non-list, unknown operations, SET without a value and repeated keys', async () => {
    const { incremental, controller } = setup();
    const cases = [
      [change('retention.ms', OP.append, '1')],
      [change('retention.ms', 7, '1')],
      [change('retention.ms', OP.set, null)],
      [change('retention.ms', OP.set, '1'), change('retention.ms', OP.delete)],
    ];
    const codes: number[] = [];
    for (const configs of cases) {
      const answer = await exchange(incremental, IncrementalAlterConfigs, 1, topicResource(configs));
      codes.push(answer.responses[0]?.errorCode ?? -1);
    }
    expect(codes).toEqual([40, 42, 40, 42]);
    expect(controller.callsOf('AlterTopicConfigs')).toHaveLength(0);
  });

  it('sets and deletes the cluster throttle; validateOnly changes nothing', async () => {
    const { incremental, metadata, controller } = setup();
    const cluster = (configs: ReturnType<typeof change>[], validateOnly = false) => ({
      resources: [{ resourceType: BROKER, resourceName: '', configs }],
      validateOnly,
    });
    await exchange(
      incremental,
      IncrementalAlterConfigs,
      1,
      cluster([change('replication.throttled.rate', OP.set, '10')], true),
    );
    expect(metadata.currentImage().replicationThrottle()).toBeNull();
    await exchange(
      incremental,
      IncrementalAlterConfigs,
      1,
      cluster([change('replication.throttled.rate', OP.set, '10')]),
    );
    expect(metadata.currentImage().replicationThrottle()).toBe(10);
    await exchange(
      incremental,
      IncrementalAlterConfigs,
      1,
      cluster([change('replication.throttled.rate', OP.delete)]),
    );
    expect(metadata.currentImage().replicationThrottle()).toBeNull();
    const refused = await Promise.all(
      [
        [change('replication.throttled.rate', OP.set, '0')],
        [change('replication.throttled.rate', OP.append, '1')],
        [change('decommissioned', OP.set, 'true')],
      ].map((configs) => exchange(incremental, IncrementalAlterConfigs, 1, cluster(configs))),
    );
    expect(refused.map((answer) => answer.responses[0]?.errorCode)).toEqual([40, 40, 40]);
    expect(controller.callsOf('AlterPartitionReassignments').map((c) => c.request)).toEqual([
      { targets: [], throttleBytesPerSec: 10, removeThrottle: false, validateOnly: true },
      { targets: [], throttleBytesPerSec: 10, removeThrottle: false, validateOnly: false },
      { targets: [], throttleBytesPerSec: 0, removeThrottle: true, validateOnly: false },
    ]);
  });

  it('relays a controller failure as the resource error', async () => {
    const { incremental, controller } = setup();
    controller.failNext.set(
      'AlterTopicConfigs',
      new TributaryError('REQUEST_TIMED_OUT', 'no answer in time'),
    );
    const answer = await exchange(
      incremental,
      IncrementalAlterConfigs,
      1,
      topicResource([change('retention.ms', OP.set, '1')]),
    );
    expect(answer.responses[0]).toMatchObject({ errorCode: 7, errorMessage: 'no answer in time' });
  });
});
