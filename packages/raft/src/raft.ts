/**
 * The Raft state machine (etcd-io/raft's `raft` struct): terms, votes, roles and the log. Each role is a
 * step function swapped in by becomeX (follower/candidate in follower.ts, leader in leader.ts); this file
 * holds what every role shares: the term rules of Step, voting, elections and timers. Internal: the public
 * face is RaftNode.
 */
import {
  assert,
  LIMITS,
  type LogIndex,
  logIndex,
  type NodeId,
  type Random,
  type Term,
  term,
} from '@tributary/core';
import { stepCandidate, stepFollower } from './follower.js';
import { appendEntries, bcastAppend, stepLeader, tickLeader } from './leader.js';
import { bootstrapMembership, type Membership } from './membership.js';
import { Progress } from './progress.js';
import { RaftLog } from './raft-log.js';
import type {
  HardState,
  Message,
  RaftConfig,
  RaftTestingKnobs,
  Role,
  SoftState,
  Storage,
  VoteRequest,
} from './types.js';

export type StepFunction = (r: Raft, m: Message) => void;

/** Messages the core has produced and the shell has not yet taken; bounded to catch runaway loops. */
const OUTBOX_MESSAGES_MAX = 1_000_000;
const EMPTY_DATA = new Uint8Array(0);

export class Raft {
  readonly id: NodeId;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly maxEntriesPerAppend: number;
  readonly maxBytesPerAppend: number;
  readonly maxInflightAppends: number;
  readonly knobs: RaftTestingKnobs;
  private readonly random: Random;

  term: Term;
  votedFor: NodeId | null;
  leaderId: NodeId | null = null;
  role: Role = 'follower';
  readonly log: RaftLog;
  /** Leader only: each member's (voters' and learners') replication progress, including the leader's own. */
  progress = new Map<NodeId, Progress>();
  /** Candidates only: the answers received so far (true = granted). */
  votes = new Map<NodeId, boolean>();
  /** Leader only: the voter a leadership transfer is handing over to. */
  transferee: NodeId | null = null;
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  msgs: Message[] = [];
  stepFn: StepFunction = stepFollower;

  constructor(config: RaftConfig, storage: Storage) {
    assert(config.electionTicks > config.heartbeatTicks, 'electionTicks must exceed heartbeatTicks');
    assert(config.heartbeatTicks > 0, 'heartbeatTicks must be positive');
    this.id = config.id;
    this.electionTicks = config.electionTicks;
    this.heartbeatTicks = config.heartbeatTicks;
    this.random = config.random;
    this.preVote = config.preVote;
    this.checkQuorum = config.checkQuorum;
    this.maxEntriesPerAppend = config.maxEntriesPerAppend ?? LIMITS.raftEntriesPerMessageMax;
    this.maxBytesPerAppend = config.maxBytesPerAppend ?? LIMITS.raftBytesPerMessageMax;
    this.maxInflightAppends = config.maxInflightAppends ?? 256;
    this.knobs = config.testingKnobs ?? {};
    const { hardState, membership } = storage.initialState();
    const base = membership ?? bootstrapMembership(config.voters);
    assert(base.voters.length > 0, 'a Raft group needs at least one voter');
    const snapshotIndex = logIndex(storage.firstIndex() - 1);
    const applied = config.applied ?? snapshotIndex;
    assert(applied >= snapshotIndex, () => `applied ${applied} is below the snapshot at ${snapshotIndex}`);
    this.log = new RaftLog(storage, { committed: hardState.commit, applied, base });
    this.term = hardState.term;
    this.votedFor = hardState.votedFor;
    this.becomeFollower(this.term, null);
  }

  // --- state -------------------------------------------------------------------------------------------

  hardState(): HardState {
    return { term: this.term, votedFor: this.votedFor, commit: this.log.committed };
  }

  softState(): SoftState {
    return { role: this.role, leaderId: this.leaderId };
  }

  /** The configuration in force: the latest membership entry in our log, committed or not (thesis §4.1). */
  get membership(): Membership {
    return this.log.memberships.latest();
  }

  get voters(): readonly NodeId[] {
    return this.membership.voters;
  }

