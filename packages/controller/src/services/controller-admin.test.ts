/** AlterTopicConfigs through gRPC against a real one-voter controller: committed, described, validated. */
import { TributaryError } from '@tributary/core';
import { waitFor } from '@tributary/core/testing';
import {
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  unary,
} from '@tributary/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEADLINE_MS,
  registerUnfencedBroker,
  type SingleController,
  startSingleController,
} from './testing.js';

describe('AlterTopicConfigs', () => {
  let controller: SingleController | undefined;
  let admin: ControllerAdminClient | undefined;

  beforeAll(async () => {
    controller = await startSingleController('controller-admin', { sessionTimeoutMs: 20_000 });
    // One unfenced broker, so a topic with replication factor 1 can be placed.
    const lifecycle = createBrokerLifecycleClient(controller.address);
    await registerUnfencedBroker(lifecycle, 1);
    lifecycle.close();
    admin = createControllerAdminClient(controller.address);
  }, 20_000);

  afterAll(async () => {
    admin?.close();
    await controller?.close();
  });

  const client = (): ControllerAdminClient => {
    if (admin === undefined) throw new Error('not started');
    return admin;
  };
  const configsOf = (topic: { configs: { name: string; value: string }[] } | null) =>
    Object.fromEntries((topic?.configs ?? []).map((entry) => [entry.name, entry.value]));

  it('commits set and removed keys, answers the resulting configs, and describes them', async () => {
    await waitFor('a broker that can host the topic', async () => {
      try {
        await unary(
          client(),
          'CreateTopic',
          {
            name: 'orders',
            partitions: 1,
            replicationFactor: 1,
            configs: [{ name: 'retention.ms', value: '1000' }],
          },
          { deadlineMs: DEADLINE_MS },
        );
        return true;
      } catch (error) {
        if (error instanceof TributaryError && error.code === 'INVALID_REPLICATION_FACTOR') return undefined;
        throw error;
      }
    });
    const altered = await unary(
      client(),
      'AlterTopicConfigs',
      { name: 'orders', set: [{ name: 'segment.bytes', value: '65536' }], remove: ['retention.ms'] },
      { deadlineMs: DEADLINE_MS },
    );
    expect(configsOf(altered.topic)).toEqual({ 'segment.bytes': '65536' });
    const { topics } = await unary(
      client(),
      'DescribeTopics',
      { names: ['orders'] },
      { deadlineMs: DEADLINE_MS },
    );
    expect(configsOf(topics[0] ?? null)).toEqual({ 'segment.bytes': '65536' });

    const preview = await unary(
      client(),
      'AlterTopicConfigs',
      { name: 'orders', set: [{ name: 'retention.bytes', value: '10' }], validateOnly: true },
      { deadlineMs: DEADLINE_MS },
    );
    expect(configsOf(preview.topic)).toEqual({ 'retention.bytes': '10', 'segment.bytes': '65536' });
    const after = await unary(client(), 'DescribeTopics', { names: ['orders'] }, { deadlineMs: DEADLINE_MS });
    expect(configsOf(after.topics[0] ?? null)).toEqual({ 'segment.bytes': '65536' });
  }, 20_000);

  it('refuses bad configs, repeated keys and unknown topics with typed errors', async () => {
    const refuse = async (request: object): Promise<string> => {
      try {
        await unary(client(), 'AlterTopicConfigs', request, { deadlineMs: DEADLINE_MS });
      } catch (error) {
        if (error instanceof TributaryError) return `${error.code}: ${error.message}`;
        throw error;
      }
      throw new Error('expected a refusal');
    };
    expect(await refuse({ name: 'orders', set: [{ name: 'retention.ms', value: 'soon' }] })).toMatch(
      /^INVALID_CONFIG: .*retention.ms.*integer/,
    );
    expect(
      await refuse({
        name: 'orders',
        set: [
          { name: 'retention.ms', value: '1' },
          { name: 'retention.ms', value: '2' },
        ],
      }),
    ).toMatch(/^INVALID_CONFIG: set: retention.ms is given twice/);
    expect(await refuse({ name: 'orders', remove: [''] })).toMatch(/^INVALID_CONFIG: remove/);
    expect(await refuse({ name: 'nope', set: [] })).toMatch(/^UNKNOWN_TOPIC/);
    expect(await refuse({ name: 'bad/name' })).toMatch(/^INVALID_TOPIC/);
  }, 20_000);
});
