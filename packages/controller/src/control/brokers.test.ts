import { type BrokerId, brokerEpoch, brokerId, SeededRandom } from '@tributary/core';
import { MetadataImage } from '@tributary/metadata';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokerHeartbeat, fenceBroker, registerBroker } from './brokers.js';
import type { ControlResult } from './context.js';
import {
  commit,
  expectCode,
  heartbeat,
  partitionRecord,
  replay,
  TOPIC,
  unfencedBrokers,
  withOrders,
} from './testing.js';
import { createTopic } from './topics.js';

const b = brokerId;

const leaseDead = { isLeaseAlive: () => false };
const leaseAlive = { isLeaseAlive: () => true };

/** Brokers 1..4 with partitions 0: [1,2,3], 1: [2,3,1], 2: [1] (sole replica), 3: [1,4] with ISR [1]. */
function withPartitions(): MetadataImage {
  return withOrders(unfencedBrokers(4), [
    partitionRecord(0, [1, 2, 3], [1, 2, 3]),
    partitionRecord(1, [2, 3, 1], [2, 3, 1]),
    partitionRecord(2, [1], [1]),
    partitionRecord(3, [1, 4], [1]),
  ]);
}

describe('brokerHeartbeat: offline log directories', () => {
  const offline = (partitions: number[]) => ({ offlinePartitions: [{ topic: 'orders', partitions }] });

  it('moves leadership to another ISR member and shrinks the ISR of the reported partitions only', () => {
    const image = withPartitions();
    // Broker 1 leads 0 and 2 (sole replica) and 3 (ISR [1]); it follows 1; its disk failed under 0, 1, 2.
    const result = heartbeat(image, 1, offline([0, 1, 2]));
    expect(result.response).toMatchObject({ fenced: false, shouldShutDown: false });
    const after = commit(image, result);
    expect(after.partition(TOPIC, 0)).toMatchObject({ leader: 2, isr: [2, 3], leaderEpoch: 1 });
    expect(after.partition(TOPIC, 1)).toMatchObject({ leader: 2, isr: [2, 3], leaderEpoch: 0 });
    // The sole replica stays the recorded ISR (never an unclean election), without a leader.
    expect(after.partition(TOPIC, 2)).toMatchObject({ leader: -1, isr: [1], leaderEpoch: 1 });
    // Not reported: untouched, and the broker stays unfenced (its other directories serve on).
    expect(after.partition(TOPIC, 3)).toMatchObject({ leader: 1, isr: [1] });
    expect(after.broker(b(1))?.fenced).toBe(false);
    for (const record of result.records) {
      expect(record.type === 'PartitionChange' && record.partitionEpoch).toBeGreaterThan(0);
    }
  });

  it('writes nothing for a report already acted on, or naming unknown topics and partitions', () => {
    const image = withPartitions();
    const after = commit(image, heartbeat(image, 1, offline([0, 1])));
    expect(heartbeat(after, 1, offline([0, 1])).records).toEqual([]);
    expect(heartbeat(after, 1, { offlinePartitions: [{ topic: 'nope', partitions: [0] }] }).records).toEqual(
      [],
    );
    expect(heartbeat(after, 1, offline([9])).records).toEqual([]);
    // A partition the broker is not a replica of changes nothing either.
    expect(heartbeat(after, 4, offline([0])).records).toEqual([]);
  });

  it('counts a partition named twice once', () => {
    const image = withPartitions();
    const result = heartbeat(image, 1, { offlinePartitions: [{ topic: 'orders', partitions: [0, 0] }] });
    expect(result.records).toHaveLength(1);
  });
});

