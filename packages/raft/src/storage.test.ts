import { logIndex, nodeId, term } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { bootstrapMembership } from './membership.js';
import { MemoryStorage } from './storage.js';
import { CompactedError, type Entry, UnavailableError } from './types.js';

function entries(from: number, terms: readonly number[]): Entry[] {
  return terms.map((t, i) => ({
    index: logIndex(from + i),
    term: term(t),
    type: 'normal',
    data: new Uint8Array([i]),
  }));
}

const ALL = Number.MAX_SAFE_INTEGER;

describe('MemoryStorage', () => {
  it('starts empty with the bootstrap voters', () => {
    const s = new MemoryStorage([nodeId(1), nodeId(2)]);
    expect(s.firstIndex()).toBe(1);
    expect(s.lastIndex()).toBe(0);
    expect(s.term(logIndex(0))).toBe(0);
    expect(s.initialState().membership).toEqual({ voters: [1, 2], learners: [], addresses: {} });
    expect(new MemoryStorage().initialState().membership).toBeNull();
  });

  it('returns [lo, hi) and cuts at maxBytes, keeping at least one entry', () => {
    const s = new MemoryStorage();
    s.append(entries(1, [1, 1, 2, 2]));
    expect(s.entries(logIndex(2), logIndex(4), ALL).map((e) => e.index)).toEqual([2, 3]);
    expect(s.entries(logIndex(1), logIndex(5), 1)).toHaveLength(1);
    expect(() => s.entries(logIndex(1), logIndex(6), ALL)).toThrow(UnavailableError);
    expect(() => s.term(logIndex(5))).toThrow(UnavailableError);
  });

  it('replaces a conflicting suffix on append', () => {
    const s = new MemoryStorage();
    s.append(entries(1, [1, 1, 1, 1]));
    s.append(entries(3, [2]));
    expect(s.lastIndex()).toBe(3);
    expect(s.term(logIndex(3))).toBe(2);
    expect(() => s.append(entries(6, [2]))).toThrow(/gap/);
  });

  it('compacts up to a snapshot, keeping the term of the compaction point', () => {
    const s = new MemoryStorage();
    s.append(entries(1, [1, 1, 2, 2, 3]));
    s.setHardState({ term: term(3), votedFor: null, commit: logIndex(4) });
    const snap = s.createSnapshot(logIndex(4), new Uint8Array([9]), bootstrapMembership([nodeId(1)]));
    expect(snap.meta).toMatchObject({ index: 4, term: 2 });
    expect(() => s.createSnapshot(logIndex(5), new Uint8Array(), bootstrapMembership([nodeId(1)]))).toThrow(
      /commit/,
    );
    s.compact(logIndex(3));
    expect(s.firstIndex()).toBe(4);
    expect(s.term(logIndex(3))).toBe(2);
    expect(() => s.term(logIndex(2))).toThrow(CompactedError);
    expect(() => s.entries(logIndex(3), logIndex(5), ALL)).toThrow(CompactedError);
    expect(s.entries(logIndex(4), logIndex(6), ALL).map((e) => e.term)).toEqual([2, 3]);
    expect(() => s.compact(logIndex(5))).toThrow(/past snapshot/);
  });

  it('applies a newer snapshot by replacing the whole log', () => {
    const s = new MemoryStorage();
    s.append(entries(1, [1, 1]));
    s.applySnapshot({
      meta: { index: logIndex(10), term: term(4), voters: [nodeId(1)], learners: [], addresses: {} },
      data: new Uint8Array(),
    });
    expect(s.firstIndex()).toBe(11);
    expect(s.lastIndex()).toBe(10);
    expect(s.term(logIndex(10))).toBe(4);
    expect(s.currentHardState().commit).toBe(10);
    s.append(entries(11, [4]));
    expect(s.lastIndex()).toBe(11);
  });
});
