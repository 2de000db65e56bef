/**
 * The leader's view of one follower's log (etcd-io/raft's tracker.Progress). A follower is probed one
 * append at a time until its match is known, then replicated to with pipelined appends (bounded in flight),
 * or sent a snapshot when the entries it needs are compacted away.
 */
import { assert, type LogIndex, logIndex } from '@tributary/core';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  match: LogIndex = logIndex(0);
  next: LogIndex;
  state: ProgressState = 'probe';
  /** Probe: an append is outstanding; wait for its answer (or a heartbeat response) before sending more. */
  probeSent = false;
  /** Replicate: last indexes of the appends in flight, oldest first. */
  inflight: LogIndex[] = [];
  /** Snapshot: the index of the snapshot being sent, and ticks spent waiting for it. */
  pendingSnapshot: LogIndex = logIndex(0);
  snapshotTicks = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  ticksSinceContact = 0;

  constructor(next: LogIndex) {
    this.next = next;
  }

  becomeProbe(): void {
    if (this.state === 'snapshot') {
      this.next = logIndex(Math.max(this.match + 1, this.pendingSnapshot + 1));
    } else {
      this.next = logIndex(this.match + 1);
    }
    this.resetState('probe');
  }

  becomeReplicate(): void {
    this.next = logIndex(this.match + 1);
    this.resetState('replicate');
  }

  becomeSnapshot(snapshotIndex: LogIndex): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /** An append up to `last` was sent: advance next optimistically (replicate) or pause (probe). */
  sentEntries(last: LogIndex, count: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        this.next = logIndex(last + 1);
        this.inflight.push(last);
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /** A success response: returns false for a stale one (index <= match). */
  maybeUpdate(index: LogIndex): boolean {
    const updated = index > this.match;
    if (updated) {
      this.match = index;
      this.probeSent = false;
    }
    if (this.next < index + 1) this.next = logIndex(index + 1);
    while (this.inflight.length > 0 && (this.inflight[0] as LogIndex) <= index) this.inflight.shift();
    assert(this.next > this.match, () => `next ${this.next} <= match ${this.match}`);
    return updated;
  }

  /**
   * A rejection of the append at `rejected`; `hint` is where the leader should probe next. Returns false
   * when the rejection is stale (answers an append we have since moved past).
   */
  maybeDecrTo(rejected: LogIndex, hint: LogIndex): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = logIndex(this.match + 1);
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = logIndex(Math.max(Math.min(rejected, hint + 1), this.match + 1));
    this.probeSent = false;
    assert(this.next > this.match, 'back-off never goes at or below match');
    return true;
  }

  isPaused(maxInflight: number): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflight.length >= maxInflight;
      case 'snapshot':
        return true;
    }
  }

  private resetState(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.inflight = [];
    this.pendingSnapshot = logIndex(0);
    this.snapshotTicks = 0;
  }
}
