// Original file: protos/tributary/v1/transactions.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { VerifyTxnPartitionsRequest as _tributary_v1_VerifyTxnPartitionsRequest, VerifyTxnPartitionsRequest__Output as _tributary_v1_VerifyTxnPartitionsRequest__Output } from '../../tributary/v1/VerifyTxnPartitionsRequest.js';
import type { VerifyTxnPartitionsResponse as _tributary_v1_VerifyTxnPartitionsResponse, VerifyTxnPartitionsResponse__Output as _tributary_v1_VerifyTxnPartitionsResponse__Output } from '../../tributary/v1/VerifyTxnPartitionsResponse.js';
import type { WriteTxnMarkersRequest as _tributary_v1_WriteTxnMarkersRequest, WriteTxnMarkersRequest__Output as _tributary_v1_WriteTxnMarkersRequest__Output } from '../../tributary/v1/WriteTxnMarkersRequest.js';
import type { WriteTxnMarkersResponse as _tributary_v1_WriteTxnMarkersResponse, WriteTxnMarkersResponse__Output as _tributary_v1_WriteTxnMarkersResponse__Output } from '../../tributary/v1/WriteTxnMarkersResponse.js';

/**
 * Broker to broker (ClusterAction).
 */
export interface TransactionMarkersClient extends grpc.Client {
  /**
   * Partition leader → coordinator (KIP-890 part 1): are these partitions in the producer's ongoing
   * transaction? Asked before a producer's first transactional write to a partition is accepted.
   */
  VerifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  VerifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  VerifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  VerifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Partition leader → coordinator (KIP-890 part 1): are these partitions in the producer's ongoing
   * transaction? Asked before a producer's first transactional write to a partition is accepted.
   */
  verifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  verifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  verifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  verifyTxnPartitions(argument: _tributary_v1_VerifyTxnPartitionsRequest, callback: grpc.requestCallback<_tributary_v1_VerifyTxnPartitionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Coordinator → partition leaders: append a COMMIT or ABORT control batch for each producer to each
   * partition (Kafka's WriteTxnMarkers); answered per partition once the marker is replicated (acks=all).
   */
  WriteTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  WriteTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  WriteTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  WriteTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Coordinator → partition leaders: append a COMMIT or ABORT control batch for each producer to each
   * partition (Kafka's WriteTxnMarkers); answered per partition once the marker is replicated (acks=all).
   */
  writeTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  writeTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  writeTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  writeTxnMarkers(argument: _tributary_v1_WriteTxnMarkersRequest, callback: grpc.requestCallback<_tributary_v1_WriteTxnMarkersResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Broker to broker (ClusterAction).
 */
export interface TransactionMarkersHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Partition leader → coordinator (KIP-890 part 1): are these partitions in the producer's ongoing
   * transaction? Asked before a producer's first transactional write to a partition is accepted.
   */
  VerifyTxnPartitions: grpc.handleUnaryCall<_tributary_v1_VerifyTxnPartitionsRequest__Output, _tributary_v1_VerifyTxnPartitionsResponse>;
  
  /**
   * Coordinator → partition leaders: append a COMMIT or ABORT control batch for each producer to each
   * partition (Kafka's WriteTxnMarkers); answered per partition once the marker is replicated (acks=all).
   */
  WriteTxnMarkers: grpc.handleUnaryCall<_tributary_v1_WriteTxnMarkersRequest__Output, _tributary_v1_WriteTxnMarkersResponse>;
  
}

export interface TransactionMarkersDefinition extends grpc.ServiceDefinition {
  VerifyTxnPartitions: MethodDefinition<_tributary_v1_VerifyTxnPartitionsRequest, _tributary_v1_VerifyTxnPartitionsResponse, _tributary_v1_VerifyTxnPartitionsRequest__Output, _tributary_v1_VerifyTxnPartitionsResponse__Output>
  WriteTxnMarkers: MethodDefinition<_tributary_v1_WriteTxnMarkersRequest, _tributary_v1_WriteTxnMarkersResponse, _tributary_v1_WriteTxnMarkersRequest__Output, _tributary_v1_WriteTxnMarkersResponse__Output>
}
