/**
 * Leader-side replication state of one partition (DESIGN §6), pure: no I/O, no timers, time comes in as
 * `nowMs`. The shell (ReplicaManager) feeds it follower fetches and metadata, and acts on what it decides:
 * high-watermark moves (complete delayed produces, wake consumers) and ISR proposals (AlterPartition).
 */
import { assert } from '@tributary/core';

/** What the leader knows of one replica (Kafka's Replica / ReplicaState). */
export interface ReplicaProgress {
  /** -1 until the replica has fetched in this leader epoch. */
  readonly logEndOffset: number;
  /** The last time the replica had everything the leader had (Kafka: lastCaughtUpTimeMs); -1 never. */
  readonly lastCaughtUpMs: number;
  readonly lastFetchMs: number;
  /** The leader's log end at the replica's previous fetch. */
  readonly leaderLogEndAtLastFetch: number;
}

export interface LeaderStateInit {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** The high watermark this broker knew as a follower (it never goes back). */
  readonly highWatermark: number;
  /** The leader's log end when it became leader: the first offset of its epoch. */
  readonly leaderEpochStartOffset: number;
  readonly nowMs: number;
  /** The topic's flush.on.ack (issue 16): see highWatermarkCandidate. Off when unset. */
  readonly flushOnAck?: boolean;
  /** Every offset below it is fsynced on the leader (PartitionLog.durableEndOffset); 0 when unset. */
  readonly leaderDurableEndOffset?: number;
}

/** What the high watermark is computed from (the leader's view, one ISR). */
export interface HighWatermarkInputs {
  readonly leaderLogEndOffset: number;
  /** Every offset below it is fsynced on the leader. */
  readonly leaderDurableEndOffset: number;
  readonly flushOnAck: boolean;
  /** Each ISR follower's last fetch offset, -1 for one that has not fetched in this leader epoch. */
  readonly followerEndOffsets: readonly number[];
}

/**
 * The offset the high watermark may move to (Kafka's maybeIncrementLeaderHW): the smallest log end over the
 * ISR. With flush.on.ack (issue 16, DESIGN §12) a batch counts only once every ISR member has fsynced it:
 * the leader's part is its durable end, not its log end, and a follower's part is its fetch offset, which a
 * follower of such a topic sends only after fsyncing everything below it (FollowerFetcher), so un-fsynced
 * data of the leader or of a follower is never counted.
 */
export function highWatermarkCandidate(inputs: HighWatermarkInputs): number {
  assert(
    inputs.leaderDurableEndOffset <= inputs.leaderLogEndOffset || !inputs.flushOnAck,
    'the leader durable end never passes its log end',
  );
  let candidate = inputs.flushOnAck ? inputs.leaderDurableEndOffset : inputs.leaderLogEndOffset;
  for (const end of inputs.followerEndOffsets) candidate = Math.min(candidate, end);
  return candidate;
}

export interface IsrProposal {
  readonly newIsr: readonly number[];
  readonly removed: readonly number[];
  readonly added: readonly number[];
}

export class LeaderPartitionState {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly leaderEpochStartOffset: number;
  private partitionEpochValue: number;
  private replicasValue: readonly number[];
  private isrValue: readonly number[];
  private highWatermarkValue: number;
  private leaderLogEndOffsetValue: number;
  private leaderDurableEndOffsetValue: number;
  private flushOnAckValue: boolean;
  private readonly progress = new Map<number, ReplicaProgress>();
  /** Each follower's log start offset as its last fetch reported it (DeleteRecords waits on them). */
  private readonly followerLogStarts = new Map<number, number>();
  /** The ISR sent to the controller and not answered yet; at most one in flight. */
  private inFlightIsr: readonly number[] | null = null;
  /** After STALE_PARTITION_EPOCH: propose nothing until metadata brings a newer partition epoch. */
  private staleAtPartitionEpoch: number | null = null;

  constructor(init: LeaderStateInit) {
    assert(init.replicas.includes(init.leaderId), 'the leader is one of the replicas');
    assert(init.highWatermark <= init.leaderEpochStartOffset, 'high watermark <= log end on becoming leader');
    this.leaderId = init.leaderId;
    this.leaderEpoch = init.leaderEpoch;
    this.leaderEpochStartOffset = init.leaderEpochStartOffset;
    this.partitionEpochValue = init.partitionEpoch;
    this.replicasValue = [...init.replicas];
    this.isrValue = [...init.isr];
    this.highWatermarkValue = init.highWatermark;
    this.leaderLogEndOffsetValue = init.leaderEpochStartOffset;
    this.leaderDurableEndOffsetValue = Math.min(
      init.leaderDurableEndOffset ?? 0,
      init.leaderEpochStartOffset,
    );
    this.flushOnAckValue = init.flushOnAck ?? false;
    for (const id of init.replicas) {
      if (id === init.leaderId) continue;
      // Kafka starts followers as caught up when the leader takes over, so a healthy ISR is not shrunk
      // before its members had a chance to fetch.
      this.progress.set(id, {
        logEndOffset: -1,
        lastCaughtUpMs: init.nowMs,
        lastFetchMs: init.nowMs,
        leaderLogEndAtLastFetch: -1,
      });
    }
  }

