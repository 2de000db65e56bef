/**
 * Validation of classic group requests before they reach a group: ids, list sizes and byte sizes are
 * bounded here once (INVALID_GROUP_ID for the group id, INVALID_REQUEST naming the field otherwise), so
 * the state machine only sees well-formed input. Rules that are the protocol's own answers (session
 * timeout range, protocol consistency, group size) stay in the state machine. Pure.
 */
import { TributaryError } from '@tributary/core';
import { requireCountAtMost, requireIntInRange } from '@tributary/protocol';
import type {
  ClassicCommitPartition,
  ClassicHeartbeatRequest,
  ClassicJoinRequest,
  ClassicLeaveRequest,
  ClassicProtocol,
  ClassicSyncRequest,
} from './classic-types.js';
import { CLASSIC_GROUP_LIMITS, GROUP_LIMITS } from './limits.js';
import { validateGroupId } from './validate.js';

const INT32_MAX = 0x7fff_ffff;
const LEGAL_INSTANCE_ID = /^[a-zA-Z0-9._-]+$/;

function invalid(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', message);
}

function requireLengthAtMost(value: string, field: string, max: number): void {
  if (value.length > max) throw invalid(`${field} is ${value.length} characters; the limit is ${max}`);
}

function validateMemberIdentity(memberId: string, groupInstanceId: string | null): void {
  requireLengthAtMost(memberId, 'member_id', GROUP_LIMITS.memberIdLengthMax);
  if (groupInstanceId === null) return;
  // Kafka's JoinGroupRequest.validateGroupInstanceId: a topic name's rules.
  requireLengthAtMost(groupInstanceId, 'group_instance_id', CLASSIC_GROUP_LIMITS.groupInstanceIdLengthMax);
  const legal =
    LEGAL_INSTANCE_ID.test(groupInstanceId) && groupInstanceId !== '.' && groupInstanceId !== '..';
  if (!legal)
    throw invalid(`group_instance_id "${groupInstanceId}" must be 1-249 characters of [a-zA-Z0-9._-]`);
}

/** Protocols in preference order; a name given twice keeps its first metadata (Kafka keys them by name). */
function validProtocols(protocols: readonly ClassicProtocol[]): ClassicProtocol[] {
  requireCountAtMost(protocols, 'protocols', CLASSIC_GROUP_LIMITS.protocolsPerMemberMax);
  const seen = new Set<string>();
  const out: ClassicProtocol[] = [];
  let metadataBytes = 0;
  for (const protocol of protocols) {
    requireLengthAtMost(protocol.name, 'protocols.name', CLASSIC_GROUP_LIMITS.protocolNameLengthMax);
    if (seen.has(protocol.name)) continue;
    seen.add(protocol.name);
    out.push(protocol);
    metadataBytes += protocol.metadata.length;
  }
  if (metadataBytes > CLASSIC_GROUP_LIMITS.memberMetadataBytesMax) {
    throw invalid(
      `protocols.metadata takes ${metadataBytes} bytes; the limit is ${CLASSIC_GROUP_LIMITS.memberMetadataBytesMax}`,
    );
  }
  return out;
}

export function validateJoin(request: ClassicJoinRequest): ClassicJoinRequest {
  validateGroupId(request.groupId);
  validateMemberIdentity(request.memberId, request.groupInstanceId);
  requireLengthAtMost(request.protocolType, 'protocol_type', CLASSIC_GROUP_LIMITS.protocolTypeLengthMax);
  requireLengthAtMost(request.clientId, 'client_id', GROUP_LIMITS.clientIdLengthMax);
  requireLengthAtMost(request.clientHost, 'client_host', CLASSIC_GROUP_LIMITS.clientHostLengthMax);
  requireIntInRange(request.sessionTimeoutMs, 'session_timeout_ms', { min: -1 - INT32_MAX, max: INT32_MAX });
  // Kafka takes any rebalance timeout (Streams once used Integer.MAX_VALUE): only the int32 range is checked.
  requireIntInRange(request.rebalanceTimeoutMs, 'rebalance_timeout_ms', { max: INT32_MAX });
  return { ...request, protocols: validProtocols(request.protocols) };
}

export function validateSync(request: ClassicSyncRequest): void {
  validateGroupId(request.groupId);
  validateMemberIdentity(request.memberId, request.groupInstanceId);
  requireIntInRange(request.generationId, 'generation_id', { min: -1 - INT32_MAX, max: INT32_MAX });
  requireCountAtMost(request.assignments, 'assignments', CLASSIC_GROUP_LIMITS.membersPerGroupMax);
  let totalBytes = 0;
  for (const { memberId, assignment } of request.assignments) {
    totalBytes += assignment.length;
    requireLengthAtMost(memberId, 'assignments.member_id', GROUP_LIMITS.memberIdLengthMax);
    if (assignment.length > CLASSIC_GROUP_LIMITS.assignmentBytesMax) {
      throw invalid(
        `the assignment of ${memberId} is ${assignment.length} bytes; the limit is ${CLASSIC_GROUP_LIMITS.assignmentBytesMax}`,
      );
    }
  }
  if (totalBytes > CLASSIC_GROUP_LIMITS.syncAssignmentsBytesMax) {
    throw invalid(
      `assignments take ${totalBytes} bytes; the limit is ${CLASSIC_GROUP_LIMITS.syncAssignmentsBytesMax}`,
    );
  }
}

export function validateHeartbeat(request: ClassicHeartbeatRequest): void {
  validateGroupId(request.groupId);
  validateMemberIdentity(request.memberId, request.groupInstanceId);
  requireIntInRange(request.generationId, 'generation_id', { min: -1 - INT32_MAX, max: INT32_MAX });
}

export function validateLeave(request: ClassicLeaveRequest): void {
  validateGroupId(request.groupId);
  requireCountAtMost(request.members, 'members', CLASSIC_GROUP_LIMITS.leaveMembersPerRequestMax);
  for (const member of request.members) validateMemberIdentity(member.memberId, member.groupInstanceId);
}

export function validateCommitMember(request: {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  partitions: readonly unknown[];
}): void {
  validateGroupId(request.groupId);
  validateMemberIdentity(request.memberId, request.groupInstanceId);
  requireIntInRange(request.generationId, 'generation_id', { min: -1 - INT32_MAX, max: INT32_MAX });
  requireCountAtMost(request.partitions, 'partitions', GROUP_LIMITS.partitionsPerRequestMax);
}

/** One partition's problem (committed partitions are judged one by one, as Kafka does), or null. */
export function commitPartitionProblem(partition: ClassicCommitPartition): string | null {
  if (partition.topic.length === 0) return 'the topic name is empty';
  if (!Number.isInteger(partition.partition) || partition.partition < 0 || partition.partition > INT32_MAX) {
    return `partition ${partition.partition} is not an int32 ≥ 0`;
  }
  if (!Number.isSafeInteger(partition.offset) || partition.offset < 0) {
    return `offset ${partition.offset} is not a non-negative integer below 2^53`;
  }
  if (
    !Number.isInteger(partition.leaderEpoch) ||
    partition.leaderEpoch < -1 ||
    partition.leaderEpoch > INT32_MAX
  ) {
    return `leader epoch ${partition.leaderEpoch} is not -1 or an int32 ≥ 0`;
  }
  if (Buffer.byteLength(partition.metadata, 'utf8') > GROUP_LIMITS.metadataBytesMax) {
    return `metadata is longer than ${GROUP_LIMITS.metadataBytesMax} bytes (offset.metadata.max.bytes)`;
  }
  return null;
}
