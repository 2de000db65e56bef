import { mkdtemp, readdir, readFile, readlink, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, TributaryError } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import { V2 } from './batch-codec.js';
import type { LogConfig } from './config.js';
import { type LogLevel, PartitionLog } from './partition-log.js';
import { baseOffsetOf, buildBatch, splitBatches, type TestBatchSpec } from './test-batches.js';

let dir: string;
let clock: ManualClock;
let logs: PartitionLog[];
let messages: { level: LogLevel; message: string }[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-log-'));
  clock = new ManualClock(1_000_000);
  logs = [];
  messages = [];
});

afterEach(async () => {
  for (const log of logs) await log.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function openLog(config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  const log = await PartitionLog.open({
    dir,
    config: { segmentBytes: 4096, indexIntervalBytes: 256, ...config },
    clock,
    logger: (level, message) => messages.push({ level, message }),
  });
  logs.push(log);
  return log;
}

async function reopen(log: PartitionLog, config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  await log.close();
  return openLog(config);
}

/** Simulates SIGKILL: close the files without flushing indexes or writing the clean-shutdown marker. */
async function crash(log: PartitionLog): Promise<void> {
  logs = logs.filter((l) => l !== log);
  await log.closeWithoutMarker();
}

async function appendN(log: PartitionLog, count: number, spec: TestBatchSpec = {}): Promise<void> {
  for (let i = 0; i < count; i++) {
    await log.append(buildBatch({ fill: i % 256, ...spec }), {
      leaderEpoch: spec.leaderEpoch ?? 0,
      assignOffsets: true,
    });
  }
}

async function readAll(log: PartitionLog, from = log.logStartOffset): Promise<Buffer[]> {
  const batches: Buffer[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const result = await log.read(offset, { maxBytes: 1000 });
    expect(result.nextOffset).toBeGreaterThan(offset);
    batches.push(...splitBatches(result.bytes));
    offset = result.nextOffset;
  }
  return batches;
}

function flipByte(buf: Buffer, position: number): void {
  buf.writeUInt8(buf.readUInt8(position) ^ 0xff, position);
}

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
}

describe('append and read', () => {
  it('assigns offsets, stamps headers and round-trips across segment rolls', async () => {
    const log = await openLog();
    const results = [];
    for (let i = 0; i < 100; i++) {
      const batch = buildBatch({ recordCount: 3, fill: i, baseOffset: 999 });
      results.push(await log.append(batch, { leaderEpoch: 5, assignOffsets: true }));
      expect(baseOffsetOf(batch)).toBe(i * 3); // stamped in place
    }
    expect(results[99]).toEqual({ baseOffset: 297, lastOffset: 299, logEndOffset: 300 });
    expect((await segmentFiles()).length).toBeGreaterThan(1);
    const batches = await readAll(log);
    expect(batches.map(baseOffsetOf)).toEqual(Array.from({ length: 100 }, (_, i) => i * 3));
    expect(batches.every((b, i) => b[V2.records] === i && b.readInt32BE(V2.partitionLeaderEpoch) === 5)).toBe(
      true,
    );
    const reopened = await reopen(log);
    expect((await readAll(reopened)).map((b) => b.toString('hex'))).toEqual(
      batches.map((b) => b.toString('hex')),
    );
  });

  it('writes several batches of one append contiguously', async () => {
    const log = await openLog();
    const bytes = Buffer.concat([
      buildBatch({ recordCount: 2 }),
      buildBatch({ recordCount: 5 }),
      buildBatch(),
    ]);
    expect(await log.append(bytes, { leaderEpoch: 0, assignOffsets: true })).toEqual({
      baseOffset: 0,
      lastOffset: 7,
      logEndOffset: 8,
    });
    expect(splitBatches((await log.read(0, { maxBytes: 10_000 })).bytes).map(baseOffsetOf)).toEqual([
      0, 2, 7,
    ]);
    const middle = await log.read(4, { maxBytes: 1 });
    expect(splitBatches(middle.bytes).map(baseOffsetOf)).toEqual([2]);
    expect(middle.nextOffset).toBe(7);
  });

  it('returns whole batches within maxBytes, at least one, and stops before maxOffset', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024 });
    await appendN(log, 20, { recordCount: 2, payloadBytes: 39 }); // 100-byte batches
    const one = await log.read(0, { maxBytes: 1 });
    expect(one.bytes.length).toBe(100);
    expect(one.nextOffset).toBe(2);
    const five = await log.read(3, { maxBytes: 550 });
    expect(splitBatches(five.bytes).map(baseOffsetOf)).toEqual([2, 4, 6, 8, 10]);
    expect(five.nextOffset).toBe(12);
    const bounded = await log.read(0, { maxBytes: 10_000, maxOffset: 7 });
    expect(splitBatches(bounded.bytes).map(baseOffsetOf)).toEqual([0, 2, 4]);
    expect(bounded.nextOffset).toBe(6);
    expect(await log.read(6, { maxBytes: 10_000, maxOffset: 6 })).toEqual({
      bytes: Buffer.alloc(0),
      nextOffset: 6,
    });
    expect((await log.read(40, { maxBytes: 100 })).bytes.length).toBe(0);
  });

  it('finds offsets through the sparse index over many batches', async () => {
    const log = await openLog({ segmentBytes: 64 * 1024, indexIntervalBytes: 512 });
    await appendN(log, 2000, { recordCount: 2, payloadBytes: 10 });
    for (const offset of [0, 1, 2, 777, 1999, 2000, 3001, 3998, 3999]) {
      const result = await log.read(offset, { maxBytes: 1 });
      expect(baseOffsetOf(result.bytes)).toBe(offset - (offset % 2));
    }
    const reopened = await reopen(log);
    expect(baseOffsetOf((await reopened.read(2345, { maxBytes: 1 })).bytes)).toBe(2344);
    expect((await readdir(dir)).filter((n) => n.endsWith('.index')).length).toBeGreaterThan(1);
    expect((await stat(join(dir, '00000000000000000000.index'))).size).toBeGreaterThan(0);
  });

  it('throws OFFSET_OUT_OF_RANGE below log start and above log end', async () => {
    const log = await openLog();
    await appendN(log, 3);
    await expect(log.read(4, { maxBytes: 10 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    await log.truncateFullyAndStartAt(50);
    await expect(log.read(10, { maxBytes: 10 })).rejects.toBeInstanceOf(TributaryError);
    expect(await log.read(50, { maxBytes: 10 })).toEqual({ bytes: Buffer.alloc(0), nextOffset: 50 });
  });

  it('opens a partition new to this broker with one file, and reopens it after a crash or a clean close', async () => {
    const fresh = join(dir, 'new-partition');
    const open = async (): Promise<PartitionLog> => {
      const log = await PartitionLog.open({ dir: fresh, clock, config: { segmentBytes: 4096 } });
      logs.push(log);
      return log;
    };
    const log = await open();
    expect(await readdir(fresh)).toEqual(['00000000000000000000.log']);
    expect([log.logStartOffset, log.logEndOffset, log.leaderEpochEntries.length]).toEqual([0, 0, 0]);
    await log.append(buildBatch(), { leaderEpoch: 3, assignOffsets: true });
    await log.closeWithoutMarker(); // a crash: no index files were ever written
    const recovered = await open();
    expect([recovered.logEndOffset, recovered.leaderEpochEntries]).toEqual([
      1,
      [{ epoch: 3, startOffset: 0 }],
    ]);
    await recovered.close();
    const reopened = await open();
    expect(reopened.logEndOffset).toBe(1);
    expect((await reopened.read(0, { maxBytes: 1024 })).nextOffset).toBe(1);
  });

  it('appends what parseAppend read once as it appends the bytes, and parseAppend refuses what append would', async () => {
    const log = await openLog();
    const parsed = log.parseAppend(Buffer.concat([buildBatch(), buildBatch()]));
    expect(parsed.batches.map((batch) => [batch.position, batch.recordCount])).toEqual([
      [0, 1],
      [parsed.batches[0]?.sizeBytes, 1],
    ]);
    expect(await log.append(parsed, { leaderEpoch: 0, assignOffsets: true })).toMatchObject({
      baseOffset: 0,
      lastOffset: 1,
      logEndOffset: 2,
    });
    const bad = buildBatch();
    flipByte(bad, V2.records);
    expect(() => log.parseAppend(bad)).toThrow(
      expect.objectContaining({ failure: 'CORRUPT_BATCH', code: 'CORRUPT_MESSAGE' }),
    );
    expect(() => log.parseAppend(Buffer.alloc(0))).toThrow(expect.objectContaining({ failure: 'EMPTY' }));
    expect(log.logEndOffset).toBe(2);
  });

  it('refuses corrupt batches without writing anything', async () => {
    const log = await openLog();
    const bad = buildBatch();
    flipByte(bad, V2.records);
    const good = buildBatch();
    await expect(
      log.append(Buffer.concat([good, bad]), { leaderEpoch: 0, assignOffsets: true }),
    ).rejects.toMatchObject({ failure: 'CORRUPT_BATCH', code: 'CORRUPT_MESSAGE' });
    await expect(
      log.append(good.subarray(0, 30), { leaderEpoch: 0, assignOffsets: true }),
    ).rejects.toBeInstanceOf(LogAppendError);
    expect(log.logEndOffset).toBe(0);
    await appendN(log, 1);
    expect(log.logEndOffset).toBe(1);
  });
});

describe('closing on a failed disk', () => {
  it('close() of a log whose directory vanished fails, and still releases every file descriptor', async () => {
    // This process's descriptors on files of the log's directory (deleted ones read "<path> (deleted)").
    const descriptorsInDir = async () => {
      const targets = await Promise.all(
        (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
      );
      return targets.filter((target) => target.startsWith(`${dir}/`)).length;
    };
    const log = await openLog({ segmentBytes: 1024 });
    await appendN(log, 30);
    expect(log.segmentCount).toBeGreaterThan(2);
    expect(await descriptorsInDir()).toBeGreaterThan(0);
    await rm(dir, { recursive: true, force: true });
    await expect(log.close()).rejects.toThrow();
    expect(await descriptorsInDir()).toBe(0);
  });
});

describe('timestamps', () => {
  it('finds the first batch with a timestamp >= the target', async () => {
    const log = await openLog({ indexIntervalBytes: 100 });
    for (let i = 0; i < 200; i++) await appendN(log, 1, { timestampMs: 10_000 + i * 10, recordCount: 2 });
    expect(await log.offsetForTimestamp(0)).toBe(0);
    expect(await log.offsetForTimestamp(10_000)).toBe(0);
    expect(await log.offsetForTimestamp(10_001)).toBe(2);
    expect(await log.offsetForTimestamp(10_500)).toBe(100);
    expect(await log.offsetForTimestamp(11_990)).toBe(398);
    expect(await log.offsetForTimestamp(11_991)).toBeNull();
    const reopened = await reopen(log);
    expect(await reopened.offsetForTimestamp(10_505)).toBe(102);
  });
});

describe('truncation', () => {
  it('truncates inside the active segment, to batch boundaries', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024 });
    await appendN(log, 50, { recordCount: 2 });
    await log.truncateTo(31); // inside batch [30, 31]
    expect(log.logEndOffset).toBe(30);
    await log.truncateTo(20);
    expect(log.logEndOffset).toBe(20);
    await appendN(log, 1, { fill: 0xee });
    const batches = await readAll(log);
    expect(batches.map(baseOffsetOf)).toEqual(Array.from({ length: 11 }, (_, i) => i * 2));
    expect(batches[10]?.[V2.records]).toBe(0xee);
    const reopened = await reopen(log);
    expect((await readAll(reopened)).length).toBe(11);
  });

  it('truncates across segments and keeps the index consistent', async () => {
    const log = await openLog();
    await appendN(log, 300);
    const segmentsBefore = (await segmentFiles()).length;
    await log.truncateTo(37);
    expect(log.logEndOffset).toBe(37);
    expect((await segmentFiles()).length).toBeLessThan(segmentsBefore);
    await appendN(log, 10);
    expect((await readAll(log)).map(baseOffsetOf)).toEqual(Array.from({ length: 47 }, (_, i) => i));
    const crashed = await openLog();
    expect(crashed.logEndOffset).toBe(47);
  });

  it('truncateFullyAndStartAt empties the log and continues at the offset', async () => {
    const log = await openLog();
    await appendN(log, 100, { leaderEpoch: 2 });
    await log.truncateFullyAndStartAt(1000);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([1000, 1000]);
    expect(log.leaderEpochEntries).toEqual([]);
    await appendN(log, 1, { leaderEpoch: 3 });
    const reopened = await reopen(log);
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([1000, 1001]);
    expect(reopened.leaderEpochEntries).toEqual([{ epoch: 3, startOffset: 1000 }]);
  });
});

