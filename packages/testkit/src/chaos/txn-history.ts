/**
 * The recorded history of one transactional chaos run (issue 14): every transaction the workload began, with
 * the outcome it meant (commit or abort) and the outcome it observed, every poll of the read_committed and
 * read_uncommitted consumers, the read-process-write pipeline's steps, and after healing a final read of every
 * partition at both isolation levels and the pipeline group's committed offsets. The checkers
 * (txn-checkers.ts) are pure functions over it, so tests craft histories by hand.
 *
 * Every value a transaction writes is unique to that transaction attempt (a pipeline retrying an input writes
 * a new value naming the same input), so a value identifies its transaction.
 */
import type { NoteEvent, OffsetValue } from './history.js';

/**
 * What the workload saw of a transaction's end, as Jepsen treats it: `committed` only when commit()
 * answered; `aborted` when the workload chose abort or the commit was never requested (a send failed first:
 * nothing but an abort can follow, by the coordinator's timeout or the next InitTransactions at the latest);
 * `indeterminate` when EndTxn(commit) was sent and no answer came (the coordinator may have written it).
 */
export type TxnOutcome = 'committed' | 'aborted' | 'indeterminate';

export type TxnIntent = 'commit' | 'abort';

export type Isolation = 'read_committed' | 'read_uncommitted';

/** Where a pipeline output came from: the input record consumed from the pipeline's input topic. */
export interface PipelineInput {
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

/** One record a transaction sent. `offset` is set when the send was acknowledged. */
export interface TxnWrite {
  readonly topic: string;
  readonly partition: number;
  readonly value: string;
  /** Order of the send within its producer instance (sends of one partition must get rising offsets). */
  readonly sendIndex: number;
  readonly offset: number | undefined;
  /** For the pipeline's outputs: the input it processed. */
  readonly input?: PipelineInput;
}

export interface TxnEvent {
  /** Unique per transaction: `<transactional id>#<producer instance>.<n>`. */
  readonly id: string;
  readonly transactionalId: string;
  /** Which producer object (a restart makes a new one, with a new epoch) ran it. */
  readonly instance: number;
  readonly intent: TxnIntent;
  readonly outcome: TxnOutcome;
  readonly writes: readonly TxnWrite[];
  readonly beganAtMs: number;
  /** When EndTxn was requested (undefined: never: the transaction failed before its end). */
  readonly endRequestedAtMs: number | undefined;
  readonly endedAtMs: number;
  /** The error that ended it otherwise than intended, if any. */
  readonly code?: string;
  /** The pipeline's offsets sent in this transaction (input partition → next offset to read). */
  readonly offsets?: ReadonlyMap<number, number>;
}

/** What one consumer got from one topic-partition in one poll. */
export interface TxnPollEvent {
  readonly consumer: string;
  readonly isolation: Isolation;
  /** Changes whenever the consumer restarted or seeked: continuity is checked within a session only. */
  readonly session: number;
  readonly topic: string;
  readonly partition: number;
  readonly atMs: number;
  readonly records: readonly OffsetValue[];
  /**
   * The positions before and after the poll, when the consumer knows them: every offset in
   * [fromOffset, nextOffset) passed by this poll, records or not (a read_committed poll over aborted data and
   * markers returns nothing and still moves on). Without them the records' own offsets are the span.
   */
  readonly fromOffset?: number;
  readonly nextOffset?: number;
}

/** The topic-partitions' contents after healing, read from offset 0 to the end at one isolation level. */
export type PartitionContents = ReadonlyMap<string, readonly OffsetValue[]>;

export interface TxnFinalRead {
  readonly committed: PartitionContents;
  readonly uncommitted: PartitionContents;
}

export interface PipelineSpec {
  readonly group: string;
  readonly inputTopic: string;
  readonly outputTopic: string;
}

export interface TxnHistory {
  /** Topics and partition counts of every topic in the run (the producers' two and the pipeline's output). */
  readonly topics: ReadonlyMap<string, number>;
  readonly pipeline: PipelineSpec | undefined;
  readonly transactions: TxnEvent[];
  readonly polls: TxnPollEvent[];
  readonly notes: NoteEvent[];
  /** Undefined until the final read after healing (or when it failed). */
  finalRead: TxnFinalRead | undefined;
  /** The pipeline group's committed offset per input partition after it drained; undefined before. */
  finalGroupOffsets: ReadonlyMap<number, number> | undefined;
}

export function emptyTxnHistory(
  topics: ReadonlyMap<string, number>,
  pipeline: PipelineSpec | undefined,
): TxnHistory {
  return {
    topics,
    pipeline,
    transactions: [],
    polls: [],
    notes: [],
    finalRead: undefined,
    finalGroupOffsets: undefined,
  };
}

/** The key of a topic-partition in PartitionContents: `topic-partition`, as Kafka prints it. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function describeTxn(txn: TxnEvent): string {
  const code = txn.code === undefined ? '' : ` (${txn.code})`;
  const writes = txn.writes.map((w) => `${w.value}→${tpKey(w.topic, w.partition)}@${w.offset ?? '?'}`);
  const shown = writes.slice(0, 6).join(' ') + (writes.length > 6 ? ` +${writes.length - 6}` : '');
  return `txn ${txn.id} meant ${txn.intent}, ${txn.outcome}${code}: ${shown} [${txn.beganAtMs.toFixed(1)}–${txn.endedAtMs.toFixed(1)} ms]`;
}

export function describeTxnPoll(poll: TxnPollEvent): string {
  const first = poll.records[0]?.offset;
  const last = poll.records[poll.records.length - 1]?.offset;
  const range = first === undefined ? 'nothing' : `offsets ${first}..${last}`;
  return `${poll.isolation} poll by ${poll.consumer} (session ${poll.session}) of ${tpKey(poll.topic, poll.partition)}: ${range} [${poll.atMs.toFixed(1)} ms]`;
}

/** A JSON-friendly copy (maps as objects). */
export function txnHistoryToJson(history: TxnHistory): unknown {
  const final = history.finalRead;
  return {
    ...history,
    topics: Object.fromEntries(history.topics),
    transactions: history.transactions.map((t) => ({
      ...t,
      offsets: t.offsets === undefined ? undefined : Object.fromEntries(t.offsets),
    })),
    finalRead:
      final === undefined
        ? null
        : {
            committed: Object.fromEntries(final.committed),
            uncommitted: Object.fromEntries(final.uncommitted),
          },
    finalGroupOffsets:
      history.finalGroupOffsets === undefined ? null : Object.fromEntries(history.finalGroupOffsets),
  };
}
