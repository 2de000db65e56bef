/**
 * One classic consumer group's membership state machine (JoinGroup/SyncGroup/Heartbeat/LeaveGroup with
 * client-side assignors), after Kafka's GroupCoordinator: the coordinator relays protocol metadata to a
 * leader member and the leader's assignment to everyone, and never looks inside either. Pure and
 * deterministic: time comes in as nowMs, new member ids come in with the request, and a request that
 * must wait (JoinGroup until the rebalance completes, SyncGroup until the leader's) is held by a token;
 * each call returns the answers it produced for waiting tokens (effects). A refused request throws a
 * TributaryError and changes nothing. Membership is soft state, never persisted (docs/decisions.md).
 * The join paths are in classic-join.ts, the shared transitions and timeouts in classic-rebalance.ts.
 */
import { assert, TributaryError } from '@tributary/core';
import { type ClassicJoinInput, joinGroup } from './classic-join.js';
import { type ClassicMember, EMPTY_BYTES, joinMemberOf } from './classic-member.js';
import {
  answerSync,
  type ClassicGroupData,
  checkInvariants,
  errorSyncResult,
  expire,
  removeMember,
  removePendingMember,
  touch,
  unload,
  validateMember,
} from './classic-rebalance.js';
import type {
  ClassicEffect,
  ClassicGroupConfig,
  ClassicGroupDescription,
  ClassicGroupState,
  ClassicHeartbeatRequest,
  ClassicLeaveMemberResult,
  ClassicMemberIdentity,
  ClassicSyncRequest,
  ClassicSyncResult,
} from './classic-types.js';
import { CLASSIC_GROUP_LIMITS } from './limits.js';

export type { ClassicJoinInput } from './classic-join.js';

export interface ClassicCommitMember {
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export class ClassicGroup {
  readonly #group: ClassicGroupData;

  constructor(groupId: string, config: ClassicGroupConfig) {
    assert(
      config.maxSize >= 1 && config.maxSize <= CLASSIC_GROUP_LIMITS.membersPerGroupMax,
      'group.max.size is within the limit',
    );
    assert(
      config.minSessionTimeoutMs <= config.maxSessionTimeoutMs,
      'the session timeout range is not empty',
    );
    this.#group = {
      groupId,
      config,
      state: 'Empty',
      generationId: 0,
      protocolType: null,
      protocolName: null,
      leaderId: null,
      members: new Map(),
      staticMembers: new Map(),
      pendingMembers: new Map(),
      pendingSync: new Set(),
      joinDeadlineMs: null,
      initialDelay: null,
      syncDeadlineMs: null,
      outbox: [],
    };
  }

  get groupId(): string {
    return this.#group.groupId;
  }

  get state(): ClassicGroupState {
    return this.#group.state;
  }

  get generationId(): number {
    return this.#group.generationId;
  }

  get protocolType(): string {
    return this.#group.protocolType ?? '';
  }

  get memberCount(): number {
    return this.#group.members.size;
  }

  /** Neither members nor member ids handed out: the shell may forget the group. */
  get isUnused(): boolean {
    return this.#group.members.size === 0 && this.#group.pendingMembers.size === 0;
  }

  /** Whether a waiting JoinGroup or SyncGroup holds the token (the shell's consistency check). */
  holdsToken(token: number): boolean {
    for (const member of this.#group.members.values()) {
      if (member.joinToken === token || member.syncToken === token) return true;
    }
    return false;
  }

