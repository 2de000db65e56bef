/**
 * Checkers of the transactional workload (issue 14), after Jepsen's Kafka workload (jepsen.tests.kafka) and its
 * Bufstream and Redpanda analyses: aborted read (G1a), lost write, duplicate, non-monotonic poll and send,
 * inconsistent offsets, torn transactions, pre-committed reads and wrong commits. Pure functions over a
 * TxnHistory; the read-process-write pipeline's exactly-once checker is in txn-pipeline-checker.ts.
 *
 * "Aborted" is what the workload observed (txn-history.ts's TxnOutcome): an indeterminate transaction may have
 * gone either way and only has to be all-or-nothing.
 */
import type { OffsetValue } from './history.js';
import {
  describeTxn,
  describeTxnPoll,
  type Isolation,
  type PartitionContents,
  type TxnHistory,
  type TxnWrite,
  tpKey,
} from './txn-history.js';
import {
  describeSpan,
  offsetOfWrite,
  offsetsByValue,
  sessionSpans,
  type WriteOf,
  writesByValue,
} from './txn-index.js';
import { checkExactlyOnce } from './txn-pipeline-checker.js';

export type TxnAnomalyKind =
  | 'aborted-read'
  | 'lost-write'
  | 'duplicate'
  | 'nonmonotonic-poll'
  | 'nonmonotonic-send'
  | 'inconsistent-offsets'
  | 'torn-transaction'
  | 'precommitted-read'
  | 'wrong-commit'
  | 'eos-lost'
  | 'eos-duplicate'
  | 'eos-foreign'
  | 'eos-offset-mismatch'
  | 'eos-incomplete'
  /** Not from a checker: the nemesis found a process crashed or unable to come back after a heal. */
  | 'process-problem';

export interface TxnAnomaly {
  readonly kind: TxnAnomalyKind;
  readonly message: string;
  /** The events involved, one per line. */
  readonly records: readonly string[];
}

export type TxnChecker = (history: TxnHistory) => TxnAnomaly[];

const NO_CONTENTS: PartitionContents = new Map();

function where(write: TxnWrite, offset: number | undefined): string {
  return `${tpKey(write.topic, write.partition)}@${offset ?? '?'}`;
}

/** G1a: a read_committed poll returned a record of a transaction the workload saw aborted. */
export const checkAbortedReads: TxnChecker = (history) => {
  const writes = writesByValue(history);
  const anomalies: TxnAnomaly[] = [];
  for (const poll of history.polls) {
    if (poll.isolation !== 'read_committed') continue;
    for (const record of poll.records) {
      const of = writes.get(record.value);
      if (of === undefined || of.txn.outcome !== 'aborted') continue;
      anomalies.push({
        kind: 'aborted-read',
        message: `${poll.consumer} read ${record.value} at ${tpKey(poll.topic, poll.partition)}@${record.offset} under read_committed; its transaction ${of.txn.id} was aborted`,
        records: [describeTxnPoll(poll), describeTxn(of.txn)],
      });
    }
  }
  return anomalies;
};

/**
 * A committed transaction's record must be in the final log, and no read_committed consumer session may
 * read past its offset without returning it (Jepsen's lost-write and poll-skip).
 */
export const checkLostWrites: TxnChecker = (history) => {
  const raw = history.finalRead?.uncommitted;
  const rawOffsets = offsetsByValue(raw);
  const spans = sessionSpans(history, 'read_committed');
  const anomalies: TxnAnomaly[] = [];
  for (const txn of history.transactions) {
    if (txn.outcome !== 'committed') continue;
    for (const write of txn.writes) {
      const offset = offsetOfWrite(write, rawOffsets);
      const inLog = rawOffsets.has(`${tpKey(write.topic, write.partition)}/${write.value}`);
      if (raw !== undefined && !inLog) {
        anomalies.push({
          kind: 'lost-write',
          message: `committed ${write.value} (${where(write, offset)}) is not in the final log`,
          records: [describeTxn(txn)],
        });
        continue;
      }
      if (offset === undefined) continue;
      for (const span of spans.get(tpKey(write.topic, write.partition)) ?? []) {
        if (span.first > offset || span.last < offset || span.values.has(write.value)) continue;
        anomalies.push({
          kind: 'lost-write',
          message: `${span.consumer} read past committed ${write.value} (${where(write, offset)}) without it`,
          records: [describeTxn(txn), describeSpan(span)],
        });
      }
    }
  }
  return anomalies;
};

interface Sighting {
  readonly tp: string;
  readonly offset: number;
  readonly where: string;
}

/** Every read view: polls of both isolation levels and both final reads. */
function visitReads(
  history: TxnHistory,
  visit: (tp: string, record: OffsetValue, where: string, isolation: Isolation) => void,
): void {
  for (const poll of history.polls) {
    const tp = tpKey(poll.topic, poll.partition);
    for (const record of poll.records) visit(tp, record, describeTxnPoll(poll), poll.isolation);
  }
  const final = history.finalRead;
  const views: [PartitionContents, Isolation][] = [
    [final?.committed ?? NO_CONTENTS, 'read_committed'],
    [final?.uncommitted ?? NO_CONTENTS, 'read_uncommitted'],
  ];
  for (const [contents, isolation] of views) {
    for (const [tp, records] of contents) {
      for (const record of records) visit(tp, record, `final ${isolation} read`, isolation);
    }
  }
}

