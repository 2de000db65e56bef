/**
 * The rebalance of a classic group (Kafka's GroupCoordinator, rules by their KIPs): the data of one group
 * and the transitions every request and timeout shares — prepare a rebalance, complete the join phase
 * into a new generation, remove a member, expire what timed out. Pure: time comes in as nowMs, and
 * answers to waiting requests go to the outbox as effects that the caller drains.
 *
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader syncs──▶ Stable
 *                        ▲                                              │                              │
 *                        └──────── member joins, leaves, fails ─────────┴──────────────────────────────┘
 */
import { assert, type ErrorCode, TributaryError } from '@tributary/core';
import {
  type ClassicMember,
  EMPTY_BYTES,
  isExpired,
  joinMemberOf,
  selectProtocol,
} from './classic-member.js';
import type {
  ClassicEffect,
  ClassicGroupConfig,
  ClassicGroupState,
  ClassicJoinResult,
  ClassicSyncResult,
} from './classic-types.js';
import { CLASSIC_GROUP_LIMITS } from './limits.js';

export interface ClassicGroupData {
  readonly groupId: string;
  readonly config: ClassicGroupConfig;
  state: ClassicGroupState;
  generationId: number;
  /** Set by the first member to join and kept while the group exists. */
  protocolType: string | null;
  /** The selected protocol of the current generation; null while Empty. */
  protocolName: string | null;
  leaderId: string | null;
  /** In join order (the leader's member list keeps it). */
  readonly members: Map<string, ClassicMember>;
  /** group.instance.id → member id (KIP-345). */
  readonly staticMembers: Map<string, string>;
  /** Member ids handed out with MEMBER_ID_REQUIRED (KIP-394) → when they lapse unless used. */
  readonly pendingMembers: Map<string, number>;
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSync: Set<string>;
  /** PreparingRebalance: when the join phase completes even if members are missing. */
  joinDeadlineMs: number | null;
  /** Set while an Empty group's first join phase waits out group.initial.rebalance.delay.ms. */
  initialDelay: { remainingMs: number; newMemberAdded: boolean } | null;
  /** When members still in pendingSync are removed (Kafka's DelayedSync, the rebalance timeout). */
  syncDeadlineMs: number | null;
  readonly outbox: ClassicEffect[];
}

export function errorJoinResult(
  errorCode: ErrorCode,
  errorMessage: string,
  memberId: string,
): ClassicJoinResult {
  return {
    errorCode,
    errorMessage,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leaderId: '',
    memberId,
    skipAssignment: false,
    members: [],
  };
}