  get highWatermark(): number {
    return this.highWatermarkValue;
  }
  get leaderLogEndOffset(): number {
    return this.leaderLogEndOffsetValue;
  }
  get isr(): readonly number[] {
    return this.isrValue;
  }
  get replicas(): readonly number[] {
    return this.replicasValue;
  }
  get partitionEpoch(): number {
    return this.partitionEpochValue;
  }
  get alterInFlight(): boolean {
    return this.inFlightIsr !== null;
  }

  replicaProgress(replicaId: number): ReplicaProgress | undefined {
    return this.progress.get(replicaId);
  }

  /** After a local append. */
  updateLeaderLogEnd(logEndOffset: number): void {
    assert(logEndOffset >= this.leaderLogEndOffsetValue, 'the leader log end never goes back');
    this.leaderLogEndOffsetValue = logEndOffset;
  }

  get flushOnAck(): boolean {
    return this.flushOnAckValue;
  }
  get leaderDurableEndOffset(): number {
    return this.leaderDurableEndOffsetValue;
  }

  /**
   * The topic's flush.on.ack changed (alter-configs): the high watermark never goes back either way. Turned
   * on, the followers' reports so far may be of data they never fsynced: only the part below the high
   * watermark (already counted) is kept, so what is still waiting counts once they report again (after
   * fsyncing, as they do from the change on).
   */
  setFlushOnAck(flushOnAck: boolean): void {
    const turnedOn = flushOnAck && !this.flushOnAckValue;
    this.flushOnAckValue = flushOnAck;
    if (!turnedOn) return;
    for (const [id, progress] of this.progress) {
      const logEndOffset = Math.min(progress.logEndOffset, this.highWatermarkValue);
      if (logEndOffset !== progress.logEndOffset) this.progress.set(id, { ...progress, logEndOffset });
    }
  }

  /**
   * An fsync of the leader's log completed (PartitionLog.flushDurable). A leader never truncates its log, so
   * its durable end only grows; an fsync's answer reaching here after a later one's changes nothing.
   */
  updateLeaderDurableEnd(durableEndOffset: number): void {
    assert(durableEndOffset <= this.leaderLogEndOffsetValue, 'an fsync covers only what was appended');
    this.leaderDurableEndOffsetValue = Math.max(this.leaderDurableEndOffsetValue, durableEndOffset);
  }

  /**
   * A follower fetched from `fetchOffset`, so it holds everything below it. Kafka's updateFetchState: the
   * follower is caught up now if it reached the leader's current end, or was caught up at its previous
   * fetch if it reached the end the leader had then.
   */
  recordFollowerFetch(replicaId: number, fetchOffset: number, nowMs: number): void {
    const previous = this.progress.get(replicaId);
    assert(previous !== undefined, () => `replica ${replicaId} is a follower of this partition`);
    assert(fetchOffset <= this.leaderLogEndOffsetValue, 'a follower fetch is at or below the leader log end');
    let lastCaughtUpMs = previous.lastCaughtUpMs;
    if (fetchOffset >= this.leaderLogEndOffsetValue) lastCaughtUpMs = Math.max(lastCaughtUpMs, nowMs);
    else if (fetchOffset >= previous.leaderLogEndAtLastFetch && previous.leaderLogEndAtLastFetch >= 0) {
      lastCaughtUpMs = Math.max(lastCaughtUpMs, previous.lastFetchMs);
    }
    this.progress.set(replicaId, {
      logEndOffset: fetchOffset,
      lastCaughtUpMs,
      lastFetchMs: nowMs,
      leaderLogEndAtLastFetch: this.leaderLogEndOffsetValue,
    });
  }

  /**
   * A follower's fetch reported its log start offset (capped at its fetch offset: it cannot start past
   * what it holds). Kept apart from the fetch progress, which ISR and high watermark decisions read.
   */
  recordFollowerLogStart(replicaId: number, logStartOffset: number, fetchOffset: number): void {
    assert(this.progress.has(replicaId), () => `replica ${replicaId} is a follower of this partition`);
    this.followerLogStarts.set(replicaId, Math.min(logStartOffset, fetchOffset));
  }

  /**
   * Kafka's lowWatermarkIfLeader over the ISR: the smallest log start among the leader (`leaderLogStart`)
   * and the ISR followers (-1 for one that has not reported since this leader took over). The maximal
   * ISR counts, so a member being added is not left with records a DeleteRecords was told are gone.
   */
  isrLogStartOffset(leaderLogStart: number): number {
    let lowest = leaderLogStart;
    for (const id of this.maximalIsr()) {
      if (id !== this.leaderId) lowest = Math.min(lowest, this.followerLogStarts.get(id) ?? -1);
    }
    return lowest;
  }

