import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddOffsetsToTxnRequest as _tributary_v1_AddOffsetsToTxnRequest, AddOffsetsToTxnRequest__Output as _tributary_v1_AddOffsetsToTxnRequest__Output } from './tributary/v1/AddOffsetsToTxnRequest.js';
import type { AddOffsetsToTxnResponse as _tributary_v1_AddOffsetsToTxnResponse, AddOffsetsToTxnResponse__Output as _tributary_v1_AddOffsetsToTxnResponse__Output } from './tributary/v1/AddOffsetsToTxnResponse.js';
import type { AddPartitionsToTxnRequest as _tributary_v1_AddPartitionsToTxnRequest, AddPartitionsToTxnRequest__Output as _tributary_v1_AddPartitionsToTxnRequest__Output } from './tributary/v1/AddPartitionsToTxnRequest.js';
import type { AddPartitionsToTxnResponse as _tributary_v1_AddPartitionsToTxnResponse, AddPartitionsToTxnResponse__Output as _tributary_v1_AddPartitionsToTxnResponse__Output } from './tributary/v1/AddPartitionsToTxnResponse.js';
import type { CommittedOffset as _tributary_v1_CommittedOffset, CommittedOffset__Output as _tributary_v1_CommittedOffset__Output } from './tributary/v1/CommittedOffset.js';
import type { DeleteGroupOffsetsRequest as _tributary_v1_DeleteGroupOffsetsRequest, DeleteGroupOffsetsRequest__Output as _tributary_v1_DeleteGroupOffsetsRequest__Output } from './tributary/v1/DeleteGroupOffsetsRequest.js';
import type { DeleteGroupOffsetsResponse as _tributary_v1_DeleteGroupOffsetsResponse, DeleteGroupOffsetsResponse__Output as _tributary_v1_DeleteGroupOffsetsResponse__Output } from './tributary/v1/DeleteGroupOffsetsResponse.js';
import type { DescribeGroupRequest as _tributary_v1_DescribeGroupRequest, DescribeGroupRequest__Output as _tributary_v1_DescribeGroupRequest__Output } from './tributary/v1/DescribeGroupRequest.js';
import type { DescribeGroupResponse as _tributary_v1_DescribeGroupResponse, DescribeGroupResponse__Output as _tributary_v1_DescribeGroupResponse__Output } from './tributary/v1/DescribeGroupResponse.js';
import type { DescribeTransactionsRequest as _tributary_v1_DescribeTransactionsRequest, DescribeTransactionsRequest__Output as _tributary_v1_DescribeTransactionsRequest__Output } from './tributary/v1/DescribeTransactionsRequest.js';
import type { DescribeTransactionsResponse as _tributary_v1_DescribeTransactionsResponse, DescribeTransactionsResponse__Output as _tributary_v1_DescribeTransactionsResponse__Output } from './tributary/v1/DescribeTransactionsResponse.js';
import type { EndTxnRequest as _tributary_v1_EndTxnRequest, EndTxnRequest__Output as _tributary_v1_EndTxnRequest__Output } from './tributary/v1/EndTxnRequest.js';
import type { EndTxnResponse as _tributary_v1_EndTxnResponse, EndTxnResponse__Output as _tributary_v1_EndTxnResponse__Output } from './tributary/v1/EndTxnResponse.js';
import type { FindCoordinatorRequest as _tributary_v1_FindCoordinatorRequest, FindCoordinatorRequest__Output as _tributary_v1_FindCoordinatorRequest__Output } from './tributary/v1/FindCoordinatorRequest.js';
import type { FindCoordinatorResponse as _tributary_v1_FindCoordinatorResponse, FindCoordinatorResponse__Output as _tributary_v1_FindCoordinatorResponse__Output } from './tributary/v1/FindCoordinatorResponse.js';
import type { FindTransactionCoordinatorRequest as _tributary_v1_FindTransactionCoordinatorRequest, FindTransactionCoordinatorRequest__Output as _tributary_v1_FindTransactionCoordinatorRequest__Output } from './tributary/v1/FindTransactionCoordinatorRequest.js';
import type { GroupCoordinatorClient as _tributary_v1_GroupCoordinatorClient, GroupCoordinatorDefinition as _tributary_v1_GroupCoordinatorDefinition } from './tributary/v1/GroupCoordinator.js';
import type { GroupHeartbeatRequest as _tributary_v1_GroupHeartbeatRequest, GroupHeartbeatRequest__Output as _tributary_v1_GroupHeartbeatRequest__Output } from './tributary/v1/GroupHeartbeatRequest.js';
import type { GroupHeartbeatResponse as _tributary_v1_GroupHeartbeatResponse, GroupHeartbeatResponse__Output as _tributary_v1_GroupHeartbeatResponse__Output } from './tributary/v1/GroupHeartbeatResponse.js';
import type { GroupListing as _tributary_v1_GroupListing, GroupListing__Output as _tributary_v1_GroupListing__Output } from './tributary/v1/GroupListing.js';
import type { GroupMemberDescription as _tributary_v1_GroupMemberDescription, GroupMemberDescription__Output as _tributary_v1_GroupMemberDescription__Output } from './tributary/v1/GroupMemberDescription.js';
import type { InitTransactionsRequest as _tributary_v1_InitTransactionsRequest, InitTransactionsRequest__Output as _tributary_v1_InitTransactionsRequest__Output } from './tributary/v1/InitTransactionsRequest.js';
import type { InitTransactionsResponse as _tributary_v1_InitTransactionsResponse, InitTransactionsResponse__Output as _tributary_v1_InitTransactionsResponse__Output } from './tributary/v1/InitTransactionsResponse.js';
import type { ListGroupsRequest as _tributary_v1_ListGroupsRequest, ListGroupsRequest__Output as _tributary_v1_ListGroupsRequest__Output } from './tributary/v1/ListGroupsRequest.js';
import type { ListGroupsResponse as _tributary_v1_ListGroupsResponse, ListGroupsResponse__Output as _tributary_v1_ListGroupsResponse__Output } from './tributary/v1/ListGroupsResponse.js';
import type { ListTransactionsRequest as _tributary_v1_ListTransactionsRequest, ListTransactionsRequest__Output as _tributary_v1_ListTransactionsRequest__Output } from './tributary/v1/ListTransactionsRequest.js';
import type { ListTransactionsResponse as _tributary_v1_ListTransactionsResponse, ListTransactionsResponse__Output as _tributary_v1_ListTransactionsResponse__Output } from './tributary/v1/ListTransactionsResponse.js';
import type { OffsetCommitPartition as _tributary_v1_OffsetCommitPartition, OffsetCommitPartition__Output as _tributary_v1_OffsetCommitPartition__Output } from './tributary/v1/OffsetCommitPartition.js';
import type { OffsetCommitPartitionResult as _tributary_v1_OffsetCommitPartitionResult, OffsetCommitPartitionResult__Output as _tributary_v1_OffsetCommitPartitionResult__Output } from './tributary/v1/OffsetCommitPartitionResult.js';
import type { OffsetCommitRequest as _tributary_v1_OffsetCommitRequest, OffsetCommitRequest__Output as _tributary_v1_OffsetCommitRequest__Output } from './tributary/v1/OffsetCommitRequest.js';
import type { OffsetCommitResponse as _tributary_v1_OffsetCommitResponse, OffsetCommitResponse__Output as _tributary_v1_OffsetCommitResponse__Output } from './tributary/v1/OffsetCommitResponse.js';
import type { OffsetCommitTopic as _tributary_v1_OffsetCommitTopic, OffsetCommitTopic__Output as _tributary_v1_OffsetCommitTopic__Output } from './tributary/v1/OffsetCommitTopic.js';
import type { OffsetFetchRequest as _tributary_v1_OffsetFetchRequest, OffsetFetchRequest__Output as _tributary_v1_OffsetFetchRequest__Output } from './tributary/v1/OffsetFetchRequest.js';
import type { OffsetFetchResponse as _tributary_v1_OffsetFetchResponse, OffsetFetchResponse__Output as _tributary_v1_OffsetFetchResponse__Output } from './tributary/v1/OffsetFetchResponse.js';
import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from './tributary/v1/TopicPartitions.js';
import type { TransactionCoordinatorClient as _tributary_v1_TransactionCoordinatorClient, TransactionCoordinatorDefinition as _tributary_v1_TransactionCoordinatorDefinition } from './tributary/v1/TransactionCoordinator.js';
import type { TransactionDescription as _tributary_v1_TransactionDescription, TransactionDescription__Output as _tributary_v1_TransactionDescription__Output } from './tributary/v1/TransactionDescription.js';
import type { TransactionListing as _tributary_v1_TransactionListing, TransactionListing__Output as _tributary_v1_TransactionListing__Output } from './tributary/v1/TransactionListing.js';
import type { TransactionMarkersClient as _tributary_v1_TransactionMarkersClient, TransactionMarkersDefinition as _tributary_v1_TransactionMarkersDefinition } from './tributary/v1/TransactionMarkers.js';
import type { TxnMarker as _tributary_v1_TxnMarker, TxnMarker__Output as _tributary_v1_TxnMarker__Output } from './tributary/v1/TxnMarker.js';
import type { TxnMarkerResult as _tributary_v1_TxnMarkerResult, TxnMarkerResult__Output as _tributary_v1_TxnMarkerResult__Output } from './tributary/v1/TxnMarkerResult.js';
import type { TxnOffsetCommitPartition as _tributary_v1_TxnOffsetCommitPartition, TxnOffsetCommitPartition__Output as _tributary_v1_TxnOffsetCommitPartition__Output } from './tributary/v1/TxnOffsetCommitPartition.js';
import type { TxnOffsetCommitRequest as _tributary_v1_TxnOffsetCommitRequest, TxnOffsetCommitRequest__Output as _tributary_v1_TxnOffsetCommitRequest__Output } from './tributary/v1/TxnOffsetCommitRequest.js';
import type { TxnOffsetCommitResponse as _tributary_v1_TxnOffsetCommitResponse, TxnOffsetCommitResponse__Output as _tributary_v1_TxnOffsetCommitResponse__Output } from './tributary/v1/TxnOffsetCommitResponse.js';
import type { TxnOffsetCommitTopic as _tributary_v1_TxnOffsetCommitTopic, TxnOffsetCommitTopic__Output as _tributary_v1_TxnOffsetCommitTopic__Output } from './tributary/v1/TxnOffsetCommitTopic.js';
import type { TxnPartitionResult as _tributary_v1_TxnPartitionResult, TxnPartitionResult__Output as _tributary_v1_TxnPartitionResult__Output } from './tributary/v1/TxnPartitionResult.js';
import type { VerifyTxnPartitionsRequest as _tributary_v1_VerifyTxnPartitionsRequest, VerifyTxnPartitionsRequest__Output as _tributary_v1_VerifyTxnPartitionsRequest__Output } from './tributary/v1/VerifyTxnPartitionsRequest.js';
import type { VerifyTxnPartitionsResponse as _tributary_v1_VerifyTxnPartitionsResponse, VerifyTxnPartitionsResponse__Output as _tributary_v1_VerifyTxnPartitionsResponse__Output } from './tributary/v1/VerifyTxnPartitionsResponse.js';
import type { WriteTxnMarkersRequest as _tributary_v1_WriteTxnMarkersRequest, WriteTxnMarkersRequest__Output as _tributary_v1_WriteTxnMarkersRequest__Output } from './tributary/v1/WriteTxnMarkersRequest.js';
import type { WriteTxnMarkersResponse as _tributary_v1_WriteTxnMarkersResponse, WriteTxnMarkersResponse__Output as _tributary_v1_WriteTxnMarkersResponse__Output } from './tributary/v1/WriteTxnMarkersResponse.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      AddOffsetsToTxnRequest: MessageTypeDefinition<_tributary_v1_AddOffsetsToTxnRequest, _tributary_v1_AddOffsetsToTxnRequest__Output>
      AddOffsetsToTxnResponse: MessageTypeDefinition<_tributary_v1_AddOffsetsToTxnResponse, _tributary_v1_AddOffsetsToTxnResponse__Output>
      AddPartitionsToTxnRequest: MessageTypeDefinition<_tributary_v1_AddPartitionsToTxnRequest, _tributary_v1_AddPartitionsToTxnRequest__Output>
      AddPartitionsToTxnResponse: MessageTypeDefinition<_tributary_v1_AddPartitionsToTxnResponse, _tributary_v1_AddPartitionsToTxnResponse__Output>
      CommittedOffset: MessageTypeDefinition<_tributary_v1_CommittedOffset, _tributary_v1_CommittedOffset__Output>
      DeleteGroupOffsetsRequest: MessageTypeDefinition<_tributary_v1_DeleteGroupOffsetsRequest, _tributary_v1_DeleteGroupOffsetsRequest__Output>
      DeleteGroupOffsetsResponse: MessageTypeDefinition<_tributary_v1_DeleteGroupOffsetsResponse, _tributary_v1_DeleteGroupOffsetsResponse__Output>
      DescribeGroupRequest: MessageTypeDefinition<_tributary_v1_DescribeGroupRequest, _tributary_v1_DescribeGroupRequest__Output>
      DescribeGroupResponse: MessageTypeDefinition<_tributary_v1_DescribeGroupResponse, _tributary_v1_DescribeGroupResponse__Output>
      DescribeTransactionsRequest: MessageTypeDefinition<_tributary_v1_DescribeTransactionsRequest, _tributary_v1_DescribeTransactionsRequest__Output>
      DescribeTransactionsResponse: MessageTypeDefinition<_tributary_v1_DescribeTransactionsResponse, _tributary_v1_DescribeTransactionsResponse__Output>
      EndTxnRequest: MessageTypeDefinition<_tributary_v1_EndTxnRequest, _tributary_v1_EndTxnRequest__Output>
      EndTxnResponse: MessageTypeDefinition<_tributary_v1_EndTxnResponse, _tributary_v1_EndTxnResponse__Output>
      FindCoordinatorRequest: MessageTypeDefinition<_tributary_v1_FindCoordinatorRequest, _tributary_v1_FindCoordinatorRequest__Output>
      FindCoordinatorResponse: MessageTypeDefinition<_tributary_v1_FindCoordinatorResponse, _tributary_v1_FindCoordinatorResponse__Output>
      FindTransactionCoordinatorRequest: MessageTypeDefinition<_tributary_v1_FindTransactionCoordinatorRequest, _tributary_v1_FindTransactionCoordinatorRequest__Output>
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
      InitTransactionsRequest: MessageTypeDefinition<_tributary_v1_InitTransactionsRequest, _tributary_v1_InitTransactionsRequest__Output>
      InitTransactionsResponse: MessageTypeDefinition<_tributary_v1_InitTransactionsResponse, _tributary_v1_InitTransactionsResponse__Output>
      ListGroupsRequest: MessageTypeDefinition<_tributary_v1_ListGroupsRequest, _tributary_v1_ListGroupsRequest__Output>
      ListGroupsResponse: MessageTypeDefinition<_tributary_v1_ListGroupsResponse, _tributary_v1_ListGroupsResponse__Output>
      ListTransactionsRequest: MessageTypeDefinition<_tributary_v1_ListTransactionsRequest, _tributary_v1_ListTransactionsRequest__Output>
      ListTransactionsResponse: MessageTypeDefinition<_tributary_v1_ListTransactionsResponse, _tributary_v1_ListTransactionsResponse__Output>
      OffsetCommitPartition: MessageTypeDefinition<_tributary_v1_OffsetCommitPartition, _tributary_v1_OffsetCommitPartition__Output>
      OffsetCommitPartitionResult: MessageTypeDefinition<_tributary_v1_OffsetCommitPartitionResult, _tributary_v1_OffsetCommitPartitionResult__Output>
      OffsetCommitRequest: MessageTypeDefinition<_tributary_v1_OffsetCommitRequest, _tributary_v1_OffsetCommitRequest__Output>
      OffsetCommitResponse: MessageTypeDefinition<_tributary_v1_OffsetCommitResponse, _tributary_v1_OffsetCommitResponse__Output>
      OffsetCommitTopic: MessageTypeDefinition<_tributary_v1_OffsetCommitTopic, _tributary_v1_OffsetCommitTopic__Output>
      OffsetFetchRequest: MessageTypeDefinition<_tributary_v1_OffsetFetchRequest, _tributary_v1_OffsetFetchRequest__Output>
      OffsetFetchResponse: MessageTypeDefinition<_tributary_v1_OffsetFetchResponse, _tributary_v1_OffsetFetchResponse__Output>
      TopicPartitions: MessageTypeDefinition<_tributary_v1_TopicPartitions, _tributary_v1_TopicPartitions__Output>
      /**
       * Transactions (issue 14), Kafka's model (KIP-98, KIP-447, KIP-890 part 1) on gRPC. A transactional id is
       * coordinated by the broker leading partition `murmur2(transactional_id) % N` of the internal, compacted
       * topic `__transaction_state`; other brokers answer NOT_COORDINATOR. A producer:
       * 1. InitTransactions: gets a producer id and epoch for its transactional id. The epoch is bumped on every
       * call, so an older instance of the same id (a zombie) is fenced: its open transaction is aborted and
       * its later requests fail with PRODUCER_FENCED.
       * 2. AddPartitionsToTxn before its first write to a partition in a transaction (a partition leader refuses
       * a transactional write to a partition the coordinator has not added: INVALID_TXN_STATE), and
       * AddOffsetsToTxn before TxnOffsetCommit to a group's coordinator.
       * 3. Produces transactional batches (the batch's transactional attribute, its producer id and epoch) with
       * ProduceRequest.transactional_id set.
       * 4. EndTxn(commit or abort): the coordinator writes COMMIT or ABORT markers to every partition of the
       * transaction (WriteTxnMarkers); read_committed consumers see the data once the marker is written.
       * Errors are `error_code` strings from the shared table (packages/core ERROR_CODES; empty = success).
       */
      TransactionCoordinator: SubtypeConstructor<typeof grpc.Client, _tributary_v1_TransactionCoordinatorClient> & { service: _tributary_v1_TransactionCoordinatorDefinition }
      TransactionDescription: MessageTypeDefinition<_tributary_v1_TransactionDescription, _tributary_v1_TransactionDescription__Output>
      TransactionListing: MessageTypeDefinition<_tributary_v1_TransactionListing, _tributary_v1_TransactionListing__Output>
      /**
       * Broker to broker (ClusterAction).
       */
      TransactionMarkers: SubtypeConstructor<typeof grpc.Client, _tributary_v1_TransactionMarkersClient> & { service: _tributary_v1_TransactionMarkersDefinition }
      TxnMarker: MessageTypeDefinition<_tributary_v1_TxnMarker, _tributary_v1_TxnMarker__Output>
      TxnMarkerResult: MessageTypeDefinition<_tributary_v1_TxnMarkerResult, _tributary_v1_TxnMarkerResult__Output>
      TxnOffsetCommitPartition: MessageTypeDefinition<_tributary_v1_TxnOffsetCommitPartition, _tributary_v1_TxnOffsetCommitPartition__Output>
      TxnOffsetCommitRequest: MessageTypeDefinition<_tributary_v1_TxnOffsetCommitRequest, _tributary_v1_TxnOffsetCommitRequest__Output>
      TxnOffsetCommitResponse: MessageTypeDefinition<_tributary_v1_TxnOffsetCommitResponse, _tributary_v1_TxnOffsetCommitResponse__Output>
      TxnOffsetCommitTopic: MessageTypeDefinition<_tributary_v1_TxnOffsetCommitTopic, _tributary_v1_TxnOffsetCommitTopic__Output>
      TxnPartitionResult: MessageTypeDefinition<_tributary_v1_TxnPartitionResult, _tributary_v1_TxnPartitionResult__Output>
      VerifyTxnPartitionsRequest: MessageTypeDefinition<_tributary_v1_VerifyTxnPartitionsRequest, _tributary_v1_VerifyTxnPartitionsRequest__Output>
      VerifyTxnPartitionsResponse: MessageTypeDefinition<_tributary_v1_VerifyTxnPartitionsResponse, _tributary_v1_VerifyTxnPartitionsResponse__Output>
      WriteTxnMarkersRequest: MessageTypeDefinition<_tributary_v1_WriteTxnMarkersRequest, _tributary_v1_WriteTxnMarkersRequest__Output>
      WriteTxnMarkersResponse: MessageTypeDefinition<_tributary_v1_WriteTxnMarkersResponse, _tributary_v1_WriteTxnMarkersResponse__Output>
    }
  }
}

