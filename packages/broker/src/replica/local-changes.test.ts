/**
 * planLocalChanges, as a table: each case starts from an image (built by replaying records), applies a
 * delta (or loads a snapshot), and states the plan for broker 1 in a compact form. Each plan entry reads
 * "topic-partition@leaderEpoch", followers add "<-leader", and flags follow in brackets (the log config, and
 * min.insync.replicas where it is not the replication factor's default).
 */
import { brokerEpoch, brokerId, leaderEpoch, partitionEpoch } from '@tributary/core';
import {
  decodeSnapshot,
  encodeSnapshot,
  type MetadataChanges,
  MetadataDelta,
  MetadataImage,
  type MetadataRecord,
  type TopicImage,
} from '@tributary/metadata';
import { describe, expect, it } from 'vitest';
import { snapshotChanges } from '../metadata-follower/snapshot-changes.js';
import { minInsyncReplicas } from './config.js';
import { type LocalChanges, type PlannedPartition, planLocalChanges } from './local-changes.js';

const ME = brokerId(1);

function register(id: number, epoch = id, address = `10.0.0.${id}:9000`): MetadataRecord {
  return {
    type: 'RegisterBroker',
    brokerId: brokerId(id),
    brokerEpoch: brokerEpoch(epoch),
    incarnationId: `inc-${id}-${epoch}`,
    address,
    rack: null,
    fenced: false,
  };
}

function topic(name: string, topicId = `id-${name}`): MetadataRecord {
  return { type: 'Topic', name, topicId };
}

function partition(
  topicId: string,
  index: number,
  replicas: readonly number[],
  options: { leader?: number; epoch?: number; isr?: readonly number[]; adding?: readonly number[] } = {},
): MetadataRecord {
  return {
    type: 'Partition',
    topicId,
    partition: index,
    replicas: replicas.map(brokerId),
    isr: (options.isr ?? replicas).map(brokerId),
    leader: brokerId(options.leader ?? replicas[0] ?? 0),
    leaderEpoch: leaderEpoch(options.epoch ?? 0),
    partitionEpoch: partitionEpoch(0),
    ...(options.adding === undefined ? {} : { addingReplicas: options.adding.map(brokerId) }),
  };
}

/** A PartitionChange at the next partition epoch of `image`'s state (and leader epoch when asked). */
function change(
  image: MetadataImage,
  topicId: string,
  index: number,
  fields: {
    leader?: number;
    isr?: readonly number[];
    replicas?: readonly number[];
    adding?: readonly number[];
    removing?: readonly number[];
    bumpLeaderEpoch?: boolean;
  },
): MetadataRecord {
  const state = image.partition(topicId, index);
  if (state === undefined) throw new Error(`no partition ${topicId}/${index}`);
  return {
    type: 'PartitionChange',
    topicId,
    partition: index,
    ...(fields.leader === undefined ? {} : { leader: brokerId(fields.leader) }),
    ...(fields.isr === undefined ? {} : { isr: fields.isr.map(brokerId) }),
    ...(fields.replicas === undefined ? {} : { replicas: fields.replicas.map(brokerId) }),
    ...(fields.adding === undefined ? {} : { addingReplicas: fields.adding.map(brokerId) }),
    ...(fields.removing === undefined ? {} : { removingReplicas: fields.removing.map(brokerId) }),
    leaderEpoch: leaderEpoch(state.leaderEpoch + (fields.bumpLeaderEpoch === true ? 1 : 0)),
    partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
  };
}

function config(resourceType: 'topic' | 'cluster', resourceName: string, name: string, value: string | null) {
  return { type: 'Config', resourceType, resourceName, name, value } as const satisfies MetadataRecord;
}

/** Replays `records` on `image` in one delta (as the follower does with a burst): the image and its changes. */
function step(
  image: MetadataImage,
  records: readonly MetadataRecord[],
): { next: MetadataImage; changes: MetadataChanges } {
  const delta = new MetadataDelta(image);
  let offset = image.offset;
  for (const record of records) delta.replay(record, ++offset);
  return { next: delta.apply(), changes: delta.changes() };
}

function build(records: readonly MetadataRecord[]): MetadataImage {
  return step(MetadataImage.EMPTY, records).next;
}