describe('leader epochs', () => {
  it('records epoch starts and answers endOffsetForEpoch', async () => {
    const log = await openLog();
    await appendN(log, 5, { leaderEpoch: 1 });
    await appendN(log, 5, { leaderEpoch: 3 });
    await appendN(log, 5, { leaderEpoch: 4 });
    expect(log.leaderEpochEntries).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 3, startOffset: 5 },
      { epoch: 4, startOffset: 10 },
    ]);
    expect(log.endOffsetForEpoch(0)).toEqual({ leaderEpoch: 0, endOffset: 0 });
    expect(log.endOffsetForEpoch(1)).toEqual({ leaderEpoch: 1, endOffset: 5 });
    expect(log.endOffsetForEpoch(2)).toEqual({ leaderEpoch: 1, endOffset: 5 });
    expect(log.endOffsetForEpoch(3)).toEqual({ leaderEpoch: 3, endOffset: 10 });
    expect(log.endOffsetForEpoch(4)).toEqual({ leaderEpoch: 4, endOffset: 15 });
    expect(log.endOffsetForEpoch(9)).toEqual({ leaderEpoch: 4, endOffset: 15 });
    await expect(log.append(buildBatch(), { leaderEpoch: 3, assignOffsets: true })).rejects.toMatchObject({
      failure: 'FENCED_EPOCH',
    });
    await log.truncateTo(7);
    expect(log.leaderEpochEntries.map((e) => e.epoch)).toEqual([1, 3]);
    const text = await readFile(join(dir, 'leader-epoch-checkpoint'), 'utf8');
    expect(text).toBe('0\n2\n1 0\n3 5\n');
    const reopened = await reopen(log);
    expect(reopened.endOffsetForEpoch(3)).toEqual({ leaderEpoch: 3, endOffset: 7 });
  });

  it('follower appends keep offsets, take epochs from batches and only go forwards (gaps allowed)', async () => {
    const log = await openLog();
    const batches = Buffer.concat([
      buildBatch({ baseOffset: 0, recordCount: 3, leaderEpoch: 2 }),
      buildBatch({ baseOffset: 3, recordCount: 1, leaderEpoch: 2 }),
      buildBatch({ baseOffset: 4, recordCount: 2, leaderEpoch: 5 }),
    ]);
    expect(await log.appendAsFollower(batches)).toEqual({ baseOffset: 0, lastOffset: 5, logEndOffset: 6 });
    expect(log.leaderEpochEntries).toEqual([
      { epoch: 2, startOffset: 0 },
      { epoch: 5, startOffset: 4 },
    ]);
    // Kafka's rule: a batch overlapping the log end, or the batch before it in one append, is refused...
    await expect(log.appendAsFollower(buildBatch({ baseOffset: 5 }))).rejects.toMatchObject({
      failure: 'NON_CONTIGUOUS',
    });
    const backwards = Buffer.concat([
      buildBatch({ baseOffset: 8, recordCount: 3 }),
      buildBatch({ baseOffset: 9, recordCount: 1 }),
    ]);
    await expect(log.appendAsFollower(backwards)).rejects.toBeInstanceOf(LogAppendError);
    expect(log.logEndOffset).toBe(6);
    // A batch the leader did not stamp with its epoch is bad data, refused (it used to trip an assertion).
    await expect(log.appendAsFollower(buildBatch({ baseOffset: 6, leaderEpoch: -1 }))).rejects.toMatchObject({
      failure: 'CORRUPT_BATCH',
      code: 'CORRUPT_MESSAGE',
    });
    expect(log.logEndOffset).toBe(6);
    // ...and one starting past it is taken as it is: the leader's cleaner removed offsets 6 and 9..10.
    const gapped = Buffer.concat([
      buildBatch({ baseOffset: 7, recordCount: 2, leaderEpoch: 5, fill: 0x37 }),
      buildBatch({ baseOffset: 11, recordCount: 1, leaderEpoch: 6, fill: 0x39 }),
    ]);
    expect(await log.appendAsFollower(gapped)).toEqual({ baseOffset: 7, lastOffset: 11, logEndOffset: 12 });
    expect(log.leaderEpochEntries.at(-1)).toEqual({ epoch: 6, startOffset: 11 });
    // A read from inside a gap returns the next batch.
    expect(baseOffsetOf((await log.read(6, { maxBytes: 1 })).bytes)).toBe(7);
    expect(baseOffsetOf((await log.read(9, { maxBytes: 1 })).bytes)).toBe(11);
    await log.truncateTo(10);
    expect(log.logEndOffset).toBe(9);
    expect((await readAll(log)).map(baseOffsetOf)).toEqual([0, 3, 4, 7]);
  });

  it('a follower append past a gap too wide for the active segment rolls a segment at its first offset', async () => {
    const log = await openLog();
    await log.appendAsFollower(buildBatch({ baseOffset: 0, recordCount: 2 }));
    const far = 2 ** 32 + 10;
    await log.appendAsFollower(buildBatch({ baseOffset: far, recordCount: 2 }));
    expect(log.segmentCount).toBe(2);
    expect(await segmentFiles()).toEqual([
      '00000000000000000000.log',
      `${String(far).padStart(20, '0')}.log`,
    ]);
    expect((await readAll(log)).map(baseOffsetOf)).toEqual([0, far]);
    expect(log.logEndOffset).toBe(far + 2);
  });
});

