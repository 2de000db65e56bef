import { describe, expect, it } from 'vitest';
import { OwnedPartitions } from './owned-partitions.js';
import {
  commitAction,
  flattenPartitions,
  groupPartitions,
  heartbeatAction,
  offsetsToCommit,
  partitionKey,
  reconcile,
  resolveSubscription,
  startPosition,
  type TopicPartition,
} from './reconcile.js';

const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });

describe('reconcile (pure)', () => {
  it('starts what is newly assigned and revokes what is owned but missing', () => {
    const owned = [tp('a', 0), tp('a', 1), tp('b', 0)];
    const assignment = [tp('a', 1), tp('b', 0), tp('b', 1), tp('a', 2)];
    expect(reconcile(owned, assignment)).toEqual({
      toStart: [tp('a', 2), tp('b', 1)],
      toRevoke: [tp('a', 0)],
    });
  });

  it('an empty assignment revokes everything; the same assignment changes nothing', () => {
    const owned = [tp('a', 0), tp('a', 1)];
    expect(reconcile(owned, [])).toEqual({ toStart: [], toRevoke: owned });
    expect(reconcile(owned, [...owned].reverse())).toEqual({ toStart: [], toRevoke: [] });
  });

  it('does not revoke twice a partition whose revocation is under way, nor start it again', () => {
    const owned = [tp('a', 0), tp('a', 1)];
    const revoking = new Set([partitionKey(tp('a', 0))]);
    expect(reconcile(owned, [tp('a', 1)], revoking)).toEqual({ toStart: [], toRevoke: [] });
    // Assigned back while still being revoked: it stays owned (not started twice) and goes on revoking.
    expect(reconcile(owned, owned, revoking)).toEqual({ toStart: [], toRevoke: [] });
  });

  it('converts between the wire shape and flat partitions, deduplicated and sorted', () => {
    const flat = flattenPartitions([
      { topic: 'b', partitions: [1, 0] },
      { topic: 'a', partitions: [3, 3] },
    ]);
    expect(flat).toEqual([tp('a', 3), tp('b', 0), tp('b', 1)]);
    expect(groupPartitions([tp('b', 1), tp('a', 3), tp('b', 0)])).toEqual([
      { topic: 'a', partitions: [3] },
      { topic: 'b', partitions: [0, 1] },
    ]);
    // Topic names may contain any character but NUL, which separates the key.
    expect(partitionKey(tp('x:1', 2))).not.toBe(partitionKey(tp('x', 12)));
  });
});

describe('error actions (pure)', () => {
  it('maps heartbeat errors to rejoin, re-find, retry or stop', () => {
    expect(heartbeatAction('UNKNOWN_MEMBER_ID', false)).toBe('rejoin');
    expect(heartbeatAction('FENCED_MEMBER_EPOCH', false)).toBe('rejoin');
    expect(heartbeatAction('NOT_COORDINATOR', true)).toBe('find-coordinator');
    expect(heartbeatAction('COORDINATOR_NOT_AVAILABLE', true)).toBe('find-coordinator');
    expect(heartbeatAction('COORDINATOR_LOAD_IN_PROGRESS', true)).toBe('find-coordinator');
    expect(heartbeatAction('LEADER_NOT_AVAILABLE', true)).toBe('find-coordinator');
    expect(heartbeatAction('RESOURCE_EXHAUSTED', true)).toBe('retry');
    expect(heartbeatAction('INCONSISTENT_GROUP_PROTOCOL', false)).toBe('fatal');
    expect(heartbeatAction('INVALID_GROUP_ID', false)).toBe('fatal');
  });

  it('maps commit errors: stale epoch retries with the new epoch, a fenced member never commits', () => {
    expect(commitAction('STALE_MEMBER_EPOCH', true)).toBe('retry-new-epoch');
    expect(commitAction('NOT_COORDINATOR', true)).toBe('find-coordinator');
    expect(commitAction('FENCED_MEMBER_EPOCH', false)).toBe('fail');
    expect(commitAction('UNKNOWN_MEMBER_ID', false)).toBe('fail');
    expect(commitAction('GROUP_NOT_EMPTY', false)).toBe('fail');
    expect(commitAction('RESOURCE_EXHAUSTED', true)).toBe('retry');
  });
});

