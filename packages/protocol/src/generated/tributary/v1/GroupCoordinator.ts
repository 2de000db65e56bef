// Original file: protos/tributary/v1/group.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteGroupOffsetsRequest as _tributary_v1_DeleteGroupOffsetsRequest, DeleteGroupOffsetsRequest__Output as _tributary_v1_DeleteGroupOffsetsRequest__Output } from '../../tributary/v1/DeleteGroupOffsetsRequest.js';
import type { DeleteGroupOffsetsResponse as _tributary_v1_DeleteGroupOffsetsResponse, DeleteGroupOffsetsResponse__Output as _tributary_v1_DeleteGroupOffsetsResponse__Output } from '../../tributary/v1/DeleteGroupOffsetsResponse.js';
import type { DescribeGroupRequest as _tributary_v1_DescribeGroupRequest, DescribeGroupRequest__Output as _tributary_v1_DescribeGroupRequest__Output } from '../../tributary/v1/DescribeGroupRequest.js';
import type { DescribeGroupResponse as _tributary_v1_DescribeGroupResponse, DescribeGroupResponse__Output as _tributary_v1_DescribeGroupResponse__Output } from '../../tributary/v1/DescribeGroupResponse.js';
import type { FindCoordinatorRequest as _tributary_v1_FindCoordinatorRequest, FindCoordinatorRequest__Output as _tributary_v1_FindCoordinatorRequest__Output } from '../../tributary/v1/FindCoordinatorRequest.js';
import type { FindCoordinatorResponse as _tributary_v1_FindCoordinatorResponse, FindCoordinatorResponse__Output as _tributary_v1_FindCoordinatorResponse__Output } from '../../tributary/v1/FindCoordinatorResponse.js';
import type { GroupHeartbeatRequest as _tributary_v1_GroupHeartbeatRequest, GroupHeartbeatRequest__Output as _tributary_v1_GroupHeartbeatRequest__Output } from '../../tributary/v1/GroupHeartbeatRequest.js';
import type { GroupHeartbeatResponse as _tributary_v1_GroupHeartbeatResponse, GroupHeartbeatResponse__Output as _tributary_v1_GroupHeartbeatResponse__Output } from '../../tributary/v1/GroupHeartbeatResponse.js';
import type { ListGroupsRequest as _tributary_v1_ListGroupsRequest, ListGroupsRequest__Output as _tributary_v1_ListGroupsRequest__Output } from '../../tributary/v1/ListGroupsRequest.js';
import type { ListGroupsResponse as _tributary_v1_ListGroupsResponse, ListGroupsResponse__Output as _tributary_v1_ListGroupsResponse__Output } from '../../tributary/v1/ListGroupsResponse.js';
import type { OffsetCommitRequest as _tributary_v1_OffsetCommitRequest, OffsetCommitRequest__Output as _tributary_v1_OffsetCommitRequest__Output } from '../../tributary/v1/OffsetCommitRequest.js';
import type { OffsetCommitResponse as _tributary_v1_OffsetCommitResponse, OffsetCommitResponse__Output as _tributary_v1_OffsetCommitResponse__Output } from '../../tributary/v1/OffsetCommitResponse.js';
import type { OffsetFetchRequest as _tributary_v1_OffsetFetchRequest, OffsetFetchRequest__Output as _tributary_v1_OffsetFetchRequest__Output } from '../../tributary/v1/OffsetFetchRequest.js';
import type { OffsetFetchResponse as _tributary_v1_OffsetFetchResponse, OffsetFetchResponse__Output as _tributary_v1_OffsetFetchResponse__Output } from '../../tributary/v1/OffsetFetchResponse.js';

/**
 * Consumer groups (issue 4), served by every broker. The coordinator of a group is the broker leading
 * partition `murmur2(group_id) % N` of the internal topic `__consumer_offsets`; other brokers answer
 * NOT_COORDINATOR. The membership protocol is broker-driven, after Kafka's KIP-848: the coordinator
 * computes each member's target assignment with a server-side assignor and hands it out incrementally
 * (a partition is given to its new owner only after the previous owner has reported it revoked), so a
 * rebalance never stops the whole group. See docs/decisions.md, "Consumer groups".
 * Kafka clients' classic groups (JoinGroup/SyncGroup on the Kafka listener) share the coordinator, the
 * committed offsets and these admin RPCs; a group id serves one protocol at a time.
 */
