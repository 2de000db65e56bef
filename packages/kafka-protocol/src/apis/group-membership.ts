/**
 * The classic group membership protocol: JoinGroup (11), SyncGroup (14), Heartbeat (12) and
 * LeaveGroup (13). The coordinator treats the protocol metadata and assignments as opaque bytes; for
 * consumer groups they hold the consumer protocol (consumer-protocol.ts).
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bytes, int16, int32, string } from '../wire-type.js';

/**
 * JoinGroup: v1 adds RebalanceTimeoutMs, v4 makes a new member rejoin with the id it was given
 * (MEMBER_ID_REQUIRED), v5 static membership (GroupInstanceId, KIP-345), v6 flexible, v7 returns the
 * ProtocolType (KIP-559).
 */
export const JoinGroup = defineApi({
  key: 11,
  name: 'JoinGroup',
  versions: '0-7',
  flexible: '6+',
  request: {
    groupId: field(string, '0+'),
    sessionTimeoutMs: field(int32, '0+'),
    // Kafka: without RebalanceTimeoutMs (v0) the session timeout serves; -1 is only a placeholder.
    rebalanceTimeoutMs: field(int32, '1+', { default: -1 }),
    memberId: field(string, '0+'),
    groupInstanceId: nullable(string, '5+', '5+'),
    protocolType: field(string, '0+'),
    protocols: field(
      array(
        struct({
          name: field(string, '0+'),
          metadata: field(bytes, '0+'),
        }),
      ),
      '0+',
    ),
  },
  response: {
    throttleTimeMs: field(int32, '2+'),
    errorCode: field(int16, '0+'),
    generationId: field(int32, '0+', { default: -1 }),
    protocolType: nullable(string, '7+', '7+'),
    // Present in every version, but null only from v7 (an error answer names no protocol).
    protocolName: nullable(string, '0+', '7+'),
    leader: field(string, '0+'),
    memberId: field(string, '0+'),
    members: field(
      array(
        struct({
          memberId: field(string, '0+'),
          groupInstanceId: nullable(string, '5+', '5+'),
          metadata: field(bytes, '0+'),
        }),
      ),
      '0+',
    ),
  },
});

/** SyncGroup: v3 static membership, v4 flexible, v5 ProtocolType/ProtocolName both ways (KIP-559). */
export const SyncGroup = defineApi({
  key: 14,
  name: 'SyncGroup',
  versions: '0-5',
  flexible: '4+',
  request: {
    groupId: field(string, '0+'),
    generationId: field(int32, '0+'),
    memberId: field(string, '0+'),
    groupInstanceId: nullable(string, '3+', '3+'),
    protocolType: nullable(string, '5+', '5+'),
    protocolName: nullable(string, '5+', '5+'),
    assignments: field(
      array(
        struct({
          memberId: field(string, '0+'),
          assignment: field(bytes, '0+'),
        }),
      ),
      '0+',
    ),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    errorCode: field(int16, '0+'),
    protocolType: nullable(string, '5+', '5+'),
    protocolName: nullable(string, '5+', '5+'),
    assignment: field(bytes, '0+'),
  },
});

/** Heartbeat: v3 static membership, v4 flexible. */
export const Heartbeat = defineApi({
  key: 12,
  name: 'Heartbeat',
  versions: '0-4',
  flexible: '4+',
  request: {
    groupId: field(string, '0+'),
    generationId: field(int32, '0+'),
    memberId: field(string, '0+'),
    groupInstanceId: nullable(string, '3+', '3+'),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    errorCode: field(int16, '0+'),
  },
});

/** A leaving member in LeaveGroup v3+ (batched, with its static instance id). */
const leavingMember = struct({
  memberId: field(string, '3+'),
  groupInstanceId: nullable(string, '3+', '3+'),
});

/** LeaveGroup: v3 batches members (KIP-345) and answers per member, v4 flexible. */
export const LeaveGroup = defineApi({
  key: 13,
  name: 'LeaveGroup',
  versions: '0-4',
  flexible: '4+',
  request: {
    groupId: field(string, '0+'),
    memberId: field(string, '0-2'),
    members: field(array(leavingMember), '3+'),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    errorCode: field(int16, '0+'),
    members: field(
      array(
        struct({
          memberId: field(string, '3+'),
          groupInstanceId: nullable(string, '3+', '3+'),
          errorCode: field(int16, '3+'),
        }),
      ),
      '3+',
    ),
  },
});
