import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CommittedOffset as _tributary_v1_CommittedOffset, CommittedOffset__Output as _tributary_v1_CommittedOffset__Output } from './tributary/v1/CommittedOffset.js';
import type { DeleteGroupOffsetsRequest as _tributary_v1_DeleteGroupOffsetsRequest, DeleteGroupOffsetsRequest__Output as _tributary_v1_DeleteGroupOffsetsRequest__Output } from './tributary/v1/DeleteGroupOffsetsRequest.js';
import type { DeleteGroupOffsetsResponse as _tributary_v1_DeleteGroupOffsetsResponse, DeleteGroupOffsetsResponse__Output as _tributary_v1_DeleteGroupOffsetsResponse__Output } from './tributary/v1/DeleteGroupOffsetsResponse.js';
import type { DescribeGroupRequest as _tributary_v1_DescribeGroupRequest, DescribeGroupRequest__Output as _tributary_v1_DescribeGroupRequest__Output } from './tributary/v1/DescribeGroupRequest.js';
import type { DescribeGroupResponse as _tributary_v1_DescribeGroupResponse, DescribeGroupResponse__Output as _tributary_v1_DescribeGroupResponse__Output } from './tributary/v1/DescribeGroupResponse.js';
import type { FindCoordinatorRequest as _tributary_v1_FindCoordinatorRequest, FindCoordinatorRequest__Output as _tributary_v1_FindCoordinatorRequest__Output } from './tributary/v1/FindCoordinatorRequest.js';
import type { FindCoordinatorResponse as _tributary_v1_FindCoordinatorResponse, FindCoordinatorResponse__Output as _tributary_v1_FindCoordinatorResponse__Output } from './tributary/v1/FindCoordinatorResponse.js';
import type { GroupCoordinatorClient as _tributary_v1_GroupCoordinatorClient, GroupCoordinatorDefinition as _tributary_v1_GroupCoordinatorDefinition } from './tributary/v1/GroupCoordinator.js';
import type { GroupHeartbeatRequest as _tributary_v1_GroupHeartbeatRequest, GroupHeartbeatRequest__Output as _tributary_v1_GroupHeartbeatRequest__Output } from './tributary/v1/GroupHeartbeatRequest.js';
import type { GroupHeartbeatResponse as _tributary_v1_GroupHeartbeatResponse, GroupHeartbeatResponse__Output as _tributary_v1_GroupHeartbeatResponse__Output } from './tributary/v1/GroupHeartbeatResponse.js';
import type { GroupListing as _tributary_v1_GroupListing, GroupListing__Output as _tributary_v1_GroupListing__Output } from './tributary/v1/GroupListing.js';
import type { GroupMemberDescription as _tributary_v1_GroupMemberDescription, GroupMemberDescription__Output as _tributary_v1_GroupMemberDescription__Output } from './tributary/v1/GroupMemberDescription.js';
import type { ListGroupsRequest as _tributary_v1_ListGroupsRequest, ListGroupsRequest__Output as _tributary_v1_ListGroupsRequest__Output } from './tributary/v1/ListGroupsRequest.js';
import type { ListGroupsResponse as _tributary_v1_ListGroupsResponse, ListGroupsResponse__Output as _tributary_v1_ListGroupsResponse__Output } from './tributary/v1/ListGroupsResponse.js';
import type { OffsetCommitPartition as _tributary_v1_OffsetCommitPartition, OffsetCommitPartition__Output as _tributary_v1_OffsetCommitPartition__Output } from './tributary/v1/OffsetCommitPartition.js';
import type { OffsetCommitPartitionResult as _tributary_v1_OffsetCommitPartitionResult, OffsetCommitPartitionResult__Output as _tributary_v1_OffsetCommitPartitionResult__Output } from './tributary/v1/OffsetCommitPartitionResult.js';
import type { OffsetCommitRequest as _tributary_v1_OffsetCommitRequest, OffsetCommitRequest__Output as _tributary_v1_OffsetCommitRequest__Output } from './tributary/v1/OffsetCommitRequest.js';
import type { OffsetCommitResponse as _tributary_v1_OffsetCommitResponse, OffsetCommitResponse__Output as _tributary_v1_OffsetCommitResponse__Output } from './tributary/v1/OffsetCommitResponse.js';
import type { OffsetCommitTopic as _tributary_v1_OffsetCommitTopic, OffsetCommitTopic__Output as _tributary_v1_OffsetCommitTopic__Output } from './tributary/v1/OffsetCommitTopic.js';
import type { OffsetFetchRequest as _tributary_v1_OffsetFetchRequest, OffsetFetchRequest__Output as _tributary_v1_OffsetFetchRequest__Output } from './tributary/v1/OffsetFetchRequest.js';
import type { OffsetFetchResponse as _tributary_v1_OffsetFetchResponse, OffsetFetchResponse__Output as _tributary_v1_OffsetFetchResponse__Output } from './tributary/v1/OffsetFetchResponse.js';
import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from './tributary/v1/TopicPartitions.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      CommittedOffset: MessageTypeDefinition<_tributary_v1_CommittedOffset, _tributary_v1_CommittedOffset__Output>
      DeleteGroupOffsetsRequest: MessageTypeDefinition<_tributary_v1_DeleteGroupOffsetsRequest, _tributary_v1_DeleteGroupOffsetsRequest__Output>
      DeleteGroupOffsetsResponse: MessageTypeDefinition<_tributary_v1_DeleteGroupOffsetsResponse, _tributary_v1_DeleteGroupOffsetsResponse__Output>
      DescribeGroupRequest: MessageTypeDefinition<_tributary_v1_DescribeGroupRequest, _tributary_v1_DescribeGroupRequest__Output>
      DescribeGroupResponse: MessageTypeDefinition<_tributary_v1_DescribeGroupResponse, _tributary_v1_DescribeGroupResponse__Output>
      FindCoordinatorRequest: MessageTypeDefinition<_tributary_v1_FindCoordinatorRequest, _tributary_v1_FindCoordinatorRequest__Output>
      FindCoordinatorResponse: MessageTypeDefinition<_tributary_v1_FindCoordinatorResponse, _tributary_v1_FindCoordinatorResponse__Output>
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
      GroupCoordinator: SubtypeConstructor<typeof grpc.Client, _tributary_v1_GroupCoordinatorClient> & { service: _tributary_v1_GroupCoordinatorDefinition }
      GroupHeartbeatRequest: MessageTypeDefinition<_tributary_v1_GroupHeartbeatRequest, _tributary_v1_GroupHeartbeatRequest__Output>
      GroupHeartbeatResponse: MessageTypeDefinition<_tributary_v1_GroupHeartbeatResponse, _tributary_v1_GroupHeartbeatResponse__Output>
      GroupListing: MessageTypeDefinition<_tributary_v1_GroupListing, _tributary_v1_GroupListing__Output>
      GroupMemberDescription: MessageTypeDefinition<_tributary_v1_GroupMemberDescription, _tributary_v1_GroupMemberDescription__Output>
      ListGroupsRequest: MessageTypeDefinition<_tributary_v1_ListGroupsRequest, _tributary_v1_ListGroupsRequest__Output>
      ListGroupsResponse: MessageTypeDefinition<_tributary_v1_ListGroupsResponse, _tributary_v1_ListGroupsResponse__Output>
      OffsetCommitPartition: MessageTypeDefinition<_tributary_v1_OffsetCommitPartition, _tributary_v1_OffsetCommitPartition__Output>
      OffsetCommitPartitionResult: MessageTypeDefinition<_tributary_v1_OffsetCommitPartitionResult, _tributary_v1_OffsetCommitPartitionResult__Output>
      OffsetCommitRequest: MessageTypeDefinition<_tributary_v1_OffsetCommitRequest, _tributary_v1_OffsetCommitRequest__Output>
      OffsetCommitResponse: MessageTypeDefinition<_tributary_v1_OffsetCommitResponse, _tributary_v1_OffsetCommitResponse__Output>
      OffsetCommitTopic: MessageTypeDefinition<_tributary_v1_OffsetCommitTopic, _tributary_v1_OffsetCommitTopic__Output>
      OffsetFetchRequest: MessageTypeDefinition<_tributary_v1_OffsetFetchRequest, _tributary_v1_OffsetFetchRequest__Output>
      OffsetFetchResponse: MessageTypeDefinition<_tributary_v1_OffsetFetchResponse, _tributary_v1_OffsetFetchResponse__Output>
      TopicPartitions: MessageTypeDefinition<_tributary_v1_TopicPartitions, _tributary_v1_TopicPartitions__Output>
    }
  }
}

