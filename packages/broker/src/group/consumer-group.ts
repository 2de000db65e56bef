/**
 * One consumer group's membership state machine, after Kafka's KIP-848 (broker-driven rebalances).
 * Pure: no I/O and no timers, time comes in as nowMs; membership is soft state (never persisted).
 *
 * - The group epoch bumps whenever the inputs of the assignment change (a member joins, leaves or times
 *   out, a subscription changes, a subscribed topic's partition count changes); the target assignment is
 *   then recomputed with the group's server-side assignor and stamped with that epoch.
 * - Each member moves towards its target incrementally (KIP-848's CurrentAssignmentBuilder): partitions
 *   it must give up leave its assignment first and wait in pendingRevocation until the member reports
 *   (owned_partitions) that it no longer owns them; a partition is handed to its new owner only once no
 *   other member holds it, assigned or pending. A member's epoch becomes the target epoch once it has
 *   nothing left to revoke. So no partition is ever given to two members at once.
 */
import { assert, TributaryError } from '@tributary/core';
import {
  type Assignment,
  EMPTY_ASSIGNMENT,
  fromKeySet,
  sameAssignment,
  type TopicPartition,
  toKeys,
  tpKey,
} from './assignment.js';
import { ASSIGNORS, type AssignorName, isAssignorName } from './assignors.js';
import type { GroupDescription, GroupState, HeartbeatInput, HeartbeatResult } from './group-types.js';
import { GROUP_DEFAULTS, GROUP_LIMITS } from './limits.js';

export type {
  GroupDescription,
  GroupState,
  HeartbeatInput,
  HeartbeatResult,
  MemberDescription,
} from './group-types.js';

interface Member {
  readonly memberId: string;
  clientId: string;
  memberEpoch: number;
  previousMemberEpoch: number;
  subscribedTopics: readonly string[];
  /** What the member owns and may keep (it was told so). */
  assigned: Set<string>;
  /** What it owns but must give up; released once the member reports it revoked. */
  pending: Set<string>;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  lastHeardMs: number;
  /** Set while pending is not empty: the member is removed if it has not revoked by then. */
  revocationDeadlineMs: number | null;
}

export interface ConsumerGroupOptions {
  readonly groupId: string;
  /** For members that send session_timeout_ms 0 (--group-session-timeout-ms). */
  readonly defaultSessionTimeoutMs?: number;
}

function invalid(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', message);
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((topic, i) => topic === b[i]);
}

export class ConsumerGroup {
  readonly groupId: string;
  readonly #defaultSessionTimeoutMs: number;
  readonly #members = new Map<string, Member>();
  #groupEpoch = 0;
  #targetEpoch = 0;
  #target = new Map<string, Assignment>();
  #assignor: AssignorName = GROUP_DEFAULTS.assignor;
  /** Partition counts of the subscribed topics the target was computed with. */
  #partitionCounts: ReadonlyMap<string, number> = new Map();
  /** Set by the steps of one heartbeat that change the assignment's inputs: one epoch bump for all. */
  #inputsChanged = false;

  constructor(options: ConsumerGroupOptions) {
    this.groupId = options.groupId;
    this.#defaultSessionTimeoutMs = options.defaultSessionTimeoutMs ?? GROUP_DEFAULTS.sessionTimeoutMs;
    assert(
      this.#defaultSessionTimeoutMs >= GROUP_LIMITS.sessionTimeoutMsMin &&
        this.#defaultSessionTimeoutMs <= GROUP_LIMITS.sessionTimeoutMsMax,
      'the default session timeout is within the limits',
    );
  }

  get groupEpoch(): number {
    return this.#groupEpoch;
  }

  get memberCount(): number {
    return this.#members.size;
  }

