/**
 * The group consumer against fake brokers (data) and a fake coordinator (membership, offsets). These
 * test the client's loops, not the broker's coordinator; real-process tests live with the broker.
 */
import { waitFor } from '@tributary/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TributaryClient } from '../client.js';
import { BrokerConnections } from '../connections.js';
import { MetadataCache } from '../metadata-cache.js';
import { type FakeCluster, startFakeCluster } from '../testing/fake-broker.js';
import {
  type FakeCoordinator,
  type FakeGroupMember,
  startFakeCoordinator,
} from '../testing/fake-coordinator.js';
import { CoordinatorConnections } from './coordinator.js';
import { GroupConsumer } from './group-consumer.js';
import type { TopicPartition } from './reconcile.js';
import type { GroupConsumerOptions } from './types.js';

const TOPICS = { orders: 4, other: 2, 'orders-archive': 1 } as const;
const TEST_TIMEOUT = { timeout: 30_000 };

let cluster: FakeCluster;
let coordinator: FakeCoordinator;
let producer: TributaryClient;
const cleanups: (() => Promise<void> | void)[] = [];
let groupCounter = 0;

beforeAll(async () => {
  cluster = await startFakeCluster({ brokers: 2, topics: TOPICS });
  coordinator = await startFakeCoordinator({ topics: TOPICS, servers: 2, heartbeatIntervalMs: 30 });
  producer = new TributaryClient({ bootstrap: cluster.bootstrap, timeoutMs: 5_000 });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  coordinator.coordinator = 0;
});

afterAll(async () => {
  producer.close();
  await coordinator.stop();
  await cluster.stop();
});

function newGroup(): string {
  return `group-${++groupCounter}`;
}

function makeConsumer(options: GroupConsumerOptions, memberId?: string): GroupConsumer {
  const connections = new BrokerConnections();
  const coordinators = new CoordinatorConnections();
  const consumer = new GroupConsumer(
    {
      metadata: new MetadataCache(cluster.bootstrap, connections),
      connections,
      coordinators,
      lookupAddresses: () => coordinator.addresses,
      brokerAddresses: () => cluster.bootstrap,
      clientId: 'test-client',
      timeoutMs: 5_000,
      ...(memberId === undefined ? {} : { memberId }),
    },
    { maxWaitMs: 50, ...options },
  );
  cleanups.push(async () => {
    await consumer.close();
    connections.close();
    coordinators.close();
  });
  return consumer;
}

/** Appends `count` records "p<partition>-<i>" to every partition of `topic`; returns the end offsets. */
async function produce(topic: keyof typeof TOPICS, count: number, tag = ''): Promise<void> {
  const records = Array.from({ length: TOPICS[topic] }, (_, partition) =>
    Array.from({ length: count }, (_, i) => ({ key: null, value: `p${partition}-${tag}${i}`, partition })),
  ).flat();
  await producer.producer().send(topic, records);
}

function member(groupId: string, memberId: string): FakeGroupMember | undefined {
  return coordinator.groups.get(groupId)?.members.get(memberId);
}

interface Received {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

/** Runs `consumer` in the background, collecting every message; the run promise is kept for cleanup. */
function collect(
  consumer: GroupConsumer,
  slow?: () => Promise<void>,
): { received: Received[]; done: Promise<void> } {
  const received: Received[] = [];
  const done = consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      if (slow !== undefined) await slow();
      received.push({
        topic,
        partition,
        offset: message.offset,
        value: Buffer.from(message.value ?? []).toString(),
      });
    },
  });
  // close() (in cleanup) ends the run; an error would fail the test through the expectations instead.
  done.catch(() => undefined);
  return { received, done };
}

const owns = (m: FakeGroupMember | undefined, count: number): boolean =>
  m !== undefined && m.owned.size === count;

