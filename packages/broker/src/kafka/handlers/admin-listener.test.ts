/**
 * The admin APIs end to end: a raw Kafka client against an in-process broker's listener, forwarding to
 * a real controller (which decides, validates and commits). One topic's life: created with the broker's
 * defaults (v7), described (v4), altered (v1), grown (validate-only first), deleted by id (v6).
 */
import {
  ApiVersions,
  CreatePartitions,
  CreateTopics,
  DeleteTopics,
  DescribeConfigs,
  IncrementalAlterConfigs,
} from '@tributary/kafka-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessCluster } from '../../testing/in-process-cluster.js';
import { RawKafkaClient } from '../testing/raw-client.js';

const NIL = '00000000-0000-0000-0000-000000000000';

let cluster: InProcessCluster;
let client: RawKafkaClient;

beforeAll(async () => {
  cluster = await InProcessCluster.start({ name: 'kafka-admin' });
  const broker = await cluster.startBroker(1, { kafkaListen: '127.0.0.1:0', defaultPartitions: 2 });
  await cluster.waitUnfenced();
  client = cluster.track(await RawKafkaClient.connect(broker.kafkaPort ?? 0));
});

afterAll(async () => {
  await cluster?.close();
});

describe('Kafka admin APIs through the listener', () => {
  it('advertises the admin versions', async () => {
    const versions = await client.request(ApiVersions, 3, {
      clientSoftwareName: 't',
      clientSoftwareVersion: '1',
    });
    const range = (key: number) => versions.apiKeys.find((k) => k.apiKey === key);
    expect([19, 20, 37, 32, 33, 44].map((key) => [range(key)?.minVersion, range(key)?.maxVersion])).toEqual([
      [0, 7],
      [0, 6],
      [0, 3],
      [0, 4],
      [0, 2],
      [0, 1],
    ]);
  });

  it('creates, describes, alters, grows and deletes a topic', async () => {
    const created = await client.request(CreateTopics, 7, {
      topics: [
        {
          name: 'kafka-admin',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [],
          configs: [{ name: 'retention.ms', value: '3600000' }],
        },
      ],
      timeoutMs: 10_000,
      validateOnly: false,
    });
    const result = created.topics[0];
    expect(result).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 1 });
    expect(result?.topicId).not.toBe(NIL);
    expect(result?.configs?.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '3600000',
      configSource: 1,
    });

    const resource = {
      resourceType: 2,
      resourceName: 'kafka-admin',
      configurationKeys: ['retention.ms', 'segment.bytes'],
    };
    const describe = () =>
      client.request(DescribeConfigs, 4, {
        resources: [resource],
        includeSynonyms: true,
        includeDocumentation: false,
      });
    const before = await describe();
    expect(before.results[0]?.configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ['retention.ms', '3600000', 1],
      ['segment.bytes', String(1024 ** 3), 5],
    ]);

    const altered = await client.request(IncrementalAlterConfigs, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'kafka-admin',
          configs: [
            { name: 'retention.ms', configOperation: 1, value: null },
            { name: 'segment.bytes', configOperation: 0, value: '1048576' },
          ],
        },
      ],
      validateOnly: false,
    });
    expect(altered.responses[0]?.errorCode).toBe(0);
    const after = await describe();
    expect(after.results[0]?.configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ['retention.ms', '604800000', 5],
      ['segment.bytes', '1048576', 1],
    ]);

    const grow = (validateOnly: boolean) =>
      client.request(CreatePartitions, 3, {
        topics: [{ name: 'kafka-admin', count: 4, assignments: null }],
        timeoutMs: 10_000,
        validateOnly,
      });
    expect((await grow(true)).results[0]?.errorCode).toBe(0);
    expect((await grow(false)).results[0]?.errorCode).toBe(0);
    // Now it has 4: growing to 4 again is refused by the controller.
    expect((await grow(false)).results[0]).toMatchObject({ errorCode: 37 });

    const deleted = await client.request(DeleteTopics, 6, {
      topics: [{ name: null, topicId: result?.topicId ?? NIL }],
      timeoutMs: 10_000,
      topicNames: [],
    });
    expect(deleted.responses[0]).toMatchObject({ name: 'kafka-admin', errorCode: 0 });
    const gone = await client.request(DescribeConfigs, 1, {
      resources: [resource],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(gone.results[0]?.errorCode).toBe(3);
  });
});
