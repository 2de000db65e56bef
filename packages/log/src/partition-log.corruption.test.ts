/**
 * Corrupted segment, index and checkpoint files on restart (issue 6 item 3): whatever the damage,
 * opening the log recovers — it keeps every batch before the damage byte for byte, truncates at the
 * first bad batch, rebuilds indexes — and the log takes appends again. fast-check chooses the damage
 * positions and contents; each run works in a fresh directory.
 */
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { V2 } from './batch-codec.js';
import type { LogConfig } from './config.js';
import { EPOCH_CHECKPOINT_FILE, RECOVERY_POINT_FILE } from './log-directory.js';
import { LOG_START_OFFSET_FILE } from './log-start-offset.js';
import { PartitionLog } from './partition-log.js';
import { PRODUCER_SNAPSHOT_FILE } from './producer-snapshot.js';
import { baseOffsetOf, buildBatch, splitBatches } from './test-batches.js';

const CONFIG: Partial<LogConfig> = { segmentBytes: 1024, indexIntervalBytes: 128 };
/** buildBatch() with the default 16-byte payload. */
const BATCH_BYTES = V2.records + 16;
const NUM_RUNS = 40;

interface Written {
  readonly dir: string;
  readonly batches: readonly Buffer[];
}

/** Opens a log in a fresh directory, appends `count` batches (epochs 1 then 2), and returns what was written. */
async function writeLog(
  count: number,
  options: { producers?: boolean } = {},
): Promise<Written & { log: PartitionLog }> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-log-corruption-'));
  const log = await PartitionLog.open({ dir, config: CONFIG, clock: new ManualClock(1_000_000) });
  for (let i = 0; i < count; i++) {
    const producer = options.producers === true ? { producerId: 7, producerEpoch: 0, baseSequence: i } : {};
    await log.append(buildBatch({ fill: i % 256, timestampMs: 1_000 + i, ...producer }), {
      leaderEpoch: i < count / 2 ? 1 : 2,
      assignOffsets: true,
    });
  }
  const batches = await readAll(log);
  expect(batches).toHaveLength(count);
  return { dir, batches, log };
}

async function readAll(log: PartitionLog): Promise<Buffer[]> {
  const batches: Buffer[] = [];
  let offset = log.logStartOffset;
  for (let reads = 0; offset < log.logEndOffset; reads++) {
    expect(reads).toBeLessThan(10_000);
    const result = await log.read(offset, { maxBytes: 4096 });
    expect(result.nextOffset).toBeGreaterThan(offset);
    batches.push(...splitBatches(result.bytes).map((b) => Buffer.from(b)));
    offset = result.nextOffset;
  }
  return batches;
}

async function reopen(dir: string): Promise<PartitionLog> {
  return PartitionLog.open({ dir, config: CONFIG, clock: new ManualClock(2_000_000) });
}

async function filesEnding(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(suffix)).sort();
}

/**
 * After recovery: the log holds exactly the first `kept` batches as written, every offset is readable
 * through the (rebuilt) indexes, and appends continue right after them.
 */
async function expectRecovered(log: PartitionLog, written: readonly Buffer[], kept: number): Promise<void> {
  expect(log.logEndOffset).toBe(kept);
  const batches = await readAll(log);
  expect(batches.length).toBe(kept);
  for (let i = 0; i < kept; i++)
    expect(batches[i]?.equals(written[i] ?? Buffer.alloc(0)), `batch ${i}`).toBe(true);
  for (let offset = 0; offset < kept; offset++) {
    const result = await log.read(offset, { maxBytes: 1 });
    expect(baseOffsetOf(result.bytes)).toBe(offset);
  }
  if (kept > 0) expect(await log.offsetForTimestamp(1_000 + kept - 1)).toBe(kept - 1);
  const appended = await log.append(buildBatch({ fill: 0xee }), { leaderEpoch: 3, assignOffsets: true });
  expect(appended.baseOffset).toBe(kept);
  expect(log.leaderEpochEntries.every((entry) => entry.startOffset <= kept)).toBe(true);
}

