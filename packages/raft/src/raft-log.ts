/**
 * The core's view of the log (etcd-io/raft's raftLog): stable entries in Storage plus an unstable tail (and
 * maybe an unstable snapshot) that the shell has not yet persisted. Tracks the commit and applied indexes.
 *
 * Invariants: applied <= committed <= lastIndex; committed never decreases; an unstable suffix never
 * replaces a committed entry.
 */
import { assert, type LogIndex, logIndex, type Term, term } from '@tributary/core';
import { decodeMembership, type Membership, MembershipHistory } from './membership.js';
import { limitSize } from './storage.js';
import { CompactedError, type Entry, type Snapshot, type Storage, UnavailableError } from './types.js';

/** Bytes per batch when scanning the stored log at start. */
const LIMITS_SCAN_BYTES = 4 * 1024 * 1024;

export class RaftLog {
  /** Highest index known to be stored on a quorum. */
  committed: LogIndex;
  /** Highest index handed to the shell for applying (and acknowledged by advance). */
  applied: LogIndex;
  /** A snapshot received from the leader and not yet persisted. */
  unstableSnapshot: Snapshot | null = null;
  /** Entries not yet persisted; unstableEntries[k].index === unstableOffset + k. */
  unstableEntries: Entry[] = [];
  unstableOffset: LogIndex;
  /** The membership entries in the log (thesis §4.1: the latest one is in force, committed or not). */
  readonly memberships: MembershipHistory;

  /** `base` is the membership as of the snapshot (or the bootstrap voters); the log's entries follow it. */
  constructor(
    readonly storage: Storage,
    options: { committed: LogIndex; applied: LogIndex; base: Membership },
  ) {
    const { committed, applied } = options;
    this.committed = committed;
    this.applied = applied;
    this.unstableOffset = logIndex(storage.lastIndex() + 1);
    assert(committed <= storage.lastIndex(), () => `commit ${committed} > last ${storage.lastIndex()}`);
    assert(applied <= committed, () => `applied ${applied} > commit ${committed}`);
    this.memberships = new MembershipHistory(logIndex(storage.firstIndex() - 1), options.base);
    this.scanMemberships(storage);
  }

  /** Rebuilds the history from the stored entries after the snapshot, in bounded batches. */
  private scanMemberships(storage: Storage): void {
    const last = storage.lastIndex();
    for (let lo = storage.firstIndex(); lo <= last; ) {
      const batch = storage.entries(lo, logIndex(last + 1), LIMITS_SCAN_BYTES);
      assert(batch.length > 0, 'storage returns at least one entry');
      for (const entry of batch) this.noteMembership(entry);
      lo = logIndex(lo + batch.length);
    }
  }

  private noteMembership(entry: Entry): void {
    if (entry.type !== 'membership') return;
    // Only leaders create membership entries, from a validated change: an undecodable one is corruption.
    let membership: Membership;
    try {
      membership = decodeMembership(entry.data);
    } catch (error) {
      assert(false, () => `membership entry ${entry.index} does not decode: ${String(error)}`);
      throw error;
    }
    this.memberships.append(entry.index, membership);
  }

  firstIndex(): LogIndex {
    if (this.unstableSnapshot !== null) return logIndex(this.unstableSnapshot.meta.index + 1);
    return this.storage.firstIndex();
  }

  lastIndex(): LogIndex {
    if (this.unstableEntries.length > 0) {
      return logIndex(this.unstableOffset + this.unstableEntries.length - 1);
    }
    if (this.unstableSnapshot !== null) return this.unstableSnapshot.meta.index;
    return this.storage.lastIndex();
  }

  lastTerm(): Term {
    const t = this.term(this.lastIndex());
    assert(t !== null, 'the last entry always has a term');
    return t;
  }

  /** The term of entry i, or null when i is compacted away or past the end. */
  term(i: LogIndex): Term | null {
    if (i === 0) return term(0);
    const unstable = this.unstableEntries[i - this.unstableOffset];
    if (unstable !== undefined && i >= this.unstableOffset) return unstable.term;
    if (this.unstableSnapshot !== null && i === this.unstableSnapshot.meta.index) {
      return this.unstableSnapshot.meta.term;
    }
    if (i < this.firstIndex() - 1 || i > this.lastIndex() || i >= this.unstableOffset) return null;
    try {
      return this.storage.term(i);
    } catch (error) {
      if (error instanceof CompactedError || error instanceof UnavailableError) return null;
      throw error;
    }
  }

  matchTerm(i: LogIndex, t: Term): boolean {
    return this.term(i) === t;
  }

