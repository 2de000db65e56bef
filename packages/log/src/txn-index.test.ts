import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeLogFileSystem } from './log-fs.js';
import {
  type AbortedTxnEntry,
  appendTxnIndexFile,
  decodeTxnIndexEntries,
  encodeTxnIndexEntries,
  readTxnIndexFile,
  TransactionIndex,
  TXN_INDEX_ENTRY_BYTES,
  txnIndexPath,
} from './txn-index.js';

const entry = (producerId: number, firstOffset: number, lastOffset: number, lastStableOffset: number) => ({
  producerId,
  firstOffset,
  lastOffset,
  lastStableOffset,
});

describe('aborted-transaction index entries', () => {
  it("encodes Kafka's 34-byte layout", () => {
    const bytes = encodeTxnIndexEntries([entry(5, 10, 20, 21)]);
    expect(bytes.length).toBe(TXN_INDEX_ENTRY_BYTES);
    expect(bytes.toString('hex')).toBe(
      [
        '0000', // version 0
        '0000000000000005', // producer id
        '000000000000000a', // first offset
        '0000000000000014', // last offset (the marker)
        '0000000000000015', // last stable offset after the marker
      ].join(''),
    );
  });

  it('round-trips ordered entries and drops a torn tail', () => {
    const entries = fc.array(
      fc.record({
        producerId: fc.integer({ min: 0, max: 2 ** 40 }),
        span: fc.integer({ min: 0, max: 1000 }),
        gap: fc.integer({ min: 1, max: 1000 }),
        lsoAhead: fc.integer({ min: 0, max: 1000 }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(entries, fc.nat(TXN_INDEX_ENTRY_BYTES - 1), (specs, torn) => {
        let last = 0;
        const list: AbortedTxnEntry[] = specs.map(({ producerId, span, gap, lsoAhead }) => {
          last += gap + span;
          return entry(producerId, last - span, last, last + 1 + lsoAhead);
        });
        const bytes = encodeTxnIndexEntries(list);
        expect(decodeTxnIndexEntries(bytes)).toEqual(list);
        const withTornTail = Buffer.concat([bytes, Buffer.alloc(torn, 0)]);
        expect(decodeTxnIndexEntries(withTornTail)).toEqual(list);
      }),
    );
  });

  it('refuses an unknown version and entries out of order', () => {
    const bytes = encodeTxnIndexEntries([entry(1, 0, 5, 6)]);
    bytes.writeInt16BE(1, 0);
    expect(decodeTxnIndexEntries(bytes)).toBeNull();
    expect(decodeTxnIndexEntries(encodeTxnIndexEntries([entry(1, 0, 5, 6), entry(2, 1, 5, 6)]))).toBeNull();
  });
});

describe('TransactionIndex', () => {
  it('truncates the entries whose marker is at or after the offset', () => {
    const index = new TransactionIndex([entry(1, 0, 5, 6), entry(2, 3, 9, 10), entry(3, 10, 12, 13)]);
    expect(index.truncateTo(13)).toBe(false);
    expect(index.truncateTo(9)).toBe(true);
    expect(index.list()).toEqual([entry(1, 0, 5, 6)]);
    expect(index.truncateTo(0)).toBe(true);
    expect(index.length).toBe(0);
  });

  it("collects what overlaps [from, upper) and stops at an entry whose LSO reaches upper (Kafka's isComplete)", () => {
    const index = new TransactionIndex([entry(1, 0, 5, 3), entry(2, 3, 9, 10), entry(3, 10, 12, 13)]);
    expect(index.collect(6, 11)).toEqual({
      found: [
        { producerId: 2, firstOffset: 3, lastOffset: 9 },
        { producerId: 3, firstOffset: 10, lastOffset: 12 },
      ],
      complete: true,
    });
    // Producer 2's marker left the LSO at 10: nothing later can begin below 10, so the search ends there.
    expect(index.collect(6, 10)).toEqual({
      found: [{ producerId: 2, firstOffset: 3, lastOffset: 9 }],
      complete: true,
    });
    expect(index.collect(0, 4)).toEqual({
      found: [
        { producerId: 1, firstOffset: 0, lastOffset: 5 },
        { producerId: 2, firstOffset: 3, lastOffset: 9 },
      ],
      complete: true,
    });
    expect(index.collect(13, 20)).toEqual({ found: [], complete: false });
  });

  it('refuses an entry out of log order', () => {
    const index = new TransactionIndex([entry(1, 0, 5, 6)]);
    expect(() => index.append(entry(2, 1, 5, 6))).toThrow(/log order/);
  });
});

describe('index files', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('appends entries, overwriting a torn earlier append, and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'txn-index-'));
    dirs.push(dir);
    expect((await readTxnIndexFile(nodeLogFileSystem, dir, 100))?.length).toBe(0);
    await appendTxnIndexFile(nodeLogFileSystem, dir, 100, 0, entry(1, 100, 105, 106));
    await appendTxnIndexFile(nodeLogFileSystem, dir, 100, 1, entry(2, 101, 110, 111));
    // A crash left half an entry: the next append goes where the whole entries end.
    const path = txnIndexPath(dir, 100);
    const whole = await readFile(path);
    await import('node:fs/promises').then((fs) => fs.writeFile(path, whole.subarray(0, 50)));
    await appendTxnIndexFile(nodeLogFileSystem, dir, 100, 1, entry(3, 107, 112, 113));
    expect((await readTxnIndexFile(nodeLogFileSystem, dir, 100))?.list()).toEqual([
      entry(1, 100, 105, 106),
      entry(3, 107, 112, 113),
    ]);
    expect(path.endsWith('00000000000000000100.txnindex')).toBe(true);
  });
});
