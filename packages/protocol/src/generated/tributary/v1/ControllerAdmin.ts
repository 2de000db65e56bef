// Original file: protos/tributary/v1/controller.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddVoterRequest as _tributary_v1_AddVoterRequest, AddVoterRequest__Output as _tributary_v1_AddVoterRequest__Output } from '../../tributary/v1/AddVoterRequest.js';
import type { AddVoterResponse as _tributary_v1_AddVoterResponse, AddVoterResponse__Output as _tributary_v1_AddVoterResponse__Output } from '../../tributary/v1/AddVoterResponse.js';
import type { AlterClientQuotasRequest as _tributary_v1_AlterClientQuotasRequest, AlterClientQuotasRequest__Output as _tributary_v1_AlterClientQuotasRequest__Output } from '../../tributary/v1/AlterClientQuotasRequest.js';
import type { AlterClientQuotasResponse as _tributary_v1_AlterClientQuotasResponse, AlterClientQuotasResponse__Output as _tributary_v1_AlterClientQuotasResponse__Output } from '../../tributary/v1/AlterClientQuotasResponse.js';
import type { AlterPartitionReassignmentsRequest as _tributary_v1_AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsRequest__Output as _tributary_v1_AlterPartitionReassignmentsRequest__Output } from '../../tributary/v1/AlterPartitionReassignmentsRequest.js';
import type { AlterPartitionReassignmentsResponse as _tributary_v1_AlterPartitionReassignmentsResponse, AlterPartitionReassignmentsResponse__Output as _tributary_v1_AlterPartitionReassignmentsResponse__Output } from '../../tributary/v1/AlterPartitionReassignmentsResponse.js';
import type { AlterTopicConfigsRequest as _tributary_v1_AlterTopicConfigsRequest, AlterTopicConfigsRequest__Output as _tributary_v1_AlterTopicConfigsRequest__Output } from '../../tributary/v1/AlterTopicConfigsRequest.js';
import type { AlterTopicConfigsResponse as _tributary_v1_AlterTopicConfigsResponse, AlterTopicConfigsResponse__Output as _tributary_v1_AlterTopicConfigsResponse__Output } from '../../tributary/v1/AlterTopicConfigsResponse.js';
import type { AlterUserScramCredentialsRequest as _tributary_v1_AlterUserScramCredentialsRequest, AlterUserScramCredentialsRequest__Output as _tributary_v1_AlterUserScramCredentialsRequest__Output } from '../../tributary/v1/AlterUserScramCredentialsRequest.js';
import type { AlterUserScramCredentialsResponse as _tributary_v1_AlterUserScramCredentialsResponse, AlterUserScramCredentialsResponse__Output as _tributary_v1_AlterUserScramCredentialsResponse__Output } from '../../tributary/v1/AlterUserScramCredentialsResponse.js';
import type { CreateAclsRequest as _tributary_v1_CreateAclsRequest, CreateAclsRequest__Output as _tributary_v1_CreateAclsRequest__Output } from '../../tributary/v1/CreateAclsRequest.js';
import type { CreateAclsResponse as _tributary_v1_CreateAclsResponse, CreateAclsResponse__Output as _tributary_v1_CreateAclsResponse__Output } from '../../tributary/v1/CreateAclsResponse.js';
import type { CreatePartitionsRequest as _tributary_v1_CreatePartitionsRequest, CreatePartitionsRequest__Output as _tributary_v1_CreatePartitionsRequest__Output } from '../../tributary/v1/CreatePartitionsRequest.js';
import type { CreatePartitionsResponse as _tributary_v1_CreatePartitionsResponse, CreatePartitionsResponse__Output as _tributary_v1_CreatePartitionsResponse__Output } from '../../tributary/v1/CreatePartitionsResponse.js';
import type { CreateTopicRequest as _tributary_v1_CreateTopicRequest, CreateTopicRequest__Output as _tributary_v1_CreateTopicRequest__Output } from '../../tributary/v1/CreateTopicRequest.js';
import type { CreateTopicResponse as _tributary_v1_CreateTopicResponse, CreateTopicResponse__Output as _tributary_v1_CreateTopicResponse__Output } from '../../tributary/v1/CreateTopicResponse.js';
import type { DecommissionBrokerRequest as _tributary_v1_DecommissionBrokerRequest, DecommissionBrokerRequest__Output as _tributary_v1_DecommissionBrokerRequest__Output } from '../../tributary/v1/DecommissionBrokerRequest.js';
import type { DecommissionBrokerResponse as _tributary_v1_DecommissionBrokerResponse, DecommissionBrokerResponse__Output as _tributary_v1_DecommissionBrokerResponse__Output } from '../../tributary/v1/DecommissionBrokerResponse.js';
import type { DeleteAclsRequest as _tributary_v1_DeleteAclsRequest, DeleteAclsRequest__Output as _tributary_v1_DeleteAclsRequest__Output } from '../../tributary/v1/DeleteAclsRequest.js';
import type { DeleteAclsResponse as _tributary_v1_DeleteAclsResponse, DeleteAclsResponse__Output as _tributary_v1_DeleteAclsResponse__Output } from '../../tributary/v1/DeleteAclsResponse.js';
import type { DeleteTopicRequest as _tributary_v1_DeleteTopicRequest, DeleteTopicRequest__Output as _tributary_v1_DeleteTopicRequest__Output } from '../../tributary/v1/DeleteTopicRequest.js';
import type { DeleteTopicResponse as _tributary_v1_DeleteTopicResponse, DeleteTopicResponse__Output as _tributary_v1_DeleteTopicResponse__Output } from '../../tributary/v1/DeleteTopicResponse.js';
import type { DescribeAclsRequest as _tributary_v1_DescribeAclsRequest, DescribeAclsRequest__Output as _tributary_v1_DescribeAclsRequest__Output } from '../../tributary/v1/DescribeAclsRequest.js';
import type { DescribeAclsResponse as _tributary_v1_DescribeAclsResponse, DescribeAclsResponse__Output as _tributary_v1_DescribeAclsResponse__Output } from '../../tributary/v1/DescribeAclsResponse.js';
import type { DescribeClientQuotasRequest as _tributary_v1_DescribeClientQuotasRequest, DescribeClientQuotasRequest__Output as _tributary_v1_DescribeClientQuotasRequest__Output } from '../../tributary/v1/DescribeClientQuotasRequest.js';
import type { DescribeClientQuotasResponse as _tributary_v1_DescribeClientQuotasResponse, DescribeClientQuotasResponse__Output as _tributary_v1_DescribeClientQuotasResponse__Output } from '../../tributary/v1/DescribeClientQuotasResponse.js';
import type { DescribeClusterRequest as _tributary_v1_DescribeClusterRequest, DescribeClusterRequest__Output as _tributary_v1_DescribeClusterRequest__Output } from '../../tributary/v1/DescribeClusterRequest.js';
import type { DescribeClusterResponse as _tributary_v1_DescribeClusterResponse, DescribeClusterResponse__Output as _tributary_v1_DescribeClusterResponse__Output } from '../../tributary/v1/DescribeClusterResponse.js';
import type { DescribeQuorumRequest as _tributary_v1_DescribeQuorumRequest, DescribeQuorumRequest__Output as _tributary_v1_DescribeQuorumRequest__Output } from '../../tributary/v1/DescribeQuorumRequest.js';
import type { DescribeQuorumResponse as _tributary_v1_DescribeQuorumResponse, DescribeQuorumResponse__Output as _tributary_v1_DescribeQuorumResponse__Output } from '../../tributary/v1/DescribeQuorumResponse.js';
import type { DescribeTopicsRequest as _tributary_v1_DescribeTopicsRequest, DescribeTopicsRequest__Output as _tributary_v1_DescribeTopicsRequest__Output } from '../../tributary/v1/DescribeTopicsRequest.js';
import type { DescribeTopicsResponse as _tributary_v1_DescribeTopicsResponse, DescribeTopicsResponse__Output as _tributary_v1_DescribeTopicsResponse__Output } from '../../tributary/v1/DescribeTopicsResponse.js';
import type { DescribeUserScramCredentialsRequest as _tributary_v1_DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsRequest__Output as _tributary_v1_DescribeUserScramCredentialsRequest__Output } from '../../tributary/v1/DescribeUserScramCredentialsRequest.js';
import type { DescribeUserScramCredentialsResponse as _tributary_v1_DescribeUserScramCredentialsResponse, DescribeUserScramCredentialsResponse__Output as _tributary_v1_DescribeUserScramCredentialsResponse__Output } from '../../tributary/v1/DescribeUserScramCredentialsResponse.js';
import type { ElectLeadersRequest as _tributary_v1_ElectLeadersRequest, ElectLeadersRequest__Output as _tributary_v1_ElectLeadersRequest__Output } from '../../tributary/v1/ElectLeadersRequest.js';
import type { ElectLeadersResponse as _tributary_v1_ElectLeadersResponse, ElectLeadersResponse__Output as _tributary_v1_ElectLeadersResponse__Output } from '../../tributary/v1/ElectLeadersResponse.js';
import type { ListPartitionReassignmentsRequest as _tributary_v1_ListPartitionReassignmentsRequest, ListPartitionReassignmentsRequest__Output as _tributary_v1_ListPartitionReassignmentsRequest__Output } from '../../tributary/v1/ListPartitionReassignmentsRequest.js';
import type { ListPartitionReassignmentsResponse as _tributary_v1_ListPartitionReassignmentsResponse, ListPartitionReassignmentsResponse__Output as _tributary_v1_ListPartitionReassignmentsResponse__Output } from '../../tributary/v1/ListPartitionReassignmentsResponse.js';
import type { ListTopicsRequest as _tributary_v1_ListTopicsRequest, ListTopicsRequest__Output as _tributary_v1_ListTopicsRequest__Output } from '../../tributary/v1/ListTopicsRequest.js';
import type { ListTopicsResponse as _tributary_v1_ListTopicsResponse, ListTopicsResponse__Output as _tributary_v1_ListTopicsResponse__Output } from '../../tributary/v1/ListTopicsResponse.js';
import type { RemoveVoterRequest as _tributary_v1_RemoveVoterRequest, RemoveVoterRequest__Output as _tributary_v1_RemoveVoterRequest__Output } from '../../tributary/v1/RemoveVoterRequest.js';
import type { RemoveVoterResponse as _tributary_v1_RemoveVoterResponse, RemoveVoterResponse__Output as _tributary_v1_RemoveVoterResponse__Output } from '../../tributary/v1/RemoveVoterResponse.js';

