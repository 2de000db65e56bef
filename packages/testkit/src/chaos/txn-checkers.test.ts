/**
 * The transactional checkers on crafted histories: one clean history that passes every checker, and for each
 * checker a copy broken in exactly the way it looks for, which it must report (and the message must name
 * what is involved).
 *
 * The clean history: producer p1 commits T1 {v1→a-0@0, v2→b-0@0} and aborts T2 {v3→a-0@2, v4→a-1@0};
 * producer p2 commits T3 {v5→a-0@4, v6→a-1@2} (markers take the offsets in between). The pipeline reads a
 * and writes out: pipe#1.1 commits o1 (a-0@0) and o2 (a-0@4) with offset 6 on a-0, pipe#1.2 aborts o3
 * (a-1@2), then pipe#2.1 (a restart) commits o4 (a-1@2) with offset 3 on a-1.
 */
import { describe, expect, it } from 'vitest';
import type { OffsetValue } from './history.js';
import {
  checkAbortedReads,
  checkAllTxn,
  checkDuplicates,
  checkInconsistentOffsets,
  checkLostWrites,
  checkNonMonotonicPolls,
  checkNonMonotonicSends,
  checkPrecommittedReads,
  checkTornTransactions,
  checkWrongCommits,
  type TxnAnomaly,
  type TxnAnomalyKind,
  type TxnChecker,
} from './txn-checkers.js';
import {
  emptyTxnHistory,
  type PipelineInput,
  type TxnEvent,
  type TxnHistory,
  type TxnOutcome,
  type TxnPollEvent,
  type TxnWrite,
} from './txn-history.js';
import { checkExactlyOnce } from './txn-pipeline-checker.js';

type WriteSpec = readonly [value: string, tp: string, offset: number | undefined, input?: PipelineInput];

function write([value, tp, offset, input]: WriteSpec, sendIndex: number): TxnWrite {
  const dash = tp.lastIndexOf('-');
  return {
    topic: tp.slice(0, dash),
    partition: Number(tp.slice(dash + 1)),
    value,
    sendIndex,
    offset,
    ...(input === undefined ? {} : { input }),
  };
}

function txn(
  id: string,
  outcome: TxnOutcome,
  writes: readonly WriteSpec[],
  atMs: number,
  offsets?: ReadonlyMap<number, number>,
): TxnEvent {
  const [transactionalId = id, rest = '1.1'] = id.split('#');
  return {
    id,
    transactionalId,
    instance: Number(rest.split('.')[0]),
    intent: outcome === 'aborted' ? 'abort' : 'commit',
    outcome,
    writes: writes.map(write),
    beganAtMs: atMs,
    endRequestedAtMs: atMs + 5,
    endedAtMs: atMs + 6,
    ...(offsets === undefined ? {} : { offsets }),
  };
}

function rec(offset: number, value: string): OffsetValue {
  return { offset, value };
}

function poll(
  consumer: string,
  tp: string,
  records: readonly OffsetValue[],
  options: { atMs?: number; session?: number; from?: number; next?: number } = {},
): TxnPollEvent {
  const dash = tp.lastIndexOf('-');
  return {
    consumer,
    isolation: consumer.startsWith('rc') ? 'read_committed' : 'read_uncommitted',
    session: options.session ?? 1,
    topic: tp.slice(0, dash),
    partition: Number(tp.slice(dash + 1)),
    atMs: options.atMs ?? 100,
    records,
    ...(options.from === undefined ? {} : { fromOffset: options.from }),
    ...(options.next === undefined ? {} : { nextOffset: options.next }),
  };
}

const IN_A0_0: PipelineInput = { partition: 0, offset: 0, value: 'v1' };
const IN_A0_4: PipelineInput = { partition: 0, offset: 4, value: 'v5' };
const IN_A1_2: PipelineInput = { partition: 1, offset: 2, value: 'v6' };

