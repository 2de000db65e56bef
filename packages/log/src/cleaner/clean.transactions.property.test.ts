/**
 * The cleaner with transactions, against a naive reference: random logs mixing plain records and the
 * transactions of two producers (committed, aborted, left open; stray markers), cleaned with random bounds
 * (at most the last stable offset, as the broker passes), clocks and offset-map sizes, reopened cleanly or
 * after a simulated crash. After every step: every batch read is the one appended at its offset; nothing at
 * or past the first dirty offset and nothing of an open transaction is removed; a marker stays while any
 * batch of its transaction does, and goes only once delete.retention.ms passed since a pass first covered
 * it; the last stable offset is the model's; the read_committed view (aborted ranges from the log's index,
 * markers skipped, as Kafka's clients filter) never shows an aborted record, shows every committed or plain
 * one the log holds, and per key ends on the key's last committed or plain value below the last stable
 * offset (or on nothing, when that was a tombstone the cleaner removed). After a pass with an unbounded map
 * no aborted record and no superseded committed record is left below its end. Some markers bump the
 * producer's epoch; at the end, after a crash (the producer state rebuilt from the cleaned log), an older
 * epoch is fenced and the next batch of each producer is accepted in sequence.
 * `CLEANER_TXN_PROPERTY_SEED=n` replays a run; the seed is printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { decodeRecordBatch, encodeControlBatch } from '@tributary/records';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogConfig } from '../config.js';
import { PartitionLog } from '../partition-log.js';
import { splitBatches } from '../test-batches.js';
import type { AbortedTransaction } from '../txn-index.js';
import { keyedBatch, type TestRecord } from './test-records.js';

const PRODUCERS = [10, 20] as const;
const KEYS = ['a', 'b', 'c', 'd', 'e'];

type Op =
  | { kind: 'plain'; records: TestRecord[] }
  | { kind: 'txn'; producer: number; records: TestRecord[] }
  | { kind: 'end'; producer: number; marker: 'commit' | 'abort'; bumpEpoch: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'clean'; boundFraction: number; pastStable: boolean; mapKeys: number | null }
  | { kind: 'reopen'; crash: boolean };

const recordArb: fc.Arbitrary<TestRecord> = fc.record({
  key: fc.constantFrom(...KEYS),
  value: fc.oneof(
    // Values of some length, so that a run spans several 1 KiB segments and passes have closed ones to clean.
    { weight: 6, arbitrary: fc.string({ maxLength: 10 }).map((value) => value.padEnd(40, '.')) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
});
const recordsArb = fc.array(recordArb, { minLength: 1, maxLength: 3 });
const producerArb = fc.constantFrom(...PRODUCERS);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('plain' as const), records: recordsArb }) },
  {
    weight: 7,
    arbitrary: fc.record({ kind: fc.constant('txn' as const), producer: producerArb, records: recordsArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('end' as const),
      producer: producerArb,
      marker: fc.constantFrom('commit' as const, 'abort' as const),
      // A coordinator that aborts on a timeout (or KIP-890's end of transaction) moves the producer's epoch.
      bumpEpoch: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 50_000 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('clean' as const),
      boundFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      pastStable: fc.boolean(),
      mapKeys: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), crash: fc.boolean() }) },
);

interface Txn {
  readonly producer: number;
  readonly firstOffset: number;
  outcome: 'open' | 'commit' | 'abort';
  markerOffset?: number;
}

interface ModelRecord extends TestRecord {
  readonly offset: number;
  /** Index into Model.txns; null for a plain record. */
  readonly txn: number | null;
}

