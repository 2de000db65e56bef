/**
 * The data the classic group protocol takes and gives (JoinGroup, SyncGroup, Heartbeat, LeaveGroup and
 * classic offset commits), protocol-neutral: plain objects, Buffers for the bytes the coordinator only
 * relays (protocol metadata and assignments), error codes as names from the shared ERROR_CODES table
 * (null = success). The Kafka listener maps these to and from its wire versions. A leaf file: the state
 * machine (classic-group.ts), the shell (classic-coordinator.ts) and their tests import it.
 */
import type { ErrorCode } from '@tributary/core';

/** Kafka's classic group states, by Kafka's names (DescribeGroups and ListGroups show them). */
export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const CLASSIC_GROUP_STATES: readonly ClassicGroupState[] = [
  'Empty',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
];

export interface ClassicProtocol {
  /** The assignor's name for protocol type "consumer" (range, roundrobin, cooperative-sticky, ...). */
  readonly name: string;
  readonly metadata: Buffer;
}

export interface ClassicJoinRequest {
  readonly groupId: string;
  /** '' for a member joining for the first time. */
  readonly memberId: string;
  /** group.instance.id (KIP-345); null for a dynamic member. */
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  /** In the member's order of preference. */
  readonly protocols: readonly ClassicProtocol[];
  readonly sessionTimeoutMs: number;
  /** JoinGroup v0 has none: the listener passes the session timeout, as Kafka does. */
  readonly rebalanceTimeoutMs: number;
  readonly clientId: string;
  readonly clientHost: string;
  /** JoinGroup v4+ (KIP-394): a new dynamic member first gets MEMBER_ID_REQUIRED with its id. */
  readonly requireKnownMemberId: boolean;
  /** JoinGroup v9+ (KIP-814): a rejoining static leader is told it leads but must not reassign. */
  readonly supportsSkipAssignment?: boolean;
}

export interface ClassicJoinMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** The member's metadata for the group's selected protocol. */
  readonly metadata: Buffer;
}

export interface ClassicJoinResult {
  readonly errorCode: ErrorCode | null;
  readonly errorMessage: string;
  /** -1 on error. */
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** '' on error. */
  readonly leaderId: string;
  /** The member's id: the new one (also with MEMBER_ID_REQUIRED), or the request's on other errors. */
  readonly memberId: string;
  readonly skipAssignment: boolean;
  /** Every member with its metadata, for the leader only; empty for the others. */
  readonly members: readonly ClassicJoinMember[];
}

export interface ClassicMemberAssignment {
  readonly memberId: string;
  readonly assignment: Buffer;
}

export interface ClassicSyncRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** SyncGroup v5+; null (older versions) skips the check. */
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** The leader's assignment for every member; empty from followers. */
  readonly assignments: readonly ClassicMemberAssignment[];
}

export interface ClassicSyncResult {
  readonly errorCode: ErrorCode | null;
  readonly errorMessage: string;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

export interface ClassicHeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface ClassicErrorResult {
  readonly errorCode: ErrorCode | null;
  readonly errorMessage: string;
}

export interface ClassicMemberIdentity {
  /** '' with a groupInstanceId: remove the static member by instance id (KIP-345 admin removal). */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface ClassicLeaveRequest {
  readonly groupId: string;
  readonly members: readonly ClassicMemberIdentity[];
}

export interface ClassicLeaveMemberResult extends ClassicMemberIdentity {
  readonly errorCode: ErrorCode | null;
}

export interface ClassicLeaveResult extends ClassicErrorResult {
  readonly members: readonly ClassicLeaveMemberResult[];
}

export interface ClassicCommitPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** -1 when unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string;
}

export interface ClassicCommitRequest {
  readonly groupId: string;
  /** -1 with memberId '' = a commit from outside group management (admin, simple consumer). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly partitions: readonly ClassicCommitPartition[];
}

export interface ClassicCommitPartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: ErrorCode | null;
}

export interface ClassicCommitResult extends ClassicErrorResult {
  /** Every partition of the request with its outcome (a group-level error is repeated on each). */
  readonly partitions: readonly ClassicCommitPartitionResult[];
}

export interface ClassicMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** The metadata for the selected protocol (empty before a protocol is selected). */
  readonly metadata: Buffer;
  readonly assignment: Buffer;
}

export interface ClassicGroupDescription {
  readonly groupId: string;
  readonly state: ClassicGroupState;
  readonly generationId: number;
  /** '' until a member has joined. */
  readonly protocolType: string;
  /** The selected protocol; '' while none is selected. */
  readonly protocolName: string;
  readonly leaderId: string | null;
  readonly members: readonly ClassicMemberDescription[];
}

/** What one call to the state machine asks the shell to answer: waiting requests, by token. */
export type ClassicEffect =
  | { readonly kind: 'join'; readonly token: number; readonly result: ClassicJoinResult }
  | { readonly kind: 'sync'; readonly token: number; readonly result: ClassicSyncResult };

export interface ClassicGroupConfig {
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly initialRebalanceDelayMs: number;
  readonly maxSize: number;
  readonly newMemberJoinTimeoutMs: number;
}