function cleanHistory(): TxnHistory {
  const topics = new Map([
    ['a', 2],
    ['b', 1],
    ['out', 1],
  ]);
  const history = emptyTxnHistory(topics, { group: 'g', inputTopic: 'a', outputTopic: 'out' });
  history.transactions.push(
    txn(
      'p1#1.1',
      'committed',
      [
        ['v1', 'a-0', 0],
        ['v2', 'b-0', 0],
      ],
      10,
    ),
    txn(
      'p1#1.2',
      'aborted',
      [
        ['v3', 'a-0', 2],
        ['v4', 'a-1', 0],
      ],
      20,
    ),
    txn(
      'p2#1.1',
      'committed',
      [
        ['v5', 'a-0', 4],
        ['v6', 'a-1', 2],
      ],
      30,
    ),
    txn(
      'pipe#1.1',
      'committed',
      [
        ['o1', 'out-0', 0, IN_A0_0],
        ['o2', 'out-0', 1, IN_A0_4],
      ],
      40,
      new Map([[0, 6]]),
    ),
    txn('pipe#1.2', 'aborted', [['o3', 'out-0', 3, IN_A1_2]], 50),
    txn('pipe#2.1', 'committed', [['o4', 'out-0', 5, IN_A1_2]], 60, new Map([[1, 3]])),
  );
  history.polls.push(
    poll('rc-1', 'a-0', [rec(0, 'v1'), rec(4, 'v5')], { from: 0, next: 6 }),
    poll('rc-1', 'a-1', [rec(2, 'v6')], { from: 0, next: 4 }),
    poll('rc-1', 'b-0', [rec(0, 'v2')], { from: 0, next: 2 }),
    poll('ru-1', 'a-0', [rec(0, 'v1'), rec(2, 'v3')], { from: 0, next: 3 }),
    poll('ru-1', 'a-0', [rec(4, 'v5')], { from: 3, next: 5 }),
    poll('ru-1', 'a-1', [rec(0, 'v4'), rec(2, 'v6')]),
  );
  history.finalRead = {
    committed: new Map([
      ['a-0', [rec(0, 'v1'), rec(4, 'v5')]],
      ['a-1', [rec(2, 'v6')]],
      ['b-0', [rec(0, 'v2')]],
      ['out-0', [rec(0, 'o1'), rec(1, 'o2'), rec(5, 'o4')]],
    ]),
    uncommitted: new Map([
      ['a-0', [rec(0, 'v1'), rec(2, 'v3'), rec(4, 'v5')]],
      ['a-1', [rec(0, 'v4'), rec(2, 'v6')]],
      ['b-0', [rec(0, 'v2')]],
      ['out-0', [rec(0, 'o1'), rec(1, 'o2'), rec(3, 'o3'), rec(5, 'o4')]],
    ]),
  };
  history.finalGroupOffsets = new Map([
    [0, 6],
    [1, 3],
  ]);
  return history;
}

/** The history's final read with one topic-partition's contents replaced. */
function withFinal(
  history: TxnHistory,
  isolation: 'committed' | 'uncommitted',
  tp: string,
  records: readonly OffsetValue[],
): TxnHistory {
  const final = history.finalRead;
  if (final === undefined) throw new Error('the clean history has a final read');
  const changed = new Map(final[isolation]);
  changed.set(tp, records);
  history.finalRead = { ...final, [isolation]: changed };
  return history;
}

function expectFound(
  checker: TxnChecker,
  history: TxnHistory,
  kind: TxnAnomalyKind,
  mentions: string,
): TxnAnomaly[] {
  const found = checker(history);
  expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
  for (const anomaly of found) expect(anomaly.kind).toBe(kind);
  expect(found.map((a) => [a.message, ...a.records].join('\n')).join('\n')).toContain(mentions);
  return found;
}

