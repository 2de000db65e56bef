/**
 * Step functions of followers and (pre-)candidates, and how a follower takes appends, heartbeats and
 * snapshots from its leader (etcd-io/raft's stepFollower, stepCandidate, handleAppendEntries...).
 */
import { assert, type LogIndex, logIndex, type Term } from '@tributary/core';
import type { Raft } from './raft.js';
import type { AppendRequest, HeartbeatRequest, Message, SnapshotRequest } from './types.js';

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append':
    case 'heartbeat':
    case 'snapshot':
      r.electionElapsed = 0;
      r.leaderId = m.from;
      handleFromLeader(r, m);
      return;
    case 'timeout-now':
      // Leadership transfer (thesis §3.10): campaign at once, skipping pre-vote and leader stickiness.
      r.hup(true);
      return;
    case 'vote':
    case 'pre-vote':
    case 'vote-response':
    case 'pre-vote-response':
    case 'append-response':
    case 'heartbeat-response':
      return;
  }
}

export function stepCandidate(r: Raft, m: Message): void {
  switch (m.type) {
    case 'append':
    case 'heartbeat':
    case 'snapshot':
      // Someone won this term (Raft §5.2): follow it.
      r.becomeFollower(m.term, m.from);
      handleFromLeader(r, m);
      return;
    case 'vote-response':
    case 'pre-vote-response':
      handleVoteResponse(r, m.type, m.from, !m.reject);
      return;
    case 'vote':
    case 'pre-vote':
    case 'append-response':
    case 'heartbeat-response':
    case 'timeout-now':
      return;
  }
}

function handleVoteResponse(
  r: Raft,
  type: 'vote-response' | 'pre-vote-response',
  from: Message['from'],
  granted: boolean,
): void {
  const expected = r.role === 'pre-candidate' ? 'pre-vote-response' : 'vote-response';
  if (type !== expected) return;
  const result = r.poll(from, granted);
  if (result === 'won') r.onElectionWon();
  else if (result === 'lost') r.becomeFollower(r.term, null);
}

function handleFromLeader(r: Raft, m: AppendRequest | HeartbeatRequest | SnapshotRequest): void {
  switch (m.type) {
    case 'append':
      handleAppend(r, m);
      return;
    case 'heartbeat':
      handleHeartbeat(r, m);
      return;
    case 'snapshot':
      handleSnapshot(r, m);
      return;
  }
}

function respondAppend(r: Raft, m: Message, index: number, hint?: { index: number; term: Term }): void {
  r.send({
    type: 'append-response',
    from: r.id,
    to: m.from,
    term: r.term,
    reject: hint !== undefined,
    index: logIndex(index),
    rejectHintIndex: logIndex(hint?.index ?? 0),
    rejectHintTerm: hint?.term ?? (0 as Term),
  });
}

/** Raft §5.3: accept entries that follow a matching (prevLogIndex, prevLogTerm), else hint where to retry. */
function handleAppend(r: Raft, m: AppendRequest): void {
  if (m.prevLogIndex < r.log.committed) {
    // Everything up to our commit already matches the leader (Log Matching): say so.
    respondAppend(r, m, r.log.committed);
    return;
  }
  const lastNew = r.log.maybeAppend(m.prevLogIndex, m.prevLogTerm, m.entries);
  if (lastNew !== null) {
    r.log.commitTo(logIndex(Math.min(m.commit, lastNew)));
    respondAppend(r, m, lastNew);
    return;
  }
  // Fast back-off: our last index at or below the probe whose term is <= the leader's prevLogTerm.
  const probe = logIndex(Math.min(m.prevLogIndex, r.log.lastIndex()));
  const hint = r.log.findConflictByTerm(probe, m.prevLogTerm);
  assert(hint.index <= m.prevLogIndex, 'the back-off hint never points past the probe');
  respondAppend(r, m, m.prevLogIndex, hint);
}

/**
 * The leader sends commit = min(its commit, our match), so it claims we hold everything up to m.commit. We
 * commit only what we know matches the leader (verifiedIndex), and never past our log end: if the claim
 * passes our last index we lost entries we once acknowledged (a wiped data directory). Then we answer with
 * a rejection at index 0 (which no append can cause) hinting where our log ends, so the leader probes (or
 * sends a snapshot) from there.
 */
function handleHeartbeat(r: Raft, m: HeartbeatRequest): void {
  r.log.commitTo(logIndex(Math.min(m.commit, verifiedIndex(r))));
  const last = r.log.lastIndex();
  if (m.commit > last) {
    respondAppend(r, m, 0, { index: last, term: r.log.lastTerm() });
    return;
  }
  r.send({ type: 'heartbeat-response', from: r.id, to: m.from, term: r.term });
}

/**
 * The last index of our log known to match the current leader's. An entry of the current term can only
 * have come from this term's leader, and Log Matching (Raft §5.3) makes everything before it match too; so
 * a log ending in the current term matches up to its end. Otherwise only the committed prefix is known to
 * match: a node that lost its disk may have taken entries from a deposed leader of an older term, which
 * the leader's stale match for us would wrongly vouch for. The leader still sends appends, which commit.
 */
function verifiedIndex(r: Raft): LogIndex {
  return r.log.lastTerm() === r.term ? r.log.lastIndex() : r.log.committed;
}

/** Raft §7: install a snapshot newer than our commit; an older one only confirms what we have. */
function handleSnapshot(r: Raft, m: SnapshotRequest): void {
  const meta = m.snapshot.meta;
  if (meta.index <= r.log.committed) {
    respondAppend(r, m, r.log.committed);
    return;
  }
  if (r.log.matchTerm(meta.index, meta.term)) {
    // Our log already holds the snapshot's last entry, so everything up to it matches: fast-forward.
    r.log.commitTo(meta.index);
    respondAppend(r, m, r.log.committed);
    return;
  }
  r.log.restore(m.snapshot); // also takes the snapshot's membership
  assert(r.log.lastIndex() === meta.index, 'a restored log ends at the snapshot');
  respondAppend(r, m, r.log.lastIndex());
}