/** Brokers 1-3; "orders" (id-orders): 0 led here, 1 led by 2 (followed here), 2 on brokers 2 and 3 only. */
const BASE = build([
  register(1),
  register(2),
  register(3),
  topic('orders'),
  partition('id-orders', 0, [1, 2, 3]),
  partition('id-orders', 1, [2, 3, 1]),
  partition('id-orders', 2, [2, 3]),
]);

/** BASE plus "payments" (id-payments): 0 led here, 1 led by 3. */
const TWO_TOPICS = step(BASE, [
  topic('payments'),
  partition('id-payments', 0, [1, 2]),
  partition('id-payments', 1, [3, 1]),
]).next;

function describePlanned(planned: PlannedPartition, follower: boolean): string {
  const { metadata } = planned;
  const flags = [
    ...(planned.throttled ? ['throttled'] : []),
    ...(planned.minInsyncReplicas === minInsyncReplicas(new Map(), metadata.replicas.length, undefined)
      ? []
      : [`minIsr=${planned.minInsyncReplicas}`]),
    ...Object.entries(planned.logConfig).map(([key, value]) => `${key}=${String(value)}`),
  ];
  return (
    `${planned.topic}-${planned.partition}@${metadata.leaderEpoch}` +
    (follower ? `<-${metadata.leader}` : '') +
    (flags.length === 0 ? '' : ` [${flags.join(',')}]`)
  );
}

/** The plan in the table's compact form; empty lists are left out. */
function summary(plan: LocalChanges): Record<string, unknown> {
  const lists: Record<string, unknown[]> = {
    throttle: plan.replicationThrottle === null ? [] : [plan.replicationThrottle.bytesPerSecond],
    registrations: plan.leaderRegistrations.map((r) => `${r.leaderId}:${r.address ?? 'gone'}`),
    remove: plan.remove.map((r) => `${r.topic}-${r.partition} ${r.topicId} ${r.reason}`),
    leader: plan.becomeLeader.map((p) => describePlanned(p, false)),
    follower: plan.becomeFollower.map((p) => describePlanned(p, true)),
    change: plan.partitionChanges.map((p) => describePlanned(p, true)),
    reconfigure: plan.reconfigure.map((p) => describePlanned(p, false)),
    reattach: plan.reattach.map((p) => describePlanned(p, true)),
    stale: plan.staleEpochs.map((s) => `${s.topic}-${s.partition}@${s.leaderEpoch}<${s.previousLeaderEpoch}`),
  };
  return Object.fromEntries(Object.entries(lists).filter(([, list]) => list.length > 0));
}

interface Case {
  readonly name: string;
  readonly previous: MetadataImage;
  /** The next image and its changes (default: the previous with these records replayed). */
  readonly next: (previous: MetadataImage) => { next: MetadataImage; changes: MetadataChanges };
  readonly expected: Record<string, unknown>;
}