  get state(): GroupState {
    if (this.#members.size === 0) return 'Empty';
    for (const member of this.#members.values()) {
      if (!this.#isStable(member)) return 'Reconciling';
    }
    return 'Stable';
  }

  hasMember(memberId: string): boolean {
    return this.#members.has(memberId);
  }

  /**
   * Join (epoch 0), heartbeat/reconcile (epoch > 0) or leave (epoch -1). `partitionCounts` holds the
   * current partition count of (at least) every topic the group subscribes to; absent topics have none.
   * Throws TributaryError: UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH, INCONSISTENT_GROUP_PROTOCOL,
   * INVALID_REQUEST, RESOURCE_EXHAUSTED. A refused heartbeat changes nothing.
   */
  heartbeat(
    input: HeartbeatInput,
    partitionCounts: ReadonlyMap<string, number>,
    nowMs: number,
  ): HeartbeatResult {
    if (input.memberId.length === 0) throw invalid('member_id is required');
    if (input.memberEpoch === -1) return this.#leave(input.memberId);
    if (input.memberEpoch < -1) throw invalid(`member_epoch must be ≥ -1, got ${input.memberEpoch}`);
    const sessionTimeoutMs = this.#sessionTimeout(input.sessionTimeoutMs);
    const rebalanceTimeoutMs = this.#rebalanceTimeout(input.rebalanceTimeoutMs);
    const assignor = this.#checkAssignor(input);
    const subscribedTopics = [...new Set(input.subscribedTopics)].sort();
    const member = input.memberEpoch === 0 ? this.#join(input) : this.#checkEpoch(input);
    if (assignor !== this.#assignor) {
      // Only a member alone in the group gets here (#checkAssignor): its new assignor applies from now.
      this.#assignor = assignor;
      this.#inputsChanged = true;
    }
    member.lastHeardMs = nowMs;
    member.clientId = input.clientId;
    member.sessionTimeoutMs = sessionTimeoutMs;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    if (!sameTopics(member.subscribedTopics, subscribedTopics)) {
      member.subscribedTopics = subscribedTopics;
      this.#inputsChanged = true;
    }
    this.#updatePartitionCounts(partitionCounts);
    if (this.#inputsChanged) {
      this.#inputsChanged = false;
      this.#groupEpoch++;
      this.#computeTarget();
    }
    this.#acknowledgeRevocations(member, input.ownedPartitions);
    this.#reconcile(member, nowMs);
    return {
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: Math.min(
        this.#isStable(member)
          ? GROUP_DEFAULTS.heartbeatIntervalMs
          : GROUP_DEFAULTS.reconcilingHeartbeatIntervalMs,
        Math.floor(member.sessionTimeoutMs / 3),
      ),
      assignment: fromKeySet(member.assigned),
    };
  }

  /** Removes members whose session lapsed or who did not revoke in time; returns their ids. */
  expire(nowMs: number): string[] {
    const removed: string[] = [];
    for (const member of this.#members.values()) {
      const sessionLapsed = nowMs - member.lastHeardMs > member.sessionTimeoutMs;
      const revocationLate = member.revocationDeadlineMs !== null && nowMs > member.revocationDeadlineMs;
      if (sessionLapsed || revocationLate) removed.push(member.memberId);
    }
    for (const memberId of removed) this.#members.delete(memberId);
    if (removed.length > 0) {
      this.#groupEpoch++;
      this.#computeTarget();
    }
    return removed;
  }

  /**
   * Fences an offset commit (KIP-848): a member commits with its current epoch, or its previous one while
   * it is still reconciling; an empty member id with epoch -1 is accepted only while the group is empty.
   */
  validateCommit(memberId: string, memberEpoch: number): void {
    if (memberId.length === 0 && memberEpoch === -1) {
      if (this.#members.size === 0) return;
      throw new TributaryError('GROUP_NOT_EMPTY', `group ${this.groupId} has members; commit as a member`);
    }
    const member = this.#members.get(memberId);
    if (member === undefined) {
      throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${this.groupId} has no member ${memberId}`);
    }
    if (memberEpoch === member.memberEpoch) return;
    if (memberEpoch === member.previousMemberEpoch && !this.#isStable(member)) return;
    throw new TributaryError(
      'STALE_MEMBER_EPOCH',
      `member ${memberId} is at epoch ${member.memberEpoch}, the commit carries ${memberEpoch}`,
    );
  }

  /**
   * A TxnOffsetCommit's fencing (KIP-447 on KIP-848's groups, Kafka's ConsumerGroup.validateOffsetCommit
   * with isTransactional): a commit naming no member is accepted (older TxnOffsetCommit versions carry
   * none); a named member must exist and be at its current epoch, or the producer's consumer is a zombie
   * (ILLEGAL_GENERATION: what the transactional producer knows, rather than STALE_MEMBER_EPOCH).
   *
   * Beyond Kafka: the named member must also own every partition it commits (assigned, or pending
   * revocation while it finishes its work). A member id outlives a fencing (the client rejoins under the
   * same id at a new epoch), so a handler still running from before the fencing would otherwise commit
   * offsets of a partition that another member already resumed from the older offset: the inputs in
   * between would be processed and committed twice (the chaos suite's exactly-once pipeline found it).
   */
  validateTxnCommit(memberId: string, memberEpoch: number, partitions: readonly TopicPartition[]): void {
    if (memberId.length === 0 && memberEpoch < 0) return;
    const member = this.#members.get(memberId);
    if (member === undefined) {
      throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${this.groupId} has no member ${memberId}`);
    }
    if (memberEpoch !== member.memberEpoch) {
      throw new TributaryError(
        'ILLEGAL_GENERATION',
        `member ${memberId} is at epoch ${member.memberEpoch}, the transactional commit carries ${memberEpoch}`,
      );
    }
    for (const { topic, partition } of partitions) {
      const key = tpKey(topic, partition);
      if (member.assigned.has(key) || member.pending.has(key)) continue;
      throw new TributaryError(
        'ILLEGAL_GENERATION',
        `member ${memberId} (epoch ${memberEpoch}) does not own ${topic}-${partition}; its transactional commit is a zombie's`,
      );
    }
  }

  describe(): GroupDescription {
    const members = [...this.#members.values()]
      .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
      .map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        memberEpoch: member.memberEpoch,
        previousMemberEpoch: member.previousMemberEpoch,
        subscribedTopics: member.subscribedTopics,
        assignment: fromKeySet(member.assigned),
        pendingRevocation: fromKeySet(member.pending),
      }));
    return {
      groupId: this.groupId,
      state: this.state,
      groupEpoch: this.#groupEpoch,
      targetEpoch: this.#targetEpoch,
      assignor: this.#assignor,
      members,
    };
  }

