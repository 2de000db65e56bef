/**
 * The leader's step function and replication (etcd-io/raft's stepLeader, sendAppend, maybeCommit):
 * pipelined appends with bounded in-flight, fast back-off, snapshots for followers behind the compaction
 * point, heartbeats, check-quorum and leadership transfer.
 */
import { assert, LIMITS, type LogIndex, logIndex, type NodeId, TributaryError } from '@tributary/core';
import {
  applyMembershipChange,
  encodeMembership,
  type Membership,
  type MembershipChange,
} from './membership.js';
import type { Progress } from './progress.js';
import type { Raft } from './raft.js';
import {
  type AppendResponse,
  CompactedError,
  type Entry,
  type EntryType,
  type HeartbeatResponse,
  type Message,
} from './types.js';

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append-response':
      handleAppendResponse(r, m);
      return;
    case 'heartbeat-response':
      handleHeartbeatResponse(r, m);
      return;
    case 'append':
    case 'heartbeat':
    case 'snapshot':
    case 'timeout-now':
    case 'vote':
    case 'pre-vote':
    case 'vote-response':
    case 'pre-vote-response':
      // Another leader in our own term would break election safety; the simulation's checker watches for
      // it. Late vote answers and stray timeouts are harmless.
      return;
  }
}

/** Heartbeats, check-quorum (thesis §6.2) and the transfer deadline. */
export function tickLeader(r: Raft): void {
  r.heartbeatElapsed++;
  r.electionElapsed++;
  for (const [id, pr] of r.progress) {
    if (id === r.id) continue;
    pr.ticksSinceContact++;
    if (pr.state === 'snapshot' && ++pr.snapshotTicks >= r.electionTicks) pr.becomeProbe();
  }
  if (r.electionElapsed >= r.electionTicks) {
    r.electionElapsed = 0;
    if (r.checkQuorum && !hasActiveQuorum(r)) {
      r.becomeFollower(r.term, null);
      return;
    }
    // A transfer that has not finished within an election timeout is abandoned (thesis §3.10).
    r.abortTransfer();
  }
  if (r.heartbeatElapsed >= r.heartbeatTicks) {
    r.heartbeatElapsed = 0;
    bcastHeartbeat(r);
  }
}

/** Check-quorum counts voters only: a leader removed from the voters does not count itself. */
function hasActiveQuorum(r: Raft): boolean {
  let active = 0;
  for (const id of r.voters) {
    if (id === r.id || r.progress.get(id)?.recentActive === true) active++;
  }
  for (const pr of r.progress.values()) pr.recentActive = false;
  return active >= r.quorum();
}

/** Appends entries of the leader's term to its own log; the leader never overwrites its log. */
export function appendEntries(r: Raft, payloads: readonly Uint8Array[], type: EntryType): LogIndex {
  assert(r.role === 'leader', 'only the leader appends proposals');
  const last = r.log.lastIndex();
  const entries: Entry[] = payloads.map((data, k) => ({
    index: logIndex(last + 1 + k),
    term: r.term,
    type,
    data,
  }));
  r.log.truncateAndAppend(entries);
  const newLast = r.log.lastIndex();
  assert(newLast === last + entries.length, 'the leader only appends to its log');
  // Thesis §4.1: a new configuration takes effect as soon as it is in the log; replicate to new members.
  if (type === 'membership') r.syncProgress();
  r.ownProgress().maybeUpdate(newLast);
  maybeCommit(r);
  return newLast;
}

/** Leader-side propose: refused while transferring, and bounded by uncommitted entries. */
export function propose(r: Raft, data: Uint8Array): LogIndex {
  if (r.role !== 'leader') {
    throw new TributaryError(
      'NOT_LEADER',
      `node ${r.id} is not the leader (leader: ${r.leaderId ?? 'unknown'})`,
    );
  }
  if (r.transferee !== null) {
    throw new TributaryError('NOT_LEADER', `node ${r.id} is transferring leadership to ${r.transferee}`);
  }
  const uncommitted = r.log.lastIndex() - r.log.committed;
  if (uncommitted >= LIMITS.raftPendingProposalsMax) {
    throw new TributaryError(
      'RESOURCE_EXHAUSTED',
      `${uncommitted} uncommitted entries; the limit is reached`,
    );
  }
  const index = appendEntries(r, [data], 'normal');
  bcastAppend(r);
  return index;
}

/**
 * Leader-side membership change, one server at a time (thesis §4.1). Refused (TributaryError) when:
 * not the leader or transferring (NOT_LEADER); an earlier membership entry is uncommitted, or no entry of
 * this term is committed yet (RECONFIGURATION_IN_PROGRESS: the latter is Ongaro's fix for the
 * single-server change bug — a leader must not change the configuration before its own term's no-op
 * commits, else a change made by a deposed leader of an earlier term could combine with this one into
 * two non-overlapping majorities); or when the change itself is invalid (applyMembershipChange).
 */