describe('registerBroker', () => {
  it('registers a new broker fenced, with epoch = image offset + 1', () => {
    const image = replay(MetadataImage.EMPTY, []);
    const request = { brokerId: b(1), incarnationId: 'inc-a', address: 'h1:9092', rack: 'r1' };
    const result = registerBroker(image, request, leaseAlive);
    expect(result.response.brokerEpoch).toBe(0);
    expect(result.records).toEqual([{ type: 'RegisterBroker', ...request, brokerEpoch: 0, fenced: true }]);
    const after = commit(image, result);
    expect(after.broker(b(1))).toMatchObject({ fenced: true, rack: 'r1', brokerEpoch: 0 });
    expect(after.unfencedBrokerIds()).toEqual([]);
  });

  it('re-registers the same incarnation with a higher epoch and takes it out of leaderships', () => {
    const image = withPartitions();
    const old = image.broker(b(1));
    const result = registerBroker(
      image,
      { brokerId: b(1), incarnationId: 'inc-1', address: 'h1:9092', rack: null },
      leaseAlive,
    );
    expect(result.response.brokerEpoch).toBeGreaterThan(old?.brokerEpoch ?? 0);
    const after = commit(image, result);
    expect(after.broker(b(1))?.fenced).toBe(true);
    expect(after.partition(TOPIC, 0)).toMatchObject({ leader: 2, isr: [2, 3], leaderEpoch: 1 });
    expect(after.partition(TOPIC, 2)).toMatchObject({ leader: -1, isr: [1] });
  });

  it('refuses another incarnation while the old lease is alive, accepts it once lapsed', () => {
    const image = unfencedBrokers(1);
    const request = { brokerId: b(1), incarnationId: 'other', address: 'h9:9092', rack: null };
    expectCode(() => registerBroker(image, request, leaseAlive), 'DUPLICATE_BROKER_REGISTRATION', 'inc-1');
    const after = commit(image, registerBroker(image, request, leaseDead));
    expect(after.broker(b(1))).toMatchObject({ incarnationId: 'other', address: 'h9:9092', fenced: true });
  });

  it('refuses an empty incarnation id or address', () => {
    const image = MetadataImage.EMPTY;
    expectCode(
      () => registerBroker(image, { brokerId: b(1), incarnationId: '', address: 'h', rack: null }, leaseDead),
      'INVALID_REQUEST',
      'incarnation',
    );
    expectCode(
      () => registerBroker(image, { brokerId: b(1), incarnationId: 'i', address: '', rack: null }, leaseDead),
      'INVALID_REQUEST',
      'address',
    );
  });
});

describe('brokerHeartbeat', () => {
  it('keeps a broker fenced until it has replayed past its registration, then unfences it', () => {
    const image = commit(
      MetadataImage.EMPTY,
      registerBroker(
        MetadataImage.EMPTY,
        { brokerId: b(1), incarnationId: 'i', address: 'h', rack: null },
        leaseDead,
      ),
    );
    const behind = heartbeat(image, 1, { metadataOffset: -1 });
    expect(behind).toEqual({
      records: [],
      response: { fenced: true, caughtUp: false, shouldShutDown: false },
    });
    const caughtUp = heartbeat(image, 1, { metadataOffset: 0 });
    expect(caughtUp.response).toEqual({ fenced: false, caughtUp: true, shouldShutDown: false });
    expect(caughtUp.records).toEqual([{ type: 'UnfenceBroker', brokerId: 1, brokerEpoch: 0 }]);
    const after = commit(image, caughtUp);
    expect(after.unfencedBrokerIds()).toEqual([1]);
    expect(heartbeat(after, 1).records).toEqual([]);
  });

  it('brings offline partitions back when their last ISR member is unfenced', () => {
    const fenced = commit(withPartitions(), fenceBroker(withPartitions(), b(1)));
    expect(fenced.partition(TOPIC, 2)?.leader).toBe(-1);
    const result = heartbeat(fenced, 1);
    const after = commit(fenced, result);
    expect(after.partition(TOPIC, 2)).toMatchObject({ leader: 1, isr: [1], leaderEpoch: 2 });
    expect(after.partition(TOPIC, 3)).toMatchObject({ leader: 1, isr: [1] });
  });

  it('refuses unknown brokers and stale epochs', () => {
    const image = unfencedBrokers(1);
    expectCode(() => heartbeat(image, 7), 'UNKNOWN_BROKER', 'broker 7');
    const stale = {
      brokerId: b(1),
      brokerEpoch: brokerEpoch(5),
      metadataOffset: 0,
      wantFence: false,
      wantShutdown: false,
    };
    expectCode(() => brokerHeartbeat(image, stale), 'STALE_BROKER_EPOCH', 'sent epoch 5');
  });

  it('controlled shutdown moves leaderships to other ISR members and fences', () => {
    const image = withPartitions();
    const result = heartbeat(image, 1, { wantShutdown: true });
    expect(result.response).toEqual({ fenced: true, caughtUp: true, shouldShutDown: true });
    expect(result.records[0]).toMatchObject({ type: 'FenceBroker', brokerId: 1 });
    const after = commit(image, result);
    expect(after.partitionsLedBy(b(1))).toEqual([]);
    expect(after.partition(TOPIC, 0)).toMatchObject({
      leader: 2,
      isr: [2, 3],
      leaderEpoch: 1,
      partitionEpoch: 1,
    });
    expect(after.partition(TOPIC, 1)).toMatchObject({
      leader: 2,
      isr: [2, 3],
      leaderEpoch: 0,
      partitionEpoch: 1,
    });
    expect(after.broker(b(1))?.fenced).toBe(true);
  });

  it('fences an unfenced broker that asks for it', () => {
    const image = unfencedBrokers(2);
    const result = heartbeat(image, 2, { wantFence: true });
    expect(result.response.fenced).toBe(true);
    expect(commit(image, result).unfencedBrokerIds()).toEqual([1]);
  });
});

