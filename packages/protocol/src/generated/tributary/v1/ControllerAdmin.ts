// Original file: protos/tributary/v1/controller.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AlterTopicConfigsRequest as _tributary_v1_AlterTopicConfigsRequest, AlterTopicConfigsRequest__Output as _tributary_v1_AlterTopicConfigsRequest__Output } from '../../tributary/v1/AlterTopicConfigsRequest.js';
import type { AlterTopicConfigsResponse as _tributary_v1_AlterTopicConfigsResponse, AlterTopicConfigsResponse__Output as _tributary_v1_AlterTopicConfigsResponse__Output } from '../../tributary/v1/AlterTopicConfigsResponse.js';
import type { CreatePartitionsRequest as _tributary_v1_CreatePartitionsRequest, CreatePartitionsRequest__Output as _tributary_v1_CreatePartitionsRequest__Output } from '../../tributary/v1/CreatePartitionsRequest.js';
import type { CreatePartitionsResponse as _tributary_v1_CreatePartitionsResponse, CreatePartitionsResponse__Output as _tributary_v1_CreatePartitionsResponse__Output } from '../../tributary/v1/CreatePartitionsResponse.js';
import type { CreateTopicRequest as _tributary_v1_CreateTopicRequest, CreateTopicRequest__Output as _tributary_v1_CreateTopicRequest__Output } from '../../tributary/v1/CreateTopicRequest.js';
import type { CreateTopicResponse as _tributary_v1_CreateTopicResponse, CreateTopicResponse__Output as _tributary_v1_CreateTopicResponse__Output } from '../../tributary/v1/CreateTopicResponse.js';
import type { DeleteTopicRequest as _tributary_v1_DeleteTopicRequest, DeleteTopicRequest__Output as _tributary_v1_DeleteTopicRequest__Output } from '../../tributary/v1/DeleteTopicRequest.js';
import type { DeleteTopicResponse as _tributary_v1_DeleteTopicResponse, DeleteTopicResponse__Output as _tributary_v1_DeleteTopicResponse__Output } from '../../tributary/v1/DeleteTopicResponse.js';
import type { DescribeClusterRequest as _tributary_v1_DescribeClusterRequest, DescribeClusterRequest__Output as _tributary_v1_DescribeClusterRequest__Output } from '../../tributary/v1/DescribeClusterRequest.js';
import type { DescribeClusterResponse as _tributary_v1_DescribeClusterResponse, DescribeClusterResponse__Output as _tributary_v1_DescribeClusterResponse__Output } from '../../tributary/v1/DescribeClusterResponse.js';
import type { DescribeQuorumRequest as _tributary_v1_DescribeQuorumRequest, DescribeQuorumRequest__Output as _tributary_v1_DescribeQuorumRequest__Output } from '../../tributary/v1/DescribeQuorumRequest.js';
import type { DescribeQuorumResponse as _tributary_v1_DescribeQuorumResponse, DescribeQuorumResponse__Output as _tributary_v1_DescribeQuorumResponse__Output } from '../../tributary/v1/DescribeQuorumResponse.js';
import type { DescribeTopicsRequest as _tributary_v1_DescribeTopicsRequest, DescribeTopicsRequest__Output as _tributary_v1_DescribeTopicsRequest__Output } from '../../tributary/v1/DescribeTopicsRequest.js';
import type { DescribeTopicsResponse as _tributary_v1_DescribeTopicsResponse, DescribeTopicsResponse__Output as _tributary_v1_DescribeTopicsResponse__Output } from '../../tributary/v1/DescribeTopicsResponse.js';
import type { ListTopicsRequest as _tributary_v1_ListTopicsRequest, ListTopicsRequest__Output as _tributary_v1_ListTopicsRequest__Output } from '../../tributary/v1/ListTopicsRequest.js';
import type { ListTopicsResponse as _tributary_v1_ListTopicsResponse, ListTopicsResponse__Output as _tributary_v1_ListTopicsResponse__Output } from '../../tributary/v1/ListTopicsResponse.js';