const CASES: readonly Case[] = [
  {
    name: 'the first image: every partition here, by its leader; the other brokers registered',
    previous: MetadataImage.EMPTY,
    next: () => ({ next: BASE, changes: snapshotChanges(MetadataImage.EMPTY, BASE) }),
    expected: {
      registrations: ['2:10.0.0.2:9000', '3:10.0.0.3:9000'],
      leader: ['orders-0@0'],
      follower: ['orders-1@0<-2'],
    },
  },
  {
    name: 'a topic created later: only its partitions',
    previous: BASE,
    next: (image) =>
      step(image, [
        topic('payments'),
        partition('id-payments', 0, [1, 2]),
        partition('id-payments', 1, [3, 1]),
      ]),
    expected: { leader: ['payments-0@0'], follower: ['payments-1@0<-3'] },
  },
  {
    name: 'a topic created on other brokers only: nothing',
    previous: BASE,
    next: (image) => step(image, [topic('elsewhere'), partition('id-elsewhere', 0, [2, 3])]),
    expected: {},
  },
  {
    name: 'a topic deleted: its partitions here stop and are deleted',
    previous: TWO_TOPICS,
    next: (image) => step(image, [{ type: 'RemoveTopic', topicId: 'id-orders' }]),
    expected: { remove: ['orders-0 id-orders topic-deleted', 'orders-1 id-orders topic-deleted'] },
  },
  {
    name: 'a topic deleted and re-created under the same name: the old id removed, the new one opened',
    previous: BASE,
    next: (image) =>
      step(image, [
        { type: 'RemoveTopic', topicId: 'id-orders' },
        topic('orders', 'id-orders-2'),
        partition('id-orders-2', 0, [2, 1]),
        partition('id-orders-2', 1, [2, 3]),
      ]),
    expected: {
      remove: ['orders-0 id-orders topic-recreated', 'orders-1 id-orders topic-recreated'],
      follower: ['orders-0@0<-2'],
    },
  },
  {
    name: 'a reassignment adds this broker: it becomes a follower (not throttled: no throttle set)',
    previous: BASE,
    next: (image) => step(image, [change(image, 'id-orders', 2, { replicas: [2, 3, 1], adding: [1] })]),
    expected: { follower: ['orders-2@0<-2'] },
  },
  {
    name: 'a reassignment adds this broker while a throttle is set: throttled',
    previous: step(BASE, [config('cluster', '', 'replication.throttled.rate', '1000')]).next,
    next: (image) => step(image, [change(image, 'id-orders', 2, { replicas: [2, 3, 1], adding: [1] })]),
    expected: { follower: ['orders-2@0<-2 [throttled]'] },
  },
  {
    name: 'a reassignment completes: the adding replica is a plain follower at the same epoch',
    previous: step(BASE, [change(BASE, 'id-orders', 2, { replicas: [2, 3, 1], adding: [1] })]).next,
    next: (image) => step(image, [change(image, 'id-orders', 2, { replicas: [2, 3, 1], adding: [] })]),
    expected: { change: ['orders-2@0<-2'] },
  },
  {
    name: 'a reassignment removes this broker (leadership moved first): deleted as unassigned',
    previous: BASE,
    next: (image) =>
      step(image, [
        change(image, 'id-orders', 0, { replicas: [2, 3], isr: [2, 3], leader: 2, bumpLeaderEpoch: true }),
      ]),
    expected: { remove: ['orders-0 id-orders unassigned'] },
  },
  {
    name: 'the leader epoch goes up: leadership moves both ways',
    previous: BASE,
    next: (image) =>
      step(image, [
        change(image, 'id-orders', 0, { leader: 2, bumpLeaderEpoch: true }),
        change(image, 'id-orders', 1, { leader: 1, bumpLeaderEpoch: true }),
        change(image, 'id-orders', 2, { leader: 3, bumpLeaderEpoch: true }),
      ]),
    expected: { leader: ['orders-1@1'], follower: ['orders-0@1<-2'] },
  },
  {
    name: 'an ISR change at the same leader epoch: a partition change',
    previous: BASE,
    next: (image) => step(image, [change(image, 'id-orders', 0, { isr: [1, 2] })]),
    expected: { change: ['orders-0@0<-1'] },
  },
  {
    name: 'a lower leader epoch than the previous image: ignored as stale',
    previous: build([
      register(1),
      register(2),
      topic('orders'),
      partition('id-orders', 0, [1, 2], { epoch: 5 }),
    ]),
    next: () => {
      const next = build([
        register(1),
        register(2),
        topic('orders'),
        partition('id-orders', 0, [1, 2], { epoch: 4 }),
        config('topic', 'orders', 'retention.ms', '1000'),
      ]);
      return { next, changes: { ...snapshotChanges(MetadataImage.EMPTY, next), brokers: new Set() } };
    },
    expected: { stale: ['orders-0@4<5'] },
  },
  {
    name: "a topic's log config changes: only its partitions here are reconfigured",
    previous: TWO_TOPICS,
    next: (image) => step(image, [config('topic', 'orders', 'retention.ms', '60000')]),
    expected: { reconfigure: ['orders-0@0 [retentionMs=60000]', 'orders-1@0 [retentionMs=60000]'] },
  },
  {
    name: "a topic's min.insync.replicas changes",
    previous: TWO_TOPICS,
    next: (image) => step(image, [config('topic', 'payments', 'min.insync.replicas', '2')]),
    expected: { reconfigure: ['payments-0@0 [minIsr=2]', 'payments-1@0 [minIsr=2]'] },
  },
  {
    name: 'a config change together with a leader change: planned once, with the new config',
    previous: BASE,
    next: (image) =>
      step(image, [
        config('topic', 'orders', 'retention.ms', '60000'),
        change(image, 'id-orders', 1, { leader: 1, bumpLeaderEpoch: true }),
      ]),
    expected: {
      leader: ['orders-1@1 [retentionMs=60000]'],
      reconfigure: ['orders-0@0 [retentionMs=60000]'],
    },
  },
  {
    name: 'a config change of a topic with no partition here: nothing',
    previous: BASE,
    next: (image) =>
      step(image, [
        topic('elsewhere'),
        partition('id-elsewhere', 0, [2, 3]),
        config('topic', 'elsewhere', 'retention.ms', '1'),
      ]),
    expected: {},
  },
  {
    name: 'a leader re-registers at a new address: its followers here re-attach',
    previous: TWO_TOPICS,
    next: (image) => step(image, [register(2, 12, '10.0.1.2:9000')]),
    expected: { registrations: ['2:10.0.1.2:9000'], reattach: ['orders-1@0<-2'] },
  },
  {
    name: 'a leader re-registers at the same address (a restart): its followers here re-attach',
    previous: TWO_TOPICS,
    next: (image) => step(image, [register(3, 13)]),
    expected: { registrations: ['3:10.0.0.3:9000'], reattach: ['payments-1@0<-3'] },
  },
  {
    name: 'a leader unregisters: its fetchers go; nothing to attach to until it is back',
    previous: BASE,
    next: (image) =>
      step(image, [{ type: 'UnregisterBroker', brokerId: brokerId(2), brokerEpoch: brokerEpoch(2) }]),
    expected: { registrations: ['2:gone'] },
  },
  {
    name: 'a broker fenced: nothing (its leaderships move by partition changes)',
    previous: BASE,
    next: (image) =>
      step(image, [{ type: 'FenceBroker', brokerId: brokerId(2), brokerEpoch: brokerEpoch(2) }]),
    expected: {},
  },
  {
    name: 'this broker re-registers: nothing',
    previous: BASE,
    next: (image) => step(image, [register(1, 11)]),
    expected: {},
  },
  {
    name: 'the throttle goes on: adding replicas here move to throttled fetching',
    previous: step(BASE, [change(BASE, 'id-orders', 2, { replicas: [2, 3, 1], adding: [1] })]).next,
    next: (image) => step(image, [config('cluster', '', 'replication.throttled.rate', '1000')]),
    expected: { throttle: [1000], reattach: ['orders-2@0<-2 [throttled]'] },
  },
  {
    name: 'the throttle rate changes but stays on: only the rate',
    previous: step(BASE, [
      change(BASE, 'id-orders', 2, { replicas: [2, 3, 1], adding: [1] }),
      config('cluster', '', 'replication.throttled.rate', '1000'),
    ]).next,
    next: (image) => step(image, [config('cluster', '', 'replication.throttled.rate', '2000')]),
    expected: { throttle: [2000] },
  },
  {
    name: 'a snapshot load: only what differs from the previous image is planned',
    previous: TWO_TOPICS,
    next: (image) => {
      const changed = step(image, [
        change(image, 'id-payments', 1, { leader: 1, bumpLeaderEpoch: true }),
      ]).next;
      const loaded = decodeSnapshot(encodeSnapshot(changed));
      return { next: loaded, changes: snapshotChanges(image, loaded) };
    },
    expected: { leader: ['payments-1@1'] },
  },
  {
    name: 'a snapshot load that deletes a topic and re-creates it',
    previous: BASE,
    next: (image) => {
      const changed = step(image, [
        { type: 'RemoveTopic', topicId: 'id-orders' },
        topic('orders', 'id-orders-2'),
        partition('id-orders-2', 0, [1, 2]),
      ]).next;
      const loaded = decodeSnapshot(encodeSnapshot(changed));
      return { next: loaded, changes: snapshotChanges(image, loaded) };
    },
    expected: {
      remove: ['orders-0 id-orders topic-recreated', 'orders-1 id-orders topic-recreated'],
      leader: ['orders-0@0'],
    },
  },
];