describe('transactional checkers', () => {
  it('find nothing in the clean history', () => {
    expect(checkAllTxn(cleanHistory())).toEqual([]);
  });

  it('aborted read (G1a): a read_committed poll returns an aborted transaction record', () => {
    const history = cleanHistory();
    history.polls.push(poll('rc-2', 'a-0', [rec(2, 'v3')]));
    expectFound(checkAbortedReads, history, 'aborted-read', 'p1#1.2');
    // The same record read under read_uncommitted is fine: aborted data is visible there.
    expect(checkAbortedReads(cleanHistory())).toEqual([]);
  });

  it('lost write: a committed record missing from the final log', () => {
    const history = withFinal(cleanHistory(), 'uncommitted', 'a-1', [rec(0, 'v4')]);
    expectFound(checkLostWrites, history, 'lost-write', 'committed v6 (a-1@2) is not in the final log');
  });

  it('lost write: a read_committed session passes a committed record without returning it', () => {
    const history = cleanHistory();
    // Read a-1 from 0 to 4 (a marker at 3 ends it) and got nothing: v6 at 2 was skipped.
    history.polls.push(poll('rc-2', 'a-1', [], { from: 0, next: 4 }));
    expectFound(checkLostWrites, history, 'lost-write', 'rc-2 read past committed v6 (a-1@2)');
  });

  it('duplicate: one value at two offsets', () => {
    const history = cleanHistory();
    history.polls.push(poll('ru-2', 'a-0', [rec(7, 'v5')]));
    expectFound(checkDuplicates, history, 'duplicate', 'v5 is at a-0@4 and at a-0@7');
  });

  it('inconsistent offsets: two values at one offset across consumers', () => {
    const history = cleanHistory();
    history.polls.push(poll('ru-2', 'b-0', [rec(0, 'v9')]));
    expectFound(checkInconsistentOffsets, history, 'inconsistent-offsets', 'b-0@0 holds v2 and v9');
  });

  it('non-monotonic poll: offsets going backwards within a session (not across sessions)', () => {
    const history = cleanHistory();
    history.polls.push(poll('ru-1', 'a-0', [rec(2, 'v3')], { session: 2 }));
    expect(checkNonMonotonicPolls(history)).toEqual([]);
    history.polls.push(poll('ru-1', 'a-0', [rec(0, 'v1')], { session: 2 }));
    expectFound(checkNonMonotonicPolls, history, 'nonmonotonic-poll', 'read a-0@0 after @2');
  });

  it("non-monotonic send: a producer's later committed send got a lower offset", () => {
    const history = cleanHistory();
    history.transactions.push(txn('p1#2.1', 'committed', [['v7', 'b-0', 0]], 70));
    expectFound(checkNonMonotonicSends, history, 'nonmonotonic-send', 'p1/b-0: v7 sent after v2');
  });

  it('torn transaction: the final log shows part of a committed transaction', () => {
    const history = withFinal(cleanHistory(), 'committed', 'a-1', []);
    expectFound(checkTornTransactions, history, 'torn-transaction', 'p2#1.1 (committed)');
  });

  it('torn transaction: an aborted transaction committed in one partition and aborted in the other', () => {
    const history = withFinal(cleanHistory(), 'committed', 'a-1', [rec(0, 'v4'), rec(2, 'v6')]);
    expectFound(checkTornTransactions, history, 'torn-transaction', 'p1#1.2 (aborted)');
  });

  it('torn transaction: a read_committed consumer reads past all of a committed transaction and sees part', () => {
    const history = cleanHistory();
    history.polls.push(
      poll('rc-2', 'a-0', [rec(4, 'v5')], { from: 3, next: 6 }),
      poll('rc-2', 'a-1', [], { from: 1, next: 4 }),
    );
    expectFound(checkTornTransactions, history, 'torn-transaction', 'rc-2 read past all of committed p2#1.1');
  });

  it('pre-committed read: read_committed returns a record before its commit was requested', () => {
    const history = cleanHistory();
    history.polls.push(poll('rc-2', 'b-0', [rec(0, 'v2')], { atMs: 12 }));
    expectFound(checkPrecommittedReads, history, 'precommitted-read', "before p1#1.1's commit");
  });

  it('wrong commit: an aborted transaction visible, or a committed one hidden, in the final log', () => {
    const aborted = withFinal(cleanHistory(), 'committed', 'out-0', [
      rec(0, 'o1'),
      rec(1, 'o2'),
      rec(3, 'o3'),
      rec(5, 'o4'),
    ]);
    expectFound(checkWrongCommits, aborted, 'wrong-commit', 'pipe#1.2 was aborted');
    const hidden = withFinal(cleanHistory(), 'committed', 'b-0', []);
    withFinal(hidden, 'committed', 'a-0', [rec(4, 'v5')]);
    expectFound(checkWrongCommits, hidden, 'wrong-commit', 'p1#1.1 was committed');
  });

  it('indeterminate transactions may go either way, but not part-way', () => {
    const history = cleanHistory();
    const t3 = history.transactions[2];
    if (t3 === undefined) throw new Error('T3 is in the clean history');
    history.transactions[2] = { ...t3, outcome: 'indeterminate' };
    expect(checkAllTxn(history)).toEqual([]);
    withFinal(history, 'committed', 'a-0', [rec(0, 'v1')]);
    withFinal(history, 'committed', 'a-1', []);
    // All of T3 invisible: a legal abort.
    expect(checkWrongCommits(history)).toEqual([]);
    expect(checkTornTransactions(history)).toEqual([]);
  });
});

