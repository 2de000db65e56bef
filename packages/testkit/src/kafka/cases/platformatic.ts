/**
 * @platformatic/kafka 1.x against a real 3-controller + 3-broker cluster through the brokers' Kafka listeners
 * (issue 12, DESIGN §9), RF=3. This client speaks only flexible versions (here Metadata 12, Produce 11,
 * Fetch 17, ListOffsets 7, FindCoordinator 4, JoinGroup 7, SyncGroup 5, Heartbeat 4, LeaveGroup 4,
 * OffsetCommit and OffsetFetch 8, CreateTopics 7, DeleteTopics 6, CreatePartitions 3, DescribeConfigs 4), so
 * it covers the upper version ranges that KafkaJS and kcat leave alone. Shown: records produced with its
 * defaults, with gzip and snappy (its lz4 writes a block rather than a frame and its zstd needs node:zlib's
 * zstd, which Node 20 lacks), and idempotently, read back once each and in order, keys on murmur2's
 * partitions with its Java-compatible partitioner; two members sharing six partitions through explicit
 * joins, their commits, and the member that stays taking all; a group consumer stream that reads
 * everything, commits where `trib` sees it, and whose successor in the group resumes at the commits; and
 * its admin calls for topics.
 */
import { Admin, ConfigResourceTypes, ConfigSources, compatibilityPartitioner } from '@platformatic/kafka';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../cluster.js';
import { waitFor } from '../../wait.js';
import { GROUP_TIMERS, PlatformaticKit, type StringConsumer } from '../platformatic-support.js';
import {
  createTopic,
  describePartitions,
  type KcatRecord,
  kcatReadAll,
  murmur2Partition,
  waitForCommits,
  waitForFullIsr,
} from '../shared.js';
import { kcatPath } from '../tools.js';

const PARTITIONS = 6;

let cluster: Cluster;
const kit = new PlatformaticKit(() => cluster.kafkaBootstrap);

/** Each run's records appear once; within a partition in the order sent; offsets dense from 0. */
function expectOnceInOrder(
  read: readonly KcatRecord[],
  runs: readonly { name: string; count: number }[],
): void {
  const places = new Map<string, string[]>();
  for (const r of read)
    places.set(r.payload ?? '', [...(places.get(r.payload ?? '') ?? []), `p${r.partition}@${r.offset}`]);
  const repeated = [...places].filter(([, at]) => at.length > 1).slice(0, 20);
  expect(repeated, 'records read more than once').toEqual([]);
  expect(read.length).toBe(runs.reduce((sum, run) => sum + run.count, 0));
  for (const run of runs) {
    const mine = read.filter((r) => r.payload?.startsWith(`${run.name}-`));
    expect(new Set(mine.map((r) => r.payload)).size, run.name).toBe(run.count);
    const lastIndexByPartition = new Map<number, number>();
    for (const record of mine) {
      const index = Number((record.payload ?? '').slice(`${run.name}-`.length));
      expect(index, run.name).toBeGreaterThan(lastIndexByPartition.get(record.partition) ?? -1);
      lastIndexByPartition.set(record.partition, index);
    }
  }
  for (let p = 0; p < PARTITIONS; p++) {
    const offsets = read.filter((r) => r.partition === p).map((r) => r.offset);
    expect(offsets).toEqual(offsets.map((_, i) => i));
  }
}

