/**
 * KafkaJS 2.2.4 against a real 3-controller + 3-broker cluster through the brokers' Kafka listeners (issue 12,
 * DESIGN §9), RF=3: an idempotent gzip producer's keyed records read back once each, in order, on murmur2's
 * partitions; a consumer group of two members that shares six partitions and hands them all to the member
 * that stays when the other leaves, without losing or repeating a record, its offsets visible to
 * `trib groups describe`; the admin calls KafkaJS offers for topics; a record crossing between KafkaJS and
 * `trib` unchanged both ways; and a partition leader SIGKILLed under idempotent acks=-1 load, after which
 * every acknowledged record is read back exactly once at its offset.
 */

import type { Kafka, Message, Producer } from 'kafkajs';
import kafkajs from 'kafkajs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AckedRecord, checkAckedHistory, readBack } from '../../acked-history.js';
import type { Cluster } from '../../cluster.js';
import { waitFor } from '../../wait.js';
import { KafkaJsLog, kafkaJsClient, OpenClients, RecordingMember } from '../kafkajs-support.js';
import {
  createTopic,
  describePartitions,
  kcatReadAll,
  murmur2Partition,
  tribConsume,
  waitForCommits,
  waitForFullIsr,
  withTimeout,
} from '../shared.js';
import { kcatPath, trib } from '../tools.js';

const { CompressionTypes, ConfigResourceTypes, Partitioners } = kafkajs;

const PARTITIONS = 6;

let cluster: Cluster;
let kafka: Kafka;
const log = new KafkaJsLog();
const clients = new OpenClients();

/** A producer with the Java-compatible (murmur2) partitioner named explicitly, as 2.x's default is. */
async function connectedProducer(options: { idempotent?: boolean } = {}): Promise<Producer> {
  const producer = clients.track(
    kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: options.idempotent ?? false,
      // The idempotent producer retries forever by default; a bound keeps a broken broker from hanging the test.
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
    }),
  );
  await producer.connect();
  return producer;
}