class Model {
  readonly records: ModelRecord[] = [];
  readonly txns: Txn[] = [];
  /** Marker offset -> the transaction it ended (null: a marker with no transaction open). */
  readonly markers = new Map<number, number | null>();
  readonly abortMarkers = new Set<number>();
  /** Marker offset -> the clock when a pass's first dirty offset first passed it: its horizon starts later. */
  readonly markersCoveredAtMs = new Map<number, number>();
  readonly producers = new Map<
    number,
    { epoch: number; nextSequence: number; open: number | null; inLog: boolean }
  >(PRODUCERS.map((id) => [id, { epoch: 0, nextSequence: 0, open: null, inLog: false }]));
  logEnd = 0;

  firstUnstableOffset(): number | null {
    const open = this.txns.filter((txn) => txn.outcome === 'open').map((txn) => txn.firstOffset);
    return open.length === 0 ? null : Math.min(...open);
  }

  status(record: ModelRecord): 'plain' | Txn['outcome'] {
    return record.txn === null ? 'plain' : (this.txns[record.txn]?.outcome ?? 'open');
  }

  /** Committed and plain records: what a read_committed consumer may see once everything is decided. */
  visible(record: ModelRecord): boolean {
    const status = this.status(record);
    return status === 'plain' || status === 'commit';
  }
}

/** A batch read back from the log. */
interface ReadBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly producerId: number;
  readonly isControl: boolean;
  readonly isTransactional: boolean;
  readonly records: readonly { offset: number; key: string | null; value: string | null }[];
}

async function readBatches(log: PartitionLog): Promise<ReadBatch[]> {
  const batches: ReadBatch[] = [];
  let next = log.logStartOffset;
  for (let reads = 0; next < log.logEndOffset; reads++) {
    expect(reads).toBeLessThan(10_000);
    const part = await log.read(next, { maxBytes: 1024 * 1024 });
    if (part.bytes.length === 0) break;
    for (const bytes of splitBatches(part.bytes)) {
      const batch = decodeRecordBatch(bytes);
      batches.push({
        baseOffset: batch.baseOffset,
        lastOffset: batch.baseOffset + batch.lastOffsetDelta,
        producerId: batch.producerId,
        isControl: batch.isControl,
        isTransactional: batch.isTransactional,
        records: batch.records.map((record) => ({
          offset: record.offset,
          key: record.key === null ? null : Buffer.from(record.key).toString(),
          value: record.value === null ? null : Buffer.from(record.value).toString(),
        })),
      });
    }
    next = part.nextOffset;
  }
  return batches;
}

