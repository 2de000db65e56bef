/**
 * The classic group membership APIs for Kafka clients: JoinGroup (11) v0–7, SyncGroup (14) v0–5,
 * Heartbeat (12) v0–4 and LeaveGroup (13) v0–4, answered by the coordinator's classic protocol
 * (group/classic-*.ts), which owns every rule; this file maps wire versions to its calls:
 * - JoinGroup v0 has no rebalance timeout: the session timeout serves, as in Kafka. From v4 a new
 *   member first gets MEMBER_ID_REQUIRED with its id (KIP-394); from v5 members may be static (KIP-345).
 * - Versions before the nullable protocol fields (JoinGroup v7, SyncGroup v5) answer '' where newer
 *   ones answer null.
 * - LeaveGroup v0–2 names one member and answers with its outcome; v3+ batches members (KIP-345).
 * JoinGroup and a follower's SyncGroup wait in the coordinator until the rebalance completes; the
 * listener keeps answering in request order meanwhile, as Kafka's does.
 */
import {
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
  SyncGroup,
} from '@tributary/kafka-protocol';
import type { ClassicJoinRequest, ClassicJoinResult, ClassicLeaveResult } from '../../group/classic-types.js';
import { type KafkaRequestContext, type RegisteredHandler, registerHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';
import { COORDINATOR_NOT_AVAILABLE, kafkaCode, ownBytes } from './groups-common.js';

type JoinGroupRequest = RequestOf<typeof JoinGroup>;
type JoinGroupResponse = ResponseInputOf<typeof JoinGroup>;
type SyncGroupResponse = ResponseInputOf<typeof SyncGroup>;
type LeaveGroupRequest = RequestOf<typeof LeaveGroup>;
type LeaveGroupResponse = ResponseInputOf<typeof LeaveGroup>;

/** JoinGroup v4+: a new dynamic member must rejoin with the id it is given (KIP-394). */
const FIRST_MEMBER_ID_REQUIRED_VERSION = 4;
/** JoinGroup v7 and SyncGroup v5 may answer null protocol fields (KIP-559). */
const FIRST_NULLABLE_JOIN_PROTOCOL_VERSION = 7;
/** LeaveGroup v3 batches members and answers each (KIP-345). */
const FIRST_BATCHED_LEAVE_VERSION = 3;
const EMPTY = Buffer.alloc(0);

export function joinGroupHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: JoinGroup,
    advertised: parseVersions('0-7'),
    handle: async (request, context) => {
      const version = context.header.apiVersion;
      const coordinator = parts.groupCoordinator;
      if (coordinator === null) {
        return joinResponse(
          {
            errorCode: 'COORDINATOR_NOT_AVAILABLE',
            errorMessage: '',
            generationId: -1,
            protocolType: null,
            protocolName: null,
            leaderId: '',
            memberId: request.memberId,
            skipAssignment: false,
            members: [],
          },
          version,
        );
      }
      return joinResponse(await coordinator.classic.joinGroup(classicJoin(request, context)), version);
    },
  });
}

function classicJoin(request: JoinGroupRequest, context: KafkaRequestContext): ClassicJoinRequest {
  const version = context.header.apiVersion;
  return {
    groupId: request.groupId,
    memberId: request.memberId,
    // null below v5 (the field's default): only v5+ members can be static.
    groupInstanceId: request.groupInstanceId,
    protocolType: request.protocolType,
    protocols: request.protocols.map((p) => ({ name: p.name, metadata: ownBytes(p.metadata) })),
    sessionTimeoutMs: request.sessionTimeoutMs,
    // Kafka: a v0 member has no rebalance timeout; its session timeout bounds the rebalance instead.
    rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
    clientId: context.header.clientId ?? '',
    // Kafka shows client hosts as InetAddress.toString() does ("/127.0.0.1"); tools print them so.
    clientHost: `/${context.clientHost}`,
    requireKnownMemberId: version >= FIRST_MEMBER_ID_REQUIRED_VERSION,
  };
}

function joinResponse(result: ClassicJoinResult, version: number): JoinGroupResponse {
  const nullable = version >= FIRST_NULLABLE_JOIN_PROTOCOL_VERSION;
  return {
    throttleTimeMs: 0,
    errorCode: kafkaCode(result.errorCode),
    generationId: result.generationId,
    protocolType: result.protocolType,
    protocolName: result.protocolName ?? (nullable ? null : ''),
    leader: result.leaderId,
    memberId: result.memberId,
    members: result.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata,
    })),
  };
}

export function syncGroupHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: SyncGroup,
    advertised: parseVersions('0-5'),
    handle: async (request): Promise<SyncGroupResponse> => {
      const coordinator = parts.groupCoordinator;
      if (coordinator === null) {
        return {
          throttleTimeMs: 0,
          errorCode: COORDINATOR_NOT_AVAILABLE,
          protocolType: null,
          protocolName: null,
          assignment: EMPTY,
        };
      }
      const result = await coordinator.classic.syncGroup({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        // null below v5 (the fields' default), which skips the coordinator's check, as Kafka's.
        protocolType: request.protocolType,
        protocolName: request.protocolName,
        assignments: request.assignments.map((a) => ({
          memberId: a.memberId,
          assignment: ownBytes(a.assignment),
        })),
      });
      return {
        throttleTimeMs: 0,
        errorCode: kafkaCode(result.errorCode),
        protocolType: result.protocolType,
        protocolName: result.protocolName,
        assignment: result.assignment,
      };
    },
  });
}

export function heartbeatHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: Heartbeat,
    advertised: parseVersions('0-4'),
    handle: (request) => {
      const coordinator = parts.groupCoordinator;
      if (coordinator === null) return { throttleTimeMs: 0, errorCode: COORDINATOR_NOT_AVAILABLE };
      const result = coordinator.classic.heartbeat({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
      });
      return { throttleTimeMs: 0, errorCode: kafkaCode(result.errorCode) };
    },
  });
}

export function leaveGroupHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: LeaveGroup,
    advertised: parseVersions('0-4'),
    handle: (request, context) => leaveGroup(parts, request, context.header.apiVersion),
  });
}

function leaveGroup(
  parts: KafkaBrokerParts,
  request: LeaveGroupRequest,
  version: number,
): LeaveGroupResponse {
  const batched = version >= FIRST_BATCHED_LEAVE_VERSION;
  const members = batched
    ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
    : [{ memberId: request.memberId, groupInstanceId: null }];
  const coordinator = parts.groupCoordinator;
  const result: ClassicLeaveResult =
    coordinator === null
      ? { errorCode: 'COORDINATOR_NOT_AVAILABLE', errorMessage: '', members: [] }
      : coordinator.classic.leaveGroup({ groupId: request.groupId, members });
  // v0–2 have no per-member answers: the one member's outcome is the answer.
  const single = batched ? null : (result.members[0]?.errorCode ?? null);
  return {
    throttleTimeMs: 0,
    errorCode: kafkaCode(result.errorCode ?? single),
    members: result.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode: kafkaCode(m.errorCode),
    })),
  };
}