export function proposeMembership(
  r: Raft,
  change: MembershipChange,
): { index: LogIndex; membership: Membership } {
  if (r.role !== 'leader' || r.transferee !== null) {
    throw new TributaryError(
      'NOT_LEADER',
      `node ${r.id} is not the leader (leader: ${r.leaderId ?? 'unknown'})`,
    );
  }
  const pendingIndex = r.log.memberships.latestIndex();
  if (pendingIndex > r.log.committed && !r.knobs.unsafeConcurrentMembershipChanges) {
    throw new TributaryError(
      'RECONFIGURATION_IN_PROGRESS',
      `the membership change at index ${pendingIndex} is not committed yet (commit ${r.log.committed})`,
    );
  }
  if (r.log.term(r.log.committed) !== r.term) {
    throw new TributaryError(
      'RECONFIGURATION_IN_PROGRESS',
      `leader ${r.id} has not yet committed an entry of its term ${r.term}`,
    );
  }
  const membership = applyMembershipChange(r.membership, change);
  const index = appendEntries(r, [encodeMembership(membership)], 'membership');
  bcastAppend(r);
  return { index, membership };
}

/**
 * A leader that removed itself leads (without counting itself) until the removal commits, then steps down
 * (thesis §4.2.2); being non-promotable it never campaigns again. It hands over at once to the most
 * caught-up voter with TimeoutNow rather than making the others wait out an election timeout.
 */
function maybeStepDownAfterRemoval(r: Raft): void {
  if (r.promotable() || r.log.memberships.latestIndex() > r.log.committed) return;
  let best: { id: NodeId; match: LogIndex } | null = null;
  for (const id of r.voters) {
    const match = r.progress.get(id)?.match ?? logIndex(0);
    if (best === null || match > best.match) best = { id, match };
  }
  const term = r.term;
  r.becomeFollower(term, null);
  if (best !== null && best.match === r.log.lastIndex()) {
    r.send({ type: 'timeout-now', from: r.id, to: best.id, term });
  }
}

/**
 * Raft §5.3/§5.4.2: commit the highest index stored on a quorum, but only if it is of the current term;
 * earlier-term entries commit indirectly with it (figure 8). The commit index never goes back.
 */
export function maybeCommit(r: Raft): boolean {
  const matches = r.voters.map((id) => r.progress.get(id)?.match ?? logIndex(0)).sort((a, b) => b - a);
  const quorumIndex = matches[r.quorum() - 1];
  assert(quorumIndex !== undefined, 'a quorum exists among the voters');
  if (quorumIndex <= r.log.committed) return false;
  if (!r.knobs.unsafeCommitEarlierTermByCounting && r.log.term(quorumIndex) !== r.term) return false;
  r.log.commitTo(quorumIndex);
  return true;
}

/** Appends go to every member: voters and learners (learners must keep up to be promoted). */
export function bcastAppend(r: Raft): void {
  for (const id of r.progress.keys()) if (id !== r.id) sendAppend(r, id, true);
}

function bcastHeartbeat(r: Raft): void {
  for (const [to, pr] of r.progress) {
    if (to === r.id) continue;
    // A follower must never commit an index it may not hold yet.
    const commit = logIndex(Math.min(r.log.committed, pr.match));
    r.send({ type: 'heartbeat', from: r.id, to, term: r.term, commit });
  }
}

/** Sends the next append (or a snapshot) to a follower unless paused. Returns whether it sent. */
export function sendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.progress.get(to);
  if (pr === undefined || pr.isPaused(r.maxInflightAppends)) return false;
  assert(pr.next <= r.log.lastIndex() + 1, () => `next ${pr.next} past the leader's log end`);
  const prevLogIndex = logIndex(pr.next - 1);
  const prevLogTerm = r.log.term(prevLogIndex);
  const entries = entriesFrom(r, pr);
  if (prevLogTerm === null || entries === null) return sendSnapshot(r, to, pr);
  if (entries.length === 0 && !sendIfEmpty) return false;
  const commit = r.log.committed;
  r.send({ type: 'append', from: r.id, to, term: r.term, prevLogIndex, prevLogTerm, entries, commit });
  pr.sentEntries(logIndex(prevLogIndex + entries.length), entries.length);
  return true;
}

function entriesFrom(r: Raft, pr: Progress): readonly Entry[] | null {
  const hi = logIndex(Math.min(r.log.lastIndex() + 1, pr.next + r.maxEntriesPerAppend));
  try {
    return r.log.slice(pr.next, hi, r.maxBytesPerAppend);
  } catch (error) {
    if (error instanceof CompactedError) return null;
    throw error;
  }
}

/** Raft §7: the entries the follower needs are compacted away, so send the snapshot that replaced them. */
function sendSnapshot(r: Raft, to: NodeId, pr: Progress): boolean {
  const snapshot = r.log.unstableSnapshot ?? r.log.storage.snapshot();
  assert(snapshot.meta.index >= r.log.firstIndex() - 1, 'the snapshot covers everything compacted');
  assert(snapshot.meta.index > 0, 'a compacted log has a snapshot');
  r.send({ type: 'snapshot', from: r.id, to, term: r.term, snapshot });
  pr.becomeSnapshot(snapshot.meta.index);
  return true;
}