async function withDir<T>(dir: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('segment files damaged while the broker was down (after a crash)', () => {
  it('a truncated .log tail keeps every whole batch before the cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.nat(), async (count, cutSeed) => {
        const { dir, batches, log } = await writeLog(count);
        await withDir(dir, async () => {
          await log.closeWithoutMarker();
          const logs = await filesEnding(dir, '.log');
          const active = join(dir, logs[logs.length - 1] ?? '');
          const size = (await stat(active)).size;
          const cut = cutSeed % (size + 1);
          await truncate(active, cut);
          const activeBase = count - size / BATCH_BYTES;
          const recovered = await reopen(dir);
          await expectRecovered(recovered, batches, activeBase + Math.floor(cut / BATCH_BYTES));
          await recovered.close();
        });
      }),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);

  it('garbage appended to the .log keeps every batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        async (count, garbage) => {
          const { dir, batches, log } = await writeLog(count);
          await withDir(dir, async () => {
            await log.closeWithoutMarker();
            const logs = await filesEnding(dir, '.log');
            await writeFile(join(dir, logs[logs.length - 1] ?? ''), garbage, { flag: 'a' });
            const recovered = await reopen(dir);
            await expectRecovered(recovered, batches, count);
            await recovered.close();
          });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);

  // Every byte but the partition leader epoch: RecordBatch v2 leaves it (and the base offset) outside
  // the CRC so that the leader can stamp it; a flipped base offset breaks the offset sequence, which
  // recovery checks, but a flipped epoch reads as a plausible epoch (in Kafka too).
  const damagedPosition = fc
    .integer({ min: 0, max: BATCH_BYTES - 1 - 4 })
    .map((p) => (p >= V2.partitionLeaderEpoch ? p + 4 : p));

  it('a flipped byte in the last batch loses that batch only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        damagedPosition,
        fc.integer({ min: 1, max: 255 }),
        async (count, position, xor) => {
          const { dir, batches, log } = await writeLog(count);
          await withDir(dir, async () => {
            await log.closeWithoutMarker();
            const logs = await filesEnding(dir, '.log');
            const active = join(dir, logs[logs.length - 1] ?? '');
            const bytes = await readFile(active);
            const at = bytes.length - BATCH_BYTES + position;
            bytes.writeUInt8((bytes.readUInt8(at) ^ xor) & 0xff, at);
            await writeFile(active, bytes);
            const recovered = await reopen(dir);
            await expectRecovered(recovered, batches, count - 1);
            await recovered.close();
          });
        },
      ),
      { numRuns: NUM_RUNS * 2 },
    );
  }, 60_000);
});

describe('index files damaged (after a crash or a clean shutdown)', () => {
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('missing' as const) }),
    fc.record({ kind: fc.constant('truncated' as const), keep: fc.nat() }),
    fc.record({
      kind: fc.constant('garbage' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }),
    }),
    fc.record({
      kind: fc.constant('appended' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
  );

  it('truncated, garbage or missing .index and .timeindex files are rebuilt', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.constantFrom('.index', '.timeindex'),
        damage,
        async (count, clean, suffix, hurt) => {
          const { dir, batches, log } = await writeLog(count);
          await withDir(dir, async () => {
            if (clean) await log.close();
            else await log.closeWithoutMarker();
            for (const name of await filesEnding(dir, suffix)) {
              const path = join(dir, name);
              if (hurt.kind === 'missing') await rm(path);
              else if (hurt.kind === 'truncated')
                await truncate(path, hurt.keep % ((await stat(path)).size + 1));
              else if (hurt.kind === 'garbage') await writeFile(path, hurt.bytes);
              else await writeFile(path, hurt.bytes, { flag: 'a' });
            }
            const recovered = await reopen(dir);
            await expectRecovered(recovered, batches, count);
            await recovered.close();
          });
        },
      ),
      { numRuns: NUM_RUNS * 2 },
    );
  }, 90_000);
});

describe('checkpoint and snapshot files damaged', () => {
  const garbage = fc.oneof(
    fc.constant(Buffer.alloc(0)),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((a) => Buffer.from(a)),
    fc
      .constantFrom('0\n', '0\n5\n1 0\n', '0\n1\nx y\n', '-1\n', '99999999999999999999\n')
      .map((s) => Buffer.from(s)),
  );

  it('a corrupt leader-epoch checkpoint, recovery point, log start checkpoint or producer snapshot still opens the log with every batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          EPOCH_CHECKPOINT_FILE,
          RECOVERY_POINT_FILE,
          LOG_START_OFFSET_FILE,
          PRODUCER_SNAPSHOT_FILE,
        ),
        garbage,
        fc.boolean(),
        async (file, bytes, clean) => {
          const { dir, batches, log } = await writeLog(12, { producers: true });
          await withDir(dir, async () => {
            if (clean) await log.close();
            else await log.closeWithoutMarker();
            await writeFile(join(dir, file), bytes);
            const recovered = await reopen(dir);
            // Rebuilt from the batches' own epochs when the checkpoint is bad: the same entries as written.
            expect(recovered.leaderEpochEntries).toEqual([
              { epoch: 1, startOffset: 0 },
              { epoch: 2, startOffset: 6 },
            ]);
            await expectRecovered(recovered, batches, 12);
            // The producer's next sequence is still known (rebuilt from the log when the snapshot is bad).
            const next = await recovered.append(
              buildBatch({ fill: 1, producerId: 7, producerEpoch: 0, baseSequence: 12 }),
              { leaderEpoch: 3, assignOffsets: true },
            );
            expect(next.baseOffset).toBe(13);
            await recovered.close();
          });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 90_000);
});