describe('GroupConsumer against fake brokers and a fake coordinator', () => {
  it(
    'joins, gets every partition, consumes from the beginning and commits on close',
    TEST_TIMEOUT,
    async () => {
      const groupId = newGroup();
      await produce('orders', 5, 'a');
      const assigned: TopicPartition[][] = [];
      const consumer = makeConsumer({
        groupId,
        fromBeginning: true,
        onAssigned: (partitions) => {
          assigned.push(partitions);
        },
      });
      consumer.subscribe({ topics: ['orders'] });
      const { received, done } = collect(consumer);
      await waitFor('20 records', () => received.length >= 20);
      await waitFor('owned reported', () => owns(member(groupId, consumer.memberId), 4));
      expect(assigned.flat()).toHaveLength(4);
      expect(consumer.assignment()).toEqual([{ topic: 'orders', partitions: [0, 1, 2, 3] }]);
      for (let p = 0; p < 4; p++) {
        const values = received.filter((r) => r.partition === p).map((r) => r.value);
        expect(values).toEqual([0, 1, 2, 3, 4].map((i) => `p${p}-a${i}`));
      }
      await consumer.close();
      await done;
      for (let p = 0; p < 4; p++) {
        expect(coordinator.committed(groupId, 'orders', p)).toBe(cluster.log('orders', p).endOffset);
      }
      const commits = coordinator.requests.filter(
        (r) => r.method === 'OffsetCommit' && (r.request as { groupId: string }).groupId === groupId,
      );
      expect(commits.length).toBeGreaterThan(0);
      for (const c of commits) expect((c.request as { memberId: string }).memberId).toBe(consumer.memberId);
    },
  );

  it(
    'a second member takes half: the first commits revoked partitions before reporting them gone',
    TEST_TIMEOUT,
    async () => {
      const groupId = newGroup();
      const first = makeConsumer({ groupId, fromBeginning: true, autoCommitIntervalMs: 60_000 }, 'member-a');
      first.subscribe({ topics: ['orders'] });
      const a = collect(first);
      await waitFor('first owns all', () => owns(member(groupId, 'member-a'), 4));
      await produce('orders', 3, 'b');
      const total = [0, 1, 2, 3].reduce((sum, p) => sum + cluster.log('orders', p).endOffset, 0);
      await waitFor('first consumed', () => a.received.length >= total);
      const second = makeConsumer({ groupId, fromBeginning: true }, 'member-b');
      second.subscribe({ topics: ['orders'] });
      const b = collect(second);
      await waitFor(
        'two partitions each',
        () => owns(member(groupId, 'member-a'), 2) && owns(member(groupId, 'member-b'), 2),
      );
      const moved = [...(member(groupId, 'member-b')?.owned ?? [])].map((key) => Number(key.split(':')[1]));
      const requests = coordinator.requests.filter(
        (r) => (r.request as { groupId?: string }).groupId === groupId,
      );
      for (const partition of moved) {
        const commitIndex = requests.findIndex(
          (r) =>
            r.method === 'OffsetCommit' &&
            (r.request as { topics: { partitions: { partition: number }[] }[] }).topics.some((t) =>
              t.partitions.some((x) => x.partition === partition),
            ),
        );
        const goneIndex = requests.findIndex(
          (r, i) =>
            i > 0 &&
            r.method === 'GroupHeartbeat' &&
            (r.request as { memberId: string }).memberId === 'member-a' &&
            (r.request as { memberEpoch: number }).memberEpoch > 0 &&
            !(r.request as { ownedPartitions: { partitions: number[] }[] }).ownedPartitions.some((t) =>
              t.partitions.includes(partition),
            ),
        );
        expect(commitIndex).toBeGreaterThanOrEqual(0);
        expect(goneIndex).toBeGreaterThan(commitIndex);
        expect(coordinator.committed(groupId, 'orders', partition)).toBe(
          cluster.log('orders', partition).endOffset,
        );
      }
      // The new owner starts at the committed offsets: it sees only records produced after the move.
      await produce('orders', 1, 'c');
      await waitFor('second consumed the new records', () => b.received.length >= 2);
      expect(b.received.map((r) => r.value).every((v) => v.includes('-c'))).toBe(true);
      expect(b.received.map((r) => r.partition).sort()).toEqual([...moved].sort());
    },
  );

  it(
    'fenced: partitions are lost without a commit, then the member rejoins with epoch 0',
    TEST_TIMEOUT,
    async () => {
      const groupId = newGroup();
      await produce('other', 2, 'f');
      const lost: TopicPartition[][] = [];
      const consumer = makeConsumer(
        { groupId, fromBeginning: true, autoCommitIntervalMs: 60_000, onLost: (p) => void lost.push(p) },
        'member-f',
      );
      consumer.subscribe({ topics: ['other'] });
      const { received } = collect(consumer);
      await waitFor('consumed', () => received.length >= 4);
      const epochBefore = consumer.memberEpoch;
      coordinator.fence(groupId, 'member-f');
      await waitFor('lost', () => lost.length === 1);
      expect(lost[0]).toEqual([
        { topic: 'other', partition: 0 },
        { topic: 'other', partition: 1 },
      ]);
      await waitFor('rejoined and owns again', () => owns(member(groupId, 'member-f'), 2));
      const joins = coordinator.requests.filter(
        (r) =>
          r.method === 'GroupHeartbeat' &&
          (r.request as { memberId: string }).memberId === 'member-f' &&
          (r.request as { memberEpoch: number }).memberEpoch === 0,
      );
      expect(joins).toHaveLength(2);
      expect(consumer.memberEpoch).toBeGreaterThan(epochBefore);
      expect(coordinator.committed(groupId, 'other', 0)).toBeUndefined();
      // Nothing was committed, so the rejoined member reads everything again (at-least-once).
      await waitFor('redelivered', () => received.length >= 8);
    },
  );

  it(
    'follows the coordinator when it moves (NOT_COORDINATOR -> FindCoordinator again)',
    TEST_TIMEOUT,
    async () => {
      const groupId = newGroup();
      const consumer = makeConsumer({ groupId }, 'member-m');
      consumer.subscribe({ topics: ['orders-archive'] });
      collect(consumer);
      await waitFor('joined', () => owns(member(groupId, 'member-m'), 1));
      const finds = coordinator.requests.filter((r) => r.method === 'FindCoordinator').length;
      coordinator.coordinator = 1;
      await waitFor('heartbeats reach server 1', () =>
        coordinator.requests.some(
          (r) =>
            r.server === 1 &&
            r.method === 'GroupHeartbeat' &&
            (r.request as { groupId: string }).groupId === groupId,
        ),
      );
      expect(coordinator.requests.filter((r) => r.method === 'FindCoordinator').length).toBeGreaterThan(
        finds,
      );
      await produce('orders-archive', 1, 'm');
      // COORDINATOR_LOAD_IN_PROGRESS is retried too, after finding the coordinator again.
      coordinator.inject('GroupHeartbeat', 'COORDINATOR_LOAD_IN_PROGRESS');
      const heartbeats = member(groupId, 'member-m')?.heartbeats ?? 0;
      await waitFor(
        'heartbeats resume',
        () => (member(groupId, 'member-m')?.heartbeats ?? 0) > heartbeats + 2,
      );
    },
  );

  it('keeps heartbeating while a handler is slow', TEST_TIMEOUT, async () => {
    const groupId = newGroup();
    await produce('orders-archive', 1, 's');
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    const consumer = makeConsumer({ groupId, fromBeginning: true }, 'member-s');
    consumer.subscribe({ topics: ['orders-archive'] });
    const { received } = collect(consumer, async () => {
      entered = true;
      await blocked;
    });
    await waitFor('handler entered', () => entered);
    const before = member(groupId, 'member-s')?.heartbeats ?? 0;
    await waitFor(
      'heartbeats while blocked',
      () => (member(groupId, 'member-s')?.heartbeats ?? 0) >= before + 3,
    );
    expect(received).toHaveLength(0);
    release();
    await waitFor('handler finished', () => received.length >= 1);
  });

  it(
    "sends a partition's next fetch, on the broker's FetchStream, while its batch is handled",
    TEST_TIMEOUT,
    async () => {
      const groupId = newGroup();
      await produce('orders-archive', 1, 'q');
      const end = cluster.log('orders-archive', 0).endOffset;
      const requestsBefore = cluster.state.requests.length;
      const streamsBefore = cluster.state.fetchStreamsOpened;
      let release: () => void = () => undefined;
      const blocked = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered = false;
      const consumer = makeConsumer({ groupId, fromBeginning: true }, 'member-q');
      consumer.subscribe({ topics: ['orders-archive'] });
      const { received } = collect(consumer, async () => {
        entered = true;
        await blocked;
      });
      await waitFor('handler entered', () => entered);
      const fetchOffsetOf = (request: unknown): number | undefined =>
        (request as { topics: { partitions: { fetchOffset: number }[] }[] }).topics[0]?.partitions[0]
          ?.fetchOffset;
      await waitFor('the next fetch out while the handler runs', () =>
        cluster.state.requests
          .slice(requestsBefore)
          .some(
            (r) =>
              r.method === 'Fetch' && r.topics.includes('orders-archive') && fetchOffsetOf(r.request) === end,
          ),
      );
      expect(received).toHaveLength(0);
      expect(cluster.state.fetchStreamsOpened).toBeGreaterThan(streamsBefore);
      release();
      await waitFor('handler finished', () => received.length >= 1);
    },
  );

  it('pause holds a partition back until resume', TEST_TIMEOUT, async () => {
    const groupId = newGroup();
    const consumer = makeConsumer({ groupId, fromBeginning: true }, 'member-p');
    consumer.pause([{ topic: 'other', partitions: [0] }]);
    consumer.subscribe({ topics: ['other'] });
    const { received } = collect(consumer);
    await waitFor('joined', () => owns(member(groupId, 'member-p'), 2));
    const start0 = cluster.log('other', 0).endOffset;
    await produce('other', 3, 'p');
    await waitFor(
      'partition 1 consumed',
      () => received.filter((r) => r.partition === 1 && r.value.includes('-p')).length === 3,
    );
    expect(received.filter((r) => r.partition === 0 && r.offset >= start0)).toEqual([]);
    expect(consumer.paused()).toEqual([{ topic: 'other', partitions: [0] }]);
    consumer.resume([{ topic: 'other' }]);
    await waitFor(
      'partition 0 consumed',
      () => received.filter((r) => r.partition === 0 && r.value.includes('-p')).length === 3,
    );
  });

  it('seek re-reads from an offset; the iterator yields per-partition batches', TEST_TIMEOUT, async () => {
    const groupId = newGroup();
    await produce('orders-archive', 3, 'k');
    const end = cluster.log('orders-archive', 0).endOffset;
    const consumer = makeConsumer({ groupId, fromBeginning: true }, 'member-k');
    consumer.subscribe({ topics: ['orders-archive'] });
    const offsets: number[] = [];
    let sought = false;
    for await (const batch of consumer) {
      expect(batch.topic).toBe('orders-archive');
      offsets.push(...batch.messages.map((m) => m.offset));
      if (!sought && offsets.includes(end - 1)) {
        sought = true;
        consumer.seek({ topic: 'orders-archive', partition: 0, offset: end - 2 });
      } else if (sought && offsets.filter((o) => o === end - 1).length === 2 && !offsets.includes(end)) {
        await produce('orders-archive', 1, 'k');
      } else if (offsets.includes(end)) {
        break;
      }
    }
    expect(offsets.slice(-3)).toEqual([end - 2, end - 1, end]);
    await consumer.close();
    // The batch the loop broke out of was not handled: the commit stops before it (at-least-once).
    expect(coordinator.committed(groupId, 'orders-archive', 0)).toBe(end);
  });

  it(
    'retries a commit after STALE_MEMBER_EPOCH; close leaves the group and is idempotent',
    TEST_TIMEOUT,
    async () => {
      const groupId = newGroup();
      const consumer = makeConsumer({ groupId, autoCommit: false }, 'member-c');
      consumer.subscribe({ topics: ['other'] });
      collect(consumer);
      await waitFor('joined', () => owns(member(groupId, 'member-c'), 2));
      coordinator.inject('OffsetCommit', 'STALE_MEMBER_EPOCH');
      await consumer.commitOffsets([{ topic: 'other', partition: 1, offset: 1 }]);
      expect(coordinator.committed(groupId, 'other', 1)).toBe(1);
      const closing = consumer.close();
      expect(consumer.close()).toBe(closing);
      await closing;
      expect(coordinator.groups.get(groupId)?.members.size).toBe(0);
      const last = coordinator.requests.filter((r) => r.method === 'GroupHeartbeat').at(-1);
      expect((last?.request as { memberEpoch?: number } | undefined)?.memberEpoch).toBe(-1);
      await expect(
        consumer.commitOffsets([{ topic: 'other', partition: 0, offset: 1 }]),
      ).rejects.toMatchObject({
        code: 'SHUTTING_DOWN',
      });
    },
  );

  it('resolves a RegExp subscription against the cluster topics', TEST_TIMEOUT, async () => {
    const groupId = newGroup();
    const consumer = makeConsumer({ groupId }, 'member-r');
    consumer.subscribe({ topics: /^orders/ });
    collect(consumer);
    await waitFor('joined', () => owns(member(groupId, 'member-r'), 5));
    expect(member(groupId, 'member-r')?.subscribed).toEqual(['orders', 'orders-archive']);
  });

  it('rejects bad options and use before subscribe', () => {
    expect(() => makeConsumer({ groupId: '' })).toThrow(/group id/);
    expect(() => makeConsumer({ groupId: 'g', sessionTimeoutMs: 0 })).toThrow(/sessionTimeoutMs/);
    // The broker's bounds (WIRE_LIMITS), refused here naming the option rather than by the coordinator.
    expect(() => makeConsumer({ groupId: 'g', sessionTimeoutMs: 999 })).toThrow(
      /sessionTimeoutMs must be an integer from 1000 to 300000, got 999/,
    );
    expect(() => makeConsumer({ groupId: 'g', rebalanceTimeoutMs: 1_800_001 })).toThrow(/rebalanceTimeoutMs/);
    expect(() => makeConsumer({ groupId: 'g', maxBytes: 64 * 1024 * 1024 + 1 })).toThrow(/maxBytes/);
    expect(() => makeConsumer({ groupId: 'g', maxWaitMs: 30_001 })).toThrow(
      /maxWaitMs must be an integer from 0 to 30000/,
    );
    const consumer = makeConsumer({ groupId: 'g' });
    expect(() => consumer.subscribe({ topics: [] })).toThrow(/at least one/);
    return expect(consumer.run({ eachMessage: async () => undefined })).rejects.toThrow(/subscribe/);
  });
});