  /** Raft §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up-to-date as ours? */
  isUpToDate(lastIndex: LogIndex, lastTerm: Term): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Appends what follows (prevIndex, prevTerm) if it matches, truncating a conflicting suffix. Returns the
   * index of the last new entry, or null when prev does not match.
   */
  maybeAppend(prevIndex: LogIndex, prevTerm: Term, entries: readonly Entry[]): LogIndex | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = logIndex(prevIndex + entries.length);
    const conflict = entries.findIndex((e) => !this.matchTerm(e.index, e.term));
    if (conflict >= 0) this.truncateAndAppend(entries.slice(conflict));
    return lastNew;
  }

  /** Appends to the unstable tail, replacing any entries at or after entries[0].index. */
  truncateAndAppend(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    assert(
      first.index > this.committed,
      () => `truncating committed entry ${first.index} <= ${this.committed}`,
    );
    assert(first.index <= this.lastIndex() + 1, () => `append at ${first.index} leaves a gap`);
    if (first.index <= this.lastIndex()) this.memberships.truncateFrom(first.index);
    for (const entry of entries) this.noteMembership(entry);
    const after = first.index;
    if (after === this.unstableOffset + this.unstableEntries.length) {
      for (const entry of entries) this.unstableEntries.push(entry);
    } else if (after <= this.unstableOffset) {
      this.unstableOffset = after;
      this.unstableEntries = [...entries];
    } else {
      this.unstableEntries = [...this.unstableEntries.slice(0, after - this.unstableOffset), ...entries];
    }
  }

  /** Entries in [lo, hi), cut after maxBytes. Throws CompactedError when lo is compacted away. */
  slice(lo: LogIndex, hi: LogIndex, maxBytes: number): readonly Entry[] {
    assert(lo <= hi, () => `slice: lo ${lo} > hi ${hi}`);
    if (lo === hi) return [];
    if (lo < this.firstIndex()) throw new CompactedError(`entries from ${lo} are compacted`);
    assert(hi <= this.lastIndex() + 1, () => `slice: hi ${hi} past last ${this.lastIndex()}`);
    let stable: readonly Entry[] = [];
    if (lo < this.unstableOffset) {
      stable = this.storage.entries(lo, logIndex(Math.min(hi, this.unstableOffset)), maxBytes);
      if (stable.length < Math.min(hi, this.unstableOffset) - lo) return stable;
    }
    if (hi <= this.unstableOffset) return stable;
    const from = Math.max(lo, this.unstableOffset) - this.unstableOffset;
    const unstable = this.unstableEntries.slice(from, hi - this.unstableOffset);
    return limitSize([...stable, ...unstable], maxBytes);
  }

  commitTo(index: LogIndex): void {
    if (index <= this.committed) return;
    assert(index <= this.lastIndex(), () => `commit ${index} > last index ${this.lastIndex()}`);
    this.committed = index;
  }

  /** The last index that is both committed and persisted: what the shell may apply. */
  applicableTo(): LogIndex {
    if (this.unstableSnapshot !== null) return this.applied;
    const stableLast = this.unstableEntries.length > 0 ? this.unstableOffset - 1 : this.lastIndex();
    return logIndex(Math.min(this.committed, stableLast));
  }

  hasEntriesToApply(): boolean {
    return this.applicableTo() > this.applied;
  }

  entriesToApply(maxBytes: number): readonly Entry[] {
    const hi = this.applicableTo();
    if (hi <= this.applied) return [];
    return this.slice(logIndex(this.applied + 1), logIndex(hi + 1), maxBytes);
  }

  appliedTo(index: LogIndex): void {
    assert(index <= this.committed, () => `applied ${index} > commit ${this.committed}`);
    assert(index >= this.applied, () => `applied goes back from ${this.applied} to ${index}`);
    this.applied = index;
    this.memberships.prune(index);
  }

  /** The shell persisted entries up to (index, t): drop them from the unstable tail if still there. */
  stableTo(index: LogIndex, t: Term): void {
    const entry = this.unstableEntries[index - this.unstableOffset];
    if (entry === undefined || index < this.unstableOffset || entry.term !== t) return;
    this.unstableEntries = this.unstableEntries.slice(index + 1 - this.unstableOffset);
    this.unstableOffset = logIndex(index + 1);
  }

  stableSnapshotTo(index: LogIndex): void {
    if (this.unstableSnapshot !== null && this.unstableSnapshot.meta.index === index) {
      this.unstableSnapshot = null;
    }
  }

  /** Resets the log to a snapshot from the leader (Raft §7): everything it covers counts as committed. */
  restore(snapshot: Snapshot): void {
    assert(snapshot.meta.index > this.committed, 'restoring a snapshot that is not newer than commit');
    this.committed = snapshot.meta.index;
    this.unstableSnapshot = snapshot;
    this.unstableEntries = [];
    this.unstableOffset = logIndex(snapshot.meta.index + 1);
    const { voters, learners, addresses } = snapshot.meta;
    // A snapshot without voters (none of ours send one) keeps the configuration we had.
    const membership = voters.length > 0 ? { voters, learners, addresses } : this.memberships.latest();
    this.memberships.reset(snapshot.meta.index, membership);
  }

  /** Raft thesis §5.4.2 (fast back-off): the last index <= index whose term is <= t. */
  findConflictByTerm(index: LogIndex, t: Term): { index: LogIndex; term: Term } {
    let i = index;
    for (;;) {
      const ourTerm = this.term(i);
      if (ourTerm === null) return { index: i, term: term(0) };
      if (ourTerm <= t) return { index: i, term: ourTerm };
      i = logIndex(i - 1);
    }
  }
}