describe('the exactly-once pipeline checker', () => {
  it('eos-lost: an input below the committed offset without output', () => {
    const history = withFinal(cleanHistory(), 'committed', 'out-0', [rec(0, 'o1'), rec(1, 'o2')]);
    expectFound(checkExactlyOnce, history, 'eos-lost', 'input v6 (a-1@2)');
  });

  it('eos-duplicate: an input with two committed outputs (a retry after a commit that had landed)', () => {
    const history = cleanHistory();
    const t = txn('pipe#2.2', 'committed', [['o5', 'out-0', 7, IN_A0_0]], 70, new Map([[0, 6]]));
    history.transactions.push(t);
    const out = history.finalRead?.committed.get('out-0') ?? [];
    withFinal(history, 'committed', 'out-0', [...out, rec(7, 'o5')]);
    expectFound(checkExactlyOnce, history, 'eos-duplicate', 'input v1 (a-0@0) has 2 committed outputs');
  });

  it('eos-offset-mismatch: outputs committed while the offsets were not', () => {
    const history = cleanHistory();
    history.finalGroupOffsets = new Map([
      [0, 6],
      [1, 0],
    ]);
    const found = checkExactlyOnce(history);
    expect(found.map((a) => a.kind).sort()).toEqual(['eos-incomplete', 'eos-offset-mismatch']);
    expect(found.map((a) => a.message).join('\n')).toContain('output o4 at out-0@5 is committed');
  });

  it('eos-foreign: an output of an input that is not a committed record (an aborted one)', () => {
    const history = cleanHistory();
    const aborted: PipelineInput = { partition: 0, offset: 2, value: 'v3' };
    history.transactions.push(txn('pipe#2.2', 'committed', [['o6', 'out-0', 7, aborted]], 70));
    const out = history.finalRead?.committed.get('out-0') ?? [];
    withFinal(history, 'committed', 'out-0', [...out, rec(7, 'o6')]);
    expectFound(checkExactlyOnce, history, 'eos-foreign', 'processed v3 from a-0@2');
  });

  it('eos-incomplete: committed inputs the pipeline never processed', () => {
    const history = cleanHistory();
    history.finalGroupOffsets = new Map([[0, 6]]);
    withFinal(history, 'committed', 'out-0', [rec(0, 'o1'), rec(1, 'o2')]);
    expectFound(checkExactlyOnce, history, 'eos-incomplete', '1 committed inputs of a-1');
  });
});
