/**
 * RaftDriver: the imperative shell around the pure Raft core. It ticks the core on a timer and runs a
 * single serialized processing loop (etcd-io/raft's contract, packages/raft/src/types.ts):
 *
 *   ready() -> persist (one synced level batch) -> send messages -> apply committed entries -> advance()
 *
 * Exactly one Ready is in flight; everything proposed while a persist runs lands in the next Ready, so
 * the fsync is naturally a group commit. A failed persist is fatal: after a failed fsync the process
 * must not continue (its promises to peers may be void).
 */
import { assert, LIMITS, type LogIndex, type NodeId, type Term, TributaryError } from '@tributary/core';
import type { Entry, Membership, MembershipChange, Message, Ready, Snapshot, Status } from '@tributary/raft';
import type { Logger } from 'pino';
import type { LevelRaftStorage } from './level-storage.js';
import type { RaftCore } from './raft-core.js';

/** A snapshot of the state as of one applied entry, encoded a slice at a time (see snapshotWork). */
export interface SnapshotWork {
  /** Encodes one bounded slice; true once the encoding is complete. */
  step(): boolean;
  /** The encoded state; only after step() returned true. */
  finish(): Uint8Array;
}

/** The state machine the driver applies committed entries to. */
export interface StateMachine {
  /** Applies one committed entry (synchronously; entries arrive in order with no gaps). */
  apply(entry: Entry): void;
  /** Resets to a snapshot received from the leader (or loaded at start). */
  restore(snapshot: Snapshot): void;
  /** Encodes the state as of the last applied entry, for a local snapshot. */
  snapshotData(): Uint8Array;
  /**
   * The state as of the last applied entry, to encode a slice at a time while the driver goes on
   * (optional; without it snapshotData() encodes at once, inside the processing loop). The state captured
   * must not change as later entries are applied.
   */
  snapshotWork?(): SnapshotWork;
  /** Called after each loop iteration's entries were applied (leader status may have changed too). */
  afterApply?(): void;
}

export interface RaftSender {
  send(messages: readonly Message[]): void;
}

export interface LeaderChange {
  readonly leaderId: NodeId | null;
  readonly term: Term;
  readonly isLeader: boolean;
}

export interface RaftDriverOptions {
  readonly core: RaftCore;
  readonly storage: LevelRaftStorage;
  readonly stateMachine: StateMachine;
  readonly sender: RaftSender;
  readonly logger: Logger;
  readonly tickMs: number;
  /** Take a snapshot once this many entries were applied since the last one. */
  readonly snapshotIntervalEntries: number;
  /** Entries kept in the log before the snapshot point for slightly-behind followers. */
  readonly snapshotTrailingEntries: number;
  /**
   * Ticks to run at once on start. A single-voter quorum passes 2 * electionTicks: nobody else can
   * lead, so waiting out an election timeout would only delay a dev cluster's start.
   */
  readonly startTicks?: number;
  /** Called on an unrecoverable error (failed fsync, assertion): log and exit. */
  readonly onFatal: (error: unknown) => void;
}

/** A local snapshot encoding in the background; `data` once finished. */
interface BackgroundSnapshot {
  readonly index: LogIndex;
  readonly membership: Membership;
  data: Uint8Array | null;
}

interface PendingProposal {
  readonly term: Term;
  /** performance.now() when proposed: the commit latency metric's start. */
  readonly proposedAtMs: number;
  readonly resolve: (index: LogIndex) => void;
  readonly reject: (error: TributaryError) => void;
}

export class RaftDriver {
  private readonly options: RaftDriverOptions;
  private readonly core: RaftCore;
  private readonly pending = new Map<number, PendingProposal>();
  private readonly leaderListeners = new Set<(change: LeaderChange) => void>();
  private readonly commitLatencyListeners = new Set<(latencyMs: number) => void>();
  private ticker: NodeJS.Timeout | undefined;
  private processing = false;
  private stopped = false;
  private failed = false;
  private idleWaiters: (() => void)[] = [];
  private lastLeader: { leaderId: NodeId | null; term: Term; isLeader: boolean } | null = null;
  /**
   * A local snapshot being encoded between loop iterations (StateMachine.snapshotWork): the loop goes on
   * processing Readies, so heartbeats and votes are not held up by the encoding; the finished snapshot is
   * stored by the loop itself (storage writes stay serialized).
   */
  private background: BackgroundSnapshot | null = null;

  constructor(options: RaftDriverOptions) {
    this.options = options;
    this.core = options.core;
  }

  start(): void {
    assert(this.ticker === undefined && !this.stopped, 'raft driver started twice');
    this.ticker = setInterval(() => this.onTick(), this.options.tickMs);
    for (let i = 0; i < (this.options.startTicks ?? 0); i++) this.guard(() => this.core.tick());
    this.kick();
  }

