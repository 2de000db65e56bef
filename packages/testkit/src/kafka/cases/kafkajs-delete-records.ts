/**
 * KafkaJS 2.2's admin.deleteTopicRecords against a real 3-controller + 3-broker cluster through the Kafka
 * listeners (issue 12): DeleteRecords to each partition's leader, the low watermark KafkaJS then reads with
 * ListOffsets, a consumer from the beginning starting at the new log start, and `trib topics delete-records`
 * on the same partition.
 */
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../cluster.js';
import { waitFor } from '../../wait.js';
import { trib } from '../tools.js';

const TOPIC = 'kafkajs-trimmed';

let cluster: Cluster;
let kafka: Kafka;

/** Registers these cases on the shared cluster of kafka-clients.test.ts. */
export function kafkaJsDeleteRecordsCases(shared: () => Cluster): void {
  describe('KafkaJS deleteTopicRecords against the Kafka listener', () => {
    beforeAll(() => {
      cluster = shared();
      kafka = new Kafka({
        clientId: 'delete-records-test',
        brokers: cluster.kafkaBootstrap,
        logLevel: logLevel.NOTHING,
      });
    });

    it('moves the low watermark; a consumer from the beginning starts there; trib moves it further', async () => {
      await trib([
        'topics',
        'create',
        TOPIC,
        '--partitions',
        '2',
        '--replication-factor',
        '3',
        '--bootstrap',
        cluster.bootstrap.join(','),
      ]);
      await waitFor(
        `${TOPIC} is fully replicated`,
        async () => {
          const { topics } = await cluster.quorum.admin().admin('DescribeTopics', { names: [TOPIC] });
          const ready = topics[0]?.partitions.every((p) => p.leader >= 0 && p.isr.length === 3) ?? false;
          return ready ? true : undefined;
        },
        { timeoutMs: 20_000 },
      );
      const producer = kafka.producer();
      await producer.connect();
      try {
        for (const partition of [0, 1]) {
          await producer.send({
            topic: TOPIC,
            acks: -1,
            messages: Array.from({ length: 10 }, (_, i) => ({ partition, value: `v${i}` })),
          });
        }
      } finally {
        await producer.disconnect();
      }

      const admin = kafka.admin();
      await admin.connect();
      try {
        // KafkaJS looks the leaders up in metadata it has already loaded (its admin does not load it here).
        await admin.fetchTopicMetadata({ topics: [TOPIC] });
        await admin.deleteTopicRecords({
          topic: TOPIC,
          partitions: [
            { partition: 0, offset: '4' },
            { partition: 1, offset: '-1' },
          ],
        });
        const offsets = (await admin.fetchTopicOffsets(TOPIC)).sort((a, b) => a.partition - b.partition);
        expect(offsets.map((o) => [o.partition, o.low, o.high])).toEqual([
          [0, '4', '10'],
          [1, '10', '10'],
        ]);

        const consumer = kafka.consumer({ groupId: 'delete-records-readers' });
        const seen: string[] = [];
        await consumer.connect();
        try {
          await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
          await consumer.run({
            eachMessage: async ({ partition, message }) => {
              seen.push(`${partition}:${message.offset}`);
            },
          });
          await waitFor(
            'the consumer to read what is left',
            async () => (seen.length >= 6 ? true : undefined),
            {
              timeoutMs: 30_000,
            },
          );
        } finally {
          await consumer.disconnect();
        }
        expect(seen.sort()).toEqual(['0:4', '0:5', '0:6', '0:7', '0:8', '0:9']);

        const moved = await trib([
          '--json',
          'topics',
          'delete-records',
          TOPIC,
          '--partition',
          '0',
          '--offset',
          '7',
          '--bootstrap',
          cluster.bootstrap.join(','),
        ]);
        expect(JSON.parse(moved)).toEqual({ topic: TOPIC, partition: 0, lowWatermark: 7 });
        const after = await admin.fetchTopicOffsets(TOPIC);
        expect(after.find((o) => o.partition === 0)?.low).toBe('7');
      } finally {
        await admin.disconnect();
      }
    }, 120_000);
  });
}