/** Registers these cases on the shared cluster of kafka-clients.test.ts. */
export function kafkaJsCases(shared: () => Cluster): void {
  describe('KafkaJS 2.2.4 against the Kafka listener (3+3, RF=3)', () => {
    beforeAll(() => {
      cluster = shared();
      kcatPath();
      kafka = kafkaJsClient(cluster.kafkaBootstrap, log);
    });

    beforeEach(({ onTestFailed }) => {
      onTestFailed(() => {
        console.error(`--- KafkaJS log ---\n${log.tail()}\n--- cluster ---\n${cluster.dump(40)}`);
      });
    });

    afterEach(async () => {
      await clients.closeAll();
    });

    afterAll(async () => {
      await clients.closeAll();
    });

    it('an idempotent gzip producer (acks=-1) writes keyed records that read back once each, in order, on murmur2 partitions', async () => {
      const topic = 'kafkajs-idempotent';
      const records = 3_000;
      const sendSize = 200;
      await createTopic(cluster, topic, PARTITIONS);
      const producer = await connectedProducer({ idempotent: true });
      for (let start = 0; start < records; start += sendSize) {
        const messages: Message[] = [];
        for (let i = start; i < Math.min(records, start + sendSize); i++) {
          messages.push({ key: `key-${i % 97}`, value: `value-${i}` });
        }
        const answers = await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.GZIP,
          messages,
        });
        expect(answers.map((a) => a.errorCode)).toEqual(answers.map(() => 0));
      }

      const read = await kcatReadAll(cluster, topic);
      expect(read.length).toBe(records);
      expect(new Set(read.map((r) => r.payload)).size).toBe(records);
      const lastIndexByPartition = new Map<number, number>();
      for (const record of read) {
        const index = Number((record.payload ?? '').slice('value-'.length));
        expect(record.key).toBe(`key-${index % 97}`);
        expect(record.partition).toBe(murmur2Partition(record.key ?? '', PARTITIONS));
        // One producer, sends awaited in turn: its records keep their order within each partition.
        expect(index).toBeGreaterThan(lastIndexByPartition.get(record.partition) ?? -1);
        lastIndexByPartition.set(record.partition, index);
      }
      for (let p = 0; p < PARTITIONS; p++) {
        const offsets = read.filter((r) => r.partition === p).map((r) => r.offset);
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }
    });

    it('admin: createTopics, fetchTopicMetadata, describeConfigs, createPartitions, deleteTopics', async () => {
      const topic = 'kafkajs-admin';
      const admin = clients.track(kafka.admin());
      await admin.connect();
      const created = await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: 3,
            replicationFactor: 3,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
        ],
        waitForLeaders: true,
        timeout: 10_000,
      });
      expect(created).toBe(true);
      // KafkaJS answers false (not an error) for a topic that already exists.
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], timeout: 10_000 })).toBe(
        false,
      );
      await waitForFullIsr(cluster, topic, 3);

      const truth = await describePartitions(cluster, topic);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const listed = topics.find((t) => t.name === topic);
      expect(listed?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
      for (const p of listed?.partitions ?? []) {
        const expected = truth.find((t) => t.partition === p.partitionId);
        expect(p.leader).toBe(expected?.leader);
        expect(p.replicas).toEqual(expected?.replicas);
        expect([...p.isr].sort()).toEqual([...(expected?.isr ?? [])].sort());
      }

      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] },
        ],
      });
      const resource = described.resources[0];
      expect(resource?.errorCode).toBe(0);
      const entries = new Map(resource?.configEntries.map((e) => [e.configName, e]));
      expect(entries.get('retention.ms')?.configValue).toBe('3600000');
      expect(entries.get('retention.ms')?.isDefault).toBe(false);
      expect(entries.get('cleanup.policy')?.configValue).toBe('delete');
      expect(entries.get('cleanup.policy')?.isDefault).toBe(true);

      // KafkaJS resolves createPartitions to nothing (its typings say boolean); an error would throw.
      await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }], timeout: 10_000 });
      await expect(
        admin.createPartitions({ topicPartitions: [{ topic, count: 2 }], timeout: 10_000 }),
      ).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
      // The answering broker's image has the change; the broker KafkaJS asks next may apply it a moment later.
      await waitFor(
        'metadata shows five partitions',
        async () => {
          const grown = await admin.fetchTopicMetadata({ topics: [topic] });
          return grown.topics[0]?.partitions.length === 5 ? true : undefined;
        },
        { timeoutMs: 10_000 },
      );

      await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
      const { topics: remaining } = await cluster.quorum.admin().admin('ListTopics', {});
      expect(remaining.map((t) => t.name)).not.toContain(topic);
      await waitFor(
        'KafkaJS no longer lists the topic',
        async () => ((await admin.listTopics()).includes(topic) ? undefined : true),
        { timeoutMs: 10_000 },
      );
    });

    it('a group of two members shares six partitions; when one leaves the other takes all and continues from the committed offsets', async () => {
      const topic = 'kafkajs-group';
      const groupId = 'kafkajs-group-g';
      const half = 600;
      await createTopic(cluster, topic, PARTITIONS);
      const producer = await connectedProducer();
      const produce = async (from: number, to: number): Promise<void> => {
        const messages: Message[] = [];
        for (let i = from; i < to; i++) messages.push({ key: `k-${i % 50}`, value: `v-${i}` });
        await producer.send({ topic, acks: -1, messages });
      };
      await produce(0, half);

      const member = (name: string): RecordingMember =>
        new RecordingMember(
          name,
          clients.track(
            kafka.consumer({
              groupId,
              // Short timers so that a rebalance is seen within a second rather than KafkaJS's 3-5 s defaults.
              sessionTimeout: 10_000,
              rebalanceTimeout: 10_000,
              heartbeatInterval: 500,
              maxWaitTimeInMs: 250,
            }),
          ),
          topic,
        );
      const a = member('a');
      const b = member('b');
      // Both join within the coordinator's initial rebalance delay, so the first generation has both.
      await Promise.all([a.start(), b.start()]);
      const distinct = (): number => new Set([...a.consumed, ...b.consumed].map((r) => r.value)).size;
      await waitFor(
        'both members assigned and the first half consumed',
        async () =>
          a.assignment.length > 0 && b.assignment.length > 0 && distinct() === half ? true : undefined,
        { timeoutMs: 30_000 },
      );
      expect([...a.assignment, ...b.assignment].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      const bPartitions = b.assignment;

      // Everything read so far is committed (KafkaJS commits after each batch) and `trib` shows it.
      const logEnd = await waitForCommits(cluster, { groupId, topic, total: half });
      expect(logEnd.size).toBe(PARTITIONS);

      // b leaves (LeaveGroup); a rejoins and takes all six.
      const aJoins = a.joins;
      await withTimeout(b.consumer.disconnect(), 15_000, 'b leaving');
      await waitFor(
        'a owns every partition',
        async () => (a.joins > aJoins && a.assignment.length === PARTITIONS ? true : undefined),
        { timeoutMs: 20_000 },
      );
      const bConsumedBeforeLeaving = b.consumed.length;
      await produce(half, 2 * half);
      await waitFor('a consumed the second half', async () => (distinct() === 2 * half ? true : undefined), {
        timeoutMs: 30_000,
      });

      const all = [...a.consumed, ...b.consumed];
      // Nothing lost and nothing read twice: b's last batch was committed before it left, and a resumed there.
      expect(all.length).toBe(2 * half);
      expect(b.consumed.length).toBe(bConsumedBeforeLeaving);
      for (let p = 0; p < PARTITIONS; p++) {
        for (const who of [a, b]) {
          const offsets = who.consumed.filter((r) => r.partition === p).map((r) => r.offset);
          expect(offsets, `${who.name} p${p}`).toEqual([...offsets].sort((x, y) => x - y));
        }
      }
      // On b's former partitions, a started exactly at b's committed offset.
      for (const p of bPartitions) {
        const first = a.consumed.find((r) => r.partition === p);
        expect(first?.offset, `p${p}`).toBe(logEnd.get(p));
      }
      for (const record of all) expect(record.partition).toBe(murmur2Partition(record.key ?? '', PARTITIONS));
      const committed = await waitForCommits(cluster, { groupId, topic, total: 2 * half });
      expect(committed.size).toBe(PARTITIONS);
    });

    it('a record KafkaJS writes with headers reads the same through `trib consume --json`, and the reverse', async () => {
      const topic = 'kafkajs-cross';
      await createTopic(cluster, topic, PARTITIONS);
      const producer = await connectedProducer();
      const timestamp = Date.now() - 60_000;
      const [written] = await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: 'order-1',
            value: 'from kafkajs',
            headers: { source: 'kafkajs', trace: 'abc' },
            timestamp: String(timestamp),
          },
        ],
      });
      await trib(
        [
          'produce',
          topic,
          '--key-separator',
          ':',
          '--header',
          'source=trib',
          '--bootstrap',
          cluster.bootstrap.join(','),
        ],
        { input: 'order-1:from trib\n' },
      );
      const partition = murmur2Partition('order-1', PARTITIONS);
      expect(written?.partition).toBe(partition);
      expect(written?.baseOffset).toBe('0');

      const viaTrib = await tribConsume(cluster, topic, 2);
      expect(viaTrib[0]).toEqual({
        partition,
        offset: 0,
        key: 'order-1',
        value: 'from kafkajs',
        timestamp,
        headers: [
          { key: 'source', value: 'kafkajs' },
          { key: 'trace', value: 'abc' },
        ],
      });
      expect(viaTrib[1]).toMatchObject({
        partition,
        offset: 1,
        key: 'order-1',
        value: 'from trib',
        headers: [{ key: 'source', value: 'trib' }],
      });

      const reader = new RecordingMember(
        'reader',
        clients.track(kafka.consumer({ groupId: 'kafkajs-cross-reader', maxWaitTimeInMs: 250 })),
        topic,
      );
      await reader.start();
      await waitFor(
        'KafkaJS read both records',
        async () => (reader.consumed.length >= 2 ? true : undefined),
        {
          timeoutMs: 30_000,
        },
      );
      expect(
        reader.consumed.map((r) => ({
          partition: r.partition,
          offset: r.offset,
          key: r.key,
          value: r.value,
          timestamp: r.timestamp,
          headers: Object.entries(r.headers).map(([key, value]) => ({ key, value })),
        })),
      ).toEqual(viaTrib);
    });

    it('a SIGKILLed partition leader under idempotent acks=-1 load: every acknowledged record once, in order; a new leader with a higher epoch', async () => {
      const topic = 'kafkajs-failover';
      const partitions = 3;
      const sends = 300;
      const sendSize = 10;
      await createTopic(cluster, topic, partitions);
      const [before] = (await describePartitions(cluster, topic)).filter((p) => p.partition === 0);
      if (before === undefined) throw new Error(`${topic}-0 is not described`);
      const victim = cluster.broker(before.leader);
      const producer = await connectedProducer({ idempotent: true });

      const acked: AckedRecord[] = [];
      const failures: string[] = [];
      let killed: Promise<unknown> | undefined;
      // How many records were acknowledged when the old leader's process was gone.
      let ackedWhenDead = -1;
      for (let s = 0; s < sends; s++) {
        // The kill is not awaited: the sends that follow race the leader's death, as a real producer's would.
        if (s === sends / 3) {
          killed = victim.kill('SIGKILL').then(() => {
            ackedWhenDead = acked.length;
          });
        }
        const partition = s % partitions;
        const values = Array.from({ length: sendSize }, (_, i) => `p${partition}-s${s}-r${i}`);
        try {
          const [answer] = await producer.send({
            topic,
            acks: -1,
            messages: values.map((value) => ({ partition, value })),
          });
          if (answer?.baseOffset === undefined)
            throw new Error(`no base offset in ${JSON.stringify(answer)}`);
          const baseOffset = Number(answer.baseOffset);
          for (const [i, value] of values.entries()) acked.push({ partition, offset: baseOffset + i, value });
        } catch (error) {
          failures.push(`send ${s}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await killed;
      // KafkaJS retried through the failover: no send failed.
      expect(failures).toEqual([]);
      expect(acked.length).toBe(sends * sendSize);
      // The load crossed the failover: partition 0 took acknowledged writes after its old leader was dead.
      expect(ackedWhenDead).toBeGreaterThan(0);
      expect(acked.slice(ackedWhenDead).filter((r) => r.partition === 0).length).toBeGreaterThan(0);

      const [after] = (await describePartitions(cluster, topic)).filter((p) => p.partition === 0);
      expect(after?.leader).not.toBe(before.leader);
      expect(after?.leader).toBeGreaterThanOrEqual(0);
      expect(after?.leaderEpoch).toBeGreaterThan(before.leaderEpoch);

      await victim.restart();
      await waitForFullIsr(cluster, topic, 3);
      const read = await readBack(cluster.bootstrap, topic, partitions);
      expect(checkAckedHistory(acked, read)).toEqual([]);
    }, 60_000);
  });
}
