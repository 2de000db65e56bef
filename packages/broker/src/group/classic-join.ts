/**
 * JoinGroup in a classic group (Kafka's GroupCoordinator join paths): a new dynamic member (with KIP-394's
 * MEMBER_ID_REQUIRED round trip), a new or returning static member (KIP-345), and a known member
 * rejoining in each state. Pure; called by ClassicGroup.join, which drains the answers it queues.
 * Every refusal is thrown before anything changes.
 */
import { assert, TributaryError } from '@tributary/core';
import {
  type ClassicMember,
  EMPTY_BYTES,
  joinMemberOf,
  selectProtocol,
  supportsProtocols,
} from './classic-member.js';
import {
  answerJoin,
  answerSync,
  type ClassicGroupData,
  errorJoinResult,
  errorSyncResult,
  maybeCompleteJoin,
  maybePrepareRebalance,
  touch,
  validateMember,
} from './classic-rebalance.js';
import type { ClassicJoinRequest } from './classic-types.js';
import { CLASSIC_GROUP_LIMITS } from './limits.js';

export interface ClassicJoinInput extends ClassicJoinRequest {
  /** The id a member joining with memberId '' gets (the shell draws it: clientId or instance id + UUID). */
  readonly newMemberId: string;
}

export function joinGroup(
  group: ClassicGroupData,
  input: ClassicJoinInput,
  token: number,
  nowMs: number,
): void {
  checkSessionTimeout(group, input.sessionTimeoutMs);
  const names = input.protocols.map((p) => p.name);
  if (!supportsProtocols([...group.members.values()], group.protocolType, input.protocolType, names)) {
    throw new TributaryError(
      'INCONSISTENT_GROUP_PROTOCOL',
      `group ${group.groupId} (${group.protocolType ?? 'no type yet'}) shares no protocol with ` +
        `${input.protocolType || '(no type)'} [${names.join(', ')}]`,
    );
  }
  if (input.memberId === '') joinNew(group, input, token, nowMs);
  else joinKnown(group, input, token, nowMs);
}

/** group.min/max.session.timeout.ms: outside the range the member is refused, not clamped. */
function checkSessionTimeout(group: ClassicGroupData, sessionTimeoutMs: number): void {
  const { minSessionTimeoutMs, maxSessionTimeoutMs } = group.config;
  if (sessionTimeoutMs < minSessionTimeoutMs || sessionTimeoutMs > maxSessionTimeoutMs) {
    throw new TributaryError(
      'INVALID_SESSION_TIMEOUT',
      `session timeout ${sessionTimeoutMs} ms is outside [${minSessionTimeoutMs}, ${maxSessionTimeoutMs}]`,
    );
  }
}

/**
 * group.max.size. Stricter than Kafka during PreparingRebalance (which counts only members that have
 * rejoined): here the group never holds more than the bound, so every map stays bounded.
 */
function checkRoomForMember(group: ClassicGroupData): void {
  if (group.members.size >= group.config.maxSize) {
    throw new TributaryError(
      'GROUP_MAX_SIZE_REACHED',
      `group ${group.groupId} has ${group.members.size} members; group.max.size is ${group.config.maxSize}`,
    );
  }
}

/** A first join: a known static instance replaces its old member id; others are new members. */
function joinNew(group: ClassicGroupData, input: ClassicJoinInput, token: number, nowMs: number): void {
  assert(!group.members.has(input.newMemberId), 'new member ids are unique');
  const instanceId = input.groupInstanceId;
  const staticId = instanceId === null ? undefined : group.staticMembers.get(instanceId);
  if (staticId !== undefined) {
    // A returning instance replaces a member rather than adding one, so a full group takes it back.
    replaceStaticMember(group, input, staticId, token, nowMs);
    return;
  }
  checkRoomForMember(group);
  if (input.requireKnownMemberId && instanceId === null) {
    // KIP-394: hand out the id first, so a client retrying a lost answer cannot add members twice.
    if (group.pendingMembers.size >= CLASSIC_GROUP_LIMITS.pendingMembersPerGroupMax) {
      throw new TributaryError(
        'GROUP_MAX_SIZE_REACHED',
        `group ${group.groupId} has too many joins in flight`,
      );
    }
    group.pendingMembers.set(input.newMemberId, nowMs + input.sessionTimeoutMs);
    const result = errorJoinResult('MEMBER_ID_REQUIRED', 'join again with this member id', input.newMemberId);
    group.outbox.push({ kind: 'join', token, result });
    return;
  }
  addMember(group, input, input.newMemberId, token, nowMs);
}

