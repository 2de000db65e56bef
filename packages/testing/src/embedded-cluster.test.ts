/**
 * The embedded cluster as an application's test would use it (this file is the documented example in
 * packages/testing/README.md): three brokers with Kafka listeners in this process, the Tributary client and
 * KafkaJS producing to the same topic, a partition leader killed mid-way, and every acknowledged record read
 * back by both clients. Plus the small things: one broker, topics on first use, restart, close() removing its
 * directory, two clusters side by side.
 */
import { existsSync } from 'node:fs';
import { TributaryClient } from '@tributary/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedCluster, startEmbeddedCluster } from './embedded-cluster.js';

const open: EmbeddedCluster[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((cluster) => cluster.close()));
});

async function start(options: Parameters<typeof startEmbeddedCluster>[0]): Promise<EmbeddedCluster> {
  const cluster = await startEmbeddedCluster(options);
  open.push(cluster);
  return cluster;
}

/** Every record of `topic` from the beginning, as partition → values in offset order, via our client. */
async function readAll(bootstrap: readonly string[], topic: string, expected: number): Promise<string[]> {
  const client = new TributaryClient({ bootstrap });
  try {
    const values: string[] = [];
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 20_000);
    try {
      for await (const records of client
        .consumer()
        .consume(topic, { from: 'earliest', signal: abort.signal })) {
        for (const record of records) values.push(Buffer.from(record.value ?? []).toString());
        if (values.length >= expected) break;
      }
    } finally {
      clearTimeout(timer);
    }
    return values;
  } finally {
    client.close();
  }
}

describe('startEmbeddedCluster', () => {
  it('three brokers: our client and KafkaJS produce, a leader is killed, every acknowledged record reads back', async () => {
    const cluster = await start({ brokers: 3, kafka: true });
    expect(cluster.bootstrap).toHaveLength(3);
    expect(cluster.kafkaBootstrap).toHaveLength(3);
    await cluster.createTopic('orders', { partitions: 3, replicationFactor: 3 });

    const client = new TributaryClient({ bootstrap: cluster.bootstrap });
    const kafka = new Kafka({
      clientId: 'embedded-test',
      brokers: [...cluster.kafkaBootstrap],
      logLevel: logLevel.NOTHING,
    });
    const kafkaProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await kafkaProducer.connect();
    try {
      const producer = client.producer();
      const sent: string[] = [];
      for (let i = 0; i < 30; i++) {
        await producer.send('orders', [{ key: `k${i % 5}`, value: `tributary-${i}` }]);
        sent.push(`tributary-${i}`);
        await kafkaProducer.send({
          topic: 'orders',
          messages: [{ key: `k${i % 5}`, value: `kafkajs-${i}` }],
        });
        sent.push(`kafkajs-${i}`);
      }
      // Kill the leader of partition 0; both producers go on through the new leaders.
      const [described] = await client.admin().describeTopics(['orders']);
      const leader = described?.partitions.find((p) => p.partition === 0)?.leader ?? -1;
      expect(cluster.brokerIds).toContain(leader);
      await cluster.kill(leader);
      for (let i = 30; i < 40; i++) {
        await producer.send('orders', [{ key: `k${i % 5}`, value: `tributary-${i}` }]);
        sent.push(`tributary-${i}`);
        await kafkaProducer.send({
          topic: 'orders',
          messages: [{ key: `k${i % 5}`, value: `kafkajs-${i}` }],
        });
        sent.push(`kafkajs-${i}`);
      }
      await cluster.restart(leader);

      const read = await readAll(cluster.bootstrap, 'orders', sent.length);
      expect([...read].sort()).toEqual([...sent].sort());

      // KafkaJS reads the same records back from the Kafka listeners.
      const consumer = kafka.consumer({ groupId: 'embedded-readers' });
      await consumer.connect();
      const seen: string[] = [];
      await consumer.subscribe({ topic: 'orders', fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`KafkaJS read ${seen.length} of ${sent.length}`)),
          30_000,
        );
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
            if (seen.length >= sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await consumer.disconnect();
      expect([...seen].sort()).toEqual([...sent].sort());
    } finally {
      await kafkaProducer.disconnect();
      client.close();
    }
  }, 120_000);

  it('one broker: topics on first use, close() removes its data directory', async () => {
    const cluster = await start({});
    expect(cluster.bootstrap).toHaveLength(1);
    expect(cluster.kafkaBootstrap).toEqual([]);
    const client = new TributaryClient({ bootstrap: cluster.bootstrap });
    try {
      await client.producer().send('greetings', [{ value: 'hello' }, { value: 'world' }]);
    } finally {
      client.close();
    }
    expect(await readAll(cluster.bootstrap, 'greetings', 2)).toEqual(['hello', 'world']);
    await cluster.close();
    expect(existsSync(cluster.dataDir)).toBe(false);
    await cluster.close();
  });

  it('two clusters side by side share nothing; bad arguments fail clearly', async () => {
    const [a, b] = await Promise.all([start({}), start({})]);
    expect(a.bootstrap[0]).not.toBe(b.bootstrap[0]);
    expect(a.dataDir).not.toBe(b.dataDir);
    await expect(a.kill(7)).rejects.toMatchObject({ code: 'UNKNOWN_BROKER' });
    await expect(a.restart(1)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(startEmbeddedCluster({ brokers: 0 })).rejects.toThrow(/brokers must be/);
  });
});
