import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { V2 } from './batch-codec.js';
import type { LogConfig } from './config.js';
import { PartitionLog } from './partition-log.js';
import { buildBatch, splitBatches } from './test-batches.js';

/** The naive reference: the log is an array of batches (bytes as the log stores them). */
interface ModelBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly bytes: Buffer;
}

class ModelLog {
  /** The batches served: every one reaching the log start (the first may begin below it). */
  batches: ModelBatch[] = [];
  logStartOffset = 0;
  logEndOffset = 0;
  epochs: { epoch: number; startOffset: number }[] = [];
  assignEpoch(epoch: number): void {
    const latest = this.epochs[this.epochs.length - 1]?.epoch ?? -1;
    if (epoch <= latest) return;
    this.epochs = this.epochs.filter((entry) => entry.startOffset < this.logEndOffset);
    this.epochs.push({ epoch, startOffset: this.logEndOffset });
  }
  append(batches: Buffer[]): void {
    for (const batch of batches) {
      const baseOffset = this.logEndOffset;
      const lastOffset = baseOffset + batch.readInt32BE(V2.lastOffsetDelta);
      this.batches.push({ baseOffset, lastOffset, bytes: batch });
      this.logEndOffset = lastOffset + 1;
    }
  }
  truncateTo(offset: number): void {
    if (offset >= this.logEndOffset) return;
    if (offset <= this.logStartOffset) {
      this.restartAt(offset);
      return;
    }
    // Whole batches: the one holding `offset` goes too, and the log ends at its base.
    const cut = this.batches.find((batch) => batch.lastOffset >= offset);
    if (cut === undefined) throw new Error('model: an offset inside the log is in a batch');
    this.batches = this.batches.filter((batch) => batch.lastOffset < offset);
    this.logEndOffset = cut.baseOffset;
    // A cut below a log start inside a batch leaves an empty log starting where it ends.
    this.logStartOffset = Math.min(this.logStartOffset, this.logEndOffset);
    this.epochs = this.epochs.filter((entry) => entry.startOffset < this.logEndOffset);
  }
  restartAt(offset: number): void {
    this.batches = [];
    this.logStartOffset = offset;
    this.logEndOffset = offset;
    this.epochs = [];
  }
  /** DeleteRecords: nothing below `offset` is served; the epoch covering it now starts there. */
  advanceLogStartOffset(offset: number): void {
    if (offset <= this.logStartOffset) return;
    this.logStartOffset = offset;
    this.batches = this.batches.filter((batch) => batch.lastOffset >= offset);
    const covering = this.epochs.filter((entry) => entry.startOffset <= offset).pop();
    if (covering === undefined) return;
    this.epochs = [
      { epoch: covering.epoch, startOffset: offset },
      ...this.epochs.filter((entry) => entry.startOffset > offset),
    ];
  }
  read(fromOffset: number, maxBytes: number, maxOffset: number): { bytes: Buffer; nextOffset: number } {
    const out: ModelBatch[] = [];
    let total = 0;
    for (const batch of this.batches) {
      if (batch.lastOffset < fromOffset) continue;
      if (batch.lastOffset >= maxOffset) break;
      if (out.length > 0 && total + batch.bytes.length > maxBytes) break;
      out.push(batch);
      total += batch.bytes.length;
      if (total >= maxBytes) break;
    }
    const last = out[out.length - 1];
    return {
      bytes: Buffer.concat(out.map((b) => b.bytes)),
      nextOffset: last ? last.lastOffset + 1 : fromOffset,
    };
  }
}

type Op =
  | { kind: 'append'; recordCounts: number[]; payloadBytes: number; epoch: number }
  | { kind: 'truncate'; offsetFraction: number }
  | { kind: 'restart'; offsetDelta: number }
  | { kind: 'deleteRecords'; offsetFraction: number }
  | { kind: 'retention' }
  | { kind: 'reopen' }
  | { kind: 'crash' }
  | { kind: 'read'; offsetFraction: number; maxBytes: number; maxOffsetFraction: number };

/**
 * A fraction of the log's span, spread evenly: fc.double favours its bounds, which would seldom put a
 * truncation or a new log start inside a batch.
 */