describe('recovery', () => {
  async function activeLogPath(log: PartitionLog): Promise<string> {
    const files = await segmentFiles();
    expect(log.segmentCount).toBe(files.length);
    return join(dir, files[files.length - 1] ?? '');
  }

  /** A follower log with gaps in every segment (the leader's cleaner removed batches), 10 batches in all. */
  async function gappedFollowerLog(
    config: Partial<LogConfig>,
  ): Promise<{ log: PartitionLog; bases: number[] }> {
    const log = await openLog({ segmentBytes: 1024, ...config });
    const bases: number[] = [];
    for (let i = 0; i < 40; i++) {
      if (i % 3 === 1) continue;
      bases.push(i * 2);
      await log.appendAsFollower(
        buildBatch({ baseOffset: i * 2, recordCount: 2, fill: i, payloadBytes: 64 }),
      );
    }
    expect(log.segmentCount).toBeGreaterThan(2);
    return { log, bases };
  }

  it('a compacted follower log keeps its gaps through an unclean restart, in every segment', async () => {
    const config: Partial<LogConfig> = { segmentBytes: 1024, cleanupPolicy: 'compact' };
    const { log, bases } = await gappedFollowerLog(config);
    const before = await readAll(log);
    await crash(log);
    await rm(join(dir, 'recovery-point-offset-checkpoint'), { force: true });
    const reopened = await openLog(config);
    expect(reopened.logEndOffset).toBe(80);
    const after = await readAll(reopened);
    expect(after.map(baseOffsetOf)).toEqual(bases);
    expect(Buffer.concat(after).equals(Buffer.concat(before))).toBe(true);
    expect(messages.some((m) => m.message.includes('recovery truncated'))).toBe(false);
    const cleanlyReopened = await reopen(reopened, config);
    expect((await readAll(cleanlyReopened)).map(baseOffsetOf)).toEqual(bases);
  });

  it('a delete-policy log cuts at a gap above the cleaner checkpoint after an unclean restart (a damaged base offset)', async () => {
    const { log, bases } = await gappedFollowerLog({ cleanupPolicy: 'delete' });
    await crash(log);
    await rm(join(dir, 'recovery-point-offset-checkpoint'), { force: true });
    const reopened = await openLog({ segmentBytes: 1024 });
    // The first gap (after batch 0..1, the next starts at 4) ends the log.
    expect(reopened.logEndOffset).toBe(2);
    expect((await readAll(reopened)).map(baseOffsetOf)).toEqual(bases.slice(0, 1));
    expect(messages.some((m) => m.message.includes('recovery truncated'))).toBe(true);
  });

  it('cuts garbage after the last batch and continues appending', async () => {
    const log = await openLog();
    await appendN(log, 10);
    const path = await activeLogPath(log);
    await crash(log);
    await writeFile(path, Buffer.from('garbage that is not a batch at all, clearly'), { flag: 'a' });
    const recovered = await openLog();
    expect(recovered.logEndOffset).toBe(10);
    expect(messages.some((m) => m.message.includes('recovery truncated'))).toBe(true);
    await appendN(recovered, 1);
    expect((await readAll(recovered)).map(baseOffsetOf)).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it('cuts a half-written batch', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024 });
    await appendN(log, 10);
    const path = await activeLogPath(log);
    const size = (await stat(path)).size;
    await crash(log);
    await truncate(path, size - 20);
    const recovered = await openLog({ segmentBytes: 1024 * 1024 });
    expect(recovered.logEndOffset).toBe(9);
    expect((await stat(path)).size).toBe(size - buildBatch().length);
  });

  it('truncates everything after a corrupt batch in the middle, later segments included', async () => {
    const log = await openLog({ segmentBytes: 1024 });
    await appendN(log, 60); // 77-byte batches, 13 per segment
    await crash(log);
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(3);
    // Recovery starts at the recovery point (the active segment); pretend no roll was ever checkpointed.
    await rm(join(dir, 'recovery-point-offset-checkpoint'));
    const second = join(dir, files[1] ?? '');
    const bytes = await readFile(second);
    flipByte(bytes, 77 * 5 + V2.records + 3); // the 6th batch of the second segment
    await writeFile(second, bytes);
    const recovered = await openLog({ segmentBytes: 1024 });
    expect(recovered.logEndOffset).toBe(13 + 5);
    expect(await segmentFiles()).toEqual(files.slice(0, 2));
    expect(messages.some((m) => m.level === 'error')).toBe(true);
    await appendN(recovered, 3);
    expect((await readAll(recovered)).length).toBe(21);
  });

  it('skips the scan after a clean shutdown', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024 });
    await appendN(log, 10);
    const path = await activeLogPath(log);
    await log.close();
    expect((await readdir(dir)).includes('.clean-shutdown')).toBe(true);
    const bytes = await readFile(path);
    flipByte(bytes, bytes.length - 1); // corrupt the last record: a clean open does not check CRCs
    await writeFile(path, bytes);
    const clean = await openLog({ segmentBytes: 1024 * 1024 });
    expect(clean.logEndOffset).toBe(10);
    expect((await readdir(dir)).includes('.clean-shutdown')).toBe(false);
    await crash(clean);
    const unclean = await openLog({ segmentBytes: 1024 * 1024 });
    expect(unclean.logEndOffset).toBe(9);
  });

  it('rebuilds missing or inconsistent index files', async () => {
    const log = await openLog({ segmentBytes: 64 * 1024, indexIntervalBytes: 128 });
    await appendN(log, 300, { recordCount: 2 });
    await log.close();
    await rm(join(dir, '00000000000000000000.index'));
    await writeFile(join(dir, '00000000000000000000.timeindex'), Buffer.alloc(7));
    const reopened = await openLog({ segmentBytes: 64 * 1024, indexIntervalBytes: 128 });
    expect(baseOffsetOf((await reopened.read(401, { maxBytes: 1 })).bytes)).toBe(400);
    expect(await reopened.offsetForTimestamp(1000)).toBe(0);
    expect((await stat(join(dir, '00000000000000000000.index'))).size).toBeGreaterThan(0);
  });

  it('drops epoch cache entries past the recovered end', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024 });
    await appendN(log, 5, { leaderEpoch: 1 });
    await appendN(log, 1, { leaderEpoch: 2 });
    const path = await activeLogPath(log);
    await crash(log);
    await truncate(path, (await stat(path)).size - 1);
    const recovered = await openLog({ segmentBytes: 1024 * 1024 });
    expect(recovered.logEndOffset).toBe(5);
    expect(recovered.leaderEpochEntries).toEqual([{ epoch: 1, startOffset: 0 }]);
  });
});

