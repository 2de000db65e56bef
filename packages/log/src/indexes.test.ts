import { describe, expect, it } from 'vitest';
import { OffsetIndex, TimeIndex } from './indexes.js';

describe('OffsetIndex', () => {
  it('finds the floor position, truncates and round-trips its file bytes', () => {
    const index = new OffsetIndex();
    for (let i = 1; i <= 1000; i++) index.append(i * 10, i * 100);
    expect(index.floorPosition(0)).toBe(0);
    expect(index.floorPosition(9)).toBe(0);
    expect(index.floorPosition(10)).toBe(100);
    expect(index.floorPosition(15)).toBe(100);
    expect(index.floorPosition(99_999)).toBe(100_000);
    const decoded = OffsetIndex.decode(index.encode(0), 100_001);
    expect(decoded?.floorPosition(5005)).toBe(50_000);
    expect(OffsetIndex.decode(index.encode(0), 100_000)).toBeNull(); // a position past the log end
    expect(OffsetIndex.decode(Buffer.alloc(7), 10)).toBeNull();
    expect(OffsetIndex.decode(Buffer.alloc(16), 10)).toBeNull(); // offsets do not increase
    index.truncateToPosition(500);
    expect(index.length).toBe(4);
    expect(index.floorPosition(99_999)).toBe(400);
    expect(() => index.append(40, 1000)).toThrow(/offsets increase/);
  });
});

describe('TimeIndex', () => {
  it('keeps only growing timestamps and gives the scan start for a target', () => {
    const index = new TimeIndex();
    index.maybeAppend(100, 0);
    index.maybeAppend(100, 5);
    index.maybeAppend(90, 6);
    index.maybeAppend(200, 7);
    index.maybeAppend(300, 12);
    expect(index.length).toBe(3);
    expect(index.scanStartFor(50)).toBe(-1);
    expect(index.scanStartFor(100)).toBe(-1);
    expect(index.scanStartFor(101)).toBe(0);
    expect(index.scanStartFor(300)).toBe(7);
    expect(index.scanStartFor(301)).toBe(12);
    const decoded = TimeIndex.decode(index.encode(0), 13);
    expect(decoded?.lastTimestamp()).toBe(300);
    expect(TimeIndex.decode(index.encode(0), 12)).toBeNull();
    index.truncateToRelativeOffset(8);
    expect(index.lastTimestamp()).toBe(200);
  });
});