function handleAppendResponse(r: Raft, m: AppendResponse): void {
  const pr = r.progress.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.ticksSinceContact = 0;
  if (m.reject) {
    // Fast back-off (thesis §5.4.2 optimisation): skip every entry of a term the follower cannot match.
    const hint =
      m.rejectHintTerm > 0
        ? r.log.findConflictByTerm(m.rejectHintIndex, m.rejectHintTerm).index
        : m.rejectHintIndex;
    const lostFrom = dataLossProbeFrom(pr, m, hint);
    if (lostFrom !== null) {
      // An operator-visible event (a voter's disk was lost); a shell sees it as that voter's match in
      // status().progress going back. See Progress.resetAfterDataLoss for why this is the one way it can.
      pr.resetAfterDataLoss(lostFrom);
      sendAppend(r, m.from, true);
      return;
    }
    if (m.index === 0) return; // a heartbeat rejection we have already acted on
    if (pr.maybeDecrTo(m.index, hint)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      sendAppend(r, m.from, true);
    }
    return;
  }
  const wasPaused = pr.isPaused(r.maxInflightAppends);
  if (!pr.maybeUpdate(m.index)) return;
  if (pr.state === 'probe') pr.becomeReplicate();
  else if (pr.state === 'snapshot' && pr.match + 1 >= r.log.firstIndex()) {
    pr.becomeProbe();
    pr.becomeReplicate();
  }
  // A follower that was paused may have missed commit updates: tell it now, even with no entries to send.
  if (maybeCommit(r)) {
    bcastAppend(r);
    maybeStepDownAfterRemoval(r);
    if (r.role !== 'leader') return;
  } else if (wasPaused) sendAppend(r, m.from, true);
  while (sendAppend(r, m.from, false)) {
    // Keep the pipeline full until paused or caught up.
  }
  if (m.from === r.transferee && pr.match === r.log.lastIndex()) sendTimeoutNow(r, m.from);
}

/**
 * Where to probe a follower that has lost entries it acknowledged (up to `match`), or null when the
 * rejection does not show that. Only a rejection at index 0 does: it answers a heartbeat whose commit
 * claim (at most the match we had when sending it) passed the follower's log end, hinted in it, and no
 * append is ever rejected at 0 since every log matches there. A hint at or above match means we already
 * reset and this answer is late. Append rejections hinting below match are no evidence: reordered
 * pipelined appends produce those all the time.
 */
function dataLossProbeFrom(pr: Progress, m: AppendResponse, hint: LogIndex): LogIndex | null {
  if (m.index !== 0 || m.rejectHintIndex >= pr.match) return null;
  return logIndex(hint + 1);
}

function handleHeartbeatResponse(r: Raft, m: HeartbeatResponse): void {
  const pr = r.progress.get(m.from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.ticksSinceContact = 0;
  // A heartbeat answer shows the follower is reachable: resume a paused probe, and free a slot if the
  // pipeline is full (an append may have been lost).
  pr.probeSent = false;
  if (pr.state === 'replicate' && pr.inflight.length >= r.maxInflightAppends) pr.inflight.shift();
  if (pr.match < r.log.lastIndex()) sendAppend(r, m.from, true);
}

export function transferLeadership(r: Raft, to: NodeId): void {
  if (r.role !== 'leader') throw new TributaryError('NOT_LEADER', `node ${r.id} is not the leader`);
  if (!r.voters.includes(to)) throw new TributaryError('INVALID_REQUEST', `node ${to} is not a voter`);
  if (r.transferee === to || to === r.id) return;
  r.abortTransfer();
  r.transferee = to;
  // The transfer must finish within an election timeout (tickLeader aborts it then).
  r.electionElapsed = 0;
  const pr = r.progress.get(to);
  assert(pr !== undefined, 'every voter has progress');
  if (pr.match === r.log.lastIndex()) sendTimeoutNow(r, to);
  else sendAppend(r, to, true);
}

function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send({ type: 'timeout-now', from: r.id, to, term: r.term });
}

/** The shell could not deliver a snapshot (or it was applied): probe again from what the follower has. */
export function reportSnapshot(r: Raft, id: NodeId, ok: boolean): void {
  const pr = r.progress.get(id);
  if (r.role !== 'leader' || pr === undefined || pr.state !== 'snapshot') return;
  if (!ok) pr.pendingSnapshot = logIndex(0);
  pr.becomeProbe();
  pr.probeSent = true; // wait for the next heartbeat answer before probing
}

export function reportUnreachable(r: Raft, id: NodeId): void {
  const pr = r.progress.get(id);
  if (r.role !== 'leader' || pr === undefined) return;
  if (pr.state === 'replicate') pr.becomeProbe();
}