  /** Raft §5.2 and thesis §4.1: only voters count, in the configuration in force. */
  quorum(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  /** Whether we are a voter in the configuration in force (our own vote counts only then). */
  promotable(): boolean {
    return this.voters.includes(this.id);
  }

  /**
   * Whether we may start elections: voters may; so may a node whose removal is still uncommitted in its log
   * (thesis §4.2.2: it may still be needed to commit that entry — the other voters may lack it, so none of
   * them can win without it). It does not count its own vote. Learners, and nodes that know their removal
   * committed, never campaign.
   */
  canCampaign(): boolean {
    if (this.promotable()) return true;
    const latest = this.log.memberships.latestIndex();
    if (latest <= this.log.committed) return false;
    return this.log.memberships.at(logIndex(latest - 1))?.voters.includes(this.id) === true;
  }

  /** The leader keeps a Progress for every member (and itself, even once removed); new ones are probed. */
  syncProgress(): void {
    const { voters, learners } = this.membership;
    const members = new Set<NodeId>([...voters, ...learners, this.id]);
    for (const id of [...this.progress.keys()]) if (!members.has(id)) this.progress.delete(id);
    const next = logIndex(this.log.lastIndex() + 1);
    for (const id of members) if (!this.progress.has(id)) this.progress.set(id, new Progress(next));
  }

  send(m: Message): void {
    assert(m.to !== this.id, 'a node never messages itself');
    assert(this.msgs.length < OUTBOX_MESSAGES_MAX, 'outbox overflow: is the shell draining ready()?');
    this.msgs.push(m);
  }

  // --- roles -------------------------------------------------------------------------------------------

  becomeFollower(newTerm: Term, leaderId: NodeId | null): void {
    this.stepFn = stepFollower;
    this.reset(newTerm);
    this.leaderId = leaderId;
    this.role = 'follower';
  }

  /** Pre-vote (Raft thesis §9.6): ask whether we could win before bumping the term. */
  becomePreCandidate(): void {
    assert(this.role !== 'leader', 'a leader cannot become a pre-candidate');
    this.stepFn = stepCandidate;
    this.votes.clear();
    this.leaderId = null;
    this.role = 'pre-candidate';
  }

  becomeCandidate(): void {
    assert(this.role !== 'leader', 'a leader cannot become a candidate');
    this.stepFn = stepCandidate;
    this.reset(term(this.term + 1));
    this.votedFor = this.id;
    this.role = 'candidate';
  }

  becomeLeader(): void {
    assert(this.role === 'candidate', () => `only a candidate becomes leader, not a ${this.role}`);
    this.stepFn = stepLeader;
    this.reset(this.term);
    this.leaderId = this.id;
    this.role = 'leader';
    this.ownProgress().becomeReplicate();
  }

  ownProgress(): Progress {
    const own = this.progress.get(this.id);
    assert(own !== undefined, 'the leader tracks its own progress');
    return own;
  }

  private reset(newTerm: Term): void {
    assert(newTerm >= this.term, () => `term goes back from ${this.term} to ${newTerm}`);
    if (newTerm !== this.term) {
      this.term = newTerm;
      this.votedFor = null;
    }
    this.leaderId = null;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.random.int(this.electionTicks, 2 * this.electionTicks);
    this.transferee = null;
    this.votes.clear();
    this.progress = new Map();
    this.syncProgress();
    this.ownProgress().match = this.log.lastIndex();
  }

  // --- time --------------------------------------------------------------------------------------------

  tick(): void {
    if (this.role === 'leader') {
      tickLeader(this);
      return;
    }
    this.electionElapsed++;
    if (this.canCampaign() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup(false);
    }
  }

  /** Starts an election: with pre-vote first unless a leadership transfer asked for it (thesis §3.10). */
  hup(transfer: boolean): void {
    if (this.role === 'leader' || !this.canCampaign()) return;
    this.campaign(this.preVote && !transfer ? 'pre-vote' : 'vote', transfer);
  }

  private campaign(kind: 'pre-vote' | 'vote', transfer: boolean): void {
    if (kind === 'pre-vote') this.becomePreCandidate();
    else this.becomeCandidate();
    const voteTerm = kind === 'pre-vote' ? term(this.term + 1) : this.term;
    if (this.poll(this.id, true) === 'won') {
      this.onElectionWon();
      return;
    }
    const lastLogIndex = this.log.lastIndex();
    const lastLogTerm = this.log.lastTerm();
    for (const to of this.voters) {
      if (to === this.id) continue;
      this.send({ type: kind, from: this.id, to, term: voteTerm, lastLogIndex, lastLogTerm, transfer });
    }
  }

  /** Counts a vote; answers from non-voters (learners, removed nodes) are not counted. */
  poll(from: NodeId, granted: boolean): 'won' | 'lost' | 'pending' {
    if (!this.votes.has(from) && this.voters.includes(from)) this.votes.set(from, granted);
    let grants = 0;
    let rejects = 0;
    for (const [id, vote] of this.votes) {
      if (!this.voters.includes(id)) continue;
      if (vote) grants++;
      else rejects++;
    }
    if (grants >= this.quorum()) return 'won';
    if (rejects >= this.quorum()) return 'lost';
    return 'pending';
  }

  onElectionWon(): void {
    if (this.role === 'pre-candidate') {
      this.campaign('vote', false);
      return;
    }
    this.becomeLeader();
    // Raft §8: a new leader commits a no-op of its own term so earlier entries can commit (§5.4.2).
    appendEntries(this, [EMPTY_DATA], 'leader-change');
    bcastAppend(this);
  }

  // --- messages ----------------------------------------------------------------------------------------

  step(m: Message): void {
    assert(m.to === this.id, () => `message for ${m.to} delivered to ${this.id}`);
    if (m.term > this.term) {
      if (!this.acceptHigherTerm(m)) return;
    } else if (m.term < this.term) {
      this.answerStaleTerm(m);
      return;
    }
    if (m.type === 'vote' || m.type === 'pre-vote') {
      this.handleVoteRequest(m);
      return;
    }
    this.stepFn(this, m);
    assert(this.log.committed <= this.log.lastIndex(), 'commit passed the end of the log');
  }

  /** Raft §5.1: a higher term makes us a follower, except for the cases below. Returns false to drop m. */
  private acceptHigherTerm(m: Message): boolean {
    if (m.type === 'vote' || m.type === 'pre-vote') {
      // Leader stickiness (thesis §4.2.3): while we hear from a live leader, ignore (pre-)votes.
      const inLease = this.checkQuorum && this.leaderId !== null && this.electionElapsed < this.electionTicks;
      if (inLease && !m.transfer) return false;
    }
    if (m.type === 'pre-vote') return true; // a pre-vote never changes our term
    if (m.type === 'pre-vote-response' && !m.reject) return true; // granted for the term we would use
    const fromLeader = m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot';
    this.becomeFollower(m.term, fromLeader ? m.from : null);
    return true;
  }

  private answerStaleTerm(m: Message): void {
    if ((this.checkQuorum || this.preVote) && (m.type === 'append' || m.type === 'heartbeat')) {
      // A stale leader would otherwise never learn it was deposed while pre-vote keeps our term still.
      this.send({
        type: 'append-response',
        from: this.id,
        to: m.from,
        term: this.term,
        reject: false,
        index: logIndex(0),
        rejectHintIndex: logIndex(0),
        rejectHintTerm: term(0),
      });
    } else if (m.type === 'pre-vote') {
      this.send({ type: 'pre-vote-response', from: this.id, to: m.from, term: this.term, reject: true });
    }
  }

  private handleVoteRequest(m: VoteRequest): void {
    const canVote =
      this.votedFor === m.from ||
      (this.votedFor === null && this.leaderId === null) ||
      (m.type === 'pre-vote' && m.term > this.term);
    // Raft §5.4.1: only vote for a candidate whose log is at least as up-to-date as ours.
    const upToDate = this.knobs.unsafeSkipVoteLogCheck || this.log.isUpToDate(m.lastLogIndex, m.lastLogTerm);
    const type = m.type === 'vote' ? 'vote-response' : 'pre-vote-response';
    if (canVote && upToDate) {
      this.send({ type, from: this.id, to: m.from, term: m.term, reject: false });
      if (m.type === 'vote') {
        this.electionElapsed = 0;
        this.votedFor = m.from;
      }
    } else {
      this.send({ type, from: this.id, to: m.from, term: this.term, reject: true });
    }
  }

  abortTransfer(): void {
    this.transferee = null;
  }

  lastIndex(): LogIndex {
    return this.log.lastIndex();
  }
}
