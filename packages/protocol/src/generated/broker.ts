import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ActiveProducer as _tributary_v1_ActiveProducer, ActiveProducer__Output as _tributary_v1_ActiveProducer__Output } from './tributary/v1/ActiveProducer.js';
import type { BrokerClient as _tributary_v1_BrokerClient, BrokerDefinition as _tributary_v1_BrokerDefinition } from './tributary/v1/Broker.js';
import type { BrokerInfo as _tributary_v1_BrokerInfo, BrokerInfo__Output as _tributary_v1_BrokerInfo__Output } from './tributary/v1/BrokerInfo.js';
import type { DeleteRecordsPartition as _tributary_v1_DeleteRecordsPartition, DeleteRecordsPartition__Output as _tributary_v1_DeleteRecordsPartition__Output } from './tributary/v1/DeleteRecordsPartition.js';
import type { DeleteRecordsPartitionResult as _tributary_v1_DeleteRecordsPartitionResult, DeleteRecordsPartitionResult__Output as _tributary_v1_DeleteRecordsPartitionResult__Output } from './tributary/v1/DeleteRecordsPartitionResult.js';
import type { DeleteRecordsRequest as _tributary_v1_DeleteRecordsRequest, DeleteRecordsRequest__Output as _tributary_v1_DeleteRecordsRequest__Output } from './tributary/v1/DeleteRecordsRequest.js';
import type { DeleteRecordsResponse as _tributary_v1_DeleteRecordsResponse, DeleteRecordsResponse__Output as _tributary_v1_DeleteRecordsResponse__Output } from './tributary/v1/DeleteRecordsResponse.js';
import type { DeleteRecordsTopic as _tributary_v1_DeleteRecordsTopic, DeleteRecordsTopic__Output as _tributary_v1_DeleteRecordsTopic__Output } from './tributary/v1/DeleteRecordsTopic.js';
import type { DescribeProducersPartition as _tributary_v1_DescribeProducersPartition, DescribeProducersPartition__Output as _tributary_v1_DescribeProducersPartition__Output } from './tributary/v1/DescribeProducersPartition.js';
import type { DescribeProducersPartitionResult as _tributary_v1_DescribeProducersPartitionResult, DescribeProducersPartitionResult__Output as _tributary_v1_DescribeProducersPartitionResult__Output } from './tributary/v1/DescribeProducersPartitionResult.js';
import type { DescribeProducersRequest as _tributary_v1_DescribeProducersRequest, DescribeProducersRequest__Output as _tributary_v1_DescribeProducersRequest__Output } from './tributary/v1/DescribeProducersRequest.js';
import type { DescribeProducersResponse as _tributary_v1_DescribeProducersResponse, DescribeProducersResponse__Output as _tributary_v1_DescribeProducersResponse__Output } from './tributary/v1/DescribeProducersResponse.js';
import type { DescribeProducersTopic as _tributary_v1_DescribeProducersTopic, DescribeProducersTopic__Output as _tributary_v1_DescribeProducersTopic__Output } from './tributary/v1/DescribeProducersTopic.js';
import type { DescribeReplicasRequest as _tributary_v1_DescribeReplicasRequest, DescribeReplicasRequest__Output as _tributary_v1_DescribeReplicasRequest__Output } from './tributary/v1/DescribeReplicasRequest.js';
import type { DescribeReplicasResponse as _tributary_v1_DescribeReplicasResponse, DescribeReplicasResponse__Output as _tributary_v1_DescribeReplicasResponse__Output } from './tributary/v1/DescribeReplicasResponse.js';
import type { DescribedPartitionReplicas as _tributary_v1_DescribedPartitionReplicas, DescribedPartitionReplicas__Output as _tributary_v1_DescribedPartitionReplicas__Output } from './tributary/v1/DescribedPartitionReplicas.js';
import type { FetchAbortedTransaction as _tributary_v1_FetchAbortedTransaction, FetchAbortedTransaction__Output as _tributary_v1_FetchAbortedTransaction__Output } from './tributary/v1/FetchAbortedTransaction.js';
import type { FetchPartition as _tributary_v1_FetchPartition, FetchPartition__Output as _tributary_v1_FetchPartition__Output } from './tributary/v1/FetchPartition.js';
import type { FetchPartitionResult as _tributary_v1_FetchPartitionResult, FetchPartitionResult__Output as _tributary_v1_FetchPartitionResult__Output } from './tributary/v1/FetchPartitionResult.js';
import type { FetchRequest as _tributary_v1_FetchRequest, FetchRequest__Output as _tributary_v1_FetchRequest__Output } from './tributary/v1/FetchRequest.js';
import type { FetchResponse as _tributary_v1_FetchResponse, FetchResponse__Output as _tributary_v1_FetchResponse__Output } from './tributary/v1/FetchResponse.js';
import type { FetchStreamRequest as _tributary_v1_FetchStreamRequest, FetchStreamRequest__Output as _tributary_v1_FetchStreamRequest__Output } from './tributary/v1/FetchStreamRequest.js';
import type { FetchStreamResponse as _tributary_v1_FetchStreamResponse, FetchStreamResponse__Output as _tributary_v1_FetchStreamResponse__Output } from './tributary/v1/FetchStreamResponse.js';
import type { FetchTopic as _tributary_v1_FetchTopic, FetchTopic__Output as _tributary_v1_FetchTopic__Output } from './tributary/v1/FetchTopic.js';
import type { InitProducerIdRequest as _tributary_v1_InitProducerIdRequest, InitProducerIdRequest__Output as _tributary_v1_InitProducerIdRequest__Output } from './tributary/v1/InitProducerIdRequest.js';
import type { InitProducerIdResponse as _tributary_v1_InitProducerIdResponse, InitProducerIdResponse__Output as _tributary_v1_InitProducerIdResponse__Output } from './tributary/v1/InitProducerIdResponse.js';
import type { ListOffsetsPartition as _tributary_v1_ListOffsetsPartition, ListOffsetsPartition__Output as _tributary_v1_ListOffsetsPartition__Output } from './tributary/v1/ListOffsetsPartition.js';
import type { ListOffsetsPartitionResult as _tributary_v1_ListOffsetsPartitionResult, ListOffsetsPartitionResult__Output as _tributary_v1_ListOffsetsPartitionResult__Output } from './tributary/v1/ListOffsetsPartitionResult.js';
import type { ListOffsetsRequest as _tributary_v1_ListOffsetsRequest, ListOffsetsRequest__Output as _tributary_v1_ListOffsetsRequest__Output } from './tributary/v1/ListOffsetsRequest.js';
import type { ListOffsetsResponse as _tributary_v1_ListOffsetsResponse, ListOffsetsResponse__Output as _tributary_v1_ListOffsetsResponse__Output } from './tributary/v1/ListOffsetsResponse.js';
import type { ListOffsetsTopic as _tributary_v1_ListOffsetsTopic, ListOffsetsTopic__Output as _tributary_v1_ListOffsetsTopic__Output } from './tributary/v1/ListOffsetsTopic.js';
import type { MetadataRequest as _tributary_v1_MetadataRequest, MetadataRequest__Output as _tributary_v1_MetadataRequest__Output } from './tributary/v1/MetadataRequest.js';
import type { MetadataResponse as _tributary_v1_MetadataResponse, MetadataResponse__Output as _tributary_v1_MetadataResponse__Output } from './tributary/v1/MetadataResponse.js';
import type { MetadataTopicResult as _tributary_v1_MetadataTopicResult, MetadataTopicResult__Output as _tributary_v1_MetadataTopicResult__Output } from './tributary/v1/MetadataTopicResult.js';
import type { PartitionInfo as _tributary_v1_PartitionInfo, PartitionInfo__Output as _tributary_v1_PartitionInfo__Output } from './tributary/v1/PartitionInfo.js';
import type { ProducePartitionData as _tributary_v1_ProducePartitionData, ProducePartitionData__Output as _tributary_v1_ProducePartitionData__Output } from './tributary/v1/ProducePartitionData.js';
import type { ProducePartitionResult as _tributary_v1_ProducePartitionResult, ProducePartitionResult__Output as _tributary_v1_ProducePartitionResult__Output } from './tributary/v1/ProducePartitionResult.js';
import type { ProduceRequest as _tributary_v1_ProduceRequest, ProduceRequest__Output as _tributary_v1_ProduceRequest__Output } from './tributary/v1/ProduceRequest.js';
import type { ProduceResponse as _tributary_v1_ProduceResponse, ProduceResponse__Output as _tributary_v1_ProduceResponse__Output } from './tributary/v1/ProduceResponse.js';
import type { ProduceStreamRequest as _tributary_v1_ProduceStreamRequest, ProduceStreamRequest__Output as _tributary_v1_ProduceStreamRequest__Output } from './tributary/v1/ProduceStreamRequest.js';
import type { ProduceStreamResponse as _tributary_v1_ProduceStreamResponse, ProduceStreamResponse__Output as _tributary_v1_ProduceStreamResponse__Output } from './tributary/v1/ProduceStreamResponse.js';
import type { ProduceTopicData as _tributary_v1_ProduceTopicData, ProduceTopicData__Output as _tributary_v1_ProduceTopicData__Output } from './tributary/v1/ProduceTopicData.js';
import type { ReplicaProgress as _tributary_v1_ReplicaProgress, ReplicaProgress__Output as _tributary_v1_ReplicaProgress__Output } from './tributary/v1/ReplicaProgress.js';
import type { TopicConfigEntry as _tributary_v1_TopicConfigEntry, TopicConfigEntry__Output as _tributary_v1_TopicConfigEntry__Output } from './tributary/v1/TopicConfigEntry.js';
import type { TopicInfo as _tributary_v1_TopicInfo, TopicInfo__Output as _tributary_v1_TopicInfo__Output } from './tributary/v1/TopicInfo.js';
import type { TopicPartitionRef as _tributary_v1_TopicPartitionRef, TopicPartitionRef__Output as _tributary_v1_TopicPartitionRef__Output } from './tributary/v1/TopicPartitionRef.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      ActiveProducer: MessageTypeDefinition<_tributary_v1_ActiveProducer, _tributary_v1_ActiveProducer__Output>
      /**
       * Client-facing broker services (DESIGN §6, §7). Record data travels as whole Kafka RecordBatch v2 bytes
       * (packages/records): the broker never decodes individual records on the hot path.
       * 
       * Per-partition outcomes carry an `error_code` string from the shared table (packages/core ERROR_CODES;
       * empty = success) because one request covers many partitions and some may fail while others succeed.
       * Whole-request failures (malformed request, shutting down) are gRPC statuses as elsewhere.
       */
      Broker: SubtypeConstructor<typeof grpc.Client, _tributary_v1_BrokerClient> & { service: _tributary_v1_BrokerDefinition }
      BrokerInfo: MessageTypeDefinition<_tributary_v1_BrokerInfo, _tributary_v1_BrokerInfo__Output>
      DeleteRecordsPartition: MessageTypeDefinition<_tributary_v1_DeleteRecordsPartition, _tributary_v1_DeleteRecordsPartition__Output>
      DeleteRecordsPartitionResult: MessageTypeDefinition<_tributary_v1_DeleteRecordsPartitionResult, _tributary_v1_DeleteRecordsPartitionResult__Output>
      DeleteRecordsRequest: MessageTypeDefinition<_tributary_v1_DeleteRecordsRequest, _tributary_v1_DeleteRecordsRequest__Output>
      DeleteRecordsResponse: MessageTypeDefinition<_tributary_v1_DeleteRecordsResponse, _tributary_v1_DeleteRecordsResponse__Output>
      DeleteRecordsTopic: MessageTypeDefinition<_tributary_v1_DeleteRecordsTopic, _tributary_v1_DeleteRecordsTopic__Output>
      DescribeProducersPartition: MessageTypeDefinition<_tributary_v1_DescribeProducersPartition, _tributary_v1_DescribeProducersPartition__Output>
      DescribeProducersPartitionResult: MessageTypeDefinition<_tributary_v1_DescribeProducersPartitionResult, _tributary_v1_DescribeProducersPartitionResult__Output>
      DescribeProducersRequest: MessageTypeDefinition<_tributary_v1_DescribeProducersRequest, _tributary_v1_DescribeProducersRequest__Output>
      DescribeProducersResponse: MessageTypeDefinition<_tributary_v1_DescribeProducersResponse, _tributary_v1_DescribeProducersResponse__Output>
      DescribeProducersTopic: MessageTypeDefinition<_tributary_v1_DescribeProducersTopic, _tributary_v1_DescribeProducersTopic__Output>
      DescribeReplicasRequest: MessageTypeDefinition<_tributary_v1_DescribeReplicasRequest, _tributary_v1_DescribeReplicasRequest__Output>
      DescribeReplicasResponse: MessageTypeDefinition<_tributary_v1_DescribeReplicasResponse, _tributary_v1_DescribeReplicasResponse__Output>
      DescribedPartitionReplicas: MessageTypeDefinition<_tributary_v1_DescribedPartitionReplicas, _tributary_v1_DescribedPartitionReplicas__Output>
      FetchAbortedTransaction: MessageTypeDefinition<_tributary_v1_FetchAbortedTransaction, _tributary_v1_FetchAbortedTransaction__Output>
      FetchPartition: MessageTypeDefinition<_tributary_v1_FetchPartition, _tributary_v1_FetchPartition__Output>
      FetchPartitionResult: MessageTypeDefinition<_tributary_v1_FetchPartitionResult, _tributary_v1_FetchPartitionResult__Output>
      FetchRequest: MessageTypeDefinition<_tributary_v1_FetchRequest, _tributary_v1_FetchRequest__Output>
      FetchResponse: MessageTypeDefinition<_tributary_v1_FetchResponse, _tributary_v1_FetchResponse__Output>
      FetchStreamRequest: MessageTypeDefinition<_tributary_v1_FetchStreamRequest, _tributary_v1_FetchStreamRequest__Output>
      FetchStreamResponse: MessageTypeDefinition<_tributary_v1_FetchStreamResponse, _tributary_v1_FetchStreamResponse__Output>
      FetchTopic: MessageTypeDefinition<_tributary_v1_FetchTopic, _tributary_v1_FetchTopic__Output>
      InitProducerIdRequest: MessageTypeDefinition<_tributary_v1_InitProducerIdRequest, _tributary_v1_InitProducerIdRequest__Output>
      InitProducerIdResponse: MessageTypeDefinition<_tributary_v1_InitProducerIdResponse, _tributary_v1_InitProducerIdResponse__Output>
      ListOffsetsPartition: MessageTypeDefinition<_tributary_v1_ListOffsetsPartition, _tributary_v1_ListOffsetsPartition__Output>
      ListOffsetsPartitionResult: MessageTypeDefinition<_tributary_v1_ListOffsetsPartitionResult, _tributary_v1_ListOffsetsPartitionResult__Output>
      ListOffsetsRequest: MessageTypeDefinition<_tributary_v1_ListOffsetsRequest, _tributary_v1_ListOffsetsRequest__Output>
      ListOffsetsResponse: MessageTypeDefinition<_tributary_v1_ListOffsetsResponse, _tributary_v1_ListOffsetsResponse__Output>
      ListOffsetsTopic: MessageTypeDefinition<_tributary_v1_ListOffsetsTopic, _tributary_v1_ListOffsetsTopic__Output>
      MetadataRequest: MessageTypeDefinition<_tributary_v1_MetadataRequest, _tributary_v1_MetadataRequest__Output>
      MetadataResponse: MessageTypeDefinition<_tributary_v1_MetadataResponse, _tributary_v1_MetadataResponse__Output>
      MetadataTopicResult: MessageTypeDefinition<_tributary_v1_MetadataTopicResult, _tributary_v1_MetadataTopicResult__Output>
      PartitionInfo: MessageTypeDefinition<_tributary_v1_PartitionInfo, _tributary_v1_PartitionInfo__Output>
      ProducePartitionData: MessageTypeDefinition<_tributary_v1_ProducePartitionData, _tributary_v1_ProducePartitionData__Output>
      ProducePartitionResult: MessageTypeDefinition<_tributary_v1_ProducePartitionResult, _tributary_v1_ProducePartitionResult__Output>
      ProduceRequest: MessageTypeDefinition<_tributary_v1_ProduceRequest, _tributary_v1_ProduceRequest__Output>
      ProduceResponse: MessageTypeDefinition<_tributary_v1_ProduceResponse, _tributary_v1_ProduceResponse__Output>
      ProduceStreamRequest: MessageTypeDefinition<_tributary_v1_ProduceStreamRequest, _tributary_v1_ProduceStreamRequest__Output>
      ProduceStreamResponse: MessageTypeDefinition<_tributary_v1_ProduceStreamResponse, _tributary_v1_ProduceStreamResponse__Output>
      ProduceTopicData: MessageTypeDefinition<_tributary_v1_ProduceTopicData, _tributary_v1_ProduceTopicData__Output>
      ReplicaProgress: MessageTypeDefinition<_tributary_v1_ReplicaProgress, _tributary_v1_ReplicaProgress__Output>
      TopicConfigEntry: MessageTypeDefinition<_tributary_v1_TopicConfigEntry, _tributary_v1_TopicConfigEntry__Output>
      TopicInfo: MessageTypeDefinition<_tributary_v1_TopicInfo, _tributary_v1_TopicInfo__Output>
      TopicPartitionRef: MessageTypeDefinition<_tributary_v1_TopicPartitionRef, _tributary_v1_TopicPartitionRef__Output>
    }
  }
}

