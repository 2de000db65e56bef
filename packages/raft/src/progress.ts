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

  /**
   * The follower lost entries it had acknowledged: its data directory was wiped, so it restarted with a
   * shorter (or empty) log. This is the ONLY way match goes down; every other path only raises it.
   *
   * Raft assumes stable storage, and this path does not make disk loss safe: acknowledgements already
   * counted towards commits are gone, and the node has also forgotten its vote, so it could vote twice in a
   * term. It is only safe when the operator guarantees the node did not vote in a term still being decided;
   * pre-vote and its empty log make it lose any election it starts. What it repairs is progress: without it
   * the leader would never resend entries at or below the stale match, and the follower could never catch up.
   *
   * Match drops to 0, not to the follower's reported log end: that node may since have taken entries from a
   * deposed leader, so nothing it holds is known to match until it acknowledges an append (or a snapshot)
   * again. Probing resumes at `next`, with the usual back-off, and a snapshot if those entries are compacted.
   */
  resetAfterDataLoss(next: LogIndex): void {
    assert(next > 0 && next <= this.match, () => `data-loss reset to next ${next} with match ${this.match}`);
    this.match = logIndex(0);
    this.next = next;
    this.resetState('probe');
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

  /** A success response: returns false for a stale one (index <= match). Match never goes down here. */
  maybeUpdate(index: LogIndex): boolean {
    const matchBefore = this.match;
    const updated = index > this.match;
    if (updated) {
      this.match = index;
      this.probeSent = false;
    }
    if (this.next < index + 1) this.next = logIndex(index + 1);
    while (this.inflight.length > 0 && (this.inflight[0] as LogIndex) <= index) this.inflight.shift();
    assert(this.next > this.match, () => `next ${this.next} <= match ${this.match}`);
    assert(this.match >= matchBefore, 'match only goes down through resetAfterDataLoss');
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
    // A rejection of the entry at match tells nothing new: it is stale, or the follower lost its log, which
    // it reports by rejecting our next heartbeat (see resetAfterDataLoss). Probing again at once would
    // ping-pong the same append with it; the next heartbeat answer unpauses the probe instead.
    if (rejected <= this.match) return false;
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
