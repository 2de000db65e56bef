/**
 * Power loss under the partition log (issue 16 item 2). The log runs on a SimulatedDisk (testing/), which
 * keeps writes in a page cache; random appends (batch sizes, idempotent producers, leader epochs), flushes,
 * segment rolls (small segments), truncations, DeleteRecords, size retention and clean closes are followed
 * by a crash (power loss, with or without torn writes), and the log is opened again on what the disk kept.
 * What recovery must give, checked after every crash:
 * - opening never throws;
 * - everything flushed (flush(), flushDurable(), a clean close, or below the log's own durableEndOffset)
 *   before the crash is there, byte for byte;
 * - what is there is a contiguous run of the batches appended, each byte for byte at its offset: no hole,
 *   no garbage, no reordering, nothing from past the last truncation; it starts at or after the last
 *   DeleteRecords / restart offset (those are durable before they take effect) and ends at or before what
 *   was appended;
 * - the leader-epoch cache agrees with the epochs the batches carry; the producer state's last batch of
 *   every producer is its last batch in the log; the log-start checkpoint holds (above).
 * `LOG_POWER_LOSS_SEED=n` replays a run (the seed is printed); `LOG_POWER_LOSS_RUNS` sets the runs.
 */
import { ManualClock } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { V2 } from './batch-codec.js';
import type { LogConfig } from './config.js';
import { createdDirectoriesToSync } from './log-directory.js';
import { type LogLogger, PartitionLog } from './partition-log.js';
import { baseOffsetOf, buildBatch, splitBatches } from './test-batches.js';
import { SimulatedDisk } from './testing/simulated-disk.js';

const DIR = '/data/topic-0';

/** What the runs went through, so the test shows it did crash logs mid-write (it could pass vacuously). */
const seen = { crashes: 0, crashesInsideOperations: 0, unflushedLost: 0, tornTailsCut: 0 };
const countingLogger: LogLogger = (_level, message) => {
  if (message === 'recovery truncated a segment') seen.tornTailsCut++;
};
const PRODUCER_IDS = [-1, 7, 8, 9] as const;

type Op =
  | { kind: 'append'; recordCounts: number[]; payloadBytes: number; epochBump: number; producer: number }
  | { kind: 'flush' }
  | { kind: 'flushDurable' }
  | { kind: 'truncate'; offsetFraction: number }
  | { kind: 'deleteRecords'; offsetFraction: number }
  | { kind: 'retention' }
  | { kind: 'reopen' }
  | { kind: 'crash'; tornWrites: boolean };

function fraction(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
}

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      recordCounts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
      payloadBytes: fc.integer({ min: 0, max: 400 }),
      epochBump: fc.integer({ min: 0, max: 6 }).map((n) => (n === 0 ? 1 : 0)),
      producer: fc.constantFrom(...PRODUCER_IDS),
    }),
    weight: 10,
  },
  { arbitrary: fc.constant({ kind: 'flush' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'flushDurable' as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), offsetFraction: fraction() }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('deleteRecords' as const), offsetFraction: fraction() }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: 'retention' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reopen' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('crash' as const), tornWrites: fc.boolean() }), weight: 3 },
);

interface Scenario {
  readonly ops: readonly Op[];
  readonly diskSeed: number;
  readonly config: Partial<LogConfig>;
  /** A power loss right after this many fsyncs (inside whatever operation is running then). */
  readonly crashAtSync: { readonly syncs: number; readonly tornWrites: boolean } | null;
}

/** What the test knows: every batch of the current history by base offset, and what must survive. */
class Expectations {
  /** Batches (as the log stored them) by base offset; a truncation removes those at and past the cut. */
  readonly history = new Map<number, Buffer>();
  appendedEnd = 0;
  /** Everything below was flushed (or closed cleanly): a crash must keep it. */
  durableEnd = 0;
  /** DeleteRecords and restarts are durable before they take effect: the log never starts below this. */
  startFloor = 0;

  /** Where a truncation to `offset` ends the log: the base of the batch holding it (whole batches go). */
  cutPointFor(offset: number): number {
    for (const [base, batch] of this.history)
      if (base <= offset && offset <= lastOffsetOf(batch)) return base;
    return offset;
  }

  cutAt(offset: number): void {
    for (const base of [...this.history.keys()]) if (base >= offset) this.history.delete(base);
    this.appendedEnd = Math.min(this.appendedEnd, offset);
    this.durableEnd = Math.min(this.durableEnd, offset);
  }
}