/** A value (unique per transaction attempt) read at two different places, by anyone, at any isolation. */
export const checkDuplicates: TxnChecker = (history) => {
  const seen = new Map<string, Sighting>();
  const reported = new Set<string>();
  const anomalies: TxnAnomaly[] = [];
  visitReads(history, (tp, record, at) => {
    const first = seen.get(record.value);
    if (first === undefined) {
      seen.set(record.value, { tp, offset: record.offset, where: at });
      return;
    }
    const place = `${tp}@${record.offset}`;
    if ((first.tp === tp && first.offset === record.offset) || reported.has(`${record.value}/${place}`))
      return;
    reported.add(`${record.value}/${place}`);
    anomalies.push({
      kind: 'duplicate',
      message: `${record.value} is at ${first.tp}@${first.offset} and at ${place}`,
      records: [first.where, at],
    });
  });
  return anomalies;
};

/** Two different values at one offset of a topic-partition, across every consumer and the final reads. */
export const checkInconsistentOffsets: TxnChecker = (history) => {
  const first = new Map<string, { value: string; where: string }>();
  const reported = new Set<string>();
  const anomalies: TxnAnomaly[] = [];
  visitReads(history, (tp, record, at) => {
    const key = `${tp}@${record.offset}`;
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, { value: record.value, where: at });
    } else if (seen.value !== record.value && !reported.has(`${key}/${record.value}`)) {
      reported.add(`${key}/${record.value}`);
      anomalies.push({
        kind: 'inconsistent-offsets',
        message: `${key} holds ${seen.value} and ${record.value}`,
        records: [`${seen.value}: ${seen.where}`, `${record.value}: ${at}`],
      });
    }
  });
  return anomalies;
};

/**
 * Within one consumer session, a topic-partition's offsets only go up (gaps are legal: control records, and
 * under read_committed aborted data, take offsets). A restart or seek starts a new session.
 */
export const checkNonMonotonicPolls: TxnChecker = (history) => {
  const last = new Map<string, { offset: number; where: string }>();
  const anomalies: TxnAnomaly[] = [];
  for (const poll of history.polls) {
    const key = `${poll.consumer}/${poll.session}/${tpKey(poll.topic, poll.partition)}`;
    for (const record of poll.records) {
      const before = last.get(key);
      if (before !== undefined && record.offset <= before.offset) {
        anomalies.push({
          kind: 'nonmonotonic-poll',
          message: `${poll.consumer} (session ${poll.session}) read ${tpKey(poll.topic, poll.partition)}@${record.offset} after @${before.offset}`,
          records: [before.where, describeTxnPoll(poll)],
        });
      }
      last.set(key, { offset: record.offset, where: describeTxnPoll(poll) });
    }
  }
  return anomalies;
};

/**
 * One transactional id's committed sends to a topic-partition get rising offsets in the order they were
 * sent (transactions run one at a time per id; a later producer instance starts after the earlier one's
 * transactions ended, its InitTransactions having completed them).
 */
export const checkNonMonotonicSends: TxnChecker = (history) => {
  const byKey = new Map<string, { of: WriteOf; offset: number }[]>();
  const ordered = history.transactions
    .filter((t) => t.outcome === 'committed')
    .sort((a, b) => a.beganAtMs - b.beganAtMs);
  for (const txn of ordered) {
    const writes = [...txn.writes].sort((a, b) => a.sendIndex - b.sendIndex);
    for (const write of writes) {
      if (write.offset === undefined) continue;
      const key = `${txn.transactionalId}/${tpKey(write.topic, write.partition)}`;
      byKey.set(key, [...(byKey.get(key) ?? []), { of: { txn, write }, offset: write.offset }]);
    }
  }
  const anomalies: TxnAnomaly[] = [];
  for (const [key, sends] of byKey) {
    for (let i = 1; i < sends.length; i++) {
      const before = sends[i - 1];
      const after = sends[i];
      if (before === undefined || after === undefined || after.offset > before.offset) continue;
      anomalies.push({
        kind: 'nonmonotonic-send',
        message: `${key}: ${after.of.write.value} sent after ${before.of.write.value} got offset ${after.offset} <= ${before.offset}`,
        records: [describeTxn(before.of.txn), describeTxn(after.of.txn)],
      });
    }
  }
  return anomalies;
};

/**
 * All or nothing. In the final log: of a transaction's records that are in the log, read_committed sees all
 * or none (some seen and some not: the markers disagree between partitions). In the polls: a read_committed
 * consumer that read past every record of a committed transaction saw all of them or none (none is a lost
 * write, reported there).
 */