  /**
   * The high watermark is the smallest log end over the ISR (highWatermarkCandidate); while an
   * expansion is in flight the proposed members count too (the "maximal ISR"), so an acknowledged write
   * never depends on a member the controller has not confirmed. Returns whether it moved; never decreases.
   */
  maybeAdvanceHighWatermark(): boolean {
    const followerEndOffsets: number[] = [];
    for (const id of this.maximalIsr()) {
      if (id !== this.leaderId) followerEndOffsets.push(this.progress.get(id)?.logEndOffset ?? -1);
    }
    const candidate = highWatermarkCandidate({
      leaderLogEndOffset: this.leaderLogEndOffsetValue,
      leaderDurableEndOffset: this.leaderDurableEndOffsetValue,
      flushOnAck: this.flushOnAckValue,
      followerEndOffsets,
    });
    assert(this.highWatermarkValue <= this.leaderLogEndOffsetValue, 'high watermark <= leader log end');
    if (candidate <= this.highWatermarkValue) return false;
    this.highWatermarkValue = candidate;
    return true;
  }

  /** ISR members (not the leader) that have not been caught up for longer than `lagMaxMs`. */
  shrinkCandidates(nowMs: number, lagMaxMs: number): number[] {
    return this.isrValue.filter((id) => {
      if (id === this.leaderId) return false;
      const progress = this.progress.get(id);
      return progress === undefined || nowMs - progress.lastCaughtUpMs > lagMaxMs;
    });
  }

  /**
   * Replicas outside the ISR that may join it: they hold everything up to the high watermark and at least
   * the start of this leader's epoch (Kafka's isFollowerInSync, KIP-101), so they agree with this leader.
   */
  expandCandidates(): number[] {
    return this.replicasValue.filter((id) => {
      if (id === this.leaderId || this.isrValue.includes(id)) return false;
      const end = this.progress.get(id)?.logEndOffset ?? -1;
      return end >= this.highWatermarkValue && end >= this.leaderEpochStartOffset;
    });
  }

  /**
   * The ISR change to send to the controller, or null when none is due or one is already in flight.
   * Marks the proposal in flight: the caller must answer with `alterPartitionDone`.
   */
  proposeIsrChange(nowMs: number, lagMaxMs: number): IsrProposal | null {
    if (this.inFlightIsr !== null) return null;
    if (this.staleAtPartitionEpoch !== null && this.staleAtPartitionEpoch >= this.partitionEpochValue)
      return null;
    const removed = this.shrinkCandidates(nowMs, lagMaxMs);
    const added = this.expandCandidates();
    if (removed.length === 0 && added.length === 0) return null;
    const newIsr = [...this.isrValue.filter((id) => !removed.includes(id)), ...added];
    assert(newIsr.includes(this.leaderId), 'the leader stays in its ISR');
    this.inFlightIsr = newIsr;
    return { newIsr, removed, added };
  }

  /** The controller answered (or the call failed): another proposal may go out. */
  alterPartitionDone(outcome: 'ok' | 'stale' | 'failed'): void {
    this.inFlightIsr = null;
    if (outcome === 'stale') this.staleAtPartitionEpoch = this.partitionEpochValue;
  }

  /**
   * Metadata for the same leader epoch: ISR and replicas as committed. An older partition epoch is
   * ignored (fenced). Returns whether anything changed.
   */
  applyPartitionChange(change: {
    readonly partitionEpoch: number;
    readonly isr: readonly number[];
    readonly replicas: readonly number[];
  }): boolean {
    if (change.partitionEpoch <= this.partitionEpochValue) return false;
    this.partitionEpochValue = change.partitionEpoch;
    this.isrValue = [...change.isr];
    this.replicasValue = [...change.replicas];
    for (const id of this.progress.keys()) if (!change.replicas.includes(id)) this.progress.delete(id);
    for (const id of this.followerLogStarts.keys()) {
      if (!change.replicas.includes(id)) this.followerLogStarts.delete(id);
    }
    for (const id of change.replicas) {
      if (id !== this.leaderId && !this.progress.has(id)) {
        // A replica added under this leader (a reassignment) has never been caught up: -1, not a time.
        this.progress.set(id, {
          logEndOffset: -1,
          lastCaughtUpMs: -1,
          lastFetchMs: 0,
          leaderLogEndAtLastFetch: -1,
        });
      }
    }
    return true;
  }

  /** acks=all: a write ending before `requiredOffset` (its last offset + 1) is on every ISR member. */
  isReplicated(requiredOffset: number): boolean {
    return this.highWatermarkValue >= requiredOffset;
  }

  private maximalIsr(): readonly number[] {
    if (this.inFlightIsr === null) return this.isrValue;
    const extra = this.inFlightIsr.filter((id) => !this.isrValue.includes(id));
    return extra.length === 0 ? this.isrValue : [...this.isrValue, ...extra];
  }
}