/** Registers these cases on the shared cluster of kafka-clients.test.ts. */
export function platformaticCases(shared: () => Cluster): void {
  describe('@platformatic/kafka 1.x against the Kafka listener (3+3, RF=3)', () => {
    beforeAll(() => {
      cluster = shared();
      kcatPath();
    });

    beforeEach(({ onTestFailed }) => {
      kit.resetEvents();
      onTestFailed(() => {
        console.error(`--- client events ---\n${kit.events()}\n--- cluster ---\n${cluster.dump(40)}`);
      });
    });

    afterEach(async () => {
      await kit.closeAll();
    });

    afterAll(async () => {
      await kit.closeAll();
    });

    it('produces with its defaults, with gzip and snappy, and idempotently; each record reads back once, in order', async () => {
      const topic = 'platformatic-produce';
      await createTopic(cluster, topic, PARTITIONS);
      // `default` is the client as it comes: acks=1, no compression, its own partitioner.
      const javaPlacement = { partitioner: compatibilityPartitioner, acks: -1 } as const;
      const runs = [
        { name: 'default', count: 1_000, options: {} },
        { name: 'gzip', count: 1_000, options: { ...javaPlacement, compression: 'gzip' } },
        { name: 'snappy', count: 500, options: { ...javaPlacement, compression: 'snappy' } },
        {
          name: 'idempotent',
          count: 1_000,
          options: { ...javaPlacement, idempotent: true, compression: 'gzip' },
        },
      ] as const;
      const sendSize = 100;
      for (const run of runs) {
        const client = kit.producer(run.options);
        for (let start = 0; start < run.count; start += sendSize) {
          const messages = [];
          for (let i = start; i < Math.min(run.count, start + sendSize); i++) {
            messages.push({ topic, key: `${run.name}-key-${i % 97}`, value: `${run.name}-${i}` });
          }
          const result = await client.send({ messages });
          expect(result.offsets?.length ?? 0, run.name).toBeGreaterThan(0);
        }
      }
      const read = await kcatReadAll(cluster, topic);
      expectOnceInOrder(read, runs);
      // With its Java-compatible partitioner, keys land where murmur2 (and `trib`) put them. Its default
      // partitioner takes murmur2 unsigned (`>>> 0`) rather than Java's `& 0x7fffffff`, a client choice.
      for (const record of read.filter((r) => !r.payload?.startsWith('default-'))) {
        expect(record.partition, record.key ?? '').toBe(murmur2Partition(record.key ?? '', PARTITIONS));
      }
    });

    it('group membership over the flexible group APIs: two members share six partitions, commit, and the one that stays takes all', async () => {
      const topic = 'platformatic-members';
      const groupId = 'platformatic-members-g';
      await createTopic(cluster, topic, PARTITIONS);
      const writer = kit.producer({ partitioner: compatibilityPartitioner });
      const messages = range(0, 600).map((i) => ({ topic, key: `k-${i % 50}`, value: `v-${i}` }));
      await writer.send({ messages, acks: -1 });

      const one = kit.member({ name: 'one', groupId, topic });
      const two = kit.member({ name: 'two', groupId, topic });
      // Both join within the coordinator's initial rebalance delay, so the first generation has both.
      await Promise.all([one.joinGroup(GROUP_TIMERS), two.joinGroup(GROUP_TIMERS)]);
      const owned = (m: StringConsumer): number[] =>
        (m.assignments ?? []).flatMap((a) => (a.topic === topic ? a.partitions : [])).sort((a, b) => a - b);
      expect(owned(one).length).toBeGreaterThan(0);
      expect(owned(two).length).toBeGreaterThan(0);
      expect([...owned(one), ...owned(two)].sort()).toEqual(range(0, PARTITIONS));
      expect(one.generationId).toBe(two.generationId);

      // Each member commits the log end (from ListOffsets) of its own partitions, as after reading them.
      const logEnd = (await one.listOffsets({ topics: [topic] })).get(topic) ?? [];
      expect(logEnd.reduce((sum, o) => sum + o, 0n)).toBe(600n);
      for (const m of [one, two]) {
        await m.commit({
          offsets: owned(m).map((partition) => ({
            topic,
            partition,
            offset: logEnd[partition] ?? -1n,
            leaderEpoch: -1,
          })),
        });
      }
      await waitForCommits(cluster, { groupId, topic, total: 600 });

      // `two` leaves (LeaveGroup); `one` learns of the rebalance from its heartbeat and rejoins with all six.
      const generation = one.generationId;
      await two.leaveGroup();
      await waitFor(
        'one owns every partition',
        async () => (one.generationId > generation && owned(one).length === PARTITIONS ? true : undefined),
        { timeoutMs: 20_000 },
      );
      // OffsetFetch answers the commits of both members to the one that stays.
      const committed = await one.listCommittedOffsets({
        topics: [{ topic, partitions: range(0, PARTITIONS) }],
      });
      expect(committed.get(topic)).toEqual(logEnd);
    });

    // The stream fetches by topic id: at Fetch v12 this client writes the topic's UUID where the name belongs,
    // so it reads only from a broker that serves Fetch 13+ (KIP-516).
    it('a group consumer stream reads everything and commits it; the next member of the group resumes at the commits', async () => {
      const topic = 'platformatic-group';
      const groupId = 'platformatic-group-g';
      await createTopic(cluster, topic, PARTITIONS);
      const writer = kit.producer({ partitioner: compatibilityPartitioner });
      const produce = async (from: number, to: number): Promise<void> => {
        const messages = [];
        for (let i = from; i < to; i++) {
          messages.push({ topic, key: `k-${i % 50}`, value: `v-${i}`, headers: { n: String(i) } });
        }
        await writer.send({ messages, acks: -1 });
      };
      const first = 500;
      const second = 200;
      await produce(0, first);

      const one = await kit.streamMember({ name: 'one', groupId, topic });
      await waitFor(
        'member one read the first records',
        async () => (one.read.length >= first ? true : undefined),
        {
          timeoutMs: 30_000,
        },
      );
      await waitForCommits(cluster, { groupId, topic, total: first });
      await one.close();

      await produce(first, first + second);
      const two = await kit.streamMember({ name: 'two', groupId, topic });
      await waitFor(
        'member two read the new records',
        async () => (two.read.length >= second ? true : undefined),
        {
          timeoutMs: 30_000,
        },
      );
      await waitForCommits(cluster, { groupId, topic, total: first + second });

      // Once each across both members: `one` read the first records, `two` began at its commits.
      expect(one.read.map((m) => m.value).sort()).toEqual(
        range(0, first)
          .map((i) => `v-${i}`)
          .sort(),
      );
      expect(two.read.map((m) => m.value).sort()).toEqual(
        range(first, first + second)
          .map((i) => `v-${i}`)
          .sort(),
      );
      for (const member of [one, two]) {
        for (const message of member.read) {
          expect(message.partition).toBe(murmur2Partition(message.key, PARTITIONS));
          expect(message.value).toBe(`v-${message.headers.get('n')}`);
        }
        for (let p = 0; p < PARTITIONS; p++) {
          const offsets = member.read.filter((m) => m.partition === p).map((m) => Number(m.offset));
          expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
        }
      }
    });

    it('admin: createTopics, listTopics, metadata, describeConfigs, createPartitions, deleteTopics', async () => {
      const topic = 'platformatic-admin';
      const admin = kit.track(new Admin(kit.base('platformatic-admin')));
      const [created] = await admin.createTopics({
        topics: [topic],
        partitions: 3,
        replicas: 3,
        configs: [{ name: 'retention.ms', value: '3600000' }],
      });
      expect(created).toMatchObject({ name: topic, partitions: 3, replicas: 3 });
      await waitFor(
        'the topic is listed',
        async () => ((await admin.listTopics()).includes(topic) ? true : undefined),
        { timeoutMs: 10_000 },
      );
      await waitForFullIsr(cluster, topic, 3);

      const truth = await describePartitions(cluster, topic);
      const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
      const described = metadata.topics.get(topic);
      expect(described?.partitionsCount).toBe(3);
      for (const [index, p] of (described?.partitions ?? []).entries()) {
        const expected = truth.find((t) => t.partition === index);
        expect(p.leader).toBe(expected?.leader);
        expect(p.leaderEpoch).toBe(expected?.leaderEpoch);
        expect(p.replicas).toEqual(expected?.replicas);
        expect([...p.isr].sort()).toEqual([...(expected?.isr ?? [])].sort());
      }
      expect([...metadata.brokers.keys()].sort()).toEqual(cluster.brokers.map((b) => b.nodeId).sort());

      const [configs] = await admin.describeConfigs({
        resources: [
          {
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: topic,
            configurationKeys: ['retention.ms', 'cleanup.policy'],
          },
        ],
      });
      const byName = new Map(configs?.configs.map((c) => [c.name, c]));
      expect(byName.get('retention.ms')).toMatchObject({
        value: '3600000',
        configSource: ConfigSources.TOPIC_CONFIG,
      });
      expect(byName.get('cleanup.policy')).toMatchObject({
        value: 'delete',
        configSource: ConfigSources.DEFAULT_CONFIG,
      });

      await admin.createPartitions({ topics: [{ name: topic, count: 4 }] });
      // The answering broker's image has the change; the broker asked next may apply it a moment later.
      await waitFor(
        'metadata shows four partitions',
        async () => {
          const grown = await admin.metadata({ topics: [topic], forceUpdate: true });
          return grown.topics.get(topic)?.partitionsCount === 4 ? true : undefined;
        },
        { timeoutMs: 10_000 },
      );

      await admin.deleteTopics({ topics: [topic] });
      await waitFor(
        'the topic is no longer listed',
        async () => ((await admin.listTopics()).includes(topic) ? undefined : true),
        { timeoutMs: 10_000 },
      );
    });
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