function joinKnown(group: ClassicGroupData, input: ClassicJoinInput, token: number, nowMs: number): void {
  if (group.pendingMembers.has(input.memberId) && input.groupInstanceId === null) {
    checkRoomForMember(group);
    group.pendingMembers.delete(input.memberId);
    addMember(group, input, input.memberId, token, nowMs);
    return;
  }
  const member = validateMember(group, input.memberId, input.groupInstanceId);
  const protocolsChanged = !sameProtocols(member, input);
  updateMember(group, member, input, token);
  switch (group.state) {
    case 'PreparingRebalance':
      maybeCompleteJoin(group, nowMs);
      return;
    case 'CompletingRebalance':
      // The answer to its join was lost: the same protocols get the same answer again.
      if (protocolsChanged) maybePrepareRebalance(group, nowMs);
      else answerCurrentGeneration(group, member, { skipAssignment: false });
      return;
    case 'Stable':
      // A leader's rejoin asks for a new assignment (it may have seen topic metadata change); a
      // follower's with unchanged protocols is just a lost answer.
      if (protocolsChanged || member.memberId === group.leaderId) maybePrepareRebalance(group, nowMs);
      else answerCurrentGeneration(group, member, { skipAssignment: false });
      return;
    case 'Empty':
    case 'Dead':
      assert(false, `a group with members is never ${group.state}`);
  }
}

function addMember(
  group: ClassicGroupData,
  input: ClassicJoinInput,
  memberId: string,
  token: number,
  nowMs: number,
): void {
  if (group.state === 'PreparingRebalance' && group.generationId === 0 && group.initialDelay !== null) {
    group.initialDelay.newMemberAdded = true;
  }
  const member: ClassicMember = {
    memberId,
    groupInstanceId: input.groupInstanceId,
    clientId: input.clientId,
    clientHost: input.clientHost,
    protocols: input.protocols,
    sessionTimeoutMs: input.sessionTimeoutMs,
    rebalanceTimeoutMs: input.rebalanceTimeoutMs,
    assignment: EMPTY_BYTES,
    joinToken: token,
    syncToken: null,
    isNew: true,
    heartbeatDeadlineMs: nowMs + group.config.newMemberJoinTimeoutMs,
  };
  if (group.members.size === 0) group.protocolType = input.protocolType;
  group.members.set(memberId, member);
  if (member.groupInstanceId !== null) group.staticMembers.set(member.groupInstanceId, memberId);
  group.leaderId ??= memberId;
  maybePrepareRebalance(group, nowMs);
  maybeCompleteJoin(group, nowMs);
}

/** A rejoin: new protocols and timeouts; a JoinGroup the member still had waiting is superseded. */
function updateMember(
  group: ClassicGroupData,
  member: ClassicMember,
  input: ClassicJoinInput,
  token: number,
): void {
  const superseded = errorJoinResult(
    'REBALANCE_IN_PROGRESS',
    'superseded by a newer JoinGroup',
    member.memberId,
  );
  answerJoin(group, member, superseded);
  member.protocols = input.protocols;
  member.sessionTimeoutMs = input.sessionTimeoutMs;
  member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
  member.joinToken = token;
}

/**
 * KIP-345: a static member rejoining with memberId '' takes its instance's place under a new id, and
 * requests still waiting under the old id are fenced (FENCED_INSTANCE_ID). In a Stable group it gets the
 * current generation without a rebalance unless its protocols change the group's selected protocol (the
 * metadata bytes are not compared: a cooperative consumer's subscription lists its owned partitions,
 * which a restarted instance has lost, so comparing them would rebalance on every restart).
 */