  /** Stops ticking and processing; waits for the Ready in flight (if any) to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    this.rejectPending('the controller is shutting down', 'SHUTTING_DOWN');
    if (this.processing) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  status(): Status {
    return this.core.status();
  }

  isLeader(): boolean {
    return this.core.status().role === 'leader';
  }

  /**
   * Called for each of this node's proposals that commits, with the milliseconds from propose() until it was
   * applied here (persisted on a majority, then applied): the metadata log's commit latency.
   */
  onCommitLatency(listener: (latencyMs: number) => void): () => void {
    this.commitLatencyListeners.add(listener);
    return () => this.commitLatencyListeners.delete(listener);
  }

  onLeaderChange(listener: (change: LeaderChange) => void): () => void {
    this.leaderListeners.add(listener);
    return () => this.leaderListeners.delete(listener);
  }

  /** Feeds a message from a peer into the core. */
  step(message: Message): void {
    if (this.stopped) return;
    this.guard(() => this.core.step(message));
    this.kick();
  }

  /**
   * Proposes `data` as one entry. Throws NOT_CONTROLLER at once when this node is not the leader;
   * otherwise returns the entry's index and term, and a promise that resolves once it commits in the term it was
   * proposed in, or rejects with NOT_CONTROLLER when the entry is lost (leadership lost or replaced).
   */
  propose(data: Uint8Array): {
    readonly index: LogIndex;
    readonly term: Term;
    readonly committed: Promise<LogIndex>;
  } {
    if (this.stopped) throw new TributaryError('SHUTTING_DOWN', 'the controller is shutting down');
    const status = this.core.status();
    if (status.role !== 'leader') {
      throw new TributaryError('NOT_CONTROLLER', `node ${status.id} is not the Raft leader`);
    }
    if (this.pending.size >= LIMITS.raftPendingProposalsMax) {
      throw new TributaryError('RESOURCE_EXHAUSTED', 'too many proposals waiting for the log');
    }
    let proposed: { index: LogIndex; term: Term };
    try {
      proposed = this.core.propose(data);
    } catch (error) {
      if (error instanceof TributaryError && error.code === 'RESOURCE_EXHAUSTED') throw error;
      throw new TributaryError('NOT_CONTROLLER', `node ${status.id} cannot take proposals now`, {
        cause: error,
      });
    }
    return { ...this.track(proposed), term: proposed.term };
  }

  /**
   * Proposes a one-server membership change (see RaftNode.proposeMembership). Throws NOT_CONTROLLER on a
   * non-leader, and the core's refusal otherwise (RECONFIGURATION_IN_PROGRESS, DUPLICATE_VOTER,
   * VOTER_NOT_FOUND, INVALID_REQUEST). The promise settles like propose()'s.
   */
  proposeMembership(change: MembershipChange): {
    readonly index: LogIndex;
    readonly membership: Membership;
    readonly committed: Promise<LogIndex>;
  } {
    if (this.stopped) throw new TributaryError('SHUTTING_DOWN', 'the controller is shutting down');
    const status = this.core.status();
    if (status.role !== 'leader') {
      throw new TributaryError('NOT_CONTROLLER', `node ${status.id} is not the Raft leader`);
    }
    let proposed: { index: LogIndex; term: Term; membership: Membership };
    try {
      proposed = this.core.proposeMembership(change);
    } catch (error) {
      if (error instanceof TributaryError && error.code !== 'NOT_LEADER') throw error;
      throw new TributaryError('NOT_CONTROLLER', `node ${status.id} cannot take proposals now`, {
        cause: error,
      });
    }
    return { ...this.track(proposed), membership: proposed.membership };
  }

  private track(proposed: { index: LogIndex; term: Term }): {
    readonly index: LogIndex;
    readonly committed: Promise<LogIndex>;
  } {
    const { index, term } = proposed;
    const committed = new Promise<LogIndex>((resolve, reject) => {
      this.pending.set(index, { term, proposedAtMs: performance.now(), resolve, reject });
    });
    this.kick();
    return { index, committed };
  }

  transferLeadership(to: NodeId): void {
    this.guard(() => this.core.transferLeadership(to));
    this.kick();
  }

  reportUnreachable(peer: NodeId): void {
    if (this.stopped) return;
    this.guard(() => this.core.reportUnreachable(peer));
  }

  reportSnapshot(peer: NodeId, ok: boolean): void {
    if (this.stopped) return;
    this.guard(() => this.core.reportSnapshot(peer, ok));
    this.kick();
  }

  private onTick(): void {
    this.guard(() => this.core.tick());
    this.kick();
  }

