/**
 * Transactions through the Kafka listener with real Kafka clients (issue 14, "How it is shown"): 3
 * controllers + 3 brokers, RF=3, one cluster for the file. KafkaJS 2.2.4's `producer.transaction()` commits
 * one transaction (send + sendOffsets), aborts the next (send + sendOffsets) and commits a third; a KafkaJS
 * consumer with `readUncommitted: false` reads the committed records only, the group's offsets are the
 * committed transaction's, and kcat (librdkafka 2.0) reads the committed records with
 * `-X isolation.level=read_committed` and every record, the aborted ones too, with read_uncommitted, never a
 * control record at either level.
 */
import type { Kafka, Message } from 'kafkajs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterPerFile } from '../cluster-per-file.js';
import { waitFor } from '../wait.js';
import { KafkaJsLog, kafkaJsClient, OpenClients } from './kafkajs-support.js';
import { createTopic, GROUP_BROKER_ARGS, type KcatRecord } from './shared.js';
import { kcat, kcatPath } from './tools.js';

const { withCluster, onCleanup } = clusterPerFile({ brokers: 3, kafka: true, brokerArgs: GROUP_BROKER_ARGS });

const TOPIC = 'kafka-txn-out';
const INPUT_TOPIC = 'kafka-txn-in';
const PARTITIONS = 2;
const OFFSETS_GROUP = 'kafka-txn-pipeline';
const READ_WAIT_MS = 30_000;

const log = new KafkaJsLog();
const clients = new OpenClients();

function messages(prefix: string, count: number): Message[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${prefix}-key-${index % 5}`,
    value: `${prefix}-${index}`,
    partition: index % PARTITIONS,
  }));
}

const valuesOf = (list: readonly Message[]): string[] => list.map((m) => String(m.value)).sort();

/** kcat from the beginning to the end of TOPIC at one isolation level. */
async function kcatRead(kafkaBootstrap: readonly string[], isolation: string): Promise<KcatRecord[]> {
  const out = await kcat(
    [
      ...['-b', kafkaBootstrap.join(','), '-C', '-t', TOPIC, '-o', 'beginning', '-e', '-J', '-q'],
      ...['-X', `isolation.level=${isolation}`],
    ],
    { timeoutMs: 60_000 },
  );
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KcatRecord);
}

describe('transactions through the Kafka listener (KafkaJS, kcat)', () => {
  beforeAll(() => {
    kcatPath();
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`--- KafkaJS log ---\n${log.tail()}`));
    onCleanup(() => clients.closeAll());
  });

  it('KafkaJS commits and aborts transactions with sendOffsets; read_committed readers see only the committed ones', async () => {
    await withCluster(async (c) => {
      await createTopic(c, TOPIC, PARTITIONS);
      await createTopic(c, INPUT_TOPIC, 1);
      const kafka: Kafka = kafkaJsClient(c.kafkaBootstrap, log);
      const producer = clients.track(
        kafka.producer({
          transactionalId: 'kafkajs-txn-1',
          idempotent: true,
          maxInFlightRequests: 1,
          retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
        }),
      );
      await producer.connect();
      const admin = clients.track(kafka.admin());
      await admin.connect();
      // A read-process-write service's group is active before its first sendOffsets, so its coordinator has
      // loaded. Here nothing used the group yet, and KafkaJS 2.2.4's sendOffsets gives up at the first
      // NOT_COORDINATOR (it looks for the type 'NOT_COORDINATOR', but names code 16
      // 'NOT_COORDINATOR_FOR_GROUP'), which a coordinator still loading a just-created __consumer_offsets
      // partition answers, on Kafka too. So wait until the group's coordinator answers OffsetFetch.
      await waitFor(
        `the coordinator of ${OFFSETS_GROUP} to answer`,
        async () => (await admin.fetchOffsets({ groupId: OFFSETS_GROUP, topics: [INPUT_TOPIC] })).length,
        { timeoutMs: READ_WAIT_MS },
      );
      const offsetsAt = (offset: number) => ({
        consumerGroupId: OFFSETS_GROUP,
        topics: [{ topic: INPUT_TOPIC, partitions: [{ partition: 0, offset: String(offset) }] }],
      });

      const committed1 = messages('c1', 12);
      let txn = await producer.transaction();
      await txn.send({ topic: TOPIC, messages: committed1 });
      await txn.sendOffsets(offsetsAt(7));
      await txn.commit();

      const aborted = messages('a1', 12);
      txn = await producer.transaction();
      await txn.send({ topic: TOPIC, messages: aborted });
      await txn.sendOffsets(offsetsAt(99));
      await txn.abort();

      const committed2 = messages('c2', 12);
      txn = await producer.transaction();
      await txn.send({ topic: TOPIC, messages: committed2 });
      await txn.commit();
      const committed = valuesOf([...committed1, ...committed2]);
      const everything = valuesOf([...committed1, ...aborted, ...committed2]);

      // The group's offset is the committed transaction's; the aborted one's never became visible.
      const fetched = await admin.fetchOffsets({ groupId: OFFSETS_GROUP, topics: [INPUT_TOPIC] });
      expect(fetched[0]?.partitions.map((p) => [p.partition, p.offset])).toEqual([[0, '7']]);

      // A KafkaJS consumer with readUncommitted: false (read_committed, KafkaJS's default).
      const seen: string[] = [];
      const consumer = clients.track(kafka.consumer({ groupId: 'kafka-txn-reader', readUncommitted: false }));
      await consumer.connect();
      await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value?.toString() ?? '');
        },
      });
      // The last committed records come after the aborted ones: once they are in, everything before was read.
      await waitFor(
        'KafkaJS read the committed records',
        async () => (seen.length >= 24 ? true : undefined),
        {
          timeoutMs: READ_WAIT_MS,
        },
      );
      await consumer.stop();
      expect([...seen].sort()).toEqual(committed);

      // librdkafka: committed only under read_committed; every record under read_uncommitted; control
      // records (the commit and abort markers, one offset each) never shown as records.
      const readCommitted = await kcatRead(c.kafkaBootstrap, 'read_committed');
      expect(readCommitted.map((r) => r.payload ?? '').sort()).toEqual(committed);
      const readUncommitted = await kcatRead(c.kafkaBootstrap, 'read_uncommitted');
      expect(readUncommitted.map((r) => r.payload ?? '').sort()).toEqual(everything);
      // Markers take offsets: the records' offsets leave gaps where the three transactions ended.
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const offsets = readUncommitted.filter((r) => r.partition === partition).map((r) => r.offset);
        expect(
          Math.max(...offsets) + 1 - offsets.length,
          `markers before the last record of ${partition}`,
        ).toBe(2);
      }
    });
  }, 120_000);
});