function lastOffsetOf(batch: Buffer): number {
  return baseOffsetOf(batch) + batch.readInt32BE(V2.lastOffsetDelta);
}

async function readAll(log: PartitionLog): Promise<Buffer[]> {
  const batches: Buffer[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const part = await log.read(offset, { maxBytes: 1024 * 1024 });
    expect(part.nextOffset).toBeGreaterThan(offset);
    batches.push(...splitBatches(part.bytes));
    offset = part.nextOffset;
  }
  return batches;
}

/** The promises listed in the header, on the log just reopened after a crash. */
async function checkRecovered(log: PartitionLog, known: Expectations): Promise<Buffer[]> {
  const start = log.logStartOffset;
  const end = log.logEndOffset;
  expect(end, 'everything flushed survives').toBeGreaterThanOrEqual(known.durableEnd);
  expect(end, 'nothing past what was appended').toBeLessThanOrEqual(known.appendedEnd);
  expect(start, 'the durable log start holds').toBeGreaterThanOrEqual(Math.min(known.startFloor, end));
  const batches = await readAll(log);
  let expectedBase: number | null = null;
  for (const batch of batches) {
    const base = baseOffsetOf(batch);
    if (expectedBase !== null) expect(base, 'no hole, no reordering').toBe(expectedBase);
    const appended = known.history.get(base);
    expect(appended, `batch ${base} was appended`).toBeDefined();
    expect(appended?.equals(batch), `batch ${base} is byte for byte what was appended`).toBe(true);
    expectedBase = lastOffsetOf(batch) + 1;
  }
  if (batches.length > 0) expect(expectedBase).toBe(end);
  checkEpochs(log, batches);
  checkProducers(log, batches);
  return batches;
}

/** Every batch at or past the cache's first entry is covered by the entry of its own epoch. */
function checkEpochs(log: PartitionLog, batches: readonly Buffer[]): void {
  const entries = log.leaderEpochEntries;
  for (const entry of entries) expect(entry.startOffset).toBeLessThan(Math.max(log.logEndOffset, 1));
  const first = entries[0];
  if (first === undefined) return;
  for (const batch of batches) {
    const epoch = batch.readInt32BE(V2.partitionLeaderEpoch);
    if (lastOffsetOf(batch) < first.startOffset || epoch < 0) continue;
    const covering = entries
      .filter((entry) => entry.startOffset <= Math.max(baseOffsetOf(batch), first.startOffset))
      .pop();
    expect(covering?.epoch, `the epoch of batch ${baseOffsetOf(batch)}`).toBe(epoch);
  }
}

function checkProducers(log: PartitionLog, batches: readonly Buffer[]): void {
  for (const producerId of PRODUCER_IDS) {
    if (producerId < 0) continue;
    const last = batches.filter((batch) => Number(batch.readBigInt64BE(V2.producerId)) === producerId).pop();
    if (last === undefined) continue;
    const entry = log.producers.entry(producerId);
    expect(entry?.batches.at(-1)?.lastOffset, `producer ${producerId}'s last batch`).toBe(lastOffsetOf(last));
  }
}

function nextSequence(log: PartitionLog, producerId: number): number {
  const last = log.producers.entry(producerId)?.batches.at(-1);
  return last === undefined ? 0 : last.lastSequence + 1;
}

interface Run {
  readonly disk: SimulatedDisk;
  readonly clock: ManualClock;
  readonly known: Expectations;
  readonly open: () => Promise<PartitionLog>;
  log: PartitionLog;
  epoch: number;
}

