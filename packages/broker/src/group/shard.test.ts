import { describe, expect, it } from 'vitest';
import { CoordinatorShard } from './shard.js';

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
    );
    expect(shard.listings()).toEqual([
      { groupId: 'idle', state: 'Empty', members: 0 },
      { groupId: 'live', state: 'Stable', members: 1 },
    ]);
  });

  it('sweeps timed-out members and forgets groups with nothing left', () => {
    const shard = new CoordinatorShard(0, 1, 45_000);
    shard.groupForJoin('g').heartbeat(join('m'), new Map([['t', 2]]), 0);
    expect(shard.sweep(500)).toEqual([]);
    expect(shard.sweep(1_001)).toEqual([{ groupId: 'g', removed: ['m'] }]);
    expect(shard.listings()).toEqual([]);
  });
});