describe('subscription and start positions (pure)', () => {
  it('takes a list as given and matches a regex against non-internal topics', () => {
    expect(resolveSubscription(['b', 'a', 'b'], [])).toEqual(['a', 'b']);
    const cluster = ['orders-eu', 'orders-us', 'payments', '__consumer_offsets', '__orders-internal'];
    expect(resolveSubscription(/^orders-/, cluster)).toEqual(['orders-eu', 'orders-us']);
    expect(resolveSubscription(/orders/g, cluster)).toEqual(['orders-eu', 'orders-us']);
    expect(resolveSubscription(/nothing/, cluster)).toEqual([]);
  });

  it('starts at the committed offset, else earliest or latest (auto.offset.reset)', () => {
    expect(startPosition(42, false)).toEqual({ kind: 'committed', offset: 42 });
    expect(startPosition(0, false)).toEqual({ kind: 'committed', offset: 0 });
    expect(startPosition(-1, true)).toEqual({ kind: 'reset', to: 'earliest' });
    expect(startPosition(undefined, false)).toEqual({ kind: 'reset', to: 'latest' });
  });

  it('commits only processed offsets that differ from the committed ones', () => {
    const processed = new Map([
      [partitionKey(tp('a', 0)), { tp: tp('a', 0), offset: 10 }],
      [partitionKey(tp('a', 1)), { tp: tp('a', 1), offset: 5 }],
    ]);
    const committed = new Map([[partitionKey(tp('a', 1)), 5]]);
    expect(offsetsToCommit(processed, committed)).toEqual([{ topic: 'a', partition: 0, offset: 10 }]);
    expect(offsetsToCommit(processed, new Map([...committed, [partitionKey(tp('a', 0)), 10]]))).toEqual([]);
  });
});

describe('OwnedPartitions', () => {
  it('pauses whole topics or single partitions and resumes them', () => {
    const owned = new OwnedPartitions();
    for (const p of [tp('a', 0), tp('a', 1), tp('b', 0)]) owned.add(p).position = 0;
    owned.pause([{ topic: 'a' }, { topic: 'b', partitions: [0] }]);
    expect(owned.fetchable()).toEqual([]);
    owned.resume([{ topic: 'a', partitions: [1] }]);
    expect(owned.fetchable().map((s) => s.tp)).toEqual([]);
    owned.resume([{ topic: 'a' }]);
    expect(owned.fetchable().map((s) => s.tp)).toEqual([tp('a', 0), tp('a', 1)]);
    owned.resume([{ topic: 'b' }]);
    expect(owned.fetchable()).toHaveLength(3);
  });

  it('applies a seek now, or when the partition is assigned later; rejects bad offsets', () => {
    const owned = new OwnedPartitions();
    const state = owned.add(tp('a', 0));
    owned.seek(tp('a', 0), 7);
    expect(state.position).toBe(7);
    expect(state.generation).toBe(1);
    owned.seek(tp('a', 1), 3);
    expect(owned.add(tp('a', 1)).position).toBe(3);
    expect(() => owned.seek(tp('a', 0), -1)).toThrow(/not valid/);
  });

  it('knows which entry is current after removal and re-adding', () => {
    const owned = new OwnedPartitions();
    const first = owned.add(tp('a', 0));
    owned.remove(first);
    const second = owned.add(tp('a', 0));
    expect(owned.isCurrent(first)).toBe(false);
    expect(owned.isCurrent(second)).toBe(true);
    expect(() => owned.add(tp('a', 0))).toThrow(/already owned/);
  });
});
