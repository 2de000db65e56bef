import { brokerEpoch, brokerId, leaderEpoch, partitionEpoch } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { sharedBrokerIds } from './broker-id-lists.js';
import { decodeRecord, encodeRecord } from './codec.js';
import { MetadataDelta } from './delta.js';
import { MetadataImage } from './image.js';
import type { MetadataRecord } from './records.js';

const ids = (...values: number[]) => values.map(brokerId);

describe('shared broker id lists', () => {
  it('equal lists (same ids, same order) are one frozen array; other orders are other arrays', () => {
    const first = sharedBrokerIds(ids(1, 2, 3));
    expect(sharedBrokerIds(ids(1, 2, 3))).toBe(first);
    expect(first).toEqual(ids(1, 2, 3));
    expect(Object.isFrozen(first)).toBe(true);
    expect(sharedBrokerIds(ids(2, 1, 3))).not.toBe(first);
    expect(sharedBrokerIds(ids(1, 2))).not.toBe(first);
  });

  it('partition states replayed from decoded records share their broker id lists', () => {
    const topicId = 'shared-topic';
    const records: MetadataRecord[] = [
      ...[1, 2, 3].map(
        (id): MetadataRecord => ({
          type: 'RegisterBroker',
          brokerId: brokerId(id),
          brokerEpoch: brokerEpoch(id),
          incarnationId: `inc-${id}`,
          address: `host${id}:9092`,
          rack: null,
          fenced: false,
        }),
      ),
      { type: 'Topic', topicId, name: 'shared' },
    ];
    for (let partition = 0; partition < 4; partition++) {
      records.push({
        type: 'Partition',
        topicId,
        partition,
        replicas: ids(1, 2, 3),
        isr: ids(1, 2, 3),
        leader: brokerId(1),
        leaderEpoch: leaderEpoch(0),
        partitionEpoch: partitionEpoch(0),
      });
    }
    const delta = new MetadataDelta(MetadataImage.EMPTY);
    // Through the codec, as on a standby or a broker: every record brings its own arrays and strings.
    for (const record of records) delta.replay(decodeRecord(encodeRecord(record)), 1);
    const states = [...(delta.apply().topicById(topicId)?.partitions.values() ?? [])];
    expect(states).toHaveLength(4);
    for (const state of states) {
      expect(state.replicas).toBe(states[0]?.replicas);
      expect(state.isr).toBe(states[0]?.replicas);
      expect(state.replicas).toEqual(ids(1, 2, 3));
    }
  });
});
