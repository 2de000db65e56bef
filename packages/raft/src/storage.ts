/**
 * MemoryStorage: the reference Storage (etcd-io/raft's MemoryStorage). Shells mirror it to disk; tests and
 * the simulation use it directly. The write side (append, setHardState, applySnapshot, createSnapshot,
 * compact) is what a shell calls while handling a Ready; the read side is the core's view of stable storage.
 *
 * Layout: `entries[0]` is a dummy entry holding the index and term of the last compacted entry (the snapshot
 * point); real entries follow it, so `entries[k].index === entries[0].index + k`.
 */
import { assert, type LogIndex, logIndex, type NodeId, type Term, term } from '@tributary/core';
import type { Membership } from './membership.js';
import {
  CompactedError,
  type Entry,
  type HardState,
  type Snapshot,
  type Storage,
  UnavailableError,
} from './types.js';

const EMPTY_DATA = new Uint8Array(0);

function dummyEntry(index: LogIndex, entryTerm: Term): Entry {
  return { index, term: entryTerm, type: 'normal', data: EMPTY_DATA };
}

/** Bytes an entry counts for in size limits: its payload plus a small fixed header. */
export function entrySizeBytes(entry: Entry): number {
  return entry.data.byteLength + 16;
}

/** Cuts `entries` so their total size stays within maxBytes, always keeping at least one entry. */
export function limitSize(entries: readonly Entry[], maxBytes: number): readonly Entry[] {
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Entry;
    total += entrySizeBytes(entry);
    if (i > 0 && total > maxBytes) return entries.slice(0, i);
  }
  return entries;
}

export class MemoryStorage implements Storage {
  private hardState: HardState = { term: term(0), votedFor: null, commit: logIndex(0) };
  private snap: Snapshot;
  private log: Entry[];

  /** `voters` (when given) are recorded in the initial empty snapshot, as a bootstrapped cluster would. */
  constructor(voters: readonly NodeId[] = []) {
    this.snap = {
      meta: { index: logIndex(0), term: term(0), voters: [...voters], learners: [], addresses: {} },
      data: EMPTY_DATA,
    };
    this.log = [dummyEntry(logIndex(0), term(0))];
  }

  initialState(): { readonly hardState: HardState; readonly membership: Membership | null } {
    return { hardState: this.hardState, membership: snapshotMembership(this.snap) };
  }

  /** Entries in [lo, hi), cut after maxBytes (at least one entry). */
  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): readonly Entry[] {
    const offset = this.offset();
    if (lo <= offset) throw new CompactedError(`entries from ${lo}: compacted up to ${offset}`);
    if (hi > this.lastIndex() + 1) {
      throw new UnavailableError(`entries up to ${hi}: last index is ${this.lastIndex()}`);
    }
    assert(lo <= hi, () => `entries: lo ${lo} > hi ${hi}`);
    return limitSize(this.log.slice(lo - offset, hi - offset), maxBytes);
  }

  term(i: LogIndex): Term {
    const offset = this.offset();
    if (i < offset) throw new CompactedError(`term of ${i}: compacted up to ${offset}`);
    const entry = this.log[i - offset];
    if (entry === undefined) throw new UnavailableError(`term of ${i}: last index is ${this.lastIndex()}`);
    return entry.term;
  }

  firstIndex(): LogIndex {
    return logIndex(this.offset() + 1);
  }

  lastIndex(): LogIndex {
    return logIndex(this.offset() + this.log.length - 1);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** The hard state last written (for inspection; the core reads it through initialState()). */
  currentHardState(): HardState {
    return this.hardState;
  }

  setHardState(hardState: HardState): void {
    this.hardState = hardState;
  }

  /**
   * Appends entries, replacing any stored entries at or after entries[0].index (the leader's log wins over a
   * conflicting suffix). Entries at or below the snapshot point are ignored: they are already covered.
   */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    const offset = this.offset();
    const live = first.index <= offset ? entries.slice(offset + 1 - first.index) : entries;
    const start = live[0];
    if (start === undefined) return;
    assert(start.index <= this.lastIndex() + 1, () => `append at ${start.index} leaves a gap`);
    assert(isContiguous(live), 'append: entries are not contiguous');
    this.log.length = start.index - offset;
    for (const entry of live) this.log.push(entry);
  }

  /** Replaces the whole log with a snapshot received from the leader. Older snapshots are ignored. */
  applySnapshot(snapshot: Snapshot): void {
    if (snapshot.meta.index <= this.snap.meta.index) return;
    this.snap = snapshot;
    this.log = [dummyEntry(snapshot.meta.index, snapshot.meta.term)];
    if (this.hardState.commit < snapshot.meta.index) {
      this.hardState = { ...this.hardState, commit: snapshot.meta.index };
    }
  }

  /**
   * Records a snapshot of the state machine as of `index` (which the shell has applied, so index <= commit).
   * `membership` is the one in force at `index` (RaftNode.membershipAt). Does not compact; call compact()
   * to drop the entries it covers.
   */
  createSnapshot(index: LogIndex, data: Uint8Array, membership: Membership): Snapshot {
    assert(index <= this.hardState.commit, () => `snapshot at ${index} > commit ${this.hardState.commit}`);
    assert(index <= this.lastIndex(), () => `snapshot at ${index} > last index ${this.lastIndex()}`);
    if (index <= this.snap.meta.index) return this.snap;
    assert(membership.voters.length > 0, 'a snapshot records at least one voter');
    const { voters, learners, addresses } = membership;
    this.snap = {
      meta: { index, term: this.term(index), voters: [...voters], learners: [...learners], addresses },
      data,
    };
    return this.snap;
  }

  /** Drops entries <= index, keeping the term of `index` as the new compaction point. */
  compact(index: LogIndex): void {
    const offset = this.offset();
    if (index <= offset) return;
    assert(index <= this.lastIndex(), () => `compact at ${index} > last index ${this.lastIndex()}`);
    assert(index <= this.snap.meta.index, () => `compact at ${index} past snapshot ${this.snap.meta.index}`);
    const point = this.log[index - offset] as Entry;
    this.log = [dummyEntry(point.index, point.term), ...this.log.slice(index - offset + 1)];
  }

  private offset(): LogIndex {
    return (this.log[0] as Entry).index;
  }
}

/** The membership a snapshot records, or null for an empty bootstrap snapshot without voters. */
export function snapshotMembership(snapshot: Snapshot): Membership | null {
  const { voters, learners, addresses } = snapshot.meta;
  return voters.length > 0 ? { voters, learners, addresses } : null;
}

function isContiguous(entries: readonly Entry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    if ((entries[i] as Entry).index !== (entries[i - 1] as Entry).index + 1) return false;
  }
  return true;
}
