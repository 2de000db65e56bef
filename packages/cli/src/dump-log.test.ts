import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { PartitionLog } from '@tributary/log';
import { encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTrib } from './testing/run-trib.js';

const record = (key: string, value: string, timestampMs = 1_000) => ({
  key: Buffer.from(key),
  value: Buffer.from(value),
  headers: [{ key: 'h', value: Buffer.from('v') }],
  timestampMs,
});

/** A real partition directory: plain, committed and aborted transactional batches, then a clean close. */
async function writePartition(dir: string): Promise<void> {
  const clock = new ManualClock(1_000);
  const log = await PartitionLog.open({ dir, clock, config: { indexIntervalBytes: 1 } });
  const leader = { leaderEpoch: 3, assignOffsets: true } as const;
  await log.append(
    encodeRecordBatch({ records: [record('k0', 'plain-0'), record('k1', 'plain-1')] }),
    leader,
  );
  const txn = (producerId: number, value: string) =>
    encodeRecordBatch({
      records: [record('t', value, 2_000)],
      producerId,
      producerEpoch: 1,
      baseSequence: 0,
      isTransactional: true,
    });
  const marker = (producerId: number, kind: 'commit' | 'abort') =>
    encodeControlBatch({
      producerId,
      producerEpoch: 1,
      marker: kind,
      coordinatorEpoch: 4,
      timestampMs: 3_000,
    });
  await log.append(txn(11, 'committed'), leader);
  await log.append(txn(12, 'aborted'), leader);
  await log.append(marker(11, 'commit'), { ...leader, origin: 'coordinator' });
  await log.append(marker(12, 'abort'), { ...leader, origin: 'coordinator' });
  await log.append(
    encodeRecordBatch({
      records: [record('t', 'open', 4_000)],
      producerId: 13,
      producerEpoch: 0,
      baseSequence: 0,
      isTransactional: true,
    }),
    leader,
  );
  await log.close();
}

describe('trib dump-log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-dump-log-'));
    await writePartition(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (suffix: string): Promise<string> => {
    const name = (await readdir(dir)).find((n) => n.endsWith(suffix));
    if (name === undefined) throw new Error(`no ${suffix} file in ${(await readdir(dir)).join(', ')}`);
    return join(dir, name);
  };

  it('prints every batch of a segment with producer fields, markers and CRC validity', async () => {
    const segment = await file('.log');
    const run = await runTrib(['dump-log', segment]);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(`Dumping ${segment}`);
    const batches = run.out.slice(1);
    expect(batches).toHaveLength(6);
    expect(batches[0]).toMatch(
      /^baseOffset: 0 lastOffset: 1 count: 2 position: 0 size: \d+ .*producerId: -1 .*isTransactional: false isControl: false compression: none partitionLeaderEpoch: 3 crcValid: true$/,
    );
    expect(batches[1]).toMatch(
      /baseOffset: 2 .*producerId: 11 producerEpoch: 1 baseSequence: 0 isTransactional: true/,
    );
    expect(batches[3]).toMatch(/baseOffset: 4 .*isControl: true .*endTxnMarker: COMMIT coordinatorEpoch: 4$/);
    expect(batches[4]).toMatch(/baseOffset: 5 .*producerId: 12 .*endTxnMarker: ABORT/);
    expect(run.out.some((line) => line.includes('value'))).toBe(false);
  });

  it('--print-data-log adds the records; --json prints one object per line', async () => {
    const segment = await file('.log');
    const data = await runTrib(['dump-log', '--print-data-log', segment]);
    expect(data.out).toContain('| offset: 0 timestamp: 1000 key: k0 value: plain-0 headers: h=v');
    expect(data.out).toContain('| offset: 3 timestamp: 2000 key: t value: aborted headers: h=v');
    const json = await runTrib(['--json', 'dump-log', '--print-data-log', segment]);
    const parsed = json.out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toEqual({ kind: 'file', file: segment, type: 'log' });
    expect(parsed.filter((p) => p.kind === 'record').map((p) => p.value)).toEqual([
      'plain-0',
      'plain-1',
      'committed',
      'aborted',
      'open',
    ]);
    expect(parsed.find((p) => p.endTxnMarker === 'ABORT')).toMatchObject({
      producerId: 12,
      coordinatorEpoch: 4,
    });
  });

  it('reports a corrupted batch as crcValid false and a torn tail', async () => {
    const segment = await file('.log');
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(segment);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await writeFile(segment, Buffer.concat([bytes, Buffer.from([0, 0, 0])]));
    const run = await runTrib(['dump-log', segment]);
    expect(run.out.at(-2)).toMatch(/baseOffset: 6 .*crcValid: false$/);
    expect(run.out.at(-1)).toMatch(/^problem: torn tail at byte \d+: 3 bytes/);
  });

  it('prints the aborted transactions of the .txnindex and the entries of .index and .timeindex', async () => {
    const txnindex = await runTrib(['dump-log', await file('.txnindex')]);
    expect(txnindex.out.slice(1)).toEqual([
      expect.stringMatching(/^producerId: 12 firstOffset: 3 lastOffset: 5 lastStableOffset: \d+$/),
    ]);
    const index = await runTrib(['dump-log', await file('.index')]);
    // Sparse: one entry per indexIntervalBytes (1 here) after the first batch, offsets and positions rising.
    const entries = index.out.slice(1).map((line) => line.match(/^offset: (\d+) position: (\d+)$/));
    expect(entries.length).toBeGreaterThan(2);
    expect(entries.every((m) => m !== null)).toBe(true);
    const offsets = entries.map((m) => Number(m?.[1]));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const timeindex = await runTrib(['dump-log', await file('.timeindex')]);
    expect(timeindex.out.slice(1).every((line) => /^timestamp: \d+ offset: \d+$/.test(line))).toBe(true);
  });

  it('prints each producer of the snapshot a clean close leaves, with its open transaction', async () => {
    const run = await runTrib(['dump-log', join(dir, 'producer-state-snapshot')]);
    expect(run.code).toBe(0);
    expect(run.out[1]).toMatch(/^logEndOffset: 7 lastTransactionalOffset: \d+ producers: 3$/);
    const producers = run.out.slice(2);
    expect(producers).toContainEqual(
      expect.stringMatching(
        /^producerId: 13 producerEpoch: 0 lastSequence: 0 lastOffset: 6 .*currentTxnFirstOffset: 6$/,
      ),
    );
    expect(producers).toContainEqual(expect.stringMatching(/^producerId: 11 .*currentTxnFirstOffset: -1$/));
  });

  it('fails with one line and a non-zero exit for a file it does not know, after dumping the others', async () => {
    const segment = await file('.log');
    const run = await runTrib(['dump-log', join(dir, 'nope.txt'), segment]);
    expect(run.code).not.toBe(0);
    expect(run.out).toContain(`Dumping ${segment}`);
    expect(run.err).toEqual([expect.stringMatching(/^error: INVALID_REQUEST: .*nope\.txt: not a \.log/)]);
    const missing = await runTrib(['dump-log', join(dir, '00000000000000000099.log')]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toEqual([expect.stringMatching(/^error: INVALID_REQUEST: .*ENOENT/)]);
  });
});