/**
 * Admin requests served by the active controller. A standby answers NOT_CONTROLLER with the
 * leader's address in the trailers; clients follow it.
 */
export interface ControllerAdminClient extends grpc.Client {
  /**
   * Controller quorum membership, one change at a time (docs/decisions.md): AddVoter first replicates the
   * log to the new node as an observer and promotes it once caught up; RemoveVoter drops a voter (the
   * active controller steps down once its own removal commits). Both answer once the change is committed.
   */
  AddVoter(argument: _tributary_v1_AddVoterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  AddVoter(argument: _tributary_v1_AddVoterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  AddVoter(argument: _tributary_v1_AddVoterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  AddVoter(argument: _tributary_v1_AddVoterRequest, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Controller quorum membership, one change at a time (docs/decisions.md): AddVoter first replicates the
   * log to the new node as an observer and promotes it once caught up; RemoveVoter drops a voter (the
   * active controller steps down once its own removal commits). Both answer once the change is committed.
   */
  addVoter(argument: _tributary_v1_AddVoterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  addVoter(argument: _tributary_v1_AddVoterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  addVoter(argument: _tributary_v1_AddVoterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  addVoter(argument: _tributary_v1_AddVoterRequest, callback: grpc.requestCallback<_tributary_v1_AddVoterResponse__Output>): grpc.ClientUnaryCall;
  
  AlterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  AlterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  AlterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  AlterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  alterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  alterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  alterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  alterClientQuotas(argument: _tributary_v1_AlterClientQuotasRequest, callback: grpc.requestCallback<_tributary_v1_AlterClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Partition reassignment (KIP-455): starts or cancels moves of partitions to target replica lists. The
   * target replicas are added and catch up as followers; once all are in the ISR, leadership moves to the
   * target's first replica if needed and the old replicas are removed (their brokers delete the data).
   * Answers once the records starting (or cancelling) each move are committed, not when moves finish.
   */
  AlterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  AlterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  AlterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  AlterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Partition reassignment (KIP-455): starts or cancels moves of partitions to target replica lists. The
   * target replicas are added and catch up as followers; once all are in the ISR, leadership moves to the
   * target's first replica if needed and the old replicas are removed (their brokers delete the data).
   * Answers once the records starting (or cancelling) each move are committed, not when moves finish.
   */
  alterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  alterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  alterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  alterPartitionReassignments(argument: _tributary_v1_AlterPartitionReassignmentsRequest, callback: grpc.requestCallback<_tributary_v1_AlterPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  /**
   * The client salts and hashes (the password never leaves it); the controller stores StoredKey and
   * ServerKey derived from the salted password, never the salted password itself.
   */
  AlterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  AlterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  AlterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  AlterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The client salts and hashes (the password never leaves it); the controller stores StoredKey and
   * ServerKey derived from the salted password, never the salted password itself.
   */
  alterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  alterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  alterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  alterUserScramCredentials(argument: _tributary_v1_AlterUserScramCredentialsRequest, callback: grpc.requestCallback<_tributary_v1_AlterUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Security metadata (DESIGN §10), as Kafka's admin APIs of the same names: ACLs, SCRAM users and client
   * quotas are metadata records, so every broker and controller enforces them once it has replayed them.
   * Changes answer once committed, each item with its own error_code (empty on success).
   */
  CreateAcls(argument: _tributary_v1_CreateAclsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  CreateAcls(argument: _tributary_v1_CreateAclsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  CreateAcls(argument: _tributary_v1_CreateAclsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  CreateAcls(argument: _tributary_v1_CreateAclsRequest, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Security metadata (DESIGN §10), as Kafka's admin APIs of the same names: ACLs, SCRAM users and client
   * quotas are metadata records, so every broker and controller enforces them once it has replayed them.
   * Changes answer once committed, each item with its own error_code (empty on success).
   */
  createAcls(argument: _tributary_v1_CreateAclsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  createAcls(argument: _tributary_v1_CreateAclsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  createAcls(argument: _tributary_v1_CreateAclsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  createAcls(argument: _tributary_v1_CreateAclsRequest, callback: grpc.requestCallback<_tributary_v1_CreateAclsResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  /**
   * Drains a broker: no new replicas are placed on it and each of its replicas is reassigned elsewhere.
   */
  DecommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  DecommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  DecommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  DecommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Drains a broker: no new replicas are placed on it and each of its replicas is reassigned elsewhere.
   */
  decommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  decommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  decommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  decommissionBroker(argument: _tributary_v1_DecommissionBrokerRequest, callback: grpc.requestCallback<_tributary_v1_DecommissionBrokerResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteAcls(argument: _tributary_v1_DeleteAclsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  DeleteAcls(argument: _tributary_v1_DeleteAclsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  DeleteAcls(argument: _tributary_v1_DeleteAclsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  DeleteAcls(argument: _tributary_v1_DeleteAclsRequest, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  deleteAcls(argument: _tributary_v1_DeleteAclsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  deleteAcls(argument: _tributary_v1_DeleteAclsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  deleteAcls(argument: _tributary_v1_DeleteAclsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  deleteAcls(argument: _tributary_v1_DeleteAclsRequest, callback: grpc.requestCallback<_tributary_v1_DeleteAclsResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _tributary_v1_DeleteTopicRequest, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _tributary_v1_DeleteTopicRequest, callback: grpc.requestCallback<_tributary_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  
  DescribeAcls(argument: _tributary_v1_DescribeAclsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  DescribeAcls(argument: _tributary_v1_DescribeAclsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  DescribeAcls(argument: _tributary_v1_DescribeAclsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  DescribeAcls(argument: _tributary_v1_DescribeAclsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  describeAcls(argument: _tributary_v1_DescribeAclsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  describeAcls(argument: _tributary_v1_DescribeAclsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  describeAcls(argument: _tributary_v1_DescribeAclsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  describeAcls(argument: _tributary_v1_DescribeAclsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeAclsResponse__Output>): grpc.ClientUnaryCall;
  
  DescribeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  DescribeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  DescribeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  DescribeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  describeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  describeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  describeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  describeClientQuotas(argument: _tributary_v1_DescribeClientQuotasRequest, callback: grpc.requestCallback<_tributary_v1_DescribeClientQuotasResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  DescribeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  DescribeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  DescribeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  DescribeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  describeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  describeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  describeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  describeUserScramCredentials(argument: _tributary_v1_DescribeUserScramCredentialsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeUserScramCredentialsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Preferred leader election: leadership back to each partition's first replica where it is in the ISR.
   */
  ElectLeaders(argument: _tributary_v1_ElectLeadersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  ElectLeaders(argument: _tributary_v1_ElectLeadersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  ElectLeaders(argument: _tributary_v1_ElectLeadersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  ElectLeaders(argument: _tributary_v1_ElectLeadersRequest, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Preferred leader election: leadership back to each partition's first replica where it is in the ISR.
   */
  electLeaders(argument: _tributary_v1_ElectLeadersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  electLeaders(argument: _tributary_v1_ElectLeadersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  electLeaders(argument: _tributary_v1_ElectLeadersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  electLeaders(argument: _tributary_v1_ElectLeadersRequest, callback: grpc.requestCallback<_tributary_v1_ElectLeadersResponse__Output>): grpc.ClientUnaryCall;
  
  ListPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  ListPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  ListPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  ListPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  listPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  listPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  listPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  listPartitionReassignments(argument: _tributary_v1_ListPartitionReassignmentsRequest, callback: grpc.requestCallback<_tributary_v1_ListPartitionReassignmentsResponse__Output>): grpc.ClientUnaryCall;
  
  ListTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _tributary_v1_ListTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  ListTopics(argument: _tributary_v1_ListTopicsRequest, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  listTopics(argument: _tributary_v1_ListTopicsRequest, callback: grpc.requestCallback<_tributary_v1_ListTopicsResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveVoter(argument: _tributary_v1_RemoveVoterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  RemoveVoter(argument: _tributary_v1_RemoveVoterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  RemoveVoter(argument: _tributary_v1_RemoveVoterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  RemoveVoter(argument: _tributary_v1_RemoveVoterRequest, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  removeVoter(argument: _tributary_v1_RemoveVoterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  removeVoter(argument: _tributary_v1_RemoveVoterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  removeVoter(argument: _tributary_v1_RemoveVoterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  removeVoter(argument: _tributary_v1_RemoveVoterRequest, callback: grpc.requestCallback<_tributary_v1_RemoveVoterResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Admin requests served by the active controller. A standby answers NOT_CONTROLLER with the
 * leader's address in the trailers; clients follow it.
 */
export interface ControllerAdminHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Controller quorum membership, one change at a time (docs/decisions.md): AddVoter first replicates the
   * log to the new node as an observer and promotes it once caught up; RemoveVoter drops a voter (the
   * active controller steps down once its own removal commits). Both answer once the change is committed.
   */
  AddVoter: grpc.handleUnaryCall<_tributary_v1_AddVoterRequest__Output, _tributary_v1_AddVoterResponse>;
  
  AlterClientQuotas: grpc.handleUnaryCall<_tributary_v1_AlterClientQuotasRequest__Output, _tributary_v1_AlterClientQuotasResponse>;
  
  /**
   * Partition reassignment (KIP-455): starts or cancels moves of partitions to target replica lists. The
   * target replicas are added and catch up as followers; once all are in the ISR, leadership moves to the
   * target's first replica if needed and the old replicas are removed (their brokers delete the data).
   * Answers once the records starting (or cancelling) each move are committed, not when moves finish.
   */
  AlterPartitionReassignments: grpc.handleUnaryCall<_tributary_v1_AlterPartitionReassignmentsRequest__Output, _tributary_v1_AlterPartitionReassignmentsResponse>;
  
  /**
   * Sets and removes topic configs (Kafka's IncrementalAlterConfigs for topics). The whole resulting
   * config is validated as CreateTopic validates it; brokers apply it from the metadata log.
   */
  AlterTopicConfigs: grpc.handleUnaryCall<_tributary_v1_AlterTopicConfigsRequest__Output, _tributary_v1_AlterTopicConfigsResponse>;
  
  /**
   * The client salts and hashes (the password never leaves it); the controller stores StoredKey and
   * ServerKey derived from the salted password, never the salted password itself.
   */
  AlterUserScramCredentials: grpc.handleUnaryCall<_tributary_v1_AlterUserScramCredentialsRequest__Output, _tributary_v1_AlterUserScramCredentialsResponse>;
  
  /**
   * Security metadata (DESIGN §10), as Kafka's admin APIs of the same names: ACLs, SCRAM users and client
   * quotas are metadata records, so every broker and controller enforces them once it has replayed them.
   * Changes answer once committed, each item with its own error_code (empty on success).
   */
  CreateAcls: grpc.handleUnaryCall<_tributary_v1_CreateAclsRequest__Output, _tributary_v1_CreateAclsResponse>;
  
  CreatePartitions: grpc.handleUnaryCall<_tributary_v1_CreatePartitionsRequest__Output, _tributary_v1_CreatePartitionsResponse>;
  
  CreateTopic: grpc.handleUnaryCall<_tributary_v1_CreateTopicRequest__Output, _tributary_v1_CreateTopicResponse>;
  
  /**
   * Drains a broker: no new replicas are placed on it and each of its replicas is reassigned elsewhere.
   */
  DecommissionBroker: grpc.handleUnaryCall<_tributary_v1_DecommissionBrokerRequest__Output, _tributary_v1_DecommissionBrokerResponse>;
  
  DeleteAcls: grpc.handleUnaryCall<_tributary_v1_DeleteAclsRequest__Output, _tributary_v1_DeleteAclsResponse>;
  
  DeleteTopic: grpc.handleUnaryCall<_tributary_v1_DeleteTopicRequest__Output, _tributary_v1_DeleteTopicResponse>;
  
  DescribeAcls: grpc.handleUnaryCall<_tributary_v1_DescribeAclsRequest__Output, _tributary_v1_DescribeAclsResponse>;
  
  DescribeClientQuotas: grpc.handleUnaryCall<_tributary_v1_DescribeClientQuotasRequest__Output, _tributary_v1_DescribeClientQuotasResponse>;
  
  DescribeCluster: grpc.handleUnaryCall<_tributary_v1_DescribeClusterRequest__Output, _tributary_v1_DescribeClusterResponse>;
  
  /**
   * Answered by any controller from its own view; the leader's answer has every voter's progress.
   */
  DescribeQuorum: grpc.handleUnaryCall<_tributary_v1_DescribeQuorumRequest__Output, _tributary_v1_DescribeQuorumResponse>;
  
  DescribeTopics: grpc.handleUnaryCall<_tributary_v1_DescribeTopicsRequest__Output, _tributary_v1_DescribeTopicsResponse>;
  
  DescribeUserScramCredentials: grpc.handleUnaryCall<_tributary_v1_DescribeUserScramCredentialsRequest__Output, _tributary_v1_DescribeUserScramCredentialsResponse>;
  
  /**
   * Preferred leader election: leadership back to each partition's first replica where it is in the ISR.
   */
  ElectLeaders: grpc.handleUnaryCall<_tributary_v1_ElectLeadersRequest__Output, _tributary_v1_ElectLeadersResponse>;
  
  ListPartitionReassignments: grpc.handleUnaryCall<_tributary_v1_ListPartitionReassignmentsRequest__Output, _tributary_v1_ListPartitionReassignmentsResponse>;
  
  ListTopics: grpc.handleUnaryCall<_tributary_v1_ListTopicsRequest__Output, _tributary_v1_ListTopicsResponse>;
  
  RemoveVoter: grpc.handleUnaryCall<_tributary_v1_RemoveVoterRequest__Output, _tributary_v1_RemoveVoterResponse>;
  
}

export interface ControllerAdminDefinition extends grpc.ServiceDefinition {
  AddVoter: MethodDefinition<_tributary_v1_AddVoterRequest, _tributary_v1_AddVoterResponse, _tributary_v1_AddVoterRequest__Output, _tributary_v1_AddVoterResponse__Output>
  AlterClientQuotas: MethodDefinition<_tributary_v1_AlterClientQuotasRequest, _tributary_v1_AlterClientQuotasResponse, _tributary_v1_AlterClientQuotasRequest__Output, _tributary_v1_AlterClientQuotasResponse__Output>
  AlterPartitionReassignments: MethodDefinition<_tributary_v1_AlterPartitionReassignmentsRequest, _tributary_v1_AlterPartitionReassignmentsResponse, _tributary_v1_AlterPartitionReassignmentsRequest__Output, _tributary_v1_AlterPartitionReassignmentsResponse__Output>
  AlterTopicConfigs: MethodDefinition<_tributary_v1_AlterTopicConfigsRequest, _tributary_v1_AlterTopicConfigsResponse, _tributary_v1_AlterTopicConfigsRequest__Output, _tributary_v1_AlterTopicConfigsResponse__Output>
  AlterUserScramCredentials: MethodDefinition<_tributary_v1_AlterUserScramCredentialsRequest, _tributary_v1_AlterUserScramCredentialsResponse, _tributary_v1_AlterUserScramCredentialsRequest__Output, _tributary_v1_AlterUserScramCredentialsResponse__Output>
  CreateAcls: MethodDefinition<_tributary_v1_CreateAclsRequest, _tributary_v1_CreateAclsResponse, _tributary_v1_CreateAclsRequest__Output, _tributary_v1_CreateAclsResponse__Output>
  CreatePartitions: MethodDefinition<_tributary_v1_CreatePartitionsRequest, _tributary_v1_CreatePartitionsResponse, _tributary_v1_CreatePartitionsRequest__Output, _tributary_v1_CreatePartitionsResponse__Output>
  CreateTopic: MethodDefinition<_tributary_v1_CreateTopicRequest, _tributary_v1_CreateTopicResponse, _tributary_v1_CreateTopicRequest__Output, _tributary_v1_CreateTopicResponse__Output>
  DecommissionBroker: MethodDefinition<_tributary_v1_DecommissionBrokerRequest, _tributary_v1_DecommissionBrokerResponse, _tributary_v1_DecommissionBrokerRequest__Output, _tributary_v1_DecommissionBrokerResponse__Output>
  DeleteAcls: MethodDefinition<_tributary_v1_DeleteAclsRequest, _tributary_v1_DeleteAclsResponse, _tributary_v1_DeleteAclsRequest__Output, _tributary_v1_DeleteAclsResponse__Output>
  DeleteTopic: MethodDefinition<_tributary_v1_DeleteTopicRequest, _tributary_v1_DeleteTopicResponse, _tributary_v1_DeleteTopicRequest__Output, _tributary_v1_DeleteTopicResponse__Output>
  DescribeAcls: MethodDefinition<_tributary_v1_DescribeAclsRequest, _tributary_v1_DescribeAclsResponse, _tributary_v1_DescribeAclsRequest__Output, _tributary_v1_DescribeAclsResponse__Output>
  DescribeClientQuotas: MethodDefinition<_tributary_v1_DescribeClientQuotasRequest, _tributary_v1_DescribeClientQuotasResponse, _tributary_v1_DescribeClientQuotasRequest__Output, _tributary_v1_DescribeClientQuotasResponse__Output>
  DescribeCluster: MethodDefinition<_tributary_v1_DescribeClusterRequest, _tributary_v1_DescribeClusterResponse, _tributary_v1_DescribeClusterRequest__Output, _tributary_v1_DescribeClusterResponse__Output>
  DescribeQuorum: MethodDefinition<_tributary_v1_DescribeQuorumRequest, _tributary_v1_DescribeQuorumResponse, _tributary_v1_DescribeQuorumRequest__Output, _tributary_v1_DescribeQuorumResponse__Output>
  DescribeTopics: MethodDefinition<_tributary_v1_DescribeTopicsRequest, _tributary_v1_DescribeTopicsResponse, _tributary_v1_DescribeTopicsRequest__Output, _tributary_v1_DescribeTopicsResponse__Output>
  DescribeUserScramCredentials: MethodDefinition<_tributary_v1_DescribeUserScramCredentialsRequest, _tributary_v1_DescribeUserScramCredentialsResponse, _tributary_v1_DescribeUserScramCredentialsRequest__Output, _tributary_v1_DescribeUserScramCredentialsResponse__Output>
  ElectLeaders: MethodDefinition<_tributary_v1_ElectLeadersRequest, _tributary_v1_ElectLeadersResponse, _tributary_v1_ElectLeadersRequest__Output, _tributary_v1_ElectLeadersResponse__Output>
  ListPartitionReassignments: MethodDefinition<_tributary_v1_ListPartitionReassignmentsRequest, _tributary_v1_ListPartitionReassignmentsResponse, _tributary_v1_ListPartitionReassignmentsRequest__Output, _tributary_v1_ListPartitionReassignmentsResponse__Output>
  ListTopics: MethodDefinition<_tributary_v1_ListTopicsRequest, _tributary_v1_ListTopicsResponse, _tributary_v1_ListTopicsRequest__Output, _tributary_v1_ListTopicsResponse__Output>
  RemoveVoter: MethodDefinition<_tributary_v1_RemoveVoterRequest, _tributary_v1_RemoveVoterResponse, _tributary_v1_RemoveVoterRequest__Output, _tributary_v1_RemoveVoterResponse__Output>
}
