/**
 * RaftNode: the public face of the core (etcd-io/raft's RawNode). Pure and synchronous: the shell feeds it
 * ticks and messages and drains Ready, in this loop:
 *
 *   while (node.hasReady()) {
 *     const rd = node.ready();
 *     persist rd.snapshot, rd.entries, rd.hardState (durably, in that order);
 *     send rd.messages;
 *     apply rd.committedEntries;
 *     node.advance(rd);
 *   }
 *
 * Only one Ready is outstanding at a time: ready() may not be called again before advance(). Ticks, steps
 * and proposals may come between ready() and advance(); their effects appear in the next Ready.
 */
import { assert, LIMITS, type LogIndex, logIndex, type NodeId, type Term } from '@tributary/core';
import {
  propose as leaderPropose,
  proposeMembership as leaderProposeMembership,
  reportSnapshot as leaderReportSnapshot,
  reportUnreachable as leaderReportUnreachable,
  transferLeadership as leaderTransfer,
} from './leader.js';
import type { Membership, MembershipChange } from './membership.js';
import { Raft } from './raft.js';
import type {
  HardState,
  Message,
  ProgressStatus,
  RaftConfig,
  Ready,
  SoftState,
  Status,
  Storage,
} from './types.js';

export class RaftNode {
  private readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private outstanding: Ready | null = null;

  constructor(config: RaftConfig, storage: Storage) {
    this.raft = new Raft(config, storage);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = storage.initialState().hardState;
  }

  get id(): NodeId {
    return this.raft.id;
  }

  /** Advances logical time by one tick (elections, heartbeats, check-quorum). */
  tick(): void {
    this.raft.tick();
  }

  /** Feeds a message from a peer. Messages of any age, duplicated or reordered, are safe to step. */
  step(message: Message): void {
    this.raft.step(message);
  }

  /**
   * Appends a proposal to the leader's log. Throws TributaryError NOT_LEADER on a non-leader or while a
   * leadership transfer is in progress, and RESOURCE_EXHAUSTED past LIMITS.raftPendingProposalsMax
   * uncommitted entries. The entry is committed once it appears in some Ready.committedEntries at this
   * index with this term; a different term there means it was lost to a leader change.
   */
  propose(data: Uint8Array): { index: LogIndex; term: Term } {
    const index = leaderPropose(this.raft, data);
    return { index, term: this.raft.term };
  }

  /**
   * Appends a membership change on the leader (thesis §4.1: one server at a time; see
   * leader.proposeMembership for when it is refused, always with a TributaryError: NOT_LEADER,
   * RECONFIGURATION_IN_PROGRESS, DUPLICATE_VOTER, VOTER_NOT_FOUND or INVALID_REQUEST). The new membership is
   * in force at once; it is committed like any entry (Ready.committedEntries at this index and term).
   */
  proposeMembership(change: MembershipChange): { index: LogIndex; term: Term; membership: Membership } {
    const { index, membership } = leaderProposeMembership(this.raft, change);
    return { index, term: this.raft.term, membership };
  }

  /**
   * The membership in force once the log holds exactly the entries up to `index`, for a snapshot taken at
   * `index`. Known from the applied index on; null for older indexes (pruned) and while a snapshot from the
   * leader awaits installing (the shell then skips its own snapshot).
   */
  membershipAt(index: LogIndex): Membership | null {
    return this.raft.log.memberships.at(index);
  }

  /** Hands leadership to `to` (thesis §3.10); proposals are refused until it completes or times out. */
  transferLeadership(to: NodeId): void {
    leaderTransfer(this.raft, to);
  }

  /** The shell failed to send (ok=false) or finished sending (ok=true) a snapshot to `id`. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    leaderReportSnapshot(this.raft, id, ok);
  }

  /** The shell could not reach `id`: stop pipelining to it and probe instead. */
  reportUnreachable(id: NodeId): void {
    leaderReportUnreachable(this.raft, id);
  }

  /** Whether ready() has anything; false while a Ready is outstanding (awaiting advance()). */
  hasReady(): boolean {
    if (this.outstanding !== null) return false;
    const r = this.raft;
    return (
      !sameSoftState(r.softState(), this.prevSoftState) ||
      !sameHardState(r.hardState(), this.prevHardState) ||
      r.log.unstableEntries.length > 0 ||
      r.log.unstableSnapshot !== null ||
      r.msgs.length > 0 ||
      r.log.hasEntriesToApply()
    );
  }

  ready(): Ready {
    assert(this.outstanding === null, 'ready() called again before advance()');
    const r = this.raft;
    const softState = r.softState();
    const hardState = r.hardState();
    const rd: Ready = {
      softState: sameSoftState(softState, this.prevSoftState) ? null : softState,
      hardState: sameHardState(hardState, this.prevHardState) ? null : hardState,
      entries: [...r.log.unstableEntries],
      snapshot: r.log.unstableSnapshot,
      messages: r.msgs,
      committedEntries: r.log.entriesToApply(LIMITS.raftBytesPerMessageMax),
    };
    r.msgs = [];
    this.outstanding = rd;
    return rd;
  }

  /** The shell has persisted, sent and applied `rd`. */
  advance(rd: Ready): void {
    assert(rd === this.outstanding, 'advance() must get the Ready that ready() returned');
    this.outstanding = null;
    const log = this.raft.log;
    if (rd.softState !== null) this.prevSoftState = rd.softState;
    if (rd.hardState !== null) {
      assert(rd.hardState.commit >= this.prevHardState.commit, 'the persisted commit never goes back');
      this.prevHardState = rd.hardState;
    }
    const lastEntry = rd.entries[rd.entries.length - 1];
    if (lastEntry !== undefined) log.stableTo(lastEntry.index, lastEntry.term);
    if (rd.snapshot !== null) {
      log.stableSnapshotTo(rd.snapshot.meta.index);
      if (rd.snapshot.meta.index > log.applied) log.appliedTo(rd.snapshot.meta.index);
    }
    const lastApplied = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastApplied !== undefined) log.appliedTo(lastApplied.index);
  }

  status(): Status {
    const r = this.raft;
    return {
      id: r.id,
      role: r.role,
      term: r.term,
      leaderId: r.leaderId,
      votedFor: r.votedFor,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      snapshotIndex: logIndex(r.log.firstIndex() - 1),
      voters: r.membership.voters,
      learners: r.membership.learners,
      addresses: r.membership.addresses,
      progress: r.role === 'leader' ? progressStatus(r) : null,
      transferee: r.transferee,
    };
  }
}

function progressStatus(r: Raft): ReadonlyMap<NodeId, ProgressStatus> {
  const out = new Map<NodeId, ProgressStatus>();
  for (const [id, pr] of r.progress) {
    out.set(id, { match: pr.match, next: pr.next, ticksSinceContact: pr.ticksSinceContact });
  }
  return out;
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.role === b.role && a.leaderId === b.leaderId;
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.votedFor === b.votedFor && a.commit === b.commit;
}