describe('retention', () => {
  it('deletes whole old segments by time, never the active one', async () => {
    const log = await openLog({ retentionMs: 60_000 });
    await appendN(log, 60, { timestampMs: 1_000 });
    await appendN(log, 60, { timestampMs: 100_000 });
    const before = log.segmentCount;
    const first = await log.applyRetention(50_000);
    expect(first.deletedSegments).toBe(0);
    const second = await log.applyRetention(100_000);
    expect(second.deletedSegments).toBeGreaterThan(0);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.logStartOffset).toBeLessThanOrEqual(60);
    await expect(log.read(0, { maxBytes: 1 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    const all = await log.applyRetention(10_000_000);
    expect(log.segmentCount).toBe(1);
    expect(before - 1).toBe(first.deletedSegments + second.deletedSegments + all.deletedSegments);
    expect((await readdir(dir)).some((name) => name.endsWith('.deleted'))).toBe(false);
    const reopened = await reopen(log);
    expect(reopened.logStartOffset).toBe(log.logStartOffset);
  });

  it('deletes oldest segments while the log stays above retentionBytes', async () => {
    const log = await openLog({ retentionMs: -1, retentionBytes: 3000 });
    await appendN(log, 200, { leaderEpoch: 1 });
    const result = await log.applyRetention(clock.wallMs());
    expect(result.deletedSegments).toBeGreaterThan(0);
    expect(log.sizeBytes).toBeGreaterThanOrEqual(3000);
    expect(log.sizeBytes).toBeLessThan(3000 + 4096);
    expect(log.leaderEpochEntries).toEqual([{ epoch: 1, startOffset: log.logStartOffset }]);
    expect((await readAll(log)).length).toBe(200 - log.logStartOffset);
  });
});

describe('concurrency and recovery points', () => {
  it('serializes concurrent appends into contiguous offsets', async () => {
    const log = await openLog();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.append(buildBatch({ recordCount: 2, fill: i }), { leaderEpoch: 0, assignOffsets: true }),
      ),
    );
    expect(results.map((r) => r.baseOffset)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect((await readAll(log)).map((b) => b[V2.records])).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('turns a read racing a retention delete into OFFSET_OUT_OF_RANGE, never a crash', async () => {
    const log = await openLog({ retentionBytes: 0, retentionMs: -1 });
    await appendN(log, 200);
    const reads = Array.from({ length: 20 }, () =>
      log.read(0, { maxBytes: 100_000 }).catch((error) => error),
    );
    await log.applyRetention(0);
    for (const outcome of await Promise.all(reads)) {
      if (outcome instanceof Error) expect(outcome).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    }
    expect(log.segmentCount).toBe(1);
  });

  it('after a crash scans only segments past the recovery point', async () => {
    const log = await openLog({ segmentBytes: 1024 });
    await appendN(log, 60);
    await crash(log);
    const files = await segmentFiles();
    const first = join(dir, files[0] ?? '');
    const bytes = await readFile(first);
    flipByte(bytes, V2.records); // flushed at roll: below the recovery point, so not re-validated
    await writeFile(first, bytes);
    const recovered = await openLog({ segmentBytes: 1024 });
    expect(recovered.logEndOffset).toBe(60);
  });
});

describe('rolling and flushing', () => {
  it('rolls by segmentMs and flushes on an interval', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024, segmentMs: 1000, flush: { intervalMs: 10 } });
    await appendN(log, 3);
    clock.advance(1000);
    await appendN(log, 3);
    expect(log.segmentCount).toBe(2);
    await log.flush();
    const strict = await reopen(log, { flush: 'every-write' });
    await appendN(strict, 2);
    expect(strict.logEndOffset).toBe(8);
  });

  it('rejects invalid config', async () => {
    await expect(openLog({ segmentBytes: 1 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