describe('fenceBroker', () => {
  it('moves leaderships inside the ISR, shrinks ISRs and leaves sole-ISR partitions offline', () => {
    const image = withPartitions();
    const result = fenceBroker(image, b(1));
    expect(result.response).toEqual({ leadersMoved: 1, partitionsOffline: 2 });
    const after = commit(image, result);
    expect(after.broker(b(1))?.fenced).toBe(true);
    // Led by 1: the preferred unfenced ISR member takes over with a new leader epoch.
    expect(after.partition(TOPIC, 0)).toMatchObject({
      leader: 2,
      isr: [2, 3],
      leaderEpoch: 1,
      partitionEpoch: 1,
    });
    // Followed by 1: it leaves the ISR; the leader keeps its epoch.
    expect(after.partition(TOPIC, 1)).toMatchObject({
      leader: 2,
      isr: [2, 3],
      leaderEpoch: 0,
      partitionEpoch: 1,
    });
    // Sole ISR member: no leader, ISR kept so the broker holding every committed record is known.
    expect(after.partition(TOPIC, 2)).toMatchObject({
      leader: -1,
      isr: [1],
      leaderEpoch: 1,
      partitionEpoch: 1,
    });
    // Broker 4 is an unfenced replica but not in the ISR: never elected (no unclean election).
    expect(after.partition(TOPIC, 3)).toMatchObject({ leader: -1, isr: [1], leaderEpoch: 1 });
  });

  it('skips fenced ISR members when electing', () => {
    let image = withPartitions();
    image = commit(image, fenceBroker(image, b(2)));
    image = commit(image, fenceBroker(image, b(1)));
    expect(image.partition(TOPIC, 0)).toMatchObject({ leader: 3, isr: [3] });
  });

  it('writes nothing for a fenced broker and refuses an unknown one', () => {
    const image = commit(withPartitions(), fenceBroker(withPartitions(), b(1)));
    expect(fenceBroker(image, b(1)).records).toEqual([]);
    expectCode(() => fenceBroker(image, b(42)), 'UNKNOWN_BROKER', '42');
  });
});

describe('random command sequences', () => {
  it('keep replay invariants and never leave a fenced broker leading', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.nat({ max: 99 }), { maxLength: 60 }), (seed, steps) => {
        const random = new SeededRandom(seed);
        let image = unfencedBrokers(5);
        let topics = 0;
        for (const step of steps) {
          const id = b(1 + (step % 5));
          const broker = image.broker(id);
          let result: ControlResult<unknown>;
          if (step < 20) {
            if (image.unfencedBrokerIds().length < 2) continue;
            const ctx = {
              random,
              nowMs: 0,
              newTopicId: () => `id-${topics}`,
              defaultReplicationFactor: 2,
              defaultPartitions: 4,
            };
            result = createTopic(image, { name: `t${topics++}` }, ctx);
          } else if (step < 45) result = fenceBroker(image, id);
          else if (step < 70 && broker !== undefined) result = heartbeat(image, id);
          else if (step < 80) result = heartbeat(image, id, { wantShutdown: true });
          else {
            const request = { brokerId: id, incarnationId: `inc-${step}`, address: 'h', rack: null };
            result = registerBroker(image, request, leaseDead);
          }
          image = commit(image, result);
          for (const topic of image.topicsById.values()) {
            for (const state of topic.partitions.values()) {
              if (state.leader === -1) continue;
              expect(image.broker(state.leader)?.fenced).toBe(false);
              expect(state.isr).toContain(state.leader);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('epochs', () => {
  it('grow across unregistration because they come from the metadata offset', () => {
    let image = unfencedBrokers(1);
    const first = image.broker(b(1))?.brokerEpoch ?? -1;
    image = replay(image, [{ type: 'UnregisterBroker', brokerId: b(1), brokerEpoch: brokerEpoch(first) }]);
    const result = registerBroker(
      image,
      { brokerId: b(1), incarnationId: 'x', address: 'h', rack: null },
      leaseDead,
    );
    expect(result.response.brokerEpoch).toBeGreaterThan(first);
    const ids: BrokerId[] = commit(image, result).brokerIds();
    expect(ids).toEqual([1]);
  });
});