function fraction(max: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: Math.round(max * 1000) }).map((n) => n / 1000);
}

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      recordCounts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      payloadBytes: fc.integer({ min: 0, max: 300 }),
      epoch: fc.integer({ min: 0, max: 3 }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      offsetFraction: fraction(1.1),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('restart' as const),
      offsetDelta: fc.integer({ min: -3, max: 5 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('deleteRecords' as const),
      offsetFraction: fraction(1),
    }),
    weight: 2,
  },
  // Time and size retention never fire here (retentionMs -1): only segments wholly below the start go.
  { arbitrary: fc.constant({ kind: 'retention' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reopen' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'crash' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      offsetFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      maxBytes: fc.integer({ min: 0, max: 3000 }),
      maxOffsetFraction: fc.double({ min: 0, max: 1.2, noNaN: true }),
    }),
    weight: 3,
  },
);

function offsetAt(model: ModelLog, fraction: number): number {
  const span = model.logEndOffset - model.logStartOffset;
  return model.logStartOffset + Math.floor(span * fraction);
}

async function runScenario(ops: readonly Op[], config: Partial<LogConfig>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-log-prop-'));
  const clock = new ManualClock(0);
  const open = () => PartitionLog.open({ dir, config, clock });
  let log = await open();
  const model = new ModelLog();
  let latestEpoch = 0;
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'append': {
          const batches = op.recordCounts.map((recordCount, i) =>
            buildBatch({ recordCount, payloadBytes: op.payloadBytes, fill: i }),
          );
          latestEpoch = Math.max(latestEpoch, op.epoch);
          const bytes = Buffer.concat(batches);
          const result = await log.append(bytes, { leaderEpoch: latestEpoch, assignOffsets: true });
          expect(result.baseOffset).toBe(model.logEndOffset);
          model.assignEpoch(latestEpoch);
          // The log stamped offsets and epoch into `bytes`; the model keeps a copy of what was written.
          model.append(splitBatches(Buffer.from(bytes)));
          expect(result.logEndOffset).toBe(model.logEndOffset);
          break;
        }
        case 'truncate': {
          const offset = offsetAt(model, op.offsetFraction);
          await log.truncateTo(offset);
          model.truncateTo(offset);
          break;
        }
        case 'restart': {
          const offset = Math.max(0, model.logEndOffset + op.offsetDelta);
          await log.truncateFullyAndStartAt(offset);
          model.restartAt(offset);
          latestEpoch = 0;
          break;
        }
        case 'deleteRecords': {
          const offset = offsetAt(model, op.offsetFraction);
          expect(await log.advanceLogStartOffset(offset)).toBe(Math.max(offset, model.logStartOffset));
          model.advanceLogStartOffset(offset);
          break;
        }
        case 'retention':
          await log.applyRetention(clock.wallMs());
          break;
        case 'reopen':
          await log.close();
          log = await open();
          break;
        case 'crash':
          await log.closeWithoutMarker();
          log = await open();
          break;
        case 'read': {
          const from = offsetAt(model, op.offsetFraction);
          const maxOffset = offsetAt(model, op.maxOffsetFraction);
          const actual = await log.read(from, { maxBytes: op.maxBytes, maxOffset });
          const expected = model.read(from, op.maxBytes, maxOffset);
          expect(actual.nextOffset).toBe(expected.nextOffset);
          expect(actual.bytes.equals(expected.bytes)).toBe(true);
          break;
        }
      }
      expect([log.logStartOffset, log.logEndOffset]).toEqual([model.logStartOffset, model.logEndOffset]);
      expect(log.leaderEpochEntries).toEqual(model.epochs);
      const latest = model.epochs[model.epochs.length - 1];
      if (latest) expect(log.endOffsetForEpoch(latest.epoch).endOffset).toBe(model.logEndOffset);
    }
    // The whole log, batch by batch.
    const all = await log.read(log.logStartOffset, { maxBytes: 64 * 1024 * 1024 });
    expect(splitBatches(all.bytes).length).toBe(model.batches.length);
    expect(all.bytes.equals(Buffer.concat(model.batches.map((b) => b.bytes)))).toBe(true);
    await log.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('PartitionLog against a naive in-memory model', () => {
  it('agrees over random append / truncate / restart / delete records / retention / reopen / crash / read sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArbitrary, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1024, max: 4096 }),
        async (ops, indexIntervalBytes, segmentBytes) => {
          await runScenario(ops, { indexIntervalBytes, segmentBytes, retentionMs: -1 });
        },
      ),
      { numRuns: Number(process.env.LOG_PROPERTY_RUNS ?? 100) },
    );
  }, 120_000);
});
