/**
 * Indexes over a transactional history (txn-history.ts) that several checkers share: which transaction wrote
 * a value, where the final read holds it, and what each consumer session covered. Built once per check run.
 */
import type { OffsetValue } from './history.js';
import {
  type Isolation,
  type PartitionContents,
  type TxnEvent,
  type TxnHistory,
  type TxnPollEvent,
  type TxnWrite,
  tpKey,
} from './txn-history.js';

export interface WriteOf {
  readonly txn: TxnEvent;
  readonly write: TxnWrite;
}

/** value → the transaction and write that sent it (values are unique per transaction attempt). */
export function writesByValue(history: TxnHistory): Map<string, WriteOf> {
  const byValue = new Map<string, WriteOf>();
  for (const txn of history.transactions) {
    for (const write of txn.writes) byValue.set(write.value, { txn, write });
  }
  return byValue;
}

/** value → offset in its topic-partition, per final read contents ("topic-partition/value" keys). */
export function offsetsByValue(contents: PartitionContents | undefined): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const [tp, records] of contents ?? new Map<string, readonly OffsetValue[]>()) {
    for (const record of records) offsets.set(`${tp}/${record.value}`, record.offset);
  }
  return offsets;
}

/** Where a write sits: its acknowledged offset, else where the final raw read found it. */
export function offsetOfWrite(write: TxnWrite, rawOffsets: ReadonlyMap<string, number>): number | undefined {
  return write.offset ?? rawOffsets.get(`${tpKey(write.topic, write.partition)}/${write.value}`);
}

/**
 * What one consumer session read of one topic-partition: the first and last offset and the values. A
 * session reads forward without seeks, so every record between `first` and `last` passed by it.
 */
export interface SessionSpan {
  readonly consumer: string;
  readonly session: number;
  readonly isolation: Isolation;
  readonly tp: string;
  first: number;
  last: number;
  readonly values: Set<string>;
}

/** The offsets a poll passed, inclusive; undefined when it passed none. */
function passedRange(poll: TxnPollEvent): { first: number; last: number } | undefined {
  const offsets = poll.records.map((r) => r.offset);
  const first = Math.min(poll.fromOffset ?? Number.POSITIVE_INFINITY, ...offsets);
  const last = Math.max(
    poll.nextOffset === undefined ? Number.NEGATIVE_INFINITY : poll.nextOffset - 1,
    ...offsets,
  );
  return Number.isFinite(first) && Number.isFinite(last) && first <= last ? { first, last } : undefined;
}

/** Every consumer session's span per topic-partition, for one isolation level. */
export function sessionSpans(history: TxnHistory, isolation: Isolation): Map<string, SessionSpan[]> {
  const spans = new Map<string, SessionSpan>();
  for (const poll of history.polls) {
    if (poll.isolation !== isolation) continue;
    const passed = passedRange(poll);
    if (passed === undefined) continue;
    const tp = tpKey(poll.topic, poll.partition);
    const key = `${poll.consumer}/${poll.session}/${tp}`;
    let span = spans.get(key);
    if (span === undefined) {
      span = { ...passed, consumer: poll.consumer, session: poll.session, isolation, tp, values: new Set() };
      spans.set(key, span);
    }
    span.first = Math.min(span.first, passed.first);
    span.last = Math.max(span.last, passed.last);
    for (const record of poll.records) span.values.add(record.value);
  }
  const byTp = new Map<string, SessionSpan[]>();
  for (const span of spans.values()) byTp.set(span.tp, [...(byTp.get(span.tp) ?? []), span]);
  return byTp;
}

export function describeSpan(span: SessionSpan): string {
  return `${span.isolation} consumer ${span.consumer} (session ${span.session}) read ${span.tp}@${span.first}..${span.last}`;
}