async function run(ops: readonly Op[], deleteRetentionMs: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-cleaner-txn-prop-'));
  const clock = new ManualClock(1_000_000);
  const config: Partial<LogConfig> = {
    segmentBytes: 1024,
    indexIntervalBytes: 200,
    cleanupPolicy: 'compact',
    deleteRetentionMs,
  };
  const open = () => PartitionLog.open({ dir, config, clock });
  let log = await open();
  const model = new Model();
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'plain':
        case 'txn':
          await appendData(log, model, op, clock.nowMs());
          break;
        case 'end':
          await appendMarker(log, model, op, clock.nowMs());
          break;
        case 'advance':
          clock.advance(op.ms);
          break;
        case 'clean':
          await cleanAndCheck(log, model, op, clock.nowMs());
          break;
        case 'reopen':
          if (op.crash) await log.closeWithoutMarker();
          else await log.close();
          log = await open();
          break;
      }
      await check(log, model, { deleteRetentionMs, nowMs: clock.nowMs() });
    }
    await log.closeWithoutMarker();
    log = await open();
    await check(log, model, { deleteRetentionMs, nowMs: clock.nowMs() });
    await checkProducersSurvived(log, model, clock.nowMs());
  } finally {
    await log.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

async function appendData(
  log: PartitionLog,
  model: Model,
  op: Extract<Op, { kind: 'plain' | 'txn' }>,
  nowMs: number,
): Promise<void> {
  const producer = op.kind === 'txn' ? model.producers.get(op.producer) : undefined;
  const batch = keyedBatch({
    records: op.records,
    timestampMs: nowMs,
    ...(op.kind === 'txn' && producer !== undefined
      ? {
          producerId: op.producer,
          producerEpoch: producer.epoch,
          baseSequence: producer.nextSequence,
          isTransactional: true,
        }
      : {}),
  });
  const result = await log.append(batch, { leaderEpoch: 0, assignOffsets: true });
  expect(result.baseOffset).toBe(model.logEnd);
  let txn: number | null = null;
  if (op.kind === 'txn' && producer !== undefined) {
    if (producer.open === null) {
      producer.open = model.txns.length;
      model.txns.push({ producer: op.producer, firstOffset: result.baseOffset, outcome: 'open' });
    }
    txn = producer.open;
    producer.nextSequence += op.records.length;
    producer.inLog = true;
  }
  op.records.forEach((record, i) => {
    model.records.push({ ...record, offset: result.baseOffset + i, txn });
  });
  model.logEnd = result.lastOffset + 1;
}

async function appendMarker(
  log: PartitionLog,
  model: Model,
  op: Extract<Op, { kind: 'end' }>,
  nowMs: number,
): Promise<void> {
  const producer = model.producers.get(op.producer);
  expect(producer).toBeDefined();
  if (producer === undefined) return;
  if (op.bumpEpoch) {
    producer.epoch++;
    producer.nextSequence = 0;
  }
  const marker = encodeControlBatch({
    producerId: op.producer,
    producerEpoch: producer.epoch,
    marker: op.marker,
    coordinatorEpoch: 0,
    timestampMs: nowMs,
  });
  const result = await log.append(marker, { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' });
  expect(result.baseOffset).toBe(model.logEnd);
  const txnIndex = producer.open;
  const txn = txnIndex === null ? undefined : model.txns[txnIndex];
  if (txn !== undefined) {
    txn.outcome = op.marker;
    txn.markerOffset = result.baseOffset;
    producer.open = null;
  }
  model.markers.set(result.baseOffset, txnIndex);
  if (op.marker === 'abort') model.abortMarkers.add(result.baseOffset);
  producer.inLog = true;
  model.logEnd = result.lastOffset + 1;
}

async function cleanAndCheck(
  log: PartitionLog,
  model: Model,
  op: Extract<Op, { kind: 'clean' }>,
  nowMs: number,
): Promise<void> {
  // The broker's bound: min(high watermark, last stable offset); here the whole log is replicated.
  // The broker's bound is min(high watermark, last stable offset); half the passes here ask for more than
  // the last stable offset, which the log must hold back itself.
  const lastStable = log.firstUnstableOffset ?? model.logEnd;
  const asked = Math.floor(op.boundFraction * model.logEnd);
  const upperBoundOffset = op.pastStable ? asked : Math.min(asked, lastStable);
  const dirtyBefore = log.cleanableState(nowMs, model.logEnd)?.firstDirtyOffset ?? 0;
  const result = await log.clean({
    nowMs,
    upperBoundOffset,
    ...(op.mapKeys === null ? {} : { offsetMapKeysMax: op.mapKeys }),
  });
  expect(result.firstDirtyOffset).toBeLessThanOrEqual(
    Math.max(Math.min(upperBoundOffset, lastStable), dirtyBefore, log.logStartOffset),
  );
  for (const offset of model.markers.keys()) {
    if (offset < result.firstDirtyOffset && !model.markersCoveredAtMs.has(offset))
      model.markersCoveredAtMs.set(offset, nowMs);
  }
  if (op.mapKeys !== null || result.segmentsCleaned === 0) return;
  // An unbounded map: below the pass's end no aborted record, and no superseded committed or plain one.
  const bound = result.firstDirtyOffset;
  const latest = new Map<string, number>();
  for (const record of model.records) {
    if (record.offset < bound && record.key !== null && model.visible(record))
      latest.set(record.key, record.offset);
  }
  const byOffset = new Map(model.records.map((record) => [record.offset, record]));
  for (const batch of await readBatches(log)) {
    // A batch reaching the pass's end is left whole (the bound may fall inside it).
    if (batch.isControl || batch.lastOffset >= bound) continue;
    for (const read of batch.records) {
      const record = byOffset.get(read.offset);
      expect(record, `record at ${read.offset}`).toBeDefined();
      if (record === undefined || record.key === null) continue;
      expect(model.status(record), `aborted record at ${read.offset} below ${bound}`).not.toBe('abort');
      expect(read.offset, `superseded ${record.key} below ${bound}`).toBe(latest.get(record.key));
    }
  }
}

/** Kafka's client-side read_committed filter: markers skipped, records of aborted ranges dropped. */
function readCommitted(batches: readonly ReadBatch[], aborted: readonly AbortedTransaction[], upTo: number) {
  const abortedAt = (producerId: number, offset: number) =>
    aborted.some(
      (txn) => txn.producerId === producerId && txn.firstOffset <= offset && offset <= txn.lastOffset,
    );
  return batches
    .filter((batch) => !batch.isControl && batch.lastOffset < upTo)
    .flatMap((batch) =>
      batch.isTransactional && abortedAt(batch.producerId, batch.baseOffset) ? [] : batch.records,
    );
}

interface CheckOptions {
  readonly deleteRetentionMs: number;
  readonly nowMs: number;
}

async function check(log: PartitionLog, model: Model, options: CheckOptions): Promise<void> {
  expect(log.logEndOffset).toBe(model.logEnd);
  // A marker removed while its transaction was open in the log's eyes would leave the LSO stuck (or moved).
  expect(log.firstUnstableOffset, 'first unstable offset').toBe(model.firstUnstableOffset());
  // The producer state (rebuilt from the cleaned log after a crash) keeps every producer's epoch.
  for (const [producerId, producer] of model.producers) {
    if (producer.inLog)
      expect(log.producers.entry(producerId)?.producerEpoch, `producer ${producerId}'s epoch`).toBe(
        producer.epoch,
      );
  }
  const batches = await readBatches(log);
  const present = checkBatches(log, model, batches);
  checkMarkers(model, batches, present.markers, options);
  await checkReadCommitted(log, model, batches, {
    present: present.records,
    tombstonesKept: options.deleteRetentionMs === Number.MAX_SAFE_INTEGER,
  });
}

/** Every batch read is the one appended at its offset; nothing dirty or open is gone. */
function checkBatches(log: PartitionLog, model: Model, batches: readonly ReadBatch[]) {
  const byOffset = new Map(model.records.map((record) => [record.offset, record]));
  const records = new Set<number>();
  const markers = new Set<number>();
  for (const batch of batches) {
    if (batch.isControl) {
      expect(model.markers.has(batch.baseOffset), `marker at ${batch.baseOffset}`).toBe(true);
      markers.add(batch.baseOffset);
      continue;
    }
    for (const read of batch.records) {
      const record = byOffset.get(read.offset);
      expect(read, `record at ${read.offset}`).toEqual({
        offset: read.offset,
        key: record?.key,
        value: record?.value,
      });
      const txn = record?.txn ?? null;
      expect(batch.isTransactional, `transactional flag at ${read.offset}`).toBe(txn !== null);
      if (txn !== null) expect(batch.producerId).toBe(model.txns[txn]?.producer);
      records.add(read.offset);
    }
  }
  const firstDirty = log.cleanableState(0, model.logEnd)?.firstDirtyOffset ?? 0;
  for (const record of model.records) {
    const untouchable = record.offset >= firstDirty || model.status(record) === 'open';
    if (untouchable) expect(records.has(record.offset), `untouched ${record.offset}`).toBe(true);
  }
  for (const offset of model.markers.keys()) {
    if (offset >= firstDirty) expect(markers.has(offset), `untouched marker ${offset}`).toBe(true);
  }
  return { records, markers };
}

/**
 * A marker stays while any batch of its transaction (an emptied header too) is in the log, and goes only
 * after delete.retention.ms from when a pass first covered it (its segment's first clean is no earlier).
 */
function checkMarkers(
  model: Model,
  batches: readonly ReadBatch[],
  presentMarkers: ReadonlySet<number>,
  options: CheckOptions,
): void {
  for (const txn of model.txns) {
    if (txn.markerOffset === undefined) continue;
    const marker = txn.markerOffset;
    const dataLeft = batches.some(
      (batch) =>
        !batch.isControl &&
        batch.isTransactional &&
        batch.producerId === txn.producer &&
        batch.baseOffset >= txn.firstOffset &&
        batch.lastOffset < marker,
    );
    if (dataLeft) expect(presentMarkers.has(marker), `marker ${marker} with its data left`).toBe(true);
  }
  for (const offset of model.markers.keys()) {
    if (presentMarkers.has(offset)) continue;
    const coveredAtMs = model.markersCoveredAtMs.get(offset);
    expect(coveredAtMs, `marker ${offset} removed before any pass covered it`).toBeDefined();
    if (coveredAtMs === undefined) continue;
    expect(
      options.nowMs - coveredAtMs,
      `marker ${offset} removed before delete.retention.ms ${options.deleteRetentionMs}`,
    ).toBeGreaterThanOrEqual(options.deleteRetentionMs);
  }
}

/**
 * read_committed up to the last stable offset: no aborted record, every committed or plain one the log
 * holds, and per key the last value read is the key's last committed or plain one below the last stable
 * offset (nothing, or that same tombstone, when it is a tombstone the cleaner may have removed).
 */
async function checkReadCommitted(
  log: PartitionLog,
  model: Model,
  batches: readonly ReadBatch[],
  input: { readonly present: ReadonlySet<number>; readonly tombstonesKept: boolean },
): Promise<void> {
  const byOffset = new Map(model.records.map((record) => [record.offset, record]));
  const lastStable = log.firstUnstableOffset ?? model.logEnd;
  const aborted = await log.abortedTransactions(log.logStartOffset, lastStable);
  checkAbortedIndex(model, batches, aborted, lastStable);
  const committedView = readCommitted(batches, aborted, lastStable);
  const seen = new Set(committedView.map((read) => read.offset));
  for (const read of committedView) {
    const record = byOffset.get(read.offset);
    expect(record !== undefined && model.visible(record), `read_committed shows ${read.offset}`).toBe(true);
  }
  for (const offset of input.present) {
    const record = byOffset.get(offset);
    if (record !== undefined && model.visible(record) && offset < lastStable) {
      expect(seen.has(offset), `read_committed hides ${offset}`).toBe(true);
    }
  }
  const lastRead = new Map<string, { offset: number; key: string | null; value: string | null }>();
  for (const read of committedView) if (read.key !== null) lastRead.set(read.key, read);
  const newest = new Map<string, ModelRecord>();
  for (const record of model.records) {
    if (record.key !== null && record.offset < lastStable && model.visible(record))
      newest.set(record.key, record);
  }
  for (const [key, record] of newest) {
    const expected = { offset: record.offset, key: record.key, value: record.value };
    const read = lastRead.get(key);
    if (record.value !== null || input.tombstonesKept) expect(read, `key ${key}`).toEqual(expected);
    else if (read !== undefined) expect(read, `key ${key} (tombstone)`).toEqual(expected);
  }
  for (const key of lastRead.keys()) expect(newest.has(key), `key ${key} read`).toBe(true);
}

/**
 * The aborted-transaction indexes list every aborted transaction with data left in the log (below the last
 * stable offset), from at most its first batch left; and nothing whose ABORT marker is gone.
 */
function checkAbortedIndex(
  model: Model,
  batches: readonly ReadBatch[],
  aborted: readonly AbortedTransaction[],
  lastStable: number,
): void {
  const markersLeft = new Set(batches.filter((batch) => batch.isControl).map((batch) => batch.baseOffset));
  for (const entry of aborted) {
    expect(model.abortMarkers.has(entry.lastOffset), `index entry at ${entry.lastOffset}`).toBe(true);
    expect(markersLeft.has(entry.lastOffset), `index entry of removed marker ${entry.lastOffset}`).toBe(true);
  }
  for (const txn of model.txns) {
    const marker = txn.markerOffset;
    if (txn.outcome !== 'abort' || marker === undefined || marker >= lastStable) continue;
    const first = batches.find(
      (batch) =>
        !batch.isControl &&
        batch.producerId === txn.producer &&
        batch.baseOffset >= txn.firstOffset &&
        batch.lastOffset < marker,
    );
    if (first === undefined) continue;
    const listed = aborted.find((entry) => entry.producerId === txn.producer && entry.lastOffset === marker);
    expect(listed, `aborted transaction ending at ${marker} listed`).toBeDefined();
    expect(listed?.firstOffset ?? Number.MAX_SAFE_INTEGER).toBeLessThanOrEqual(first.baseOffset);
  }
}

/**
 * After a crash the producer state is rebuilt from the cleaned log: each producer's epoch must still fence
 * an older one, and its next batch (in sequence, in its epoch) must be taken, so the batches and markers
 * holding them survived cleaning.
 */
async function checkProducersSurvived(log: PartitionLog, model: Model, nowMs: number): Promise<void> {
  for (const [producerId, producer] of model.producers) {
    const batch = (epoch: number, baseSequence: number) =>
      keyedBatch({
        records: [{ key: 'z', value: 'after' }],
        timestampMs: nowMs,
        producerId,
        producerEpoch: epoch,
        baseSequence,
        isTransactional: true,
      });
    if (producer.epoch > 0) {
      await expect(
        log.append(batch(producer.epoch - 1, 0), { leaderEpoch: 0, assignOffsets: true }),
        `producer ${producerId}'s older epoch`,
      ).rejects.toMatchObject({ code: 'INVALID_PRODUCER_EPOCH' });
    }
    const appended = await log.append(batch(producer.epoch, producer.nextSequence), {
      leaderEpoch: 0,
      assignOffsets: true,
    });
    expect(appended.duplicate ?? false, `producer ${producerId}'s next batch`).toBe(false);
  }
}

const property = () =>
  fc.asyncProperty(
    fc.array(opArb, { minLength: 30, maxLength: 120 }),
    fc.constantFrom(0, 30_000, Number.MAX_SAFE_INTEGER),
    (ops, deleteRetentionMs) => run(ops, deleteRetentionMs),
  );

describe('the cleaner with transactions against the reference', () => {
  it('removes aborted data, compacts committed data, keeps markers while needed and open transactions whole', async () => {
    const seed = Number(process.env.CLEANER_TXN_PROPERTY_SEED ?? Date.now() % 2 ** 31);
    process.stdout.write(
      `cleaner transactions property seed ${seed} (CLEANER_TXN_PROPERTY_SEED=${seed} replays)\n`,
    );
    await fc.assert(property(), {
      seed,
      numRuns: Number(process.env.CLEANER_TXN_PROPERTY_RUNS ?? 30),
      // Shrinking a long failing run can take many minutes: past this the failure is reported as it
      // stands (with its seed and path), and a run that is merely slow fails too rather than passing short.
      interruptAfterTimeLimit: 120_000,
      markInterruptAsFailure: true,
    });
  }, 180_000);

  it('replays found failures: a pass whose bound fell inside a batch (seed 1374570467)', async () => {
    // The counterexample fast-check found (path 5): an unbounded pass whose bound, 42, fell inside batch
    // 41..43 reported 42 as its map's end without mapping that batch, so the superseded committed value of
    // key e at 25 stayed below it.
    await fc.assert(property(), { seed: 1374570467, path: '5', numRuns: 1, endOnFailure: true });
  }, 60_000);
});