/**
 * Admin requests served by the active controller. A standby answers NOT_CONTROLLER with the
 * leader's address in the trailers; clients follow it.
 */
export interface ControllerAdminClient extends grpc.Client {
  /**
   * Sets and removes topic configs (Kafka's IncrementalAlterConfigs for topics). The whole resulting
   * config is validated as CreateTopic validates it; brokers apply it from the metadata log.
   */
  AlterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  AlterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  AlterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  AlterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Sets and removes topic configs (Kafka's IncrementalAlterConfigs for topics). The whole resulting
   * config is validated as CreateTopic validates it; brokers apply it from the metadata log.
   */
  alterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  alterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  alterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  alterTopicConfigs(argument: _tributary_v1_AlterTopicConfigsRequest, callback: grpc.requestCallback<_tributary_v1_AlterTopicConfigsResponse__Output>): grpc.ClientUnaryCall;
  
  CreatePartitions(argument: _tributary_v1_CreatePartitionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  CreatePartitions(argument: _tributary_v1_CreatePartitionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  CreatePartitions(argument: _tributary_v1_CreatePartitionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  CreatePartitions(argument: _tributary_v1_CreatePartitionsRequest, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  createPartitions(argument: _tributary_v1_CreatePartitionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  createPartitions(argument: _tributary_v1_CreatePartitionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  createPartitions(argument: _tributary_v1_CreatePartitionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  createPartitions(argument: _tributary_v1_CreatePartitionsRequest, callback: grpc.requestCallback<_tributary_v1_CreatePartitionsResponse__Output>): grpc.ClientUnaryCall;
  
  CreateTopic(argument: _tributary_v1_CreateTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  CreateTopic(argument: _tributary_v1_CreateTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  CreateTopic(argument: _tributary_v1_CreateTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  CreateTopic(argument: _tributary_v1_CreateTopicRequest, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _tributary_v1_CreateTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _tributary_v1_CreateTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _tributary_v1_CreateTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  createTopic(argument: _tributary_v1_CreateTopicRequest, callback: grpc.requestCallback<_tributary_v1_CreateTopicResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  
  DescribeCluster(argument: _tributary_v1_DescribeClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  DescribeCluster(argument: _tributary_v1_DescribeClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  DescribeCluster(argument: _tributary_v1_DescribeClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  DescribeCluster(argument: _tributary_v1_DescribeClusterRequest, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  describeCluster(argument: _tributary_v1_DescribeClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  describeCluster(argument: _tributary_v1_DescribeClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  describeCluster(argument: _tributary_v1_DescribeClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  describeCluster(argument: _tributary_v1_DescribeClusterRequest, callback: grpc.requestCallback<_tributary_v1_DescribeClusterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Answered by any controller from its own view; the leader's answer has every voter's progress.
   */
  DescribeQuorum(argument: _tributary_v1_DescribeQuorumRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  DescribeQuorum(argument: _tributary_v1_DescribeQuorumRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  DescribeQuorum(argument: _tributary_v1_DescribeQuorumRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  DescribeQuorum(argument: _tributary_v1_DescribeQuorumRequest, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Answered by any controller from its own view; the leader's answer has every voter's progress.
   */
  describeQuorum(argument: _tributary_v1_DescribeQuorumRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  describeQuorum(argument: _tributary_v1_DescribeQuorumRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  describeQuorum(argument: _tributary_v1_DescribeQuorumRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  describeQuorum(argument: _tributary_v1_DescribeQuorumRequest, callback: grpc.requestCallback<_tributary_v1_DescribeQuorumResponse__Output>): grpc.ClientUnaryCall;
  
  DescribeTopics(argument: _tributary_v1_DescribeTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  DescribeTopics(argument: _tributary_v1_DescribeTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  DescribeTopics(argument: _tributary_v1_DescribeTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  DescribeTopics(argument: _tributary_v1_DescribeTopicsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  describeTopics(argument: _tributary_v1_DescribeTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  describeTopics(argument: _tributary_v1_DescribeTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  describeTopics(argument: _tributary_v1_DescribeTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  describeTopics(argument: _tributary_v1_DescribeTopicsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeTopicsResponse__Output>): grpc.ClientUnaryCall;
  
  ListTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _tributary_v1_ListTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _tributary_v1_ListTopicsRequest, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Admin requests served by the active controller. A standby answers NOT_CONTROLLER with the
 * leader's address in the trailers; clients follow it.
 */
export interface ControllerAdminHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Sets and removes topic configs (Kafka's IncrementalAlterConfigs for topics). The whole resulting
   * config is validated as CreateTopic validates it; brokers apply it from the metadata log.
   */
  AlterTopicConfigs: grpc.handleUnaryCall<_tributary_v1_AlterTopicConfigsRequest__Output, _tributary_v1_AlterTopicConfigsResponse>;
  
  CreatePartitions: grpc.handleUnaryCall<_tributary_v1_CreatePartitionsRequest__Output, _tributary_v1_CreatePartitionsResponse>;
  
  CreateTopic: grpc.handleUnaryCall<_tributary_v1_CreateTopicRequest__Output, _tributary_v1_CreateTopicResponse>;
  
  DeleteTopic: grpc.handleUnaryCall<_tributary_v1_DeleteTopicRequest__Output, _tributary_v1_DeleteTopicResponse>;
  
  DescribeCluster: grpc.handleUnaryCall<_tributary_v1_DescribeClusterRequest__Output, _tributary_v1_DescribeClusterResponse>;
  
  /**
   * Answered by any controller from its own view; the leader's answer has every voter's progress.
   */
  DescribeQuorum: grpc.handleUnaryCall<_tributary_v1_DescribeQuorumRequest__Output, _tributary_v1_DescribeQuorumResponse>;
  
  DescribeTopics: grpc.handleUnaryCall<_tributary_v1_DescribeTopicsRequest__Output, _tributary_v1_DescribeTopicsResponse>;
  
  ListTopics: grpc.handleUnaryCall<_tributary_v1_ListTopicsRequest__Output, _tributary_v1_ListTopicsResponse>;
  
}

export interface ControllerAdminDefinition extends grpc.ServiceDefinition {
  AlterTopicConfigs: MethodDefinition<_tributary_v1_AlterTopicConfigsRequest, _tributary_v1_AlterTopicConfigsResponse, _tributary_v1_AlterTopicConfigsRequest__Output, _tributary_v1_AlterTopicConfigsResponse__Output>
  CreatePartitions: MethodDefinition<_tributary_v1_CreatePartitionsRequest, _tributary_v1_CreatePartitionsResponse, _tributary_v1_CreatePartitionsRequest__Output, _tributary_v1_CreatePartitionsResponse__Output>
  CreateTopic: MethodDefinition<_tributary_v1_CreateTopicRequest, _tributary_v1_CreateTopicResponse, _tributary_v1_CreateTopicRequest__Output, _tributary_v1_CreateTopicResponse__Output>
  DeleteTopic: MethodDefinition<_tributary_v1_DeleteTopicRequest, _tributary_v1_DeleteTopicResponse, _tributary_v1_DeleteTopicRequest__Output, _tributary_v1_DeleteTopicResponse__Output>
  DescribeCluster: MethodDefinition<_tributary_v1_DescribeClusterRequest, _tributary_v1_DescribeClusterResponse, _tributary_v1_DescribeClusterRequest__Output, _tributary_v1_DescribeClusterResponse__Output>
  DescribeQuorum: MethodDefinition<_tributary_v1_DescribeQuorumRequest, _tributary_v1_DescribeQuorumResponse, _tributary_v1_DescribeQuorumRequest__Output, _tributary_v1_DescribeQuorumResponse__Output>
  DescribeTopics: MethodDefinition<_tributary_v1_DescribeTopicsRequest, _tributary_v1_DescribeTopicsResponse, _tributary_v1_DescribeTopicsRequest__Output, _tributary_v1_DescribeTopicsResponse__Output>
  ListTopics: MethodDefinition<_tributary_v1_ListTopicsRequest, _tributary_v1_ListTopicsResponse, _tributary_v1_ListTopicsRequest__Output, _tributary_v1_ListTopicsResponse__Output>
}
