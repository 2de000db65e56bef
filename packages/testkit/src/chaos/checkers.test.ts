/**
 * Each checker on a crafted history: one with exactly its anomaly (found, and the message names the records)
 * and a clean one (nothing found). The clean history is shared and also passes every checker at once.
 */
import { describe, expect, it } from 'vitest';
import {
  type Anomaly,
  type Checker,
  checkAll,
  checkCommitsMonotonic,
  checkConsumerOffsets,
  checkDuplicates,
  checkFailedWritesSeen,
  checkLostWrites,
  checkMetadataMonotonic,
  checkOffsetConflicts,
  checkOneLeaderPerEpoch,
  checkReadsInFinalLog,
} from './checkers.js';
import {
  type CommitEvent,
  emptyHistory,
  type History,
  type MetadataEvent,
  type OffsetValue,
  type PollEvent,
  type SendEvent,
} from './history.js';

function acked(value: string, partition: number, offset: number, atMs = 1): SendEvent {
  return {
    worker: 1,
    value,
    partition,
    sentAtMs: atMs,
    endedAtMs: atMs + 1,
    outcome: { type: 'acked', offset },
  };
}

function failed(value: string, partition: number, code: string, definite: boolean): SendEvent {
  return {
    worker: 1,
    value,
    partition,
    sentAtMs: 1,
    endedAtMs: 2,
    outcome: { type: 'failed', definite, code },
  };
}

function records(from: number, values: readonly string[]): OffsetValue[] {
  return values.map((value, index) => ({ offset: from + index, value }));
}

function poll(
  consumer: string,
  partition: number,
  list: readonly OffsetValue[],
  atMs: number,
  session = 1,
): PollEvent {
  const last = list[list.length - 1]?.offset ?? 0;
  return { consumer, session, partition, atMs, records: list, highWatermark: last + 1 };
}

function commit(offset: number, sentAtMs: number, endedAtMs: number, acknowledged = true): CommitEvent {
  return {
    consumer: 'c1',
    group: 'g',
    partition: 0,
    offset,
    sentAtMs,
    endedAtMs,
    acked: acknowledged,
    ...(acknowledged ? {} : { code: 'REQUEST_TIMED_OUT' }),
  };
}

function metadata(
  observer: string,
  atMs: number,
  leaderEpoch: number,
  brokerEpoch: number,
  leader = 1,
): MetadataEvent {
  return {
    observer,
    atMs,
    partitions: [{ partition: 0, leader, leaderEpoch, partitionEpoch: leaderEpoch + 1 }],
    brokerEpochs: [{ brokerId: 1, brokerEpoch }],
  };
}

/** Two partitions, three acked sends, one ambiguous failure that made it, one definite failure that did not. */
function cleanHistory(): History {
  const history = emptyHistory('t', 2);
  history.sends.push(
    acked('w1-0', 0, 0),
    acked('w1-1', 0, 1),
    acked('w1-2', 1, 0),
    failed('w1-3', 0, 'REQUEST_TIMED_OUT', false),
    failed('w1-4', 1, 'INVALID_REQUEST', true),
  );
  history.finalRead = new Map([
    [0, records(0, ['w1-0', 'w1-1', 'w1-3'])],
    [1, records(0, ['w1-2'])],
  ]);
  history.polls.push(
    poll('c1', 0, records(0, ['w1-0']), 10),
    poll('c1', 0, [], 11),
    poll('c1', 0, records(1, ['w1-1', 'w1-3']), 12),
    // A new session may start anywhere (here: again at the beginning, after a rebalance).
    poll('c1', 0, records(0, ['w1-0']), 13, 2),
    poll('c2', 1, records(0, ['w1-2']), 14),
  );
  history.commits.push(
    commit(1, 20, 21),
    commit(3, 22, 23),
    // Concurrent with the one above (sent before it was acknowledged): may land in either order.
    commit(2, 22.5, 24),
    commit(0, 25, 30, false),
  );
  history.metadata.push(metadata('broker 1', 1, 3, 10), metadata('broker 1', 2, 4, 10));
  history.metadata.push(metadata('broker 2', 1, 5, 11), metadata('broker 2', 2, 5, 11));
  // A new leader in a new epoch, and no leader at all in an old one: both fine.
  history.metadata.push(metadata('broker 3', 1, 6, 11, 2), metadata('broker 3', 0.5, 3, 11, -1));
  return history;
}

function expectOne(anomalies: readonly Anomaly[], kind: string, ...named: string[]): void {
  expect(anomalies).toHaveLength(1);
  const [anomaly] = anomalies;
  expect(anomaly?.kind).toBe(kind);
  for (const name of named) expect(`${anomaly?.message}\n${anomaly?.records.join('\n')}`).toContain(name);
}

describe('checkers on a clean history', () => {
  const cases: [string, Checker][] = [
    ['lost writes', checkLostWrites],
    ['duplicates', checkDuplicates],
    ['failed writes seen', checkFailedWritesSeen],
    ['consumer offsets', checkConsumerOffsets],
    ['offset conflicts', checkOffsetConflicts],
    ['reads in the final log', checkReadsInFinalLog],
    ['commits', checkCommitsMonotonic],
    ['metadata', checkMetadataMonotonic],
    ['one leader per epoch', checkOneLeaderPerEpoch],
  ];
  it.each(cases)('%s: nothing found', (_name, checker) => {
    expect(checker(cleanHistory())).toEqual([]);
  });
  it('all together: nothing found', () => {
    expect(checkAll(cleanHistory())).toEqual([]);
  });
});