  /** Throws INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, GROUP_MAX_SIZE_REACHED. */
  join(input: ClassicJoinInput, token: number, nowMs: number): ClassicEffect[] {
    joinGroup(this.#group, input, token, nowMs);
    return this.#drain();
  }

  /**
   * A follower's SyncGroup waits for the leader's; the leader's hands everyone their assignment and makes
   * the group Stable. Throws UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, ILLEGAL_GENERATION,
   * INCONSISTENT_GROUP_PROTOCOL, REBALANCE_IN_PROGRESS.
   */
  sync(input: ClassicSyncRequest, token: number, nowMs: number): ClassicEffect[] {
    const group = this.#group;
    const member = validateMember(group, input.memberId, input.groupInstanceId);
    this.#checkGeneration(input.generationId);
    const typeDiffers = input.protocolType !== null && input.protocolType !== group.protocolType;
    const nameDiffers = input.protocolName !== null && input.protocolName !== group.protocolName;
    if (typeDiffers || nameDiffers) {
      throw new TributaryError(
        'INCONSISTENT_GROUP_PROTOCOL',
        `the group runs ${group.protocolType}/${group.protocolName}, not ${input.protocolType}/${input.protocolName}`,
      );
    }
    if (group.state === 'PreparingRebalance') {
      throw new TributaryError('REBALANCE_IN_PROGRESS', `group ${this.groupId} is rebalancing; rejoin`);
    }
    assert(group.state === 'CompletingRebalance' || group.state === 'Stable', 'a group with members syncs');
    touch(member, nowMs);
    group.pendingSync.delete(member.memberId);
    if (group.pendingSync.size === 0) group.syncDeadlineMs = null;
    if (group.state === 'Stable') {
      group.outbox.push({ kind: 'sync', token, result: this.#syncResult(member) });
      return this.#drain();
    }
    answerSync(group, member, errorSyncResult('REBALANCE_IN_PROGRESS', 'superseded by a newer SyncGroup'));
    member.syncToken = token;
    if (member.memberId === group.leaderId) this.#applyAssignment(input);
    return this.#drain();
  }

  /** Throws UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID or ILLEGAL_GENERATION; returns the state's answer. */
  heartbeat(input: ClassicHeartbeatRequest, nowMs: number): 'REBALANCE_IN_PROGRESS' | null {
    const member = validateMember(this.#group, input.memberId, input.groupInstanceId);
    this.#checkGeneration(input.generationId);
    touch(member, nowMs);
    return this.#group.state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : null;
  }

  /** Each identity is judged on its own (KIP-345 batch leave); the group rebalances once for all. */
  leave(
    identities: readonly ClassicMemberIdentity[],
    nowMs: number,
  ): { results: ClassicLeaveMemberResult[]; effects: ClassicEffect[] } {
    const results = identities.map((identity) => ({
      ...identity,
      errorCode: this.#leaveOne(identity, nowMs),
    }));
    return { results, effects: this.#drain() };
  }

  /**
   * Fences a classic offset commit as Kafka does: generation -1 from outside group management only
   * while the group is Empty; otherwise the member and its generation must be current, and not while
   * the generation's assignment is still being synced. A member's commit counts as a heartbeat.
   */
  validateCommit(commit: ClassicCommitMember, nowMs: number): void {
    const group = this.#group;
    if (commit.generationId < 0 && group.state === 'Empty') return;
    if (commit.generationId < 0 && commit.memberId === '' && commit.groupInstanceId === null) {
      throw new TributaryError(
        'UNKNOWN_MEMBER_ID',
        `group ${this.groupId} has members; only they may commit`,
      );
    }
    const member = validateMember(group, commit.memberId, commit.groupInstanceId);
    this.#checkGeneration(commit.generationId);
    if (group.state === 'CompletingRebalance') {
      throw new TributaryError('REBALANCE_IN_PROGRESS', `group ${this.groupId} is completing a rebalance`);
    }
    touch(member, nowMs);
  }

  /**
   * A TxnOffsetCommit's fencing (Kafka's ClassicGroup.validateOffsetCommit with isTransactional): as an
   * OffsetCommit's, except that a commit naming no member is accepted (TxnOffsetCommit v0-2 carry none)
   * and a rebalance in progress does not refuse it (the transaction's outcome decides the offsets).
   */
  validateTxnCommit(commit: ClassicCommitMember, nowMs: number): void {
    const group = this.#group;
    if (commit.generationId < 0 && group.state === 'Empty') return;
    if (commit.generationId < 0 && commit.memberId === '' && commit.groupInstanceId === null) return;
    const member = validateMember(group, commit.memberId, commit.groupInstanceId);
    this.#checkGeneration(commit.generationId);
    touch(member, nowMs);
  }

  /** Session, join, pending-member and sync timeouts; returns the removed member ids and the answers. */
  tick(nowMs: number): { removed: string[]; effects: ClassicEffect[] } {
    const removed = expire(this.#group, nowMs);
    return { removed, effects: this.#drain() };
  }

  /** The group leaves this coordinator: every waiting request gets NOT_COORDINATOR. */
  unload(): ClassicEffect[] {
    unload(this.#group);
    return this.#drain();
  }

  describe(): ClassicGroupDescription {
    const group = this.#group;
    const members = [...group.members.values()]
      .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
      .map((member) => ({
        ...joinMemberOf(member, group.protocolName),
        clientId: member.clientId,
        clientHost: member.clientHost,
        assignment: member.assignment,
      }));
    return {
      groupId: group.groupId,
      state: group.state,
      generationId: group.generationId,
      protocolType: group.protocolType ?? '',
      protocolName: group.protocolName ?? '',
      leaderId: group.leaderId,
      members,
    };
  }

  #drain(): ClassicEffect[] {
    const effects = this.#group.outbox.splice(0);
    checkInvariants(this.#group);
    return effects;
  }

  #checkGeneration(generationId: number): void {
    if (generationId !== this.#group.generationId) {
      throw new TributaryError(
        'ILLEGAL_GENERATION',
        `group ${this.groupId} is at generation ${this.#group.generationId}, not ${generationId}`,
      );
    }
  }

  /** The leader's SyncGroup: members it leaves out get an empty assignment; unknown ids are ignored. */
  #applyAssignment(input: ClassicSyncRequest): void {
    const group = this.#group;
    const given = new Map(input.assignments.map((a) => [a.memberId, a.assignment]));
    for (const member of group.members.values())
      member.assignment = given.get(member.memberId) ?? EMPTY_BYTES;
    group.state = 'Stable';
    for (const member of group.members.values()) answerSync(group, member, this.#syncResult(member));
  }

  #syncResult(member: ClassicMember): ClassicSyncResult {
    const group = this.#group;
    return {
      errorCode: null,
      errorMessage: '',
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: member.assignment,
    };
  }

  #leaveOne(identity: ClassicMemberIdentity, nowMs: number): ClassicLeaveMemberResult['errorCode'] {
    const group = this.#group;
    if (identity.memberId === '') {
      // KIP-345: an administrator removes a static member by its instance id.
      const instanceId = identity.groupInstanceId;
      const memberId = instanceId === null ? undefined : group.staticMembers.get(instanceId);
      const member = memberId === undefined ? undefined : group.members.get(memberId);
      if (member === undefined) return 'UNKNOWN_MEMBER_ID';
      removeMember(group, member, nowMs);
      return null;
    }
    if (group.pendingMembers.has(identity.memberId)) {
      removePendingMember(group, identity.memberId, nowMs);
      return null;
    }
    try {
      removeMember(group, validateMember(group, identity.memberId, identity.groupInstanceId), nowMs);
      return null;
    } catch (error) {
      if (error instanceof TributaryError) return error.code;
      throw error;
    }
  }
}