describe('planLocalChanges', () => {
  it.each(CASES)('$name', ({ previous, next: makeNext, expected }) => {
    const { next, changes } = makeNext(previous);
    expect(summary(planLocalChanges({ previous, next, changes, brokerId: ME }))).toEqual(expected);
  });

  it('plans a failed partition again although unchanged (retry)', () => {
    const { next, changes } = step(BASE, [config('cluster', '', 'unrelated', 'x')]);
    const plan = planLocalChanges({
      previous: BASE,
      next,
      changes,
      brokerId: ME,
      retry: new Map([['id-orders', new Set([0, 1, 2])]]),
    });
    expect(summary(plan)).toEqual({ leader: ['orders-0@0'], follower: ['orders-1@0<-2'] });
  });

  it('takes the broker defaults under the topic configs', () => {
    const { next, changes } = step(BASE, [topic('logs'), partition('id-logs', 0, [1])]);
    const plan = planLocalChanges({
      previous: BASE,
      next,
      changes,
      brokerId: ME,
      defaults: { minInsyncReplicas: 3, log: { segmentBytes: 4096 } },
    });
    expect(summary(plan)).toEqual({ leader: ['logs-0@0 [minIsr=3,segmentBytes=4096]'] });
  });

  it('plans nothing for changes that name what did not change (a superset is safe)', () => {
    const reloaded = decodeSnapshot(encodeSnapshot(TWO_TOPICS));
    const everything = snapshotChanges(MetadataImage.EMPTY, TWO_TOPICS);
    expect(
      summary(planLocalChanges({ previous: TWO_TOPICS, next: reloaded, changes: everything, brokerId: ME })),
    ).toEqual({});
  });

  it('never looks at the partitions of topics the change does not name', () => {
    // "orders" answers every look-up but refuses to be iterated: a scan of the image would throw.
    const orders = TWO_TOPICS.topicById('id-orders');
    const payments = TWO_TOPICS.topicById('id-payments');
    if (orders === undefined || payments === undefined) throw new Error('no topics');
    const unscannable: TopicImage = { ...orders, partitions: refusingIteration(orders.partitions) };
    expect(() => [...unscannable.partitions.values()]).toThrow(/scanned/);
    const previous = new MetadataImage({
      ...TWO_TOPICS,
      topicsById: new Map([
        ['id-orders', unscannable],
        ['id-payments', payments],
      ]),
      topicsByName: new Map([
        ['orders', unscannable],
        ['payments', payments],
      ]),
    });
    const { next, changes } = step(previous, [
      topic('logs'),
      partition('id-logs', 0, [1, 2]),
      change(previous, 'id-payments', 1, { leader: 1, bumpLeaderEpoch: true }),
      config('topic', 'payments', 'retention.ms', '1000'),
      { type: 'FenceBroker', brokerId: brokerId(2), brokerEpoch: brokerEpoch(2) },
    ]);
    expect(summary(planLocalChanges({ previous, next, changes, brokerId: ME }))).toEqual({
      leader: ['logs-0@0', 'payments-1@1 [retentionMs=1000]'],
      reconfigure: ['payments-0@0 [retentionMs=1000]'],
    });
  });

  it('refuses images that go back', () => {
    expect(() =>
      planLocalChanges({
        previous: BASE,
        next: MetadataImage.EMPTY,
        changes: snapshotChanges(BASE, MetadataImage.EMPTY),
        brokerId: ME,
      }),
    ).toThrow(/went back/);
  });
});

/** A map whose entries can be looked up but whose iteration throws. */
function refusingIteration<K, V>(map: ReadonlyMap<K, V>): ReadonlyMap<K, V> {
  const refuse = (): never => {
    throw new Error('the plan scanned a topic the change did not name');
  };
  return {
    get: (key: K) => map.get(key),
    has: (key: K) => map.has(key),
    get size() {
      return map.size;
    },
    forEach: refuse,
    entries: refuse,
    keys: refuse,
    values: refuse,
    [Symbol.iterator]: refuse,
  };
}
