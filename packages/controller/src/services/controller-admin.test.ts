/** AlterTopicConfigs through gRPC against a real one-voter controller: committed, described, validated. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import {
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  unary,
} from '@tributary/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControllerHandle, startController } from '../controller-node.js';

const DEADLINE_MS = 5_000;

describe('AlterTopicConfigs', () => {
  let dataDir = '';
  let handle: ControllerHandle | undefined;
  let admin: ControllerAdminClient | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trib-controller-admin-'));
    const address = `127.0.0.1:${await freePort()}`;
    handle = await startController({
      nodeId: 1,
      listen: address,
      dataDir,
      voters: [{ id: 1, address }],
      tickMs: 10,
      sessionTimeoutMs: 20_000,
      logger: pino({ level: 'silent' }),
      onFatal: (error) => {
        throw error;
      },
    });
    await waitFor('activation', () => (handle?.isActive() === true ? true : undefined));
    // One unfenced broker, so a topic with replication factor 1 can be placed.
    const lifecycle = createBrokerLifecycleClient(address);
    const { brokerEpoch } = await unary(
      lifecycle,
      'RegisterBroker',
      { brokerId: 1, incarnationId: 'inc-1', address: '127.0.0.1:1', rack: '' },
      { deadlineMs: DEADLINE_MS },
    );
    await unary(
      lifecycle,
      'BrokerHeartbeat',
      { brokerId: 1, brokerEpoch, metadataOffset: brokerEpoch, wantFence: false, wantShutdown: false },
      { deadlineMs: DEADLINE_MS },
    );
    lifecycle.close();
    admin = createControllerAdminClient(address);
  }, 20_000);

  afterAll(async () => {
    admin?.close();
    await handle?.close();
    await rm(dataDir, { recursive: true, force: true });
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
