/**
 * read_committed filtering against a naive reference: random logs of several producers writing
 * transactional batches (committed, aborted, or still open past the last stable offset) between plain
 * batches, read in random fetch-sized pieces, each answer carrying the aborted transactions that overlap
 * it as a broker computes them. The filter must deliver exactly the records of committed transactions and
 * plain batches below the last stable offset, in order, and never a control record.
 * `READ_COMMITTED_SEED=n` replays a run; the seed is printed.
 */
import { type Random, SeededRandom } from '@tributary/core';
import { encodeControlBatch, encodeRecordBatch, stampBatch } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import { decodeFetched } from './decode.js';
import { AbortedProducers, type AbortedTransaction } from './read-committed.js';

interface LogBatch {
  readonly bytes: Buffer;
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** The values a read_committed consumer must see from this batch. */
  readonly visible: readonly string[];
}

interface GeneratedLog {
  readonly batches: readonly LogBatch[];
  readonly aborted: readonly (AbortedTransaction & { readonly lastOffset: number })[];
  /** First offset of the oldest transaction still open at the end (or the log end). */
  readonly lastStableOffset: number;
}

/** A log as a leader would hold it, with what read_committed must show of it. */
function generateLog(random: Random): GeneratedLog {
  const batches: LogBatch[] = [];
  const aborted: (AbortedTransaction & { lastOffset: number })[] = [];
  const open = new Map<number, { firstOffset: number; batchIndexes: number[]; values: string[][] }>();
  let offset = 0;
  const append = (bytes: Buffer, count: number, visible: string[]): number => {
    stampBatch(bytes, { baseOffset: offset, partitionLeaderEpoch: 0 });
    batches.push({ bytes, baseOffset: offset, lastOffset: offset + count - 1, visible });
    offset += count;
    return batches.length - 1;
  };
  const steps = random.int(5, 60);
  for (let step = 0; step < steps; step++) {
    const producerId = random.int(1, 4);
    const choice = random.int(0, 10);
    const txn = open.get(producerId);
    if (choice < 2) {
      const values = Array.from({ length: random.int(1, 4) }, (_, i) => `plain-${offset + i}`);
      const records = values.map((value) => ({ key: null, value: Buffer.from(value), timestampMs: 0 }));
      append(encodeRecordBatch({ records }), values.length, values);
    } else if (choice < 7) {
      const values = Array.from({ length: random.int(1, 4) }, (_, i) => `p${producerId}-${offset + i}`);
      const records = values.map((value) => ({ key: null, value: Buffer.from(value), timestampMs: 0 }));
      const bytes = encodeRecordBatch({
        records,
        producerId,
        producerEpoch: 0,
        baseSequence: 0,
        isTransactional: true,
      });
      const entry = txn ?? { firstOffset: offset, batchIndexes: [], values: [] };
      open.set(producerId, entry);
      entry.batchIndexes.push(append(bytes, values.length, []));
      entry.values.push(values);
    } else if (txn !== undefined) {
      const marker = choice < 9 ? 'commit' : 'abort';
      const markerOffset = offset;
      append(
        encodeControlBatch({ producerId, producerEpoch: 0, marker, coordinatorEpoch: 0, timestampMs: 0 }),
        1,
        [],
      );
      if (marker === 'commit') {
        txn.batchIndexes.forEach((index, i) => {
          const batch = batches[index];
          if (batch !== undefined) batches[index] = { ...batch, visible: txn.values[i] ?? [] };
        });
      } else {
        aborted.push({ producerId, firstOffset: txn.firstOffset, lastOffset: markerOffset });
      }
      open.delete(producerId);
    }
  }
  const lastStableOffset = Math.min(offset, ...[...open.values()].map((t) => t.firstOffset));
  return { batches, aborted, lastStableOffset };
}

/** Reads [start, lastStableOffset) in random pieces of whole batches, as a read_committed consumer does. */
function readAll(log: GeneratedLog, random: Random): string[] {
  const state = new AbortedProducers();
  const seen: string[] = [];
  const readable = log.batches.filter((b) => b.lastOffset < log.lastStableOffset);
  let position = 0;
  while (position < readable.length) {
    const count = random.int(1, 5);
    const piece = readable.slice(position, position + count);
    position += piece.length;
    const fetchOffset = piece[0]?.baseOffset ?? 0;
    const endOffset = (piece.at(-1)?.lastOffset ?? 0) + 1;
    // The broker's answer: aborted transactions overlapping [fetchOffset, endOffset).
    const aborted = log.aborted.filter((a) => a.firstOffset < endOffset && a.lastOffset >= fetchOffset);
    const decoded = decodeFetched(
      Buffer.concat(piece.map((b) => b.bytes)),
      { topic: 't', partition: 0, fetchOffset },
      state.begin(fetchOffset, aborted),
    );
    expect(decoded.nextOffset).toBe(endOffset);
    seen.push(...decoded.records.map((r) => Buffer.from(r.value ?? []).toString()));
  }
  return seen;
}

describe('read_committed filtering', () => {
  it('delivers exactly committed and plain records, over random logs and fetch sizes', () => {
    const seed = Number(process.env.READ_COMMITTED_SEED ?? Date.now() % 2 ** 31);
    process.stdout.write(`read_committed property seed ${seed} (READ_COMMITTED_SEED=${seed} replays)\n`);
    const random = new SeededRandom(seed);
    for (let run = 0; run < 200; run++) {
      const log = generateLog(random);
      const expected = log.batches
        .filter((b) => b.lastOffset < log.lastStableOffset)
        .flatMap((b) => b.visible);
      expect(readAll(log, random), `seed ${seed} run ${run}`).toEqual(expected);
    }
  });

  it('the checker bites: ignoring the aborted list delivers aborted records', () => {
    const random = new SeededRandom(3);
    let caught = 0;
    for (let run = 0; run < 50; run++) {
      const log = generateLog(random);
      const stripped = { ...log, aborted: [] };
      const expected = log.batches
        .filter((b) => b.lastOffset < log.lastStableOffset)
        .flatMap((b) => b.visible);
      if (JSON.stringify(readAll(stripped, random)) !== JSON.stringify(expected)) caught++;
    }
    expect(caught).toBeGreaterThan(0);
  });

  it('an ABORT marker ends the producer’s aborted range; a seek forgets it', () => {
    const state = new AbortedProducers();
    const filter = state.begin(0, [{ producerId: 7, firstOffset: 0 }]);
    const txn = { baseOffset: 0, lastOffset: 1, producerId: 7, isTransactional: true, isControl: false };
    expect(filter.admit(txn)).toBe(false);
    expect(filter.admit({ ...txn, baseOffset: 2, lastOffset: 2, producerId: 8 })).toBe(true);
    filter.finish(3);
    expect([...state.current]).toEqual([7]);
    const next = state.begin(3, []);
    expect(next.admit({ ...txn, baseOffset: 3, lastOffset: 3 })).toBe(false);
    expect(next.admit({ ...txn, baseOffset: 4, lastOffset: 4, isControl: true }, 'abort')).toBe(false);
    expect(next.admit({ ...txn, baseOffset: 5, lastOffset: 5 })).toBe(true);
    next.finish(6);
    expect([...state.current]).toEqual([]);

    const seeking = new AbortedProducers();
    const first = seeking.begin(0, [{ producerId: 7, firstOffset: 0 }]);
    expect(first.admit(txn)).toBe(false);
    first.finish(2);
    // A fetch from elsewhere (a seek) starts from the answer's own aborted list only.
    expect(seeking.begin(10, []).admit({ ...txn, baseOffset: 10, lastOffset: 10 })).toBe(true);
  });
});
