import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logIndex, nodeId, term } from '@tributary/core';
import type { Entry } from '@tributary/raft';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LevelRaftStorage } from './level-storage.js';

const voters = [nodeId(1), nodeId(2), nodeId(3)];

function entry(index: number, entryTerm: number, data: number[] = [index]): Entry {
  return { index: logIndex(index), term: term(entryTerm), type: 'normal', data: Uint8Array.from(data) };
}

function entriesUpTo(lo: number, hi: number, entryTerm: number): Entry[] {
  const out: Entry[] = [];
  for (let i = lo; i <= hi; i++) out.push(entry(i, entryTerm));
  return out;
}

const hardState = (t: number, commit: number) => ({
  term: term(t),
  votedFor: nodeId(2),
  commit: logIndex(commit),
});

describe('LevelRaftStorage', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-raft-storage-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts empty with the bootstrap voters', async () => {
    const storage = await LevelRaftStorage.open(dir, voters);
    expect(storage.initialState().membership).toEqual({ voters, learners: [], addresses: {} });
    expect(storage.firstIndex()).toBe(1);
    expect(storage.lastIndex()).toBe(0);
    await storage.close();
  });

  it('reloads hard state and entries after a restart', async () => {
    const first = await LevelRaftStorage.open(dir, voters);
    await first.persist({ snapshot: null, entries: entriesUpTo(1, 5, 1), hardState: hardState(1, 3) });
    await first.close();
    const second = await LevelRaftStorage.open(dir, voters);
    expect(second.initialState().hardState).toEqual(hardState(1, 3));
    expect(second.lastIndex()).toBe(5);
    expect(second.entries(logIndex(1), logIndex(6), Number.MAX_SAFE_INTEGER)).toEqual(entriesUpTo(1, 5, 1));
    await second.close();
  });

  it('replaces a conflicting suffix, on disk too', async () => {
    const first = await LevelRaftStorage.open(dir, voters);
    await first.persist({ snapshot: null, entries: entriesUpTo(1, 5, 1), hardState: hardState(1, 0) });
    await first.persist({ snapshot: null, entries: [entry(3, 2, [30])], hardState: hardState(2, 0) });
    expect(first.lastIndex()).toBe(3);
    await first.close();
    const second = await LevelRaftStorage.open(dir, voters);
    expect(second.lastIndex()).toBe(3);
    expect(second.term(logIndex(3))).toBe(2);
    expect(second.entries(logIndex(3), logIndex(4), 100)[0]?.data).toEqual(Uint8Array.of(30));
    await second.close();
  });

  it('persists a snapshot with compaction and keeps the entries after it', async () => {
    const first = await LevelRaftStorage.open(dir, voters);
    await first.persist({ snapshot: null, entries: entriesUpTo(1, 10, 1), hardState: hardState(1, 8) });
    await first.snapshotAndCompact({
      index: logIndex(8),
      data: Uint8Array.of(8, 8),
      membership: { voters, learners: [nodeId(4)], addresses: { '4': 'h4:9' } },
      compactIndex: logIndex(6),
    });
    expect(first.firstIndex()).toBe(7);
    expect(() => first.entries(logIndex(6), logIndex(7), 100)).toThrow(/compacted/);
    await first.close();
    const second = await LevelRaftStorage.open(dir, voters);
    expect(second.snapshot().meta).toEqual({
      index: 8,
      term: 1,
      voters,
      learners: [4],
      addresses: { '4': 'h4:9' },
    });
    expect(second.snapshot().data).toEqual(Uint8Array.of(8, 8));
    expect(second.firstIndex()).toBe(9);
    expect(second.lastIndex()).toBe(10);
    expect(second.initialState().hardState.commit).toBe(8);
    await second.close();
  });

  it('replaces the log with a snapshot received from the leader', async () => {
    const first = await LevelRaftStorage.open(dir, voters);
    await first.persist({ snapshot: null, entries: entriesUpTo(1, 4, 1), hardState: hardState(1, 2) });
    const snapshot = {
      meta: { index: logIndex(20), term: term(3), voters, learners: [], addresses: {} },
      data: Uint8Array.of(20),
    };
    await first.persist({ snapshot, entries: [entry(21, 3)], hardState: hardState(3, 20) });
    expect(first.firstIndex()).toBe(21);
    expect(first.lastIndex()).toBe(21);
    await first.close();
    const second = await LevelRaftStorage.open(dir, voters);
    expect(second.snapshot().meta.index).toBe(20);
    expect(second.firstIndex()).toBe(21);
    expect(second.lastIndex()).toBe(21);
    expect(second.term(logIndex(20))).toBe(3);
    await second.close();
  });
});