describe('regressions', () => {
  it('a leader-epoch checkpoint with a negative epoch is rebuilt from the batches instead of failing an assertion', async () => {
    const { dir, log } = await writeLog(4);
    await withDir(dir, async () => {
      await log.close();
      await writeFile(join(dir, EPOCH_CHECKPOINT_FILE), '0\n1\n-1 0\n');
      const recovered = await reopen(dir);
      expect(recovered.leaderEpochEntries).toEqual([
        { epoch: 1, startOffset: 0 },
        { epoch: 2, startOffset: 2 },
      ]);
      expect(await readFile(join(dir, EPOCH_CHECKPOINT_FILE), 'utf8')).toBe('0\n2\n1 0\n2 2\n');
      await recovered.close();
    });
  });

  it('a missing leader-epoch checkpoint next to a non-empty log is rebuilt from the batches', async () => {
    const { dir, log } = await writeLog(4);
    await withDir(dir, async () => {
      await log.closeWithoutMarker();
      await rm(join(dir, EPOCH_CHECKPOINT_FILE));
      const recovered = await reopen(dir);
      expect(recovered.endOffsetForEpoch(1)).toEqual({ leaderEpoch: 1, endOffset: 2 });
      await recovered.close();
    });
  });
});

describe('a damaged tail of a transactional partition (the chaos corrupt nemesis after a SIGKILL)', () => {
  const marker = (producerId: number, kind: 'commit' | 'abort') =>
    encodeControlBatch({
      producerId,
      producerEpoch: 0,
      marker: kind,
      coordinatorEpoch: 0,
      timestampMs: 1_000,
    });

  /** Producer 9's transaction of `count` batches, then its ABORT marker, with a closed transaction before. */
  async function writeTransactions(dir: string, count: number): Promise<PartitionLog> {
    const log = await PartitionLog.open({ dir, config: CONFIG, clock: new ManualClock(1_000_000) });
    const data = (sequence: number, producerId: number) =>
      encodeRecordBatch({
        producerId,
        producerEpoch: 0,
        baseSequence: sequence,
        isTransactional: true,
        records: [{ key: null, value: Buffer.from(`p${producerId}-${sequence}`), timestampMs: 1_000 }],
      });
    await log.append(data(0, 8), { leaderEpoch: 0, assignOffsets: true });
    await log.append(marker(8, 'commit'), { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' });
    for (let i = 0; i < count; i++) await log.append(data(i, 9), { leaderEpoch: 0, assignOffsets: true });
    await log.append(marker(9, 'abort'), { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' });
    return log;
  }

  it('a flipped byte in the last batch (an ABORT marker) reopens the transaction it closed', async () => {
    // (After a clean shutdown the open does not scan the segments, as Kafka's: a consumer's CRC check finds
    // such damage. The corrupt nemesis damages the disk after a SIGKILL.)
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 255 }),
        async (count, cleanClose, xor) => {
          const dir = await mkdtemp(join(tmpdir(), 'tributary-log-corruption-txn-'));
          await withDir(dir, async () => {
            const log = await writeTransactions(dir, count);
            const end = log.logEndOffset;
            expect(await log.abortedTransactions(0, end)).toHaveLength(1);
            // A clean close first writes the producer snapshot at the end, past what the damage leaves; the
            // crash (an unclean close: only then does the open scan the tail) comes after a restart.
            if (cleanClose) {
              await log.close();
              await (await reopen(dir)).closeWithoutMarker();
            } else {
              await log.closeWithoutMarker();
            }
            const logs = await filesEnding(dir, '.log');
            const active = join(dir, logs[logs.length - 1] ?? '');
            const bytes = await readFile(active);
            const lastBatch = splitBatches(bytes).at(-1);
            expect(lastBatch).toBeDefined();
            // Inside the CRC-covered part of the marker (after the CRC field).
            const at = bytes.length - (lastBatch?.length ?? 0) + V2.attributes;
            bytes.writeUInt8((bytes.readUInt8(at) ^ xor) & 0xff, at);
            await writeFile(active, bytes);
            const recovered = await reopen(dir);
            try {
              expect(recovered.logEndOffset).toBe(end - 1);
              // Producer 9's transaction is open again from its first batch (offset 2); 8's stays committed.
              expect(recovered.firstUnstableOffset).toBe(2);
              expect(await recovered.abortedTransactions(0, end)).toEqual([]);
              await recovered.append(marker(9, 'abort'), {
                leaderEpoch: 1,
                assignOffsets: true,
                origin: 'coordinator',
              });
              expect(recovered.firstUnstableOffset).toBeNull();
              expect(await recovered.abortedTransactions(0, recovered.logEndOffset)).toHaveLength(1);
            } finally {
              await recovered.close();
            }
          });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);
});