export function errorSyncResult(errorCode: ErrorCode, errorMessage: string): ClassicSyncResult {
  return { errorCode, errorMessage, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}

/** The longest rebalance timeout of the members: how long a join phase may wait (Kafka's rule). */
export function rebalanceTimeoutMs(group: ClassicGroupData): number {
  let timeoutMs = 0;
  for (const member of group.members.values()) timeoutMs = Math.max(timeoutMs, member.rebalanceTimeoutMs);
  return timeoutMs;
}

/** Kafka's validateMember: a given instance id must map to this member id, and the member must exist. */
export function validateMember(
  group: ClassicGroupData,
  memberId: string,
  groupInstanceId: string | null,
): ClassicMember {
  if (groupInstanceId !== null) {
    const current = group.staticMembers.get(groupInstanceId);
    if (current === undefined) {
      throw new TributaryError('UNKNOWN_MEMBER_ID', `no static member has instance id ${groupInstanceId}`);
    }
    if (current !== memberId) {
      throw new TributaryError(
        'FENCED_INSTANCE_ID',
        `instance id ${groupInstanceId} belongs to member ${current}, not ${memberId}`,
      );
    }
  }
  const member = group.members.get(memberId);
  if (member === undefined) {
    throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${group.groupId} has no member ${memberId}`);
  }
  return member;
}

export function touch(member: ClassicMember, nowMs: number): void {
  member.heartbeatDeadlineMs = nowMs + member.sessionTimeoutMs;
}

/** A join answer for the member's waiting JoinGroup, if it has one. */
export function answerJoin(group: ClassicGroupData, member: ClassicMember, result: ClassicJoinResult): void {
  if (member.joinToken === null) return;
  group.outbox.push({ kind: 'join', token: member.joinToken, result });
  member.joinToken = null;
}

export function answerSync(group: ClassicGroupData, member: ClassicMember, result: ClassicSyncResult): void {
  if (member.syncToken === null) return;
  group.outbox.push({ kind: 'sync', token: member.syncToken, result });
  member.syncToken = null;
}

export function allMembersJoined(group: ClassicGroupData): boolean {
  for (const member of group.members.values()) if (member.joinToken === null) return false;
  return group.pendingMembers.size === 0;
}

/** Stable, CompletingRebalance or Empty → PreparingRebalance; a no-op while already preparing. */
export function maybePrepareRebalance(group: ClassicGroupData, nowMs: number): void {
  if (group.state === 'PreparingRebalance' || group.state === 'Dead') return;
  prepareRebalance(group, nowMs);
}

function prepareRebalance(group: ClassicGroupData, nowMs: number): void {
  if (group.state === 'CompletingRebalance') {
    // The generation being synced is abandoned: followers waiting for the leader's assignment rejoin.
    for (const member of group.members.values()) {
      member.assignment = EMPTY_BYTES;
      answerSync(group, member, errorSyncResult('REBALANCE_IN_PROGRESS', 'the group is rebalancing again'));
    }
  }
  group.pendingSync.clear();
  group.syncDeadlineMs = null;
  const timeoutMs = rebalanceTimeoutMs(group);
  const delayMs = group.config.initialRebalanceDelayMs;
  if (group.state === 'Empty' && delayMs > 0) {
    // group.initial.rebalance.delay.ms: wait for the rest of a group that starts together.
    group.joinDeadlineMs = nowMs + delayMs;
    group.initialDelay = { remainingMs: Math.max(timeoutMs - delayMs, 0), newMemberAdded: false };
  } else {
    group.joinDeadlineMs = nowMs + timeoutMs;
    group.initialDelay = null;
  }
  group.state = 'PreparingRebalance';
  maybeCompleteJoin(group, nowMs);
}

/** Completes the join phase once every member has rejoined (never during the initial delay). */
export function maybeCompleteJoin(group: ClassicGroupData, nowMs: number): void {
  if (group.state !== 'PreparingRebalance' || group.initialDelay !== null) return;
  if (allMembersJoined(group)) completeJoin(group, nowMs);
}

/**
 * The end of the join phase: dynamic members that did not rejoin are removed (static ones stay, KIP-345,
 * and keep their last metadata), a leader that rejoined is chosen, and a new generation starts.
 */
export function completeJoin(group: ClassicGroupData, nowMs: number): void {
  assert(group.state === 'PreparingRebalance', 'only a preparing group completes a join phase');
  for (const member of [...group.members.values()]) {
    if (member.joinToken === null && member.groupInstanceId === null) removeFromGroup(group, member);
  }
  if (group.members.size > 0 && !electJoinedLeader(group)) {
    // Only static members that have not rejoined are left: wait another rebalance timeout for them
    // (their session timeouts remove them meanwhile), as Kafka does.
    group.joinDeadlineMs = nowMs + rebalanceTimeoutMs(group);
    group.initialDelay = null;
    return;
  }
  group.generationId++;
  group.joinDeadlineMs = null;
  group.initialDelay = null;
  if (group.members.size === 0) {
    group.protocolName = null;
    group.state = 'Empty';
    return;
  }
  startGeneration(group, nowMs);
}

function startGeneration(group: ClassicGroupData, nowMs: number): void {
  const members = [...group.members.values()];
  const leader = group.leaderId === null ? undefined : group.members.get(group.leaderId);
  assert(leader !== undefined, 'a group with members has a leader');
  group.protocolName = selectProtocol(members, leader);
  group.state = 'CompletingRebalance';
  const everyone = members.map((member) => joinMemberOf(member, group.protocolName));
  for (const member of members) {
    answerJoin(group, member, {
      errorCode: null,
      errorMessage: '',
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leaderId: leader.memberId,
      memberId: member.memberId,
      skipAssignment: false,
      members: member === leader ? everyone : [],
    });
    touch(member, nowMs);
    member.isNew = false;
    group.pendingSync.add(member.memberId);
  }
  group.syncDeadlineMs = nowMs + rebalanceTimeoutMs(group);
}

/** Keeps a leader that rejoined, or picks the first member that did; false if none did. */
function electJoinedLeader(group: ClassicGroupData): boolean {
  const current = group.leaderId === null ? undefined : group.members.get(group.leaderId);
  if (current !== undefined && current.joinToken !== null) return true;
  for (const member of group.members.values()) {
    if (member.joinToken !== null) {
      group.leaderId = member.memberId;
      return true;
    }
  }
  return false;
}

/** Takes the member out of every index; a removed leader passes leadership to the first member left. */
function removeFromGroup(group: ClassicGroupData, member: ClassicMember): void {
  answerJoin(group, member, errorJoinResult('UNKNOWN_MEMBER_ID', 'removed from the group', member.memberId));
  answerSync(group, member, errorSyncResult('UNKNOWN_MEMBER_ID', 'removed from the group'));
  group.members.delete(member.memberId);
  if (member.groupInstanceId !== null) group.staticMembers.delete(member.groupInstanceId);
  group.pendingSync.delete(member.memberId);
  if (group.leaderId === member.memberId) {
    group.leaderId = group.members.keys().next().value ?? null;
  }
}

/** A member leaves, fails or is fenced out: the group rebalances without it (Kafka's rule per state). */
export function removeMember(group: ClassicGroupData, member: ClassicMember, nowMs: number): void {
  removeFromGroup(group, member);
  switch (group.state) {
    case 'Stable':
    case 'CompletingRebalance':
      maybePrepareRebalance(group, nowMs);
      return;
    case 'PreparingRebalance':
      maybeCompleteJoin(group, nowMs);
      return;
    case 'Empty':
    case 'Dead':
      return;
  }
}

export function removePendingMember(group: ClassicGroupData, memberId: string, nowMs: number): void {
  group.pendingMembers.delete(memberId);
  maybeCompleteJoin(group, nowMs);
}

/**
 * What the clock ended: pending member ids not used in time, members whose session lapsed, the join
 * phase's deadline (with the initial delay's extensions), and members that never sent SyncGroup.
 * Returns the ids of the members removed.
 */
export function expire(group: ClassicGroupData, nowMs: number): string[] {
  const removed: string[] = [];
  for (const [memberId, deadlineMs] of [...group.pendingMembers]) {
    if (nowMs >= deadlineMs) removePendingMember(group, memberId, nowMs);
  }
  for (const member of [...group.members.values()]) {
    if (group.members.get(member.memberId) !== member || !isExpired(member, nowMs)) continue;
    removed.push(member.memberId);
    removeMember(group, member, nowMs);
  }
  if (
    group.state === 'PreparingRebalance' &&
    group.joinDeadlineMs !== null &&
    nowMs >= group.joinDeadlineMs
  ) {
    joinDeadlinePassed(group, nowMs);
  }
  const syncing = group.state === 'CompletingRebalance' || group.state === 'Stable';
  if (syncing && group.syncDeadlineMs !== null && nowMs >= group.syncDeadlineMs) {
    // KAFKA-12890: members that joined a generation but never synced would leave it stuck; remove them.
    group.syncDeadlineMs = null;
    for (const memberId of [...group.pendingSync]) {
      const member = group.members.get(memberId);
      if (member === undefined) continue;
      removed.push(memberId);
      removeFromGroup(group, member);
    }
    if (removed.length > 0) maybePrepareRebalance(group, nowMs);
  }
  return removed;
}

function joinDeadlinePassed(group: ClassicGroupData, nowMs: number): void {
  const delay = group.initialDelay;
  if (delay?.newMemberAdded === true && delay.remainingMs > 0) {
    // Kafka's InitialDelayedJoin: a member joined during the delay, so wait once more (bounded).
    const extensionMs = Math.min(group.config.initialRebalanceDelayMs, delay.remainingMs);
    group.initialDelay = { remainingMs: delay.remainingMs - extensionMs, newMemberAdded: false };
    group.joinDeadlineMs = nowMs + extensionMs;
    return;
  }
  group.initialDelay = null;
  completeJoin(group, nowMs);
}

/** The coordinator no longer owns the group: every waiting request learns so and the group is Dead. */
export function unload(group: ClassicGroupData): void {
  for (const member of group.members.values()) {
    answerJoin(group, member, errorJoinResult('NOT_COORDINATOR', 'the coordinator moved', member.memberId));
    answerSync(group, member, errorSyncResult('NOT_COORDINATOR', 'the coordinator moved'));
  }
  group.state = 'Dead';
}

/** What holds between any two calls; checked after each (assertions stay on). */
export function checkInvariants(group: ClassicGroupData): void {
  assert(group.outbox.length === 0, 'every effect was drained');
  assert(group.members.size <= group.config.maxSize, 'a group never exceeds group.max.size');
  assert(
    group.pendingMembers.size <= CLASSIC_GROUP_LIMITS.pendingMembersPerGroupMax,
    'pending ids are bounded',
  );
  if (group.state === 'Dead') return;
  const hasMembers = group.members.size > 0;
  assert(hasMembers === (group.leaderId !== null), 'a group with members has a leader');
  assert(group.leaderId === null || group.members.has(group.leaderId), 'the leader is a member');
  assert(
    hasMembers || group.state === 'Empty' || group.state === 'PreparingRebalance',
    'only these lack members',
  );
  assert(
    (group.state === 'Empty') === (group.protocolName === null) || group.state === 'PreparingRebalance',
    'a generation with members has a protocol',
  );
  for (const [instanceId, memberId] of group.staticMembers) {
    assert(
      group.members.get(memberId)?.groupInstanceId === instanceId,
      'the static index matches the members',
    );
  }
  for (const member of group.members.values()) {
    assert(
      member.joinToken === null || group.state === 'PreparingRebalance',
      'joins wait only while preparing',
    );
    assert(
      member.syncToken === null || group.state === 'CompletingRebalance',
      'syncs wait only while completing',
    );
  }
  for (const memberId of group.pendingSync) assert(group.members.has(memberId), 'pending syncs are members');
}