  /** The target assignment of a member (tests and describe tooling). */
  targetOf(memberId: string): Assignment {
    return this.#target.get(memberId) ?? EMPTY_ASSIGNMENT;
  }

  #sessionTimeout(requested: number): number {
    if (requested === 0) return this.#defaultSessionTimeoutMs;
    if (requested < GROUP_LIMITS.sessionTimeoutMsMin || requested > GROUP_LIMITS.sessionTimeoutMsMax) {
      throw invalid(
        `session_timeout_ms must be 0 or in [${GROUP_LIMITS.sessionTimeoutMsMin}, ${GROUP_LIMITS.sessionTimeoutMsMax}], got ${requested}`,
      );
    }
    return requested;
  }

  #rebalanceTimeout(requested: number): number {
    if (requested === 0) return GROUP_DEFAULTS.rebalanceTimeoutMs;
    if (requested > GROUP_LIMITS.rebalanceTimeoutMsMax) {
      throw invalid(
        `rebalance_timeout_ms must be at most ${GROUP_LIMITS.rebalanceTimeoutMsMax}, got ${requested}`,
      );
    }
    return requested;
  }

  /** All members must agree on the assignor; only a group with no other member may change it. */
  #checkAssignor(input: HeartbeatInput): AssignorName {
    if (input.assignor === '') return this.#assignor;
    if (!isAssignorName(input.assignor)) {
      throw invalid(`assignor must be range, round-robin or cooperative-sticky, got "${input.assignor}"`);
    }
    const others = [...this.#members.keys()].some((id) => id !== input.memberId);
    if (input.assignor !== this.#assignor && others) {
      throw new TributaryError(
        'INCONSISTENT_GROUP_PROTOCOL',
        `group ${this.groupId} uses ${this.#assignor}, the member asks for ${input.assignor}`,
      );
    }
    return input.assignor;
  }

  /** A (re)join: a member rejoining with epoch 0 has dropped every partition, so its state resets. */
  #join(input: HeartbeatInput): Member {
    const existing = this.#members.get(input.memberId);
    if (existing === undefined && this.#members.size >= GROUP_LIMITS.membersPerGroupMax) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `group ${this.groupId} has ${this.#members.size} members; the limit is ${GROUP_LIMITS.membersPerGroupMax}`,
      );
    }
    const member: Member = {
      memberId: input.memberId,
      clientId: input.clientId,
      memberEpoch: 0,
      previousMemberEpoch: 0,
      subscribedTopics: [],
      assigned: new Set(),
      pending: new Set(),
      rebalanceTimeoutMs: GROUP_DEFAULTS.rebalanceTimeoutMs,
      sessionTimeoutMs: this.#defaultSessionTimeoutMs,
      lastHeardMs: 0,
      revocationDeadlineMs: null,
    };
    this.#members.set(member.memberId, member);
    this.#inputsChanged = true;
    return member;
  }

  #checkEpoch(input: HeartbeatInput): Member {
    const member = this.#members.get(input.memberId);
    if (member === undefined) {
      throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${this.groupId} has no member ${input.memberId}`);
    }
    if (input.memberEpoch === member.memberEpoch) return member;
    // The response that carried the new epoch may have been lost: the previous epoch is fine as long as
    // the member owns nothing it was not given.
    const owned = input.ownedPartitions.map((tp) => tpKey(tp.topic, tp.partition));
    const consistent = owned.every((key) => member.assigned.has(key) || member.pending.has(key));
    if (input.memberEpoch === member.previousMemberEpoch && consistent) return member;
    throw new TributaryError(
      'FENCED_MEMBER_EPOCH',
      `member ${input.memberId} is at epoch ${member.memberEpoch}, the heartbeat carries ${input.memberEpoch}`,
    );
  }

  #leave(memberId: string): HeartbeatResult {
    if (this.#members.delete(memberId)) {
      this.#groupEpoch++;
      this.#computeTarget();
    }
    return { memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: EMPTY_ASSIGNMENT };
  }

  #updatePartitionCounts(partitionCounts: ReadonlyMap<string, number>): void {
    const next = new Map<string, number>();
    for (const member of this.#members.values()) {
      for (const topic of member.subscribedTopics) next.set(topic, partitionCounts.get(topic) ?? 0);
    }
    let changed = next.size !== this.#partitionCounts.size;
    for (const [topic, count] of next) if (this.#partitionCounts.get(topic) !== count) changed = true;
    if (!changed) return;
    this.#partitionCounts = next;
    this.#inputsChanged = true;
  }

  #computeTarget(): void {
    const members = [...this.#members.values()].map((member) => ({
      memberId: member.memberId,
      subscribedTopics: member.subscribedTopics,
      // Stickiness follows the previous target, as KIP-848 does: that is where members are heading.
      currentAssignment: this.#target.get(member.memberId) ?? fromKeySet(member.assigned),
    }));
    this.#target = ASSIGNORS[this.#assignor]({ members, partitionCounts: this.#partitionCounts });
    this.#targetEpoch = this.#groupEpoch;
  }

  /** Pending partitions the member no longer reports as owned are released. */
  #acknowledgeRevocations(member: Member, owned: readonly TopicPartition[]): void {
    if (member.pending.size === 0) return;
    const ownedKeys = new Set(owned.map((tp) => tpKey(tp.topic, tp.partition)));
    for (const key of [...member.pending]) if (!ownedKeys.has(key)) member.pending.delete(key);
    if (member.pending.size === 0) member.revocationDeadlineMs = null;
  }

  /** One step of KIP-848's CurrentAssignmentBuilder for this member. */
  #reconcile(member: Member, nowMs: number): void {
    const target = toKeys(this.#target.get(member.memberId) ?? EMPTY_ASSIGNMENT);
    for (const key of [...member.assigned]) {
      if (target.has(key)) continue;
      member.assigned.delete(key);
      member.pending.add(key);
    }
    if (member.pending.size > 0) {
      member.revocationDeadlineMs ??= nowMs + member.rebalanceTimeoutMs;
      return;
    }
    if (member.memberEpoch !== this.#targetEpoch) {
      member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = this.#targetEpoch;
    }
    const held = this.#heldByOthers(member.memberId);
    for (const key of target) if (!held.has(key)) member.assigned.add(key);
    assert(member.pending.size === 0 && member.revocationDeadlineMs === null, 'no revocation is pending');
  }

  #heldByOthers(memberId: string): Set<string> {
    const held = new Set<string>();
    for (const other of this.#members.values()) {
      if (other.memberId === memberId) continue;
      for (const key of other.assigned) held.add(key);
      for (const key of other.pending) held.add(key);
    }
    return held;
  }

  #isStable(member: Member): boolean {
    return (
      member.memberEpoch === this.#targetEpoch &&
      member.pending.size === 0 &&
      sameAssignment(fromKeySet(member.assigned), this.#target.get(member.memberId) ?? EMPTY_ASSIGNMENT)
    );
  }
}
