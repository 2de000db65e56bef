import { describe, expect, it } from 'vitest';
import { CoordinatorShard } from './shard.js';
import { TEST_CONFIG } from './testing/classic-harness.js';

const join = (memberId: string) => ({
  memberId,
  memberEpoch: 0,
  clientId: 'c',
  subscribedTopics: ['t'],
  assignor: '',
  rebalanceTimeoutMs: 0,
  sessionTimeoutMs: 1_000,
  ownedPartitions: [],
});

describe('CoordinatorShard', () => {
  it('lists groups with members and Empty groups that only have offsets', () => {
    const shard = new CoordinatorShard(0, 1, 45_000);
    shard.groupForJoin('live').heartbeat(join('m'), new Map([['t', 2]]), 0);
    shard.offsets.apply(
      { group: 'idle', topic: 't', partition: 0 },
      { offset: 1, leaderEpoch: -1, metadata: '', commitTimestampMs: 0 },
      { recordOffset: 0, producerId: null },
    );
    expect(shard.listings()).toEqual([
      { groupId: 'idle', state: 'Empty', members: 0, protocolType: '', groupType: 'classic' },
      { groupId: 'live', state: 'Stable', members: 1, protocolType: 'consumer', groupType: 'consumer' },
    ]);
  });

  it('sweeps timed-out members and forgets groups with nothing left', () => {
    const shard = new CoordinatorShard(0, 1, 45_000);
    shard.groupForJoin('g').heartbeat(join('m'), new Map([['t', 2]]), 0);
    expect(shard.sweep(500)).toEqual([]);
    expect(shard.sweep(1_001)).toEqual([{ groupId: 'g', removed: ['m'] }]);
    expect(shard.listings()).toEqual([]);
  });

  it('serves a group id with one protocol at a time; an empty group goes to either', () => {
    const shard = new CoordinatorShard(0, 1, 45_000);
    shard.groupForJoin('g').heartbeat(join('m'), new Map([['t', 2]]), 0);
    expect(() => shard.classicGroupForJoin('g', TEST_CONFIG)).toThrow(
      expect.objectContaining({ code: 'INCONSISTENT_GROUP_PROTOCOL' }),
    );
    shard.groupForJoin('g').heartbeat({ ...join('m'), memberEpoch: -1 }, new Map(), 0);
    const classic = shard.classicGroupForJoin('g', TEST_CONFIG);
    expect(shard.groups.has('g')).toBe(false);
    const request = {
      groupId: 'g',
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      clientId: 'c',
      clientHost: 'h',
      requireKnownMemberId: false,
      newMemberId: 'c-1',
    };
    classic.join(request, 1, 0);
    expect(shard.listings()).toEqual([
      {
        groupId: 'g',
        state: 'PreparingRebalance',
        members: 1,
        protocolType: 'consumer',
        groupType: 'classic',
      },
    ]);
    expect(() => shard.groupForJoin('g')).toThrow(
      expect.objectContaining({ code: 'INCONSISTENT_GROUP_PROTOCOL' }),
    );
    expect(shard.hasMembers('g')).toBe(true);
  });
});