async function applyOp(run: Run, op: Op): Promise<void> {
  const { known, clock } = run;
  const log = run.log;
  switch (op.kind) {
    case 'append': {
      run.epoch += op.epochBump;
      const producing = op.producer >= 0;
      let sequence = producing ? nextSequence(log, op.producer) : -1;
      const batches = op.recordCounts.map((recordCount, i) => {
        const batch = buildBatch({
          recordCount,
          payloadBytes: op.payloadBytes,
          fill: (log.logEndOffset + i) & 0xff,
          timestampMs: clock.wallMs(),
          ...(producing ? { producerId: op.producer, producerEpoch: 0, baseSequence: sequence } : {}),
        });
        if (producing) sequence += recordCount;
        return batch;
      });
      // Recorded before the append: a crash inside it may keep any part of it. The log stamps the base
      // offsets (from its end) and the leader epoch into the headers, outside the CRC: so does this copy.
      let nextOffset = log.logEndOffset;
      for (const batch of batches) {
        const stored = Buffer.from(batch);
        stored.writeBigInt64BE(BigInt(nextOffset), V2.baseOffset);
        stored.writeInt32BE(run.epoch, V2.partitionLeaderEpoch);
        known.history.set(nextOffset, stored);
        nextOffset = lastOffsetOf(stored) + 1;
      }
      known.appendedEnd = nextOffset;
      const result = await log.append(Buffer.concat(batches), {
        leaderEpoch: run.epoch,
        assignOffsets: true,
      });
      expect(result.duplicate).not.toBe(true);
      expect(result.logEndOffset).toBe(nextOffset);
      return;
    }
    case 'flush':
      await log.flush();
      known.durableEnd = log.logEndOffset;
      return;
    case 'flushDurable': {
      // --durability fsync's group commit: what it reports durable must survive.
      const durableEnd = await log.flushDurable();
      expect(durableEnd).toBe(log.logEndOffset);
      known.durableEnd = Math.max(known.durableEnd, durableEnd);
      return;
    }
    case 'truncate': {
      const offset =
        log.logStartOffset + Math.floor((log.logEndOffset - log.logStartOffset) * op.offsetFraction);
      const below = offset <= log.logStartOffset;
      if (offset < log.logEndOffset) {
        // A crash inside the truncation may already have made its cut (and a lowered start) durable.
        const cut = below ? offset : known.cutPointFor(offset);
        known.durableEnd = Math.min(known.durableEnd, cut);
        known.startFloor = Math.min(known.startFloor, cut);
      }
      await log.truncateTo(offset);
      known.cutAt(log.logEndOffset);
      // Below the start the log restarts there (durably); a cut below a start inside a batch lowers the
      // start to the new end (durably too), as Kafka's truncation does.
      known.startFloor = below ? log.logStartOffset : Math.min(known.startFloor, log.logStartOffset);
      return;
    }
    case 'deleteRecords': {
      const offset =
        log.logStartOffset + Math.floor((log.logEndOffset - log.logStartOffset) * op.offsetFraction);
      known.startFloor = Math.max(known.startFloor, await log.advanceLogStartOffset(offset));
      return;
    }
    case 'retention':
      await log.applyRetention(clock.wallMs());
      return;
    case 'reopen':
      await log.close();
      known.durableEnd = log.logEndOffset;
      run.log = await run.open();
      return;
    case 'crash':
      // Between operations the log's own claim (durableEndOffset) must hold too.
      known.durableEnd = Math.max(known.durableEnd, log.durableEndOffset);
      run.disk.crash({ tornWrites: op.tornWrites });
      await recoverAfterCrash(run);
      return;
  }
}

/** The machine is back: reopen on what the disk kept, check it, and take it as the history from now on. */
async function recoverAfterCrash(run: Run): Promise<void> {
  const { known } = run;
  await run.log.closeWithoutMarker();
  const appendedEnd = known.appendedEnd;
  run.log = await run.open();
  const batches = await checkRecovered(run.log, known);
  seen.crashes++;
  if (run.log.logEndOffset < appendedEnd) seen.unflushedLost++;
  known.cutAt(run.log.logEndOffset);
  for (const batch of batches) known.history.set(baseOffsetOf(batch), batch);
  known.durableEnd = run.log.logEndOffset;
  known.appendedEnd = run.log.logEndOffset;
  run.epoch = Math.max(run.epoch, run.log.leaderEpochEntries.at(-1)?.epoch ?? 0);
}

async function runScenario(
  { ops, diskSeed, config, crashAtSync }: Scenario,
  disk = new SimulatedDisk({ seed: diskSeed }),
): Promise<void> {
  const clock = new ManualClock(0);
  const open = () => PartitionLog.open({ dir: DIR, config, clock, fs: disk, logger: countingLogger });
  if (crashAtSync !== null) disk.crashAtSync(crashAtSync.syncs, { tornWrites: crashAtSync.tornWrites });
  const run: Run = { disk, clock, known: new Expectations(), open, log: await open(), epoch: 0 };
  for (const op of ops) {
    clock.advance(10);
    try {
      await applyOp(run, op);
    } catch (error) {
      // The scheduled power loss struck inside the operation: everything after it failed with EIO.
      if (!disk.poweredOff) throw error;
    }
    // (Or right after the operation's last fsync, which then returned as if nothing happened.)
    if (disk.poweredOff) {
      seen.crashesInsideOperations++;
      disk.powerOn();
      await recoverAfterCrash(run);
    }
  }
  disk.cancelScheduledCrash();
  disk.crash({ tornWrites: true });
  await recoverAfterCrash(run);
}

