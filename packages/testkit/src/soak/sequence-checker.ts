/**
 * The soak's streaming check of what a reader sees against what the producers were told. A soak writes far
 * more records than the chaos suite's history can hold, so instead of keeping every send, each record's value
 * starts with `<producer>:<seq>:` where seq counts that producer's records to that partition from 0, and the
 * checker keeps, per (partition, producer), only the last sequence read, the highest acknowledged, the failed
 * sequences (rare) and the gaps seen (rare). Pure and synchronous.
 *
 * What it finds, for an idempotent producer whose sends to one partition keep their order:
 * - lost: an acknowledged sequence the reader never saw (a gap not explained by a failed send, or an
 *   acknowledged tail past the last record read once the reader caught up);
 * - duplicated or reordered: a sequence at or below the last one read (the two cannot be told apart without
 *   keeping every sequence, and either is an anomaly for an idempotent producer);
 * - unparsable: a record whose value does not carry a producer and sequence.
 */
import { assert } from '@tributary/core';

export type SequenceAnomalyKind = 'lost' | 'duplicated-or-reordered' | 'unparsable';

export interface SequenceAnomaly {
  readonly kind: SequenceAnomalyKind;
  readonly partition: number;
  readonly producer: string;
  readonly detail: string;
}

/** The value's prefix the checker reads; the rest is padding to the record size. */
export function sequenceValue(producer: string, seq: number, sizeBytes: number): string {
  const head = `${producer}:${seq}:`;
  return head.length >= sizeBytes ? head : head.padEnd(sizeBytes, 'x');
}

export function parseSequenceValue(value: string): { producer: string; seq: number } | undefined {
  const first = value.indexOf(':');
  const second = first < 0 ? -1 : value.indexOf(':', first + 1);
  if (first <= 0 || second < 0) return undefined;
  const seq = Number(value.slice(first + 1, second));
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { producer: value.slice(0, first), seq };
}

interface StreamState {
  lastRead: number;
  highestAcked: number;
  readonly failed: Set<number>;
  /** Sequences skipped by the reader, to be explained by failed sends before the end. */
  readonly gaps: number[];
}

/** Bounds the memory a misbehaving run can take: anomalies beyond this are counted, not kept. */
const ANOMALIES_KEPT_MAX = 1_000;
/** A gap wider than this is reported at once rather than remembered sequence by sequence. */
const GAP_REMEMBERED_MAX = 10_000;

export class SequenceChecker {
  private readonly streams = new Map<string, StreamState>();
  private readonly kept: SequenceAnomaly[] = [];
  private readonly counts = new Map<SequenceAnomalyKind, number>();
  private readCount = 0;

  /** A producer's send of `seq` to `partition` was acknowledged. */
  acked(partition: number, producer: string, seq: number): void {
    const state = this.stream(partition, producer);
    if (seq > state.highestAcked) state.highestAcked = seq;
  }

  /** A producer's send of `seq` failed (definitely or not: it may or may not be in the log). */
  failed(partition: number, producer: string, seq: number): void {
    this.stream(partition, producer).failed.add(seq);
  }

  /** The reader saw this record in `partition`, in log order. */
  read(partition: number, value: string): void {
    this.readCount++;
    const parsed = parseSequenceValue(value);
    if (parsed === undefined) {
      this.report({ kind: 'unparsable', partition, producer: '?', detail: `value ${value.slice(0, 40)}` });
      return;
    }
    const state = this.stream(partition, parsed.producer);
    if (parsed.seq <= state.lastRead) {
      this.report({
        kind: 'duplicated-or-reordered',
        partition,
        producer: parsed.producer,
        detail: `seq ${parsed.seq} read after seq ${state.lastRead}`,
      });
      return;
    }
    const skipped = parsed.seq - state.lastRead - 1;
    if (skipped > GAP_REMEMBERED_MAX) {
      this.report({
        kind: 'lost',
        partition,
        producer: parsed.producer,
        detail: `${skipped} sequences skipped before seq ${parsed.seq}`,
      });
    } else {
      for (let seq = state.lastRead + 1; seq < parsed.seq; seq++) state.gaps.push(seq);
    }
    state.lastRead = parsed.seq;
  }

  /**
   * The end of the run, once the reader has read past everything acknowledged: gaps must be failed sends and
   * every acknowledged sequence must have been read.
   */
  finish(): void {
    for (const [key, state] of this.streams) {
      const [partition, producer] = splitKey(key);
      for (const seq of state.gaps) {
        if (!state.failed.has(seq))
          this.report({ kind: 'lost', partition, producer, detail: `seq ${seq} skipped by the reader` });
      }
      state.gaps.length = 0;
      if (state.highestAcked > state.lastRead) {
        this.report({
          kind: 'lost',
          partition,
          producer,
          detail: `acknowledged up to seq ${state.highestAcked}, read up to ${state.lastRead}`,
        });
      }
    }
  }

  /** Whether the reader has read every acknowledged sequence (the end of the run waits for it). */
  caughtUp(): boolean {
    for (const state of this.streams.values()) if (state.highestAcked > state.lastRead) return false;
    return true;
  }

  get recordsRead(): number {
    return this.readCount;
  }

  anomalies(): readonly SequenceAnomaly[] {
    return this.kept;
  }

  anomalyCounts(): ReadonlyMap<SequenceAnomalyKind, number> {
    return this.counts;
  }

  private stream(partition: number, producer: string): StreamState {
    assert(Number.isSafeInteger(partition) && partition >= 0, `bad partition ${partition}`);
    const key = `${partition}/${producer}`;
    let state = this.streams.get(key);
    if (state === undefined) {
      state = { lastRead: -1, highestAcked: -1, failed: new Set(), gaps: [] };
      this.streams.set(key, state);
    }
    return state;
  }

  private report(anomaly: SequenceAnomaly): void {
    this.counts.set(anomaly.kind, (this.counts.get(anomaly.kind) ?? 0) + 1);
    if (this.kept.length < ANOMALIES_KEPT_MAX) this.kept.push(anomaly);
  }
}

function splitKey(key: string): [number, string] {
  const slash = key.indexOf('/');
  return [Number(key.slice(0, slash)), key.slice(slash + 1)];
}