describe('checkers on a history with their anomaly', () => {
  it('lost writes: an acknowledged send missing from the final log', () => {
    const history = cleanHistory();
    history.sends.push(acked('w2-9', 1, 1));
    expectOne(checkLostWrites(history), 'lost-write', 'w2-9', 'p1@1');
  });

  it('lost writes: an acknowledged send at another offset than acknowledged', () => {
    const history = cleanHistory();
    history.sends.push(acked('w2-9', 1, 5));
    history.finalRead = new Map([...(history.finalRead ?? []), [1, records(0, ['w1-2', 'w2-9'])]]);
    expectOne(checkLostWrites(history), 'moved-write', 'w2-9', 'p1@5', 'p1@1');
  });

  it('duplicates: a value twice in the final log', () => {
    const history = cleanHistory();
    history.finalRead = new Map([...(history.finalRead ?? []), [1, records(0, ['w1-2', 'w1-1'])]]);
    expectOne(checkDuplicates(history), 'duplicate', 'w1-1', 'p0@1', 'p1@1');
  });

  it('failed writes seen: a definitely failed value read by a consumer', () => {
    const history = cleanHistory();
    history.polls.push(poll('c2', 1, records(1, ['w1-4']), 15));
    expectOne(checkFailedWritesSeen(history), 'failed-write-seen', 'w1-4', 'INVALID_REQUEST', 'c2');
  });

  it('consumer offsets: a poll that goes backwards within a session', () => {
    const history = cleanHistory();
    history.polls.push(poll('c1', 0, records(1, ['w1-1']), 16));
    expectOne(checkConsumerOffsets(history), 'offset-backwards', 'c1', 'p0@1', '@2');
  });

  it('consumer offsets: a poll that skips an offset within a session', () => {
    const history = cleanHistory();
    history.polls.push(poll('c2', 1, records(2, ['w9-9']), 16));
    expectOne(checkConsumerOffsets(history), 'offset-skip', 'c2', 'p1@2', '@0');
  });

  it('offset conflicts: two records at one offset', () => {
    const history = cleanHistory();
    history.polls.push(poll('c2', 0, records(1, ['w7-7']), 16, 5));
    expectOne(checkOffsetConflicts(history), 'offset-conflict', 'p0@1', 'w1-1', 'w7-7');
  });

  it('reads in the final log: a consumer read a record later truncated', () => {
    const history = cleanHistory();
    history.polls.push(poll('c2', 1, records(1, ['w3-3']), 16));
    expectOne(checkReadsInFinalLog(history), 'read-not-in-log', 'w3-3', 'p1@1', 'nothing');
  });

  it('reads in the final log: a poll returning records at or above its own high watermark', () => {
    const history = cleanHistory();
    history.polls.push({ ...poll('c2', 1, records(1, ['w9-1']), 16, 3), highWatermark: 1 });
    const anomalies = checkReadsInFinalLog(history);
    expect(anomalies.map((a) => a.kind)).toEqual(['read-past-high-watermark', 'read-not-in-log']);
    expect(anomalies[0]?.message).toBe('c2 got p1@1 with high watermark 1');
  });

  it('commits: an acknowledged commit below one acknowledged before it was sent', () => {
    const history = cleanHistory();
    history.commits.push(commit(2, 31, 32));
    expectOne(checkCommitsMonotonic(history), 'commit-backwards', 'offset 3', 'offset 2');
  });

  it('commits: an explicit reset allows going back, and only after it', () => {
    const history = cleanHistory();
    history.commits.push(commit(1, 40, 41));
    history.resets.push({ group: 'g', partition: 0, atMs: 35 });
    expect(checkCommitsMonotonic(history)).toEqual([]);
    history.commits.push(commit(0, 50, 51));
    expectOne(checkCommitsMonotonic(history), 'commit-backwards', 'offset 1', 'offset 0');
  });

  it('metadata: a leader epoch that goes backwards for one observer', () => {
    const history = cleanHistory();
    history.metadata.push(metadata('broker 1', 3, 2, 10));
    const anomalies = checkMetadataMonotonic(history);
    // The partition epoch moves with the leader epoch in this crafted history: two anomalies, one event.
    expect(anomalies.map((a) => a.message)).toEqual([
      'broker 1: p0 leader epoch went from 4 to 2',
      'broker 1: p0 partition epoch went from 5 to 3',
    ]);
  });

  it('one leader per epoch: two observers name different leaders for one leader epoch', () => {
    const history = cleanHistory();
    history.metadata.push(metadata('broker 3', 5, 6, 11, 3));
    expectOne(checkOneLeaderPerEpoch(history), 'leader-conflict', 'p0 leader epoch 6', 'leaders 2 and 3');
  });

  it('metadata: a broker epoch that goes backwards for one observer', () => {
    const history = cleanHistory();
    history.metadata.push(metadata('broker 2', 3, 5, 9));
    expectOne(checkMetadataMonotonic(history), 'metadata-backwards', 'broker 1 epoch', '11', '9');
  });
});