describe('PartitionLog under power loss (SimulatedDisk)', () => {
  it('recovers a contiguous, byte-exact run of what was appended, keeping all that was flushed', async () => {
    const seed = Number(process.env.LOG_POWER_LOSS_SEED ?? Date.now() % 2 ** 31);
    const numRuns = Number(process.env.LOG_POWER_LOSS_RUNS ?? 150);
    process.stdout.write(`log power-loss seed ${seed} (LOG_POWER_LOSS_SEED=${seed} replays)\n`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArbitrary, { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1024, max: 4096 }),
        fc.integer({ min: 2048, max: 12_000 }),
        fc.option(fc.record({ syncs: fc.integer({ min: 1, max: 80 }), tornWrites: fc.boolean() })),
        async (ops, diskSeed, indexIntervalBytes, segmentBytes, retentionBytes, crashAtSync) => {
          const config = { indexIntervalBytes, segmentBytes, retentionBytes, retentionMs: -1 };
          await runScenario({ ops, diskSeed, config, crashAtSync });
        },
      ),
      { seed, numRuns },
    );
    process.stdout.write(`log power-loss: ${JSON.stringify(seen)} over ${numRuns} runs\n`);
    if (numRuns >= 100) {
      expect(seen.unflushedLost, 'crashes lost unflushed appends').toBeGreaterThan(0);
      expect(seen.tornTailsCut, 'recovery cut torn tails').toBeGreaterThan(0);
      expect(seen.crashesInsideOperations, 'crashes struck inside operations').toBeGreaterThan(0);
    }
  }, 300_000);

  it('recovers after a power loss at every fsync boundary of a fixed workload, with and without torn writes', async () => {
    const append = (producer: number, payloadBytes: number, epochBump = 0): Op => ({
      kind: 'append',
      recordCounts: [2, 3],
      payloadBytes,
      epochBump,
      producer,
    });
    const ops: Op[] = [
      append(7, 300, 1),
      append(-1, 200),
      { kind: 'flush' },
      append(8, 400, 1),
      append(7, 350),
      append(-1, 100),
      { kind: 'flush' },
      { kind: 'deleteRecords', offsetFraction: 0.3 },
      append(8, 300),
      { kind: 'truncate', offsetFraction: 0.8 },
      append(7, 250, 1),
      { kind: 'retention' },
      { kind: 'reopen' },
      append(9, 300),
      { kind: 'flush' },
    ];
    const config = { indexIntervalBytes: 200, segmentBytes: 1200, retentionBytes: 2500, retentionMs: -1 };
    const dryRun = new SimulatedDisk({ seed: 0 });
    await runScenario({ ops, diskSeed: 0, config, crashAtSync: null }, dryRun);
    const syncs = dryRun.counters.fileSyncs + dryRun.counters.directorySyncs;
    expect(syncs).toBeGreaterThan(20);
    process.stdout.write(`log power-loss: crashing the fixed workload at each of its ${syncs} fsyncs\n`);
    for (let at = 1; at <= syncs; at++) {
      for (const tornWrites of [false, true]) {
        await runScenario({ ops, diskSeed: at, config, crashAtSync: { syncs: at, tornWrites } });
      }
    }
  });

  it('keeps a new partition that was flushed: its directory is fsynced into its parent (regression)', async () => {
    const disk = new SimulatedDisk({ seed: 1 });
    const clock = new ManualClock(0);
    const log = await PartitionLog.open({ dir: DIR, clock, fs: disk });
    // The epoch checkpoint's atomic write fsyncs the partition's directory, but never its parent.
    await log.append(buildBatch({ recordCount: 3 }), { leaderEpoch: 0, assignOffsets: true });
    await log.flush();
    disk.crash();
    await log.closeWithoutMarker();
    const reopened = await PartitionLog.open({ dir: DIR, clock, fs: disk });
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([0, 3]);
  });

  it('lists the directories a recursive mkdir made, parents first', () => {
    expect(createdDirectoriesToSync('/data', '/data/topic-0')).toEqual(['/', '/data', '/data/topic-0']);
    expect(createdDirectoriesToSync('/data/topic-0', '/data/topic-0')).toEqual(['/data', '/data/topic-0']);
  });
});
