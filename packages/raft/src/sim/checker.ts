/**
 * Raft's safety properties (Raft paper figure 3), checked after every event of a simulation:
 *   - election safety: at most one leader per term, across all history;
 *   - log matching: an (index, term) pair always names the same entry with the same predecessor, in every
 *     node's persisted log, so equal (index, term) implies identical prefixes;
 *   - leader completeness: a new leader's log holds every entry committed so far;
 *   - state machine safety: every node applies the same entry at each index (and snapshots agree);
 *   - commit monotonic: a node's commit index never goes back (persisted: across restarts too);
 *   - one membership change at a time: a leader's log holds at most one uncommitted membership entry
 *     (thesis §4.1; with election safety and log matching this keeps consecutive majorities overlapping).
 * Usable by other packages' simulations: feed it what nodes persist, elect and apply.
 */
import type { LogIndex, NodeId, Term } from '@tributary/core';
import type { Entry, EntryType, HardState, Storage } from '../types.js';

export type Invariant =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'commit-monotonic'
  | 'membership-one-at-a-time'
  | 'liveness'
  | 'core-assertion';

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
  constructor(
    readonly invariant: Invariant,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}

interface EntryIdentity {
  readonly prevTerm: Term;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

interface CommittedEntry {
  readonly term: Term;
  readonly data: Uint8Array;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class InvariantChecker {
  private readonly leadersByTerm = new Map<Term, NodeId>();
  /** index -> term -> identity, for log matching. */
  private readonly identities = new Map<LogIndex, Map<Term, EntryIdentity>>();
  private readonly committed = new Map<LogIndex, CommittedEntry>();
  /** index -> state machine digest after applying up to index. */
  private readonly digests = new Map<LogIndex, number>();
  private readonly persistedCommit = new Map<NodeId, LogIndex>();
  private readonly liveCommit = new Map<NodeId, LogIndex>();

  /** Election safety: record that `id` is leader of `term`. */
  leaderElected(id: NodeId, term: Term): void {
    const existing = this.leadersByTerm.get(term);
    if (existing !== undefined && existing !== id) {
      throw new InvariantViolation('election-safety', `nodes ${existing} and ${id} both lead term ${term}`);
    }
    this.leadersByTerm.set(term, id);
  }

  /** Leader completeness: `log` (the new leader's persisted log) holds every committed entry it covers. */
  checkLeaderCompleteness(id: NodeId, term: Term, log: Storage): void {
    const first = log.firstIndex();
    const last = log.lastIndex();
    for (const [index, entry] of this.committed) {
      if (index < first) continue; // covered by the leader's snapshot, checked through digests
      if (index > last) {
        throw new InvariantViolation(
          'leader-completeness',
          `leader ${id} of term ${term} ends at ${last} but ${index} is committed`,
        );
      }
      const ourTerm = log.term(index);
      if (ourTerm !== entry.term) {
        throw new InvariantViolation(
          'leader-completeness',
          `leader ${id} of term ${term} has term ${ourTerm} at ${index}; committed term ${entry.term}`,
        );
      }
    }
  }

  /** Log matching, for entries a node has just persisted (log is its storage after the append). */
  entriesPersisted(id: NodeId, entries: readonly Entry[], log: Storage): void {
    for (const entry of entries) {
      if (entry.index < log.firstIndex()) continue;
      const prevTerm = log.term((entry.index - 1) as LogIndex);
      let byTerm = this.identities.get(entry.index);
      if (byTerm === undefined) {
        byTerm = new Map();
        this.identities.set(entry.index, byTerm);
      }
      const known = byTerm.get(entry.term);
      if (known === undefined) {
        byTerm.set(entry.term, { prevTerm, type: entry.type, data: entry.data });
        continue;
      }
      if (known.prevTerm !== prevTerm || known.type !== entry.type || !bytesEqual(known.data, entry.data)) {
        throw new InvariantViolation(
          'log-matching',
          `node ${id} holds a different entry at index ${entry.index} term ${entry.term} (prev term ${prevTerm} vs ${known.prevTerm})`,
        );
      }
    }
  }

  /** A node persisted a hard state: its commit never goes back, and what it commits is fixed forever. */
  hardStatePersisted(id: NodeId, hardState: HardState, log: Storage): void {
    const before = this.persistedCommit.get(id) ?? (0 as LogIndex);
    if (hardState.commit < before) {
      throw new InvariantViolation(
        'commit-monotonic',
        `node ${id} persisted commit ${hardState.commit} < ${before}`,
      );
    }
    this.persistedCommit.set(id, hardState.commit);
    const from = Math.max(before + 1, log.firstIndex());
    for (let i = from; i <= hardState.commit; i++) {
      const index = i as LogIndex;
      if (index > log.lastIndex()) {
        throw new InvariantViolation(
          'commit-monotonic',
          `node ${id} commit ${hardState.commit} > its log end`,
        );
      }
      const entry = log.entries(index, (index + 1) as LogIndex, Number.MAX_SAFE_INTEGER)[0] as Entry;
      this.entryCommitted(id, entry);
    }
  }

  private entryCommitted(id: NodeId, entry: Entry): void {
    const known = this.committed.get(entry.index);
    if (known === undefined) {
      this.committed.set(entry.index, { term: entry.term, data: entry.data });
      return;
    }
    if (known.term !== entry.term || !bytesEqual(known.data, entry.data)) {
      throw new InvariantViolation(
        'state-machine-safety',
        `node ${id} committed term ${entry.term} at ${entry.index}; term ${known.term} was committed there`,
      );
    }
  }

  /**
   * A leader's persisted log holds at most one membership entry past its commit. Called after the leader
   * persisted a Ready, with its storage and its commit index.
   */
  checkOneMembershipChange(id: NodeId, log: Storage, commit: LogIndex): void {
    const from = Math.max(commit + 1, log.firstIndex());
    const last = log.lastIndex();
    if (from > last) return;
    const pending = log
      .entries(from as LogIndex, (last + 1) as LogIndex, Number.MAX_SAFE_INTEGER)
      .filter((e) => e.type === 'membership');
    if (pending.length > 1) {
      throw new InvariantViolation(
        'membership-one-at-a-time',
        `leader ${id} holds uncommitted membership entries at ${pending.map((e) => e.index).join(', ')} (commit ${commit})`,
      );
    }
  }

  /** The in-memory commit index of one node lifetime never goes back. */
  observeCommit(id: NodeId, commit: LogIndex): void {
    const before = this.liveCommit.get(id) ?? (0 as LogIndex);
    if (commit < before) {
      throw new InvariantViolation(
        'commit-monotonic',
        `node ${id} commit went back from ${before} to ${commit}`,
      );
    }
    this.liveCommit.set(id, commit);
  }

  /** A node restarted: its in-memory commit starts again from what it persisted. */
  nodeRestarted(id: NodeId): void {
    this.liveCommit.delete(id);
  }

  /** State machine safety: `entry` applied, leaving the node's state machine with `digest`. */
  entryApplied(id: NodeId, entry: Entry, digest: number): void {
    this.entryCommitted(id, entry);
    this.digestAt(id, entry.index, digest);
  }

  /** A snapshot installed (or restarted from) at `index` must match what others applied up to there. */
  snapshotInstalled(id: NodeId, index: LogIndex, digest: number): void {
    this.digestAt(id, index, digest);
  }

  private digestAt(id: NodeId, index: LogIndex, digest: number): void {
    const known = this.digests.get(index);
    if (known === undefined) {
      this.digests.set(index, digest);
    } else if (known !== digest) {
      throw new InvariantViolation(
        'state-machine-safety',
        `node ${id} state at ${index} differs from others'`,
      );
    }
  }

  committedTermAt(index: LogIndex): Term | null {
    return this.committed.get(index)?.term ?? null;
  }
}