export const checkTornTransactions: TxnChecker = (history) => {
  const anomalies: TxnAnomaly[] = [];
  const final = history.finalRead;
  const rawOffsets = offsetsByValue(final?.uncommitted);
  const visible = offsetsByValue(final?.committed);
  const spans = sessionSpans(history, 'read_committed');
  for (const txn of history.transactions) {
    if (txn.writes.length < 2) continue;
    const key = (w: TxnWrite): string => `${tpKey(w.topic, w.partition)}/${w.value}`;
    if (final !== undefined) {
      const inLog = txn.writes.filter((w) => rawOffsets.has(key(w)));
      const seen = inLog.filter((w) => visible.has(key(w)));
      if (seen.length > 0 && seen.length < inLog.length) {
        anomalies.push({
          kind: 'torn-transaction',
          message: `${txn.id} (${txn.outcome}): read_committed sees ${seen.length} of its ${inLog.length} records in the final log`,
          records: [describeTxn(txn), `visible: ${seen.map((w) => w.value).join(' ')}`],
        });
      }
    }
    if (txn.outcome !== 'committed') continue;
    const consumers = new Set([...spans.values()].flat().map((s) => s.consumer));
    for (const consumer of consumers) {
      let passedAll = true;
      const seen: string[] = [];
      for (const write of txn.writes) {
        const offset = offsetOfWrite(write, rawOffsets);
        const mine = (spans.get(tpKey(write.topic, write.partition)) ?? []).filter(
          (s) => s.consumer === consumer && offset !== undefined && s.first <= offset && offset <= s.last,
        );
        if (mine.length === 0) passedAll = false;
        if (mine.some((s) => s.values.has(write.value))) seen.push(write.value);
      }
      if (!passedAll || seen.length === 0 || seen.length === txn.writes.length) continue;
      anomalies.push({
        kind: 'torn-transaction',
        message: `${consumer} read past all of committed ${txn.id} but saw ${seen.length} of its ${txn.writes.length} records`,
        records: [describeTxn(txn), `seen: ${seen.join(' ')}`],
      });
    }
  }
  return anomalies;
};

/**
 * A read_committed poll may only return a record once its transaction's commit was requested: reading it
 * earlier means the broker exposed an open transaction (Jepsen's precommitted-read).
 */
export const checkPrecommittedReads: TxnChecker = (history) => {
  const writes = writesByValue(history);
  const anomalies: TxnAnomaly[] = [];
  for (const poll of history.polls) {
    if (poll.isolation !== 'read_committed') continue;
    for (const record of poll.records) {
      const of = writes.get(record.value);
      // Aborted transactions' records are aborted reads, reported there.
      if (of === undefined || of.txn.outcome === 'aborted') continue;
      const requested = of.txn.endRequestedAtMs;
      if (requested !== undefined && requested <= poll.atMs) continue;
      anomalies.push({
        kind: 'precommitted-read',
        message: `${poll.consumer} read ${record.value} under read_committed before ${of.txn.id}'s commit was requested`,
        records: [describeTxnPoll(poll), describeTxn(of.txn)],
      });
    }
  }
  return anomalies;
};

/**
 * The final log's verdict disagrees with the one the producer observed, for a whole transaction (part of
 * one is a torn transaction): an aborted transaction visible to read_committed, or a committed one whose
 * records are in the log but hidden from read_committed.
 */
export const checkWrongCommits: TxnChecker = (history) => {
  const final = history.finalRead;
  if (final === undefined) return [];
  const rawOffsets = offsetsByValue(final.uncommitted);
  const visible = offsetsByValue(final.committed);
  const anomalies: TxnAnomaly[] = [];
  for (const txn of history.transactions) {
    if (txn.outcome === 'indeterminate') continue;
    const key = (w: TxnWrite): string => `${tpKey(w.topic, w.partition)}/${w.value}`;
    const inLog = txn.writes.filter((w) => rawOffsets.has(key(w)) || visible.has(key(w)));
    const seen = inLog.filter((w) => visible.has(key(w)));
    const wrong =
      txn.outcome === 'aborted'
        ? seen.length > 0 && seen.length === inLog.length
        : inLog.length > 0 && seen.length === 0;
    if (!wrong) continue;
    const verdict = txn.outcome === 'aborted' ? 'visible' : 'invisible';
    anomalies.push({
      kind: 'wrong-commit',
      message: `${txn.id} was ${txn.outcome} but its ${inLog.length} records in the final log are ${verdict} to read_committed`,
      records: [describeTxn(txn)],
    });
  }
  return anomalies;
};

export const TXN_CHECKERS: Readonly<Record<string, TxnChecker>> = {
  'aborted reads (G1a)': checkAbortedReads,
  'lost writes': checkLostWrites,
  duplicates: checkDuplicates,
  'inconsistent offsets': checkInconsistentOffsets,
  'non-monotonic polls': checkNonMonotonicPolls,
  'non-monotonic sends': checkNonMonotonicSends,
  'torn transactions': checkTornTransactions,
  'pre-committed reads': checkPrecommittedReads,
  'wrong commits': checkWrongCommits,
  'exactly-once pipeline': checkExactlyOnce,
};

export function checkAllTxn(history: TxnHistory): TxnAnomaly[] {
  return Object.values(TXN_CHECKERS).flatMap((checker) => checker(history));
}