function replaceStaticMember(
  group: ClassicGroupData,
  input: ClassicJoinInput,
  oldMemberId: string,
  token: number,
  nowMs: number,
): void {
  const old = group.members.get(oldMemberId);
  assert(old !== undefined && old.groupInstanceId !== null, 'the static index names a static member');
  const previousLeaderId = group.leaderId;
  answerJoin(group, old, errorJoinResult('FENCED_INSTANCE_ID', 'replaced by a newer instance', oldMemberId));
  answerSync(group, old, errorSyncResult('FENCED_INSTANCE_ID', 'replaced by a newer instance'));
  const member: ClassicMember = { ...old, memberId: input.newMemberId, clientId: input.clientId };
  member.clientHost = input.clientHost;
  replaceInOrder(group.members, oldMemberId, member);
  group.staticMembers.set(old.groupInstanceId, member.memberId);
  if (group.pendingSync.delete(oldMemberId)) group.pendingSync.add(member.memberId);
  if (group.leaderId === oldMemberId) group.leaderId = member.memberId;
  updateMember(group, member, input, token);
  touch(member, nowMs);
  switch (group.state) {
    case 'Stable': {
      const leader = group.leaderId === null ? undefined : group.members.get(group.leaderId);
      assert(leader !== undefined, 'a stable group has a leader');
      if (selectProtocol([...group.members.values()], leader) === group.protocolName) {
        answerStaticRejoin(group, member, input, previousLeaderId);
      } else maybePrepareRebalance(group, nowMs);
      return;
    }
    case 'CompletingRebalance':
      // The leader may be assigning to the old id: rebalance so the new id gets an assignment.
      maybePrepareRebalance(group, nowMs);
      return;
    case 'PreparingRebalance':
      maybeCompleteJoin(group, nowMs);
      return;
    case 'Empty':
    case 'Dead':
      assert(false, `a group with a static member is never ${group.state}`);
  }
}

/**
 * KIP-814: with JoinGroup v9+ a rejoining static leader learns that it leads (to keep watching topic
 * metadata) but is told to skip the assignment, which a Stable group would not relay anyway. Older
 * versions are given the previous leader id, which is not the member's new one, so it does not assign.
 */
function answerStaticRejoin(
  group: ClassicGroupData,
  member: ClassicMember,
  input: ClassicJoinInput,
  previousLeaderId: string | null,
): void {
  if (input.supportsSkipAssignment === true) {
    answerCurrentGeneration(group, member, { skipAssignment: group.leaderId === member.memberId });
  } else {
    answerCurrentGeneration(group, member, { skipAssignment: false, leaderId: previousLeaderId ?? '' });
  }
}

/** The current generation, as the rebalance that made it answered; the leader gets the member list. */
function answerCurrentGeneration(
  group: ClassicGroupData,
  member: ClassicMember,
  options: { readonly skipAssignment: boolean; readonly leaderId?: string },
): void {
  const leaderId = options.leaderId ?? group.leaderId ?? '';
  const members = leaderId === member.memberId ? [...group.members.values()] : [];
  answerJoin(group, member, {
    errorCode: null,
    errorMessage: '',
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leaderId,
    memberId: member.memberId,
    skipAssignment: options.skipAssignment,
    members: members.map((m) => joinMemberOf(m, group.protocolName)),
  });
}

/** Kafka's MemberMetadata.matches: the same protocols, in the same order, with the same metadata. */
function sameProtocols(member: ClassicMember, input: ClassicJoinRequest): boolean {
  return (
    member.protocols.length === input.protocols.length &&
    member.protocols.every((p, i) => {
      const other = input.protocols[i];
      return other !== undefined && other.name === p.name && other.metadata.equals(p.metadata);
    })
  );
}

/** Replaces a member under a new id keeping its place in the join order (the order the leader sees). */
function replaceInOrder(members: Map<string, ClassicMember>, oldId: string, member: ClassicMember): void {
  const entries = [...members].map(([id, m]): [string, ClassicMember] =>
    id === oldId ? [member.memberId, member] : [id, m],
  );
  members.clear();
  for (const [id, m] of entries) members.set(id, m);
}