  private guard(action: () => void): void {
    if (this.failed) return;
    try {
      action();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.stopped = true;
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    this.rejectPending('the controller failed', 'STORAGE_ERROR');
    this.options.onFatal(error);
  }

  private kick(): void {
    if (this.processing || this.stopped) return;
    this.processing = true;
    this.loop()
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.processing = false;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.background !== null && this.background.data !== null) await this.storeBackgroundSnapshot();
      else if (this.core.hasReady()) await this.handleReady(this.core.ready());
      else return;
    }
  }

  private async handleReady(ready: Ready): Promise<void> {
    // 1. Durable first: votes and acks in the messages promise this state.
    await this.options.storage.persist(ready);
    if (ready.snapshot !== null) this.options.stateMachine.restore(ready.snapshot);
    // 2. Then the messages.
    if (ready.messages.length > 0) this.options.sender.send(ready.messages);
    // 3. Apply committed entries in order, answering the proposals they settle.
    for (const entry of ready.committedEntries) {
      this.options.stateMachine.apply(entry);
      this.settle(entry);
    }
    if (ready.softState !== null) this.noteSoftState();
    this.options.stateMachine.afterApply?.();
    // 4. Hand the Ready back.
    this.core.advance(ready);
    await this.maybeSnapshot(ready);
  }

  private settle(entry: Entry): void {
    const proposal = this.pending.get(entry.index);
    if (proposal === undefined) return;
    this.pending.delete(entry.index);
    if (proposal.term === entry.term) {
      const latencyMs = performance.now() - proposal.proposedAtMs;
      for (const listener of this.commitLatencyListeners) listener(latencyMs);
      proposal.resolve(entry.index);
    } else
      proposal.reject(
        new TributaryError('NOT_CONTROLLER', `entry ${entry.index} was replaced by a new leader`),
      );
  }

  private noteSoftState(): void {
    const status = this.core.status();
    const change: LeaderChange = {
      leaderId: status.leaderId,
      term: status.term,
      isLeader: status.role === 'leader',
    };
    const last = this.lastLeader;
    if (
      last !== null &&
      last.leaderId === change.leaderId &&
      last.term === change.term &&
      last.isLeader === change.isLeader
    ) {
      return;
    }
    this.lastLeader = change;
    if (!change.isLeader) this.rejectPending(`node ${status.id} lost the leadership`, 'NOT_CONTROLLER');
    for (const listener of this.leaderListeners) listener(change);
  }

  private rejectPending(message: string, code: 'NOT_CONTROLLER' | 'SHUTTING_DOWN' | 'STORAGE_ERROR'): void {
    const proposals = [...this.pending.values()];
    this.pending.clear();
    for (const proposal of proposals) proposal.reject(new TributaryError(code, message));
  }

  /** Snapshots the state machine every snapshotIntervalEntries applied entries and compacts the log. */
  private async maybeSnapshot(ready: Ready): Promise<void> {
    const last = ready.committedEntries.at(-1);
    if (last === undefined || this.background !== null) return;
    const storage = this.options.storage;
    const snapshotIndex = storage.snapshot().meta.index;
    if (last.index - snapshotIndex < this.options.snapshotIntervalEntries) return;
    // The membership as of the snapshot's index: a newer (uncommitted) one must not leak into it.
    const membership = this.core.membershipAt(last.index);
    if (membership === null) return;
    const work = this.options.stateMachine.snapshotWork?.();
    if (work === undefined) {
      await this.storeSnapshot(last.index, membership, this.options.stateMachine.snapshotData());
      return;
    }
    const job: BackgroundSnapshot = { index: last.index, membership, data: null };
    this.background = job;
    const slice = (): void => {
      if (this.stopped || this.background !== job) return;
      try {
        if (!work.step()) {
          setImmediate(slice);
          return;
        }
        job.data = work.finish();
      } catch (error) {
        this.fail(error);
        return;
      }
      this.kick();
    };
    setImmediate(slice);
  }

  /** Stores the snapshot the background encoding finished (from the loop, between Readies). */
  private async storeBackgroundSnapshot(): Promise<void> {
    const job = this.background;
    assert(job !== null && job.data !== null, 'no finished background snapshot');
    this.background = null;
    await this.storeSnapshot(job.index, job.membership, job.data);
  }

  private async storeSnapshot(index: LogIndex, membership: Membership, data: Uint8Array): Promise<void> {
    const storage = this.options.storage;
    // A snapshot installed from the leader meanwhile may be newer: then this one is dropped.
    if (index <= storage.snapshot().meta.index) return;
    const compactIndex = Math.max(storage.firstIndex() - 1, index - this.options.snapshotTrailingEntries);
    const snapshot = await storage.snapshotAndCompact({
      index,
      data,
      membership,
      compactIndex: compactIndex as LogIndex,
    });
    this.options.logger.info(
      {
        snapshotIndex: snapshot.meta.index,
        snapshotTerm: snapshot.meta.term,
        bytes: data.length,
        compactIndex,
      },
      'snapshot taken',
    );
  }
}
