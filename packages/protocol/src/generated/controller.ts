import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AclBinding as _tributary_v1_AclBinding, AclBinding__Output as _tributary_v1_AclBinding__Output } from './tributary/v1/AclBinding.js';
import type { AclCreationResult as _tributary_v1_AclCreationResult, AclCreationResult__Output as _tributary_v1_AclCreationResult__Output } from './tributary/v1/AclCreationResult.js';
import type { AclFilter as _tributary_v1_AclFilter, AclFilter__Output as _tributary_v1_AclFilter__Output } from './tributary/v1/AclFilter.js';
import type { AddVoterRequest as _tributary_v1_AddVoterRequest, AddVoterRequest__Output as _tributary_v1_AddVoterRequest__Output } from './tributary/v1/AddVoterRequest.js';
import type { AddVoterResponse as _tributary_v1_AddVoterResponse, AddVoterResponse__Output as _tributary_v1_AddVoterResponse__Output } from './tributary/v1/AddVoterResponse.js';
import type { AllocateProducerIdsRequest as _tributary_v1_AllocateProducerIdsRequest, AllocateProducerIdsRequest__Output as _tributary_v1_AllocateProducerIdsRequest__Output } from './tributary/v1/AllocateProducerIdsRequest.js';
import type { AllocateProducerIdsResponse as _tributary_v1_AllocateProducerIdsResponse, AllocateProducerIdsResponse__Output as _tributary_v1_AllocateProducerIdsResponse__Output } from './tributary/v1/AllocateProducerIdsResponse.js';
import type { AlterClientQuotasRequest as _tributary_v1_AlterClientQuotasRequest, AlterClientQuotasRequest__Output as _tributary_v1_AlterClientQuotasRequest__Output } from './tributary/v1/AlterClientQuotasRequest.js';
import type { AlterClientQuotasResponse as _tributary_v1_AlterClientQuotasResponse, AlterClientQuotasResponse__Output as _tributary_v1_AlterClientQuotasResponse__Output } from './tributary/v1/AlterClientQuotasResponse.js';
import type { AlterPartitionItem as _tributary_v1_AlterPartitionItem, AlterPartitionItem__Output as _tributary_v1_AlterPartitionItem__Output } from './tributary/v1/AlterPartitionItem.js';
import type { AlterPartitionReassignmentsRequest as _tributary_v1_AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsRequest__Output as _tributary_v1_AlterPartitionReassignmentsRequest__Output } from './tributary/v1/AlterPartitionReassignmentsRequest.js';
import type { AlterPartitionReassignmentsResponse as _tributary_v1_AlterPartitionReassignmentsResponse, AlterPartitionReassignmentsResponse__Output as _tributary_v1_AlterPartitionReassignmentsResponse__Output } from './tributary/v1/AlterPartitionReassignmentsResponse.js';
import type { AlterPartitionRequest as _tributary_v1_AlterPartitionRequest, AlterPartitionRequest__Output as _tributary_v1_AlterPartitionRequest__Output } from './tributary/v1/AlterPartitionRequest.js';
import type { AlterPartitionResponse as _tributary_v1_AlterPartitionResponse, AlterPartitionResponse__Output as _tributary_v1_AlterPartitionResponse__Output } from './tributary/v1/AlterPartitionResponse.js';
import type { AlterPartitionResult as _tributary_v1_AlterPartitionResult, AlterPartitionResult__Output as _tributary_v1_AlterPartitionResult__Output } from './tributary/v1/AlterPartitionResult.js';
import type { AlterTopicConfigsRequest as _tributary_v1_AlterTopicConfigsRequest, AlterTopicConfigsRequest__Output as _tributary_v1_AlterTopicConfigsRequest__Output } from './tributary/v1/AlterTopicConfigsRequest.js';
import type { AlterTopicConfigsResponse as _tributary_v1_AlterTopicConfigsResponse, AlterTopicConfigsResponse__Output as _tributary_v1_AlterTopicConfigsResponse__Output } from './tributary/v1/AlterTopicConfigsResponse.js';
import type { AlterUserScramCredentialsRequest as _tributary_v1_AlterUserScramCredentialsRequest, AlterUserScramCredentialsRequest__Output as _tributary_v1_AlterUserScramCredentialsRequest__Output } from './tributary/v1/AlterUserScramCredentialsRequest.js';
import type { AlterUserScramCredentialsResponse as _tributary_v1_AlterUserScramCredentialsResponse, AlterUserScramCredentialsResponse__Output as _tributary_v1_AlterUserScramCredentialsResponse__Output } from './tributary/v1/AlterUserScramCredentialsResponse.js';
import type { BrokerHeartbeatRequest as _tributary_v1_BrokerHeartbeatRequest, BrokerHeartbeatRequest__Output as _tributary_v1_BrokerHeartbeatRequest__Output } from './tributary/v1/BrokerHeartbeatRequest.js';
import type { BrokerHeartbeatResponse as _tributary_v1_BrokerHeartbeatResponse, BrokerHeartbeatResponse__Output as _tributary_v1_BrokerHeartbeatResponse__Output } from './tributary/v1/BrokerHeartbeatResponse.js';
import type { BrokerInfo as _tributary_v1_BrokerInfo, BrokerInfo__Output as _tributary_v1_BrokerInfo__Output } from './tributary/v1/BrokerInfo.js';
import type { BrokerLifecycleClient as _tributary_v1_BrokerLifecycleClient, BrokerLifecycleDefinition as _tributary_v1_BrokerLifecycleDefinition } from './tributary/v1/BrokerLifecycle.js';
import type { ClientQuotaDescription as _tributary_v1_ClientQuotaDescription, ClientQuotaDescription__Output as _tributary_v1_ClientQuotaDescription__Output } from './tributary/v1/ClientQuotaDescription.js';
import type { ClientQuotaEntity as _tributary_v1_ClientQuotaEntity, ClientQuotaEntity__Output as _tributary_v1_ClientQuotaEntity__Output } from './tributary/v1/ClientQuotaEntity.js';
import type { ClientQuotaEntityPart as _tributary_v1_ClientQuotaEntityPart, ClientQuotaEntityPart__Output as _tributary_v1_ClientQuotaEntityPart__Output } from './tributary/v1/ClientQuotaEntityPart.js';
import type { ControllerAdminClient as _tributary_v1_ControllerAdminClient, ControllerAdminDefinition as _tributary_v1_ControllerAdminDefinition } from './tributary/v1/ControllerAdmin.js';
import type { CreateAclsRequest as _tributary_v1_CreateAclsRequest, CreateAclsRequest__Output as _tributary_v1_CreateAclsRequest__Output } from './tributary/v1/CreateAclsRequest.js';
import type { CreateAclsResponse as _tributary_v1_CreateAclsResponse, CreateAclsResponse__Output as _tributary_v1_CreateAclsResponse__Output } from './tributary/v1/CreateAclsResponse.js';
import type { CreatePartitionsRequest as _tributary_v1_CreatePartitionsRequest, CreatePartitionsRequest__Output as _tributary_v1_CreatePartitionsRequest__Output } from './tributary/v1/CreatePartitionsRequest.js';
import type { CreatePartitionsResponse as _tributary_v1_CreatePartitionsResponse, CreatePartitionsResponse__Output as _tributary_v1_CreatePartitionsResponse__Output } from './tributary/v1/CreatePartitionsResponse.js';
import type { CreateTopicRequest as _tributary_v1_CreateTopicRequest, CreateTopicRequest__Output as _tributary_v1_CreateTopicRequest__Output } from './tributary/v1/CreateTopicRequest.js';
import type { CreateTopicResponse as _tributary_v1_CreateTopicResponse, CreateTopicResponse__Output as _tributary_v1_CreateTopicResponse__Output } from './tributary/v1/CreateTopicResponse.js';
import type { DecommissionBrokerRequest as _tributary_v1_DecommissionBrokerRequest, DecommissionBrokerRequest__Output as _tributary_v1_DecommissionBrokerRequest__Output } from './tributary/v1/DecommissionBrokerRequest.js';
import type { DecommissionBrokerResponse as _tributary_v1_DecommissionBrokerResponse, DecommissionBrokerResponse__Output as _tributary_v1_DecommissionBrokerResponse__Output } from './tributary/v1/DecommissionBrokerResponse.js';
import type { DeleteAclsFilterResult as _tributary_v1_DeleteAclsFilterResult, DeleteAclsFilterResult__Output as _tributary_v1_DeleteAclsFilterResult__Output } from './tributary/v1/DeleteAclsFilterResult.js';
import type { DeleteAclsRequest as _tributary_v1_DeleteAclsRequest, DeleteAclsRequest__Output as _tributary_v1_DeleteAclsRequest__Output } from './tributary/v1/DeleteAclsRequest.js';
import type { DeleteAclsResponse as _tributary_v1_DeleteAclsResponse, DeleteAclsResponse__Output as _tributary_v1_DeleteAclsResponse__Output } from './tributary/v1/DeleteAclsResponse.js';
import type { DeleteTopicRequest as _tributary_v1_DeleteTopicRequest, DeleteTopicRequest__Output as _tributary_v1_DeleteTopicRequest__Output } from './tributary/v1/DeleteTopicRequest.js';
import type { DeleteTopicResponse as _tributary_v1_DeleteTopicResponse, DeleteTopicResponse__Output as _tributary_v1_DeleteTopicResponse__Output } from './tributary/v1/DeleteTopicResponse.js';
import type { DescribeAclsRequest as _tributary_v1_DescribeAclsRequest, DescribeAclsRequest__Output as _tributary_v1_DescribeAclsRequest__Output } from './tributary/v1/DescribeAclsRequest.js';
import type { DescribeAclsResponse as _tributary_v1_DescribeAclsResponse, DescribeAclsResponse__Output as _tributary_v1_DescribeAclsResponse__Output } from './tributary/v1/DescribeAclsResponse.js';
import type { DescribeClientQuotasRequest as _tributary_v1_DescribeClientQuotasRequest, DescribeClientQuotasRequest__Output as _tributary_v1_DescribeClientQuotasRequest__Output } from './tributary/v1/DescribeClientQuotasRequest.js';
import type { DescribeClientQuotasResponse as _tributary_v1_DescribeClientQuotasResponse, DescribeClientQuotasResponse__Output as _tributary_v1_DescribeClientQuotasResponse__Output } from './tributary/v1/DescribeClientQuotasResponse.js';
import type { DescribeClusterRequest as _tributary_v1_DescribeClusterRequest, DescribeClusterRequest__Output as _tributary_v1_DescribeClusterRequest__Output } from './tributary/v1/DescribeClusterRequest.js';
import type { DescribeClusterResponse as _tributary_v1_DescribeClusterResponse, DescribeClusterResponse__Output as _tributary_v1_DescribeClusterResponse__Output } from './tributary/v1/DescribeClusterResponse.js';
import type { DescribeQuorumRequest as _tributary_v1_DescribeQuorumRequest, DescribeQuorumRequest__Output as _tributary_v1_DescribeQuorumRequest__Output } from './tributary/v1/DescribeQuorumRequest.js';
import type { DescribeQuorumResponse as _tributary_v1_DescribeQuorumResponse, DescribeQuorumResponse__Output as _tributary_v1_DescribeQuorumResponse__Output } from './tributary/v1/DescribeQuorumResponse.js';
import type { DescribeTopicsRequest as _tributary_v1_DescribeTopicsRequest, DescribeTopicsRequest__Output as _tributary_v1_DescribeTopicsRequest__Output } from './tributary/v1/DescribeTopicsRequest.js';
import type { DescribeTopicsResponse as _tributary_v1_DescribeTopicsResponse, DescribeTopicsResponse__Output as _tributary_v1_DescribeTopicsResponse__Output } from './tributary/v1/DescribeTopicsResponse.js';
import type { DescribeUserScramCredentialsRequest as _tributary_v1_DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsRequest__Output as _tributary_v1_DescribeUserScramCredentialsRequest__Output } from './tributary/v1/DescribeUserScramCredentialsRequest.js';
import type { DescribeUserScramCredentialsResponse as _tributary_v1_DescribeUserScramCredentialsResponse, DescribeUserScramCredentialsResponse__Output as _tributary_v1_DescribeUserScramCredentialsResponse__Output } from './tributary/v1/DescribeUserScramCredentialsResponse.js';
import type { DescribedScramUser as _tributary_v1_DescribedScramUser, DescribedScramUser__Output as _tributary_v1_DescribedScramUser__Output } from './tributary/v1/DescribedScramUser.js';
import type { ElectLeadersRequest as _tributary_v1_ElectLeadersRequest, ElectLeadersRequest__Output as _tributary_v1_ElectLeadersRequest__Output } from './tributary/v1/ElectLeadersRequest.js';
import type { ElectLeadersResponse as _tributary_v1_ElectLeadersResponse, ElectLeadersResponse__Output as _tributary_v1_ElectLeadersResponse__Output } from './tributary/v1/ElectLeadersResponse.js';
import type { ElectLeadersResult as _tributary_v1_ElectLeadersResult, ElectLeadersResult__Output as _tributary_v1_ElectLeadersResult__Output } from './tributary/v1/ElectLeadersResult.js';
import type { FetchMetadataEvent as _tributary_v1_FetchMetadataEvent, FetchMetadataEvent__Output as _tributary_v1_FetchMetadataEvent__Output } from './tributary/v1/FetchMetadataEvent.js';
import type { FetchMetadataRequest as _tributary_v1_FetchMetadataRequest, FetchMetadataRequest__Output as _tributary_v1_FetchMetadataRequest__Output } from './tributary/v1/FetchMetadataRequest.js';
import type { ListPartitionReassignmentsRequest as _tributary_v1_ListPartitionReassignmentsRequest, ListPartitionReassignmentsRequest__Output as _tributary_v1_ListPartitionReassignmentsRequest__Output } from './tributary/v1/ListPartitionReassignmentsRequest.js';
import type { ListPartitionReassignmentsResponse as _tributary_v1_ListPartitionReassignmentsResponse, ListPartitionReassignmentsResponse__Output as _tributary_v1_ListPartitionReassignmentsResponse__Output } from './tributary/v1/ListPartitionReassignmentsResponse.js';
import type { ListTopicsRequest as _tributary_v1_ListTopicsRequest, ListTopicsRequest__Output as _tributary_v1_ListTopicsRequest__Output } from './tributary/v1/ListTopicsRequest.js';
import type { ListTopicsResponse as _tributary_v1_ListTopicsResponse, ListTopicsResponse__Output as _tributary_v1_ListTopicsResponse__Output } from './tributary/v1/ListTopicsResponse.js';
import type { MetadataEntry as _tributary_v1_MetadataEntry, MetadataEntry__Output as _tributary_v1_MetadataEntry__Output } from './tributary/v1/MetadataEntry.js';
import type { MetadataSnapshotChunk as _tributary_v1_MetadataSnapshotChunk, MetadataSnapshotChunk__Output as _tributary_v1_MetadataSnapshotChunk__Output } from './tributary/v1/MetadataSnapshotChunk.js';
import type { MetadataStreamClient as _tributary_v1_MetadataStreamClient, MetadataStreamDefinition as _tributary_v1_MetadataStreamDefinition } from './tributary/v1/MetadataStream.js';
import type { OfflinePartitions as _tributary_v1_OfflinePartitions, OfflinePartitions__Output as _tributary_v1_OfflinePartitions__Output } from './tributary/v1/OfflinePartitions.js';
import type { OngoingReassignment as _tributary_v1_OngoingReassignment, OngoingReassignment__Output as _tributary_v1_OngoingReassignment__Output } from './tributary/v1/OngoingReassignment.js';
import type { PartitionInfo as _tributary_v1_PartitionInfo, PartitionInfo__Output as _tributary_v1_PartitionInfo__Output } from './tributary/v1/PartitionInfo.js';
import type { QuorumVoter as _tributary_v1_QuorumVoter, QuorumVoter__Output as _tributary_v1_QuorumVoter__Output } from './tributary/v1/QuorumVoter.js';
import type { QuotaAlteration as _tributary_v1_QuotaAlteration, QuotaAlteration__Output as _tributary_v1_QuotaAlteration__Output } from './tributary/v1/QuotaAlteration.js';
import type { QuotaEntityResult as _tributary_v1_QuotaEntityResult, QuotaEntityResult__Output as _tributary_v1_QuotaEntityResult__Output } from './tributary/v1/QuotaEntityResult.js';
import type { QuotaFilterComponent as _tributary_v1_QuotaFilterComponent, QuotaFilterComponent__Output as _tributary_v1_QuotaFilterComponent__Output } from './tributary/v1/QuotaFilterComponent.js';
import type { QuotaOp as _tributary_v1_QuotaOp, QuotaOp__Output as _tributary_v1_QuotaOp__Output } from './tributary/v1/QuotaOp.js';
import type { QuotaValue as _tributary_v1_QuotaValue, QuotaValue__Output as _tributary_v1_QuotaValue__Output } from './tributary/v1/QuotaValue.js';
import type { ReassignmentResult as _tributary_v1_ReassignmentResult, ReassignmentResult__Output as _tributary_v1_ReassignmentResult__Output } from './tributary/v1/ReassignmentResult.js';
import type { ReassignmentTarget as _tributary_v1_ReassignmentTarget, ReassignmentTarget__Output as _tributary_v1_ReassignmentTarget__Output } from './tributary/v1/ReassignmentTarget.js';
import type { RegisterBrokerRequest as _tributary_v1_RegisterBrokerRequest, RegisterBrokerRequest__Output as _tributary_v1_RegisterBrokerRequest__Output } from './tributary/v1/RegisterBrokerRequest.js';
import type { RegisterBrokerResponse as _tributary_v1_RegisterBrokerResponse, RegisterBrokerResponse__Output as _tributary_v1_RegisterBrokerResponse__Output } from './tributary/v1/RegisterBrokerResponse.js';
import type { RemoveVoterRequest as _tributary_v1_RemoveVoterRequest, RemoveVoterRequest__Output as _tributary_v1_RemoveVoterRequest__Output } from './tributary/v1/RemoveVoterRequest.js';
import type { RemoveVoterResponse as _tributary_v1_RemoveVoterResponse, RemoveVoterResponse__Output as _tributary_v1_RemoveVoterResponse__Output } from './tributary/v1/RemoveVoterResponse.js';
import type { ScramCredentialDeletion as _tributary_v1_ScramCredentialDeletion, ScramCredentialDeletion__Output as _tributary_v1_ScramCredentialDeletion__Output } from './tributary/v1/ScramCredentialDeletion.js';
import type { ScramCredentialInfo as _tributary_v1_ScramCredentialInfo, ScramCredentialInfo__Output as _tributary_v1_ScramCredentialInfo__Output } from './tributary/v1/ScramCredentialInfo.js';
import type { ScramCredentialUpsertion as _tributary_v1_ScramCredentialUpsertion, ScramCredentialUpsertion__Output as _tributary_v1_ScramCredentialUpsertion__Output } from './tributary/v1/ScramCredentialUpsertion.js';
import type { ScramUserResult as _tributary_v1_ScramUserResult, ScramUserResult__Output as _tributary_v1_ScramUserResult__Output } from './tributary/v1/ScramUserResult.js';
import type { TopicConfigEntry as _tributary_v1_TopicConfigEntry, TopicConfigEntry__Output as _tributary_v1_TopicConfigEntry__Output } from './tributary/v1/TopicConfigEntry.js';
import type { TopicInfo as _tributary_v1_TopicInfo, TopicInfo__Output as _tributary_v1_TopicInfo__Output } from './tributary/v1/TopicInfo.js';
import type { TopicListing as _tributary_v1_TopicListing, TopicListing__Output as _tributary_v1_TopicListing__Output } from './tributary/v1/TopicListing.js';
import type { TopicPartitionRef as _tributary_v1_TopicPartitionRef, TopicPartitionRef__Output as _tributary_v1_TopicPartitionRef__Output } from './tributary/v1/TopicPartitionRef.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      AclBinding: MessageTypeDefinition<_tributary_v1_AclBinding, _tributary_v1_AclBinding__Output>
      AclCreationResult: MessageTypeDefinition<_tributary_v1_AclCreationResult, _tributary_v1_AclCreationResult__Output>
      AclFilter: MessageTypeDefinition<_tributary_v1_AclFilter, _tributary_v1_AclFilter__Output>
      AddVoterRequest: MessageTypeDefinition<_tributary_v1_AddVoterRequest, _tributary_v1_AddVoterRequest__Output>
      AddVoterResponse: MessageTypeDefinition<_tributary_v1_AddVoterResponse, _tributary_v1_AddVoterResponse__Output>
      AllocateProducerIdsRequest: MessageTypeDefinition<_tributary_v1_AllocateProducerIdsRequest, _tributary_v1_AllocateProducerIdsRequest__Output>
      AllocateProducerIdsResponse: MessageTypeDefinition<_tributary_v1_AllocateProducerIdsResponse, _tributary_v1_AllocateProducerIdsResponse__Output>
      AlterClientQuotasRequest: MessageTypeDefinition<_tributary_v1_AlterClientQuotasRequest, _tributary_v1_AlterClientQuotasRequest__Output>
      AlterClientQuotasResponse: MessageTypeDefinition<_tributary_v1_AlterClientQuotasResponse, _tributary_v1_AlterClientQuotasResponse__Output>
      AlterPartitionItem: MessageTypeDefinition<_tributary_v1_AlterPartitionItem, _tributary_v1_AlterPartitionItem__Output>
      AlterPartitionReassignmentsRequest: MessageTypeDefinition<_tributary_v1_AlterPartitionReassignmentsRequest, _tributary_v1_AlterPartitionReassignmentsRequest__Output>
      AlterPartitionReassignmentsResponse: MessageTypeDefinition<_tributary_v1_AlterPartitionReassignmentsResponse, _tributary_v1_AlterPartitionReassignmentsResponse__Output>
      AlterPartitionRequest: MessageTypeDefinition<_tributary_v1_AlterPartitionRequest, _tributary_v1_AlterPartitionRequest__Output>
      AlterPartitionResponse: MessageTypeDefinition<_tributary_v1_AlterPartitionResponse, _tributary_v1_AlterPartitionResponse__Output>
      AlterPartitionResult: MessageTypeDefinition<_tributary_v1_AlterPartitionResult, _tributary_v1_AlterPartitionResult__Output>
      AlterTopicConfigsRequest: MessageTypeDefinition<_tributary_v1_AlterTopicConfigsRequest, _tributary_v1_AlterTopicConfigsRequest__Output>
      AlterTopicConfigsResponse: MessageTypeDefinition<_tributary_v1_AlterTopicConfigsResponse, _tributary_v1_AlterTopicConfigsResponse__Output>
      AlterUserScramCredentialsRequest: MessageTypeDefinition<_tributary_v1_AlterUserScramCredentialsRequest, _tributary_v1_AlterUserScramCredentialsRequest__Output>
      AlterUserScramCredentialsResponse: MessageTypeDefinition<_tributary_v1_AlterUserScramCredentialsResponse, _tributary_v1_AlterUserScramCredentialsResponse__Output>
      BrokerHeartbeatRequest: MessageTypeDefinition<_tributary_v1_BrokerHeartbeatRequest, _tributary_v1_BrokerHeartbeatRequest__Output>
      BrokerHeartbeatResponse: MessageTypeDefinition<_tributary_v1_BrokerHeartbeatResponse, _tributary_v1_BrokerHeartbeatResponse__Output>
      BrokerInfo: MessageTypeDefinition<_tributary_v1_BrokerInfo, _tributary_v1_BrokerInfo__Output>
      /**
       * Broker lifecycle: registration and the heartbeat lease (DESIGN §5).
       */
      BrokerLifecycle: SubtypeConstructor<typeof grpc.Client, _tributary_v1_BrokerLifecycleClient> & { service: _tributary_v1_BrokerLifecycleDefinition }
      ClientQuotaDescription: MessageTypeDefinition<_tributary_v1_ClientQuotaDescription, _tributary_v1_ClientQuotaDescription__Output>
      ClientQuotaEntity: MessageTypeDefinition<_tributary_v1_ClientQuotaEntity, _tributary_v1_ClientQuotaEntity__Output>
      ClientQuotaEntityPart: MessageTypeDefinition<_tributary_v1_ClientQuotaEntityPart, _tributary_v1_ClientQuotaEntityPart__Output>
      /**
       * Admin requests served by the active controller. A standby answers NOT_CONTROLLER with the
       * leader's address in the trailers; clients follow it.
       */
      ControllerAdmin: SubtypeConstructor<typeof grpc.Client, _tributary_v1_ControllerAdminClient> & { service: _tributary_v1_ControllerAdminDefinition }
      CreateAclsRequest: MessageTypeDefinition<_tributary_v1_CreateAclsRequest, _tributary_v1_CreateAclsRequest__Output>
      CreateAclsResponse: MessageTypeDefinition<_tributary_v1_CreateAclsResponse, _tributary_v1_CreateAclsResponse__Output>
      CreatePartitionsRequest: MessageTypeDefinition<_tributary_v1_CreatePartitionsRequest, _tributary_v1_CreatePartitionsRequest__Output>
      CreatePartitionsResponse: MessageTypeDefinition<_tributary_v1_CreatePartitionsResponse, _tributary_v1_CreatePartitionsResponse__Output>
      CreateTopicRequest: MessageTypeDefinition<_tributary_v1_CreateTopicRequest, _tributary_v1_CreateTopicRequest__Output>
      CreateTopicResponse: MessageTypeDefinition<_tributary_v1_CreateTopicResponse, _tributary_v1_CreateTopicResponse__Output>
      DecommissionBrokerRequest: MessageTypeDefinition<_tributary_v1_DecommissionBrokerRequest, _tributary_v1_DecommissionBrokerRequest__Output>
      DecommissionBrokerResponse: MessageTypeDefinition<_tributary_v1_DecommissionBrokerResponse, _tributary_v1_DecommissionBrokerResponse__Output>
      DeleteAclsFilterResult: MessageTypeDefinition<_tributary_v1_DeleteAclsFilterResult, _tributary_v1_DeleteAclsFilterResult__Output>
      DeleteAclsRequest: MessageTypeDefinition<_tributary_v1_DeleteAclsRequest, _tributary_v1_DeleteAclsRequest__Output>
      DeleteAclsResponse: MessageTypeDefinition<_tributary_v1_DeleteAclsResponse, _tributary_v1_DeleteAclsResponse__Output>
      DeleteTopicRequest: MessageTypeDefinition<_tributary_v1_DeleteTopicRequest, _tributary_v1_DeleteTopicRequest__Output>
      DeleteTopicResponse: MessageTypeDefinition<_tributary_v1_DeleteTopicResponse, _tributary_v1_DeleteTopicResponse__Output>
      DescribeAclsRequest: MessageTypeDefinition<_tributary_v1_DescribeAclsRequest, _tributary_v1_DescribeAclsRequest__Output>
      DescribeAclsResponse: MessageTypeDefinition<_tributary_v1_DescribeAclsResponse, _tributary_v1_DescribeAclsResponse__Output>
      DescribeClientQuotasRequest: MessageTypeDefinition<_tributary_v1_DescribeClientQuotasRequest, _tributary_v1_DescribeClientQuotasRequest__Output>
      DescribeClientQuotasResponse: MessageTypeDefinition<_tributary_v1_DescribeClientQuotasResponse, _tributary_v1_DescribeClientQuotasResponse__Output>
      DescribeClusterRequest: MessageTypeDefinition<_tributary_v1_DescribeClusterRequest, _tributary_v1_DescribeClusterRequest__Output>
      DescribeClusterResponse: MessageTypeDefinition<_tributary_v1_DescribeClusterResponse, _tributary_v1_DescribeClusterResponse__Output>
      DescribeQuorumRequest: MessageTypeDefinition<_tributary_v1_DescribeQuorumRequest, _tributary_v1_DescribeQuorumRequest__Output>
      DescribeQuorumResponse: MessageTypeDefinition<_tributary_v1_DescribeQuorumResponse, _tributary_v1_DescribeQuorumResponse__Output>
      DescribeTopicsRequest: MessageTypeDefinition<_tributary_v1_DescribeTopicsRequest, _tributary_v1_DescribeTopicsRequest__Output>
      DescribeTopicsResponse: MessageTypeDefinition<_tributary_v1_DescribeTopicsResponse, _tributary_v1_DescribeTopicsResponse__Output>
      DescribeUserScramCredentialsRequest: MessageTypeDefinition<_tributary_v1_DescribeUserScramCredentialsRequest, _tributary_v1_DescribeUserScramCredentialsRequest__Output>
      DescribeUserScramCredentialsResponse: MessageTypeDefinition<_tributary_v1_DescribeUserScramCredentialsResponse, _tributary_v1_DescribeUserScramCredentialsResponse__Output>
      DescribedScramUser: MessageTypeDefinition<_tributary_v1_DescribedScramUser, _tributary_v1_DescribedScramUser__Output>
      ElectLeadersRequest: MessageTypeDefinition<_tributary_v1_ElectLeadersRequest, _tributary_v1_ElectLeadersRequest__Output>
      ElectLeadersResponse: MessageTypeDefinition<_tributary_v1_ElectLeadersResponse, _tributary_v1_ElectLeadersResponse__Output>
      ElectLeadersResult: MessageTypeDefinition<_tributary_v1_ElectLeadersResult, _tributary_v1_ElectLeadersResult__Output>
      FetchMetadataEvent: MessageTypeDefinition<_tributary_v1_FetchMetadataEvent, _tributary_v1_FetchMetadataEvent__Output>
      FetchMetadataRequest: MessageTypeDefinition<_tributary_v1_FetchMetadataRequest, _tributary_v1_FetchMetadataRequest__Output>
      ListPartitionReassignmentsRequest: MessageTypeDefinition<_tributary_v1_ListPartitionReassignmentsRequest, _tributary_v1_ListPartitionReassignmentsRequest__Output>
      ListPartitionReassignmentsResponse: MessageTypeDefinition<_tributary_v1_ListPartitionReassignmentsResponse, _tributary_v1_ListPartitionReassignmentsResponse__Output>
      ListTopicsRequest: MessageTypeDefinition<_tributary_v1_ListTopicsRequest, _tributary_v1_ListTopicsRequest__Output>
      ListTopicsResponse: MessageTypeDefinition<_tributary_v1_ListTopicsResponse, _tributary_v1_ListTopicsResponse__Output>
      MetadataEntry: MessageTypeDefinition<_tributary_v1_MetadataEntry, _tributary_v1_MetadataEntry__Output>
      MetadataSnapshotChunk: MessageTypeDefinition<_tributary_v1_MetadataSnapshotChunk, _tributary_v1_MetadataSnapshotChunk__Output>
      /**
       * The committed metadata log for brokers (and the CLI): records from an offset, or a snapshot first
       * when that offset has been compacted away.
       */
      MetadataStream: SubtypeConstructor<typeof grpc.Client, _tributary_v1_MetadataStreamClient> & { service: _tributary_v1_MetadataStreamDefinition }
      OfflinePartitions: MessageTypeDefinition<_tributary_v1_OfflinePartitions, _tributary_v1_OfflinePartitions__Output>
      OngoingReassignment: MessageTypeDefinition<_tributary_v1_OngoingReassignment, _tributary_v1_OngoingReassignment__Output>
      PartitionInfo: MessageTypeDefinition<_tributary_v1_PartitionInfo, _tributary_v1_PartitionInfo__Output>
      QuorumVoter: MessageTypeDefinition<_tributary_v1_QuorumVoter, _tributary_v1_QuorumVoter__Output>
      QuotaAlteration: MessageTypeDefinition<_tributary_v1_QuotaAlteration, _tributary_v1_QuotaAlteration__Output>
      QuotaEntityResult: MessageTypeDefinition<_tributary_v1_QuotaEntityResult, _tributary_v1_QuotaEntityResult__Output>
      QuotaFilterComponent: MessageTypeDefinition<_tributary_v1_QuotaFilterComponent, _tributary_v1_QuotaFilterComponent__Output>
      QuotaOp: MessageTypeDefinition<_tributary_v1_QuotaOp, _tributary_v1_QuotaOp__Output>
      QuotaValue: MessageTypeDefinition<_tributary_v1_QuotaValue, _tributary_v1_QuotaValue__Output>
      ReassignmentResult: MessageTypeDefinition<_tributary_v1_ReassignmentResult, _tributary_v1_ReassignmentResult__Output>
      ReassignmentTarget: MessageTypeDefinition<_tributary_v1_ReassignmentTarget, _tributary_v1_ReassignmentTarget__Output>
      RegisterBrokerRequest: MessageTypeDefinition<_tributary_v1_RegisterBrokerRequest, _tributary_v1_RegisterBrokerRequest__Output>
      RegisterBrokerResponse: MessageTypeDefinition<_tributary_v1_RegisterBrokerResponse, _tributary_v1_RegisterBrokerResponse__Output>
      RemoveVoterRequest: MessageTypeDefinition<_tributary_v1_RemoveVoterRequest, _tributary_v1_RemoveVoterRequest__Output>
      RemoveVoterResponse: MessageTypeDefinition<_tributary_v1_RemoveVoterResponse, _tributary_v1_RemoveVoterResponse__Output>
      ScramCredentialDeletion: MessageTypeDefinition<_tributary_v1_ScramCredentialDeletion, _tributary_v1_ScramCredentialDeletion__Output>
      ScramCredentialInfo: MessageTypeDefinition<_tributary_v1_ScramCredentialInfo, _tributary_v1_ScramCredentialInfo__Output>
      ScramCredentialUpsertion: MessageTypeDefinition<_tributary_v1_ScramCredentialUpsertion, _tributary_v1_ScramCredentialUpsertion__Output>
      ScramUserResult: MessageTypeDefinition<_tributary_v1_ScramUserResult, _tributary_v1_ScramUserResult__Output>
      TopicConfigEntry: MessageTypeDefinition<_tributary_v1_TopicConfigEntry, _tributary_v1_TopicConfigEntry__Output>
      TopicInfo: MessageTypeDefinition<_tributary_v1_TopicInfo, _tributary_v1_TopicInfo__Output>
      TopicListing: MessageTypeDefinition<_tributary_v1_TopicListing, _tributary_v1_TopicListing__Output>
      TopicPartitionRef: MessageTypeDefinition<_tributary_v1_TopicPartitionRef, _tributary_v1_TopicPartitionRef__Output>
    }
  }
}

