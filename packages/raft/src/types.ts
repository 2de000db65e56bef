/**
 * The Raft core's contract with its shell (etcd-io/raft's shape). The core does no I/O: the shell
 * feeds it ticks and messages, and drains `ready()`:
 *
 *   1. persist `ready.snapshot` (if any), then `ready.entries`, then `ready.hardState` (if any) —
 *      durably (fsync) — BEFORE sending any of `ready.messages`, since votes and acks promise state;
 *   2. send `ready.messages`;
 *   3. apply `ready.committedEntries` to the state machine, in order;
 *   4. call `advance(ready)`.
 */
import type { LogIndex, NodeId, Random, Term } from '@tributary/core';
import type { Membership } from './membership.js';

/** 'membership' entries hold a new configuration (membership.ts); it takes effect once appended. */
export type EntryType = 'normal' | 'leader-change' | 'membership';

export interface Entry {
  readonly index: LogIndex;
  readonly term: Term;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must survive a crash besides the log. `votedFor` is null when no vote was cast in `term`. */
export interface HardState {
  readonly term: Term;
  readonly votedFor: NodeId | null;
  readonly commit: LogIndex;
}

export interface SnapshotMeta {
  /** The last log index the snapshot covers, and that entry's term. */
  readonly index: LogIndex;
  readonly term: Term;
  /** The membership as of `index` (the latest membership entry at or before it). */
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly addresses: Readonly<Record<string, string>>;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

interface MessageBase {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: Term;
}

/** Vote and pre-vote requests carry the candidate's last log position (Raft §5.4.1). */
export interface VoteRequest extends MessageBase {
  readonly type: 'vote' | 'pre-vote';
  readonly lastLogIndex: LogIndex;
  readonly lastLogTerm: Term;
  /** Set for elections started by a leadership transfer: voters skip the leader-lease check. */
  readonly transfer: boolean;
}

export interface VoteResponse extends MessageBase {
  readonly type: 'vote-response' | 'pre-vote-response';
  readonly reject: boolean;
}

export interface AppendRequest extends MessageBase {
  readonly type: 'append';
  /** The index and term of the entry just before `entries`. */
  readonly prevLogIndex: LogIndex;
  readonly prevLogTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

export interface AppendResponse extends MessageBase {
  readonly type: 'append-response';
  readonly reject: boolean;
  /**
   * On success: the follower's last index matching the leader. On reject: the index probed, or 0 when a
   * heartbeat's commit passed the follower's log end (it lost acknowledged entries; the hint is its end).
   */
  readonly index: LogIndex;
  /** On reject: a hint for fast back-off — the follower's last index and its term at the probed index. */
  readonly rejectHintIndex: LogIndex;
  readonly rejectHintTerm: Term;
}

export interface HeartbeatRequest extends MessageBase {
  readonly type: 'heartbeat';
  /** min(leader commit, follower match): a follower never commits what it may not have. */
  readonly commit: LogIndex;
}

export interface HeartbeatResponse extends MessageBase {
  readonly type: 'heartbeat-response';
}

export interface SnapshotRequest extends MessageBase {
  readonly type: 'snapshot';
  readonly snapshot: Snapshot;
}

/** Leadership transfer: tells the target to start an election at once (Raft thesis §3.10). */
export interface TimeoutNow extends MessageBase {
  readonly type: 'timeout-now';
}

export type Message =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | HeartbeatRequest
  | HeartbeatResponse
  | SnapshotRequest
  | TimeoutNow;

export type MessageType = Message['type'];

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state the shell may want to observe (leader changes for NOT_CONTROLLER hints). */
export interface SoftState {
  readonly role: Role;
  readonly leaderId: NodeId | null;
}

export interface Ready {
  readonly softState: SoftState | null;
  /** Non-null when term, vote or commit changed; persist it. */
  readonly hardState: HardState | null;
  /** Entries to append to stable storage; any stored entries at or after entries[0].index are replaced. */
  readonly entries: readonly Entry[];
  /** A snapshot received from the leader; persist it and reset the state machine to it. */
  readonly snapshot: Snapshot | null;
  /** Send only after the above is durable. */
  readonly messages: readonly Message[];
  /** Committed entries to apply, in order, with no gaps after the last applied index. */
  readonly committedEntries: readonly Entry[];
}

export interface RaftConfig {
  readonly id: NodeId;
  /**
   * Voters at bootstrap; ignored when storage has a snapshot with voters (its membership wins), and
   * overridden by any membership entry in the log. A node not in it is not promotable until a membership
   * entry makes it a voter (a controller started with --join).
   */
  readonly voters: readonly NodeId[];
  /** Base election timeout in ticks; each node draws its timeout from [electionTicks, 2*electionTicks). */
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly random: Random;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** The last index the state machine has applied (from a snapshot or the shell's own record). */
  readonly applied?: LogIndex;
  readonly maxEntriesPerAppend?: number;
  readonly maxBytesPerAppend?: number;
  /** Optimistic appends in flight per follower before waiting for acks. */
  readonly maxInflightAppends?: number;
  /** TEST-ONLY: deliberately break the algorithm to prove the simulation's checkers catch it. */
  readonly testingKnobs?: RaftTestingKnobs;
}

/**
 * TEST-ONLY switches that make the core UNSAFE. Never set them outside tests: they exist so tests can show
 * that the simulation's invariant checkers detect the bug each one introduces.
 */
export interface RaftTestingKnobs {
  /** Commit entries of earlier terms by counting replicas (the Raft paper's figure 8 bug, §5.4.2). */
  readonly unsafeCommitEarlierTermByCounting?: boolean;
  /** Grant votes without the §5.4.1 check that the candidate's log is at least as up-to-date. */
  readonly unsafeSkipVoteLogCheck?: boolean;
  /** Accept a membership change while an earlier one is uncommitted (breaks one-change-at-a-time, §4.1). */
  readonly unsafeConcurrentMembershipChanges?: boolean;
}

export interface ProgressStatus {
  readonly match: LogIndex;
  readonly next: LogIndex;
  /** Ticks since the leader last heard from this peer. */
  readonly ticksSinceContact: number;
}

export interface Status {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: Term;
  readonly leaderId: NodeId | null;
  readonly votedFor: NodeId | null;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly lastIndex: LogIndex;
  readonly snapshotIndex: LogIndex;
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  /** Member id → "host:port", as carried by the membership (may miss bootstrap members). */
  readonly addresses: Readonly<Record<string, string>>;
  /** Only on the leader: each member's replication progress (voters and learners, and the leader itself). */
  readonly progress: ReadonlyMap<NodeId, ProgressStatus> | null;
  /** Set while a leadership transfer is in progress. */
  readonly transferee: NodeId | null;
}

/** Thrown by Storage when asked for entries that a snapshot has replaced. */
export class CompactedError extends Error {
  override readonly name = 'CompactedError';
}

/** Thrown by Storage when asked for entries past its last index. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

/**
 * The core's read-only view of stable storage. The shell writes (append, hard state, snapshots,
 * compaction) through its own implementation, e.g. MemoryStorage mirrored to disk.
 */
export interface Storage {
  /** The hard state, and the snapshot's membership (null when the snapshot records no voters). */
  initialState(): { readonly hardState: HardState; readonly membership: Membership | null };
  /** Entries in [lo, hi), cut after maxBytes (at least one entry). CompactedError if lo <= snapshot index. */
  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): readonly Entry[];
  /** The term of entry i; i may equal the snapshot index. CompactedError/UnavailableError out of range. */
  term(i: LogIndex): Term;
  /** The first index still in the log (snapshot index + 1). */
  firstIndex(): LogIndex;
  lastIndex(): LogIndex;
  snapshot(): Snapshot;
}