export interface GroupCoordinatorClient extends grpc.Client {
  /**
   * Removes committed offsets (all of the group's, or the named partitions'); only while the group is empty.
   */
  DeleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  DeleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  DeleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  DeleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Removes committed offsets (all of the group's, or the named partitions'); only while the group is empty.
   */
  deleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  deleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  deleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  deleteGroupOffsets(argument: _tributary_v1_DeleteGroupOffsetsRequest, callback: grpc.requestCallback<_tributary_v1_DeleteGroupOffsetsResponse__Output>): grpc.ClientUnaryCall;
  
  DescribeGroup(argument: _tributary_v1_DescribeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  DescribeGroup(argument: _tributary_v1_DescribeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  DescribeGroup(argument: _tributary_v1_DescribeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  DescribeGroup(argument: _tributary_v1_DescribeGroupRequest, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  describeGroup(argument: _tributary_v1_DescribeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  describeGroup(argument: _tributary_v1_DescribeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  describeGroup(argument: _tributary_v1_DescribeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  describeGroup(argument: _tributary_v1_DescribeGroupRequest, callback: grpc.requestCallback<_tributary_v1_DescribeGroupResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Any broker: which broker coordinates the group (creates __consumer_offsets on first use).
   */
  FindCoordinator(argument: _tributary_v1_FindCoordinatorRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  FindCoordinator(argument: _tributary_v1_FindCoordinatorRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  FindCoordinator(argument: _tributary_v1_FindCoordinatorRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  FindCoordinator(argument: _tributary_v1_FindCoordinatorRequest, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Any broker: which broker coordinates the group (creates __consumer_offsets on first use).
   */
  findCoordinator(argument: _tributary_v1_FindCoordinatorRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  findCoordinator(argument: _tributary_v1_FindCoordinatorRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  findCoordinator(argument: _tributary_v1_FindCoordinatorRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  findCoordinator(argument: _tributary_v1_FindCoordinatorRequest, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Join (member_epoch 0), heartbeat and reconcile (member_epoch > 0), leave (member_epoch -1).
   */
  GroupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  GroupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  GroupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  GroupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Join (member_epoch 0), heartbeat and reconcile (member_epoch > 0), leave (member_epoch -1).
   */
  groupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  groupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  groupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  groupHeartbeat(argument: _tributary_v1_GroupHeartbeatRequest, callback: grpc.requestCallback<_tributary_v1_GroupHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The groups this broker coordinates (clients ask every broker and merge).
   */
  ListGroups(argument: _tributary_v1_ListGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListGroups(argument: _tributary_v1_ListGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListGroups(argument: _tributary_v1_ListGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListGroups(argument: _tributary_v1_ListGroupsRequest, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The groups this broker coordinates (clients ask every broker and merge).
   */
  listGroups(argument: _tributary_v1_ListGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  listGroups(argument: _tributary_v1_ListGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  listGroups(argument: _tributary_v1_ListGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  listGroups(argument: _tributary_v1_ListGroupsRequest, callback: grpc.requestCallback<_tributary_v1_ListGroupsResponse__Output>): grpc.ClientUnaryCall;
  
  OffsetCommit(argument: _tributary_v1_OffsetCommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  OffsetCommit(argument: _tributary_v1_OffsetCommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  OffsetCommit(argument: _tributary_v1_OffsetCommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  OffsetCommit(argument: _tributary_v1_OffsetCommitRequest, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  offsetCommit(argument: _tributary_v1_OffsetCommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  offsetCommit(argument: _tributary_v1_OffsetCommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  offsetCommit(argument: _tributary_v1_OffsetCommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  offsetCommit(argument: _tributary_v1_OffsetCommitRequest, callback: grpc.requestCallback<_tributary_v1_OffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  
  OffsetFetch(argument: _tributary_v1_OffsetFetchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  OffsetFetch(argument: _tributary_v1_OffsetFetchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  OffsetFetch(argument: _tributary_v1_OffsetFetchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  OffsetFetch(argument: _tributary_v1_OffsetFetchRequest, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  offsetFetch(argument: _tributary_v1_OffsetFetchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  offsetFetch(argument: _tributary_v1_OffsetFetchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  offsetFetch(argument: _tributary_v1_OffsetFetchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  offsetFetch(argument: _tributary_v1_OffsetFetchRequest, callback: grpc.requestCallback<_tributary_v1_OffsetFetchResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Consumer groups (issue 4), served by every broker. The coordinator of a group is the broker leading
 * partition `murmur2(group_id) % N` of the internal topic `__consumer_offsets`; other brokers answer
 * NOT_COORDINATOR. The membership protocol is broker-driven, after Kafka's KIP-848: the coordinator
 * computes each member's target assignment with a server-side assignor and hands it out incrementally
 * (a partition is given to its new owner only after the previous owner has reported it revoked), so a
 * rebalance never stops the whole group. See docs/decisions.md, "Consumer groups".
 * Kafka clients' classic groups (JoinGroup/SyncGroup on the Kafka listener) share the coordinator, the
 * committed offsets and these admin RPCs; a group id serves one protocol at a time.
 */
export interface GroupCoordinatorHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Removes committed offsets (all of the group's, or the named partitions'); only while the group is empty.
   */
  DeleteGroupOffsets: grpc.handleUnaryCall<_tributary_v1_DeleteGroupOffsetsRequest__Output, _tributary_v1_DeleteGroupOffsetsResponse>;
  
  DescribeGroup: grpc.handleUnaryCall<_tributary_v1_DescribeGroupRequest__Output, _tributary_v1_DescribeGroupResponse>;
  
  /**
   * Any broker: which broker coordinates the group (creates __consumer_offsets on first use).
   */
  FindCoordinator: grpc.handleUnaryCall<_tributary_v1_FindCoordinatorRequest__Output, _tributary_v1_FindCoordinatorResponse>;
  
  /**
   * Join (member_epoch 0), heartbeat and reconcile (member_epoch > 0), leave (member_epoch -1).
   */
  GroupHeartbeat: grpc.handleUnaryCall<_tributary_v1_GroupHeartbeatRequest__Output, _tributary_v1_GroupHeartbeatResponse>;
  
  /**
   * The groups this broker coordinates (clients ask every broker and merge).
   */
  ListGroups: grpc.handleUnaryCall<_tributary_v1_ListGroupsRequest__Output, _tributary_v1_ListGroupsResponse>;
  
  OffsetCommit: grpc.handleUnaryCall<_tributary_v1_OffsetCommitRequest__Output, _tributary_v1_OffsetCommitResponse>;
  
  OffsetFetch: grpc.handleUnaryCall<_tributary_v1_OffsetFetchRequest__Output, _tributary_v1_OffsetFetchResponse>;
  
}

export interface GroupCoordinatorDefinition extends grpc.ServiceDefinition {
  DeleteGroupOffsets: MethodDefinition<_tributary_v1_DeleteGroupOffsetsRequest, _tributary_v1_DeleteGroupOffsetsResponse, _tributary_v1_DeleteGroupOffsetsRequest__Output, _tributary_v1_DeleteGroupOffsetsResponse__Output>
  DescribeGroup: MethodDefinition<_tributary_v1_DescribeGroupRequest, _tributary_v1_DescribeGroupResponse, _tributary_v1_DescribeGroupRequest__Output, _tributary_v1_DescribeGroupResponse__Output>
  FindCoordinator: MethodDefinition<_tributary_v1_FindCoordinatorRequest, _tributary_v1_FindCoordinatorResponse, _tributary_v1_FindCoordinatorRequest__Output, _tributary_v1_FindCoordinatorResponse__Output>
  GroupHeartbeat: MethodDefinition<_tributary_v1_GroupHeartbeatRequest, _tributary_v1_GroupHeartbeatResponse, _tributary_v1_GroupHeartbeatRequest__Output, _tributary_v1_GroupHeartbeatResponse__Output>
  ListGroups: MethodDefinition<_tributary_v1_ListGroupsRequest, _tributary_v1_ListGroupsResponse, _tributary_v1_ListGroupsRequest__Output, _tributary_v1_ListGroupsResponse__Output>
  OffsetCommit: MethodDefinition<_tributary_v1_OffsetCommitRequest, _tributary_v1_OffsetCommitResponse, _tributary_v1_OffsetCommitRequest__Output, _tributary_v1_OffsetCommitResponse__Output>
  OffsetFetch: MethodDefinition<_tributary_v1_OffsetFetchRequest, _tributary_v1_OffsetFetchResponse, _tributary_v1_OffsetFetchRequest__Output, _tributary_v1_OffsetFetchResponse__Output>
}
