// Original file: protos/tributary/v1/broker.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteRecordsRequest as _tributary_v1_DeleteRecordsRequest, DeleteRecordsRequest__Output as _tributary_v1_DeleteRecordsRequest__Output } from '../../tributary/v1/DeleteRecordsRequest.js';
import type { DeleteRecordsResponse as _tributary_v1_DeleteRecordsResponse, DeleteRecordsResponse__Output as _tributary_v1_DeleteRecordsResponse__Output } from '../../tributary/v1/DeleteRecordsResponse.js';
import type { DescribeProducersRequest as _tributary_v1_DescribeProducersRequest, DescribeProducersRequest__Output as _tributary_v1_DescribeProducersRequest__Output } from '../../tributary/v1/DescribeProducersRequest.js';
import type { DescribeProducersResponse as _tributary_v1_DescribeProducersResponse, DescribeProducersResponse__Output as _tributary_v1_DescribeProducersResponse__Output } from '../../tributary/v1/DescribeProducersResponse.js';
import type { DescribeReplicasRequest as _tributary_v1_DescribeReplicasRequest, DescribeReplicasRequest__Output as _tributary_v1_DescribeReplicasRequest__Output } from '../../tributary/v1/DescribeReplicasRequest.js';
import type { DescribeReplicasResponse as _tributary_v1_DescribeReplicasResponse, DescribeReplicasResponse__Output as _tributary_v1_DescribeReplicasResponse__Output } from '../../tributary/v1/DescribeReplicasResponse.js';
import type { FetchRequest as _tributary_v1_FetchRequest, FetchRequest__Output as _tributary_v1_FetchRequest__Output } from '../../tributary/v1/FetchRequest.js';
import type { FetchResponse as _tributary_v1_FetchResponse, FetchResponse__Output as _tributary_v1_FetchResponse__Output } from '../../tributary/v1/FetchResponse.js';
import type { FetchStreamRequest as _tributary_v1_FetchStreamRequest, FetchStreamRequest__Output as _tributary_v1_FetchStreamRequest__Output } from '../../tributary/v1/FetchStreamRequest.js';
import type { FetchStreamResponse as _tributary_v1_FetchStreamResponse, FetchStreamResponse__Output as _tributary_v1_FetchStreamResponse__Output } from '../../tributary/v1/FetchStreamResponse.js';
import type { InitProducerIdRequest as _tributary_v1_InitProducerIdRequest, InitProducerIdRequest__Output as _tributary_v1_InitProducerIdRequest__Output } from '../../tributary/v1/InitProducerIdRequest.js';
import type { InitProducerIdResponse as _tributary_v1_InitProducerIdResponse, InitProducerIdResponse__Output as _tributary_v1_InitProducerIdResponse__Output } from '../../tributary/v1/InitProducerIdResponse.js';
import type { ListOffsetsRequest as _tributary_v1_ListOffsetsRequest, ListOffsetsRequest__Output as _tributary_v1_ListOffsetsRequest__Output } from '../../tributary/v1/ListOffsetsRequest.js';
import type { ListOffsetsResponse as _tributary_v1_ListOffsetsResponse, ListOffsetsResponse__Output as _tributary_v1_ListOffsetsResponse__Output } from '../../tributary/v1/ListOffsetsResponse.js';
import type { MetadataRequest as _tributary_v1_MetadataRequest, MetadataRequest__Output as _tributary_v1_MetadataRequest__Output } from '../../tributary/v1/MetadataRequest.js';
import type { MetadataResponse as _tributary_v1_MetadataResponse, MetadataResponse__Output as _tributary_v1_MetadataResponse__Output } from '../../tributary/v1/MetadataResponse.js';
import type { ProduceRequest as _tributary_v1_ProduceRequest, ProduceRequest__Output as _tributary_v1_ProduceRequest__Output } from '../../tributary/v1/ProduceRequest.js';
import type { ProduceResponse as _tributary_v1_ProduceResponse, ProduceResponse__Output as _tributary_v1_ProduceResponse__Output } from '../../tributary/v1/ProduceResponse.js';
import type { ProduceStreamRequest as _tributary_v1_ProduceStreamRequest, ProduceStreamRequest__Output as _tributary_v1_ProduceStreamRequest__Output } from '../../tributary/v1/ProduceStreamRequest.js';
import type { ProduceStreamResponse as _tributary_v1_ProduceStreamResponse, ProduceStreamResponse__Output as _tributary_v1_ProduceStreamResponse__Output } from '../../tributary/v1/ProduceStreamResponse.js';

/**
 * Client-facing broker services (DESIGN §6, §7). Record data travels as whole Kafka RecordBatch v2 bytes
 * (packages/records): the broker never decodes individual records on the hot path.
 * 
 * Per-partition outcomes carry an `error_code` string from the shared table (packages/core ERROR_CODES;
 * empty = success) because one request covers many partitions and some may fail while others succeed.
 * Whole-request failures (malformed request, shutting down) are gRPC statuses as elsewhere.
 */
export interface BrokerClient extends grpc.Client {
  /**
   * Kafka's DeleteRecords (KIP-107), answered by each partition's leader: moves the log start offset forward
   * so records below it are never served again, then waits (up to timeout_ms) until every in-sync replica
   * has moved its own log start too.
   */
  DeleteRecords(argument: _tributary_v1_DeleteRecordsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  DeleteRecords(argument: _tributary_v1_DeleteRecordsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  DeleteRecords(argument: _tributary_v1_DeleteRecordsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  DeleteRecords(argument: _tributary_v1_DeleteRecordsRequest, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Kafka's DeleteRecords (KIP-107), answered by each partition's leader: moves the log start offset forward
   * so records below it are never served again, then waits (up to timeout_ms) until every in-sync replica
   * has moved its own log start too.
   */
  deleteRecords(argument: _tributary_v1_DeleteRecordsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  deleteRecords(argument: _tributary_v1_DeleteRecordsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  deleteRecords(argument: _tributary_v1_DeleteRecordsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  deleteRecords(argument: _tributary_v1_DeleteRecordsRequest, callback: grpc.requestCallback<_tributary_v1_DeleteRecordsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Kafka's DescribeProducers (API key 61, KIP-664), answered by each partition's leader from its log's
   * producer state: the producers it still remembers, with their last sequence and their open
   * transaction's first offset. This is how an operator finds the producer id and epochs of a hanging
   * transaction before aborting it (`trib transactions describe-producers`, `abort --start-offset`).
   */
  DescribeProducers(argument: _tributary_v1_DescribeProducersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  DescribeProducers(argument: _tributary_v1_DescribeProducersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  DescribeProducers(argument: _tributary_v1_DescribeProducersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  DescribeProducers(argument: _tributary_v1_DescribeProducersRequest, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Kafka's DescribeProducers (API key 61, KIP-664), answered by each partition's leader from its log's
   * producer state: the producers it still remembers, with their last sequence and their open
   * transaction's first offset. This is how an operator finds the producer id and epochs of a hanging
   * transaction before aborting it (`trib transactions describe-producers`, `abort --start-offset`).
   */
  describeProducers(argument: _tributary_v1_DescribeProducersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  describeProducers(argument: _tributary_v1_DescribeProducersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  describeProducers(argument: _tributary_v1_DescribeProducersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  describeProducers(argument: _tributary_v1_DescribeProducersRequest, callback: grpc.requestCallback<_tributary_v1_DescribeProducersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Answered by a partition's leader: its log's extent and size and each replica's log end offset as the
   * leader last saw it (reassignment progress: bytes behind and ETA per moving replica).
   */
  DescribeReplicas(argument: _tributary_v1_DescribeReplicasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  DescribeReplicas(argument: _tributary_v1_DescribeReplicasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  DescribeReplicas(argument: _tributary_v1_DescribeReplicasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  DescribeReplicas(argument: _tributary_v1_DescribeReplicasRequest, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Answered by a partition's leader: its log's extent and size and each replica's log end offset as the
   * leader last saw it (reassignment progress: bytes behind and ETA per moving replica).
   */
  describeReplicas(argument: _tributary_v1_DescribeReplicasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  describeReplicas(argument: _tributary_v1_DescribeReplicasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  describeReplicas(argument: _tributary_v1_DescribeReplicasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  describeReplicas(argument: _tributary_v1_DescribeReplicasRequest, callback: grpc.requestCallback<_tributary_v1_DescribeReplicasResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Long poll: waits up to max_wait_ms for min_bytes of data at or below the high watermark.
   */
  Fetch(argument: _tributary_v1_FetchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  Fetch(argument: _tributary_v1_FetchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  Fetch(argument: _tributary_v1_FetchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  Fetch(argument: _tributary_v1_FetchRequest, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Long poll: waits up to max_wait_ms for min_bytes of data at or below the high watermark.
   */
  fetch(argument: _tributary_v1_FetchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  fetch(argument: _tributary_v1_FetchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  fetch(argument: _tributary_v1_FetchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  fetch(argument: _tributary_v1_FetchRequest, callback: grpc.requestCallback<_tributary_v1_FetchResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Fetch over long-lived streams (issue 15): each request carries an id its answer repeats, and is checked,
   * throttled, long-polled and answered exactly as a unary Fetch; answers come as requests complete, so they
   * may overtake each other. A message with `cancel` set ends the long poll of the request it names (answered
   * at once, the answer unused); a client that cancels the stream ends them all. Brokers without it answer
   * UNIMPLEMENTED: clients then use Fetch.
   */
  FetchStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_FetchStreamRequest, _tributary_v1_FetchStreamResponse__Output>;
  FetchStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_FetchStreamRequest, _tributary_v1_FetchStreamResponse__Output>;
  /**
   * Fetch over long-lived streams (issue 15): each request carries an id its answer repeats, and is checked,
   * throttled, long-polled and answered exactly as a unary Fetch; answers come as requests complete, so they
   * may overtake each other. A message with `cancel` set ends the long poll of the request it names (answered
   * at once, the answer unused); a client that cancels the stream ends them all. Brokers without it answer
   * UNIMPLEMENTED: clients then use Fetch.
   */
  fetchStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_FetchStreamRequest, _tributary_v1_FetchStreamResponse__Output>;
  fetchStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_FetchStreamRequest, _tributary_v1_FetchStreamResponse__Output>;
  
  /**
   * A producer id for an idempotent producer (epoch 0); the broker hands them out from blocks the
   * controller allocates (metadata record ProducerIds), so ids are unique across the cluster.
   */
  InitProducerId(argument: _tributary_v1_InitProducerIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  InitProducerId(argument: _tributary_v1_InitProducerIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  InitProducerId(argument: _tributary_v1_InitProducerIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  InitProducerId(argument: _tributary_v1_InitProducerIdRequest, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A producer id for an idempotent producer (epoch 0); the broker hands them out from blocks the
   * controller allocates (metadata record ProducerIds), so ids are unique across the cluster.
   */
  initProducerId(argument: _tributary_v1_InitProducerIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  initProducerId(argument: _tributary_v1_InitProducerIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  initProducerId(argument: _tributary_v1_InitProducerIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  initProducerId(argument: _tributary_v1_InitProducerIdRequest, callback: grpc.requestCallback<_tributary_v1_InitProducerIdResponse__Output>): grpc.ClientUnaryCall;
  
  ListOffsets(argument: _tributary_v1_ListOffsetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  ListOffsets(argument: _tributary_v1_ListOffsetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  ListOffsets(argument: _tributary_v1_ListOffsetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  ListOffsets(argument: _tributary_v1_ListOffsetsRequest, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  listOffsets(argument: _tributary_v1_ListOffsetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  listOffsets(argument: _tributary_v1_ListOffsetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  listOffsets(argument: _tributary_v1_ListOffsetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  listOffsets(argument: _tributary_v1_ListOffsetsRequest, callback: grpc.requestCallback<_tributary_v1_ListOffsetsResponse__Output>): grpc.ClientUnaryCall;
  
  Metadata(argument: _tributary_v1_MetadataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  Metadata(argument: _tributary_v1_MetadataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  Metadata(argument: _tributary_v1_MetadataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  Metadata(argument: _tributary_v1_MetadataRequest, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  metadata(argument: _tributary_v1_MetadataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  metadata(argument: _tributary_v1_MetadataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  metadata(argument: _tributary_v1_MetadataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  metadata(argument: _tributary_v1_MetadataRequest, callback: grpc.requestCallback<_tributary_v1_MetadataResponse__Output>): grpc.ClientUnaryCall;
  
  Produce(argument: _tributary_v1_ProduceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  Produce(argument: _tributary_v1_ProduceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  Produce(argument: _tributary_v1_ProduceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  Produce(argument: _tributary_v1_ProduceRequest, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  produce(argument: _tributary_v1_ProduceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  produce(argument: _tributary_v1_ProduceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  produce(argument: _tributary_v1_ProduceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  produce(argument: _tributary_v1_ProduceRequest, callback: grpc.requestCallback<_tributary_v1_ProduceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Produce over one long-lived stream per client and broker (issue 15): each request carries an id its
   * answer repeats, and answers come as requests complete (acks=all ones in high watermark order, so they may
   * overtake each other across partitions). Each request is checked, throttled and answered as a unary
   * Produce; a refused one is answered with its error code and the stream stays open. Brokers without it
   * answer UNIMPLEMENTED: clients then use Produce.
   */
  ProduceStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ProduceStreamRequest, _tributary_v1_ProduceStreamResponse__Output>;
  ProduceStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ProduceStreamRequest, _tributary_v1_ProduceStreamResponse__Output>;
  /**
   * Produce over one long-lived stream per client and broker (issue 15): each request carries an id its
   * answer repeats, and answers come as requests complete (acks=all ones in high watermark order, so they may
   * overtake each other across partitions). Each request is checked, throttled and answered as a unary
   * Produce; a refused one is answered with its error code and the stream stays open. Brokers without it
   * answer UNIMPLEMENTED: clients then use Produce.
   */
  produceStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ProduceStreamRequest, _tributary_v1_ProduceStreamResponse__Output>;
  produceStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ProduceStreamRequest, _tributary_v1_ProduceStreamResponse__Output>;
  
}

/**
 * Client-facing broker services (DESIGN §6, §7). Record data travels as whole Kafka RecordBatch v2 bytes
 * (packages/records): the broker never decodes individual records on the hot path.
 * 
 * Per-partition outcomes carry an `error_code` string from the shared table (packages/core ERROR_CODES;
 * empty = success) because one request covers many partitions and some may fail while others succeed.
 * Whole-request failures (malformed request, shutting down) are gRPC statuses as elsewhere.
 */
export interface BrokerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Kafka's DeleteRecords (KIP-107), answered by each partition's leader: moves the log start offset forward
   * so records below it are never served again, then waits (up to timeout_ms) until every in-sync replica
   * has moved its own log start too.
   */
  DeleteRecords: grpc.handleUnaryCall<_tributary_v1_DeleteRecordsRequest__Output, _tributary_v1_DeleteRecordsResponse>;
  
  /**
   * Kafka's DescribeProducers (API key 61, KIP-664), answered by each partition's leader from its log's
   * producer state: the producers it still remembers, with their last sequence and their open
   * transaction's first offset. This is how an operator finds the producer id and epochs of a hanging
   * transaction before aborting it (`trib transactions describe-producers`, `abort --start-offset`).
   */
  DescribeProducers: grpc.handleUnaryCall<_tributary_v1_DescribeProducersRequest__Output, _tributary_v1_DescribeProducersResponse>;
  
  /**
   * Answered by a partition's leader: its log's extent and size and each replica's log end offset as the
   * leader last saw it (reassignment progress: bytes behind and ETA per moving replica).
   */
  DescribeReplicas: grpc.handleUnaryCall<_tributary_v1_DescribeReplicasRequest__Output, _tributary_v1_DescribeReplicasResponse>;
  
  /**
   * Long poll: waits up to max_wait_ms for min_bytes of data at or below the high watermark.
   */
  Fetch: grpc.handleUnaryCall<_tributary_v1_FetchRequest__Output, _tributary_v1_FetchResponse>;
  
  /**
   * Fetch over long-lived streams (issue 15): each request carries an id its answer repeats, and is checked,
   * throttled, long-polled and answered exactly as a unary Fetch; answers come as requests complete, so they
   * may overtake each other. A message with `cancel` set ends the long poll of the request it names (answered
   * at once, the answer unused); a client that cancels the stream ends them all. Brokers without it answer
   * UNIMPLEMENTED: clients then use Fetch.
   */
  FetchStream: grpc.handleBidiStreamingCall<_tributary_v1_FetchStreamRequest__Output, _tributary_v1_FetchStreamResponse>;
  
  /**
   * A producer id for an idempotent producer (epoch 0); the broker hands them out from blocks the
   * controller allocates (metadata record ProducerIds), so ids are unique across the cluster.
   */
  InitProducerId: grpc.handleUnaryCall<_tributary_v1_InitProducerIdRequest__Output, _tributary_v1_InitProducerIdResponse>;
  
  ListOffsets: grpc.handleUnaryCall<_tributary_v1_ListOffsetsRequest__Output, _tributary_v1_ListOffsetsResponse>;
  
  Metadata: grpc.handleUnaryCall<_tributary_v1_MetadataRequest__Output, _tributary_v1_MetadataResponse>;
  
  Produce: grpc.handleUnaryCall<_tributary_v1_ProduceRequest__Output, _tributary_v1_ProduceResponse>;
  
  /**
   * Produce over one long-lived stream per client and broker (issue 15): each request carries an id its
   * answer repeats, and answers come as requests complete (acks=all ones in high watermark order, so they may
   * overtake each other across partitions). Each request is checked, throttled and answered as a unary
   * Produce; a refused one is answered with its error code and the stream stays open. Brokers without it
   * answer UNIMPLEMENTED: clients then use Produce.
   */
  ProduceStream: grpc.handleBidiStreamingCall<_tributary_v1_ProduceStreamRequest__Output, _tributary_v1_ProduceStreamResponse>;
  
}

export interface BrokerDefinition extends grpc.ServiceDefinition {
  DeleteRecords: MethodDefinition<_tributary_v1_DeleteRecordsRequest, _tributary_v1_DeleteRecordsResponse, _tributary_v1_DeleteRecordsRequest__Output, _tributary_v1_DeleteRecordsResponse__Output>
  DescribeProducers: MethodDefinition<_tributary_v1_DescribeProducersRequest, _tributary_v1_DescribeProducersResponse, _tributary_v1_DescribeProducersRequest__Output, _tributary_v1_DescribeProducersResponse__Output>
  DescribeReplicas: MethodDefinition<_tributary_v1_DescribeReplicasRequest, _tributary_v1_DescribeReplicasResponse, _tributary_v1_DescribeReplicasRequest__Output, _tributary_v1_DescribeReplicasResponse__Output>
  Fetch: MethodDefinition<_tributary_v1_FetchRequest, _tributary_v1_FetchResponse, _tributary_v1_FetchRequest__Output, _tributary_v1_FetchResponse__Output>
  FetchStream: MethodDefinition<_tributary_v1_FetchStreamRequest, _tributary_v1_FetchStreamResponse, _tributary_v1_FetchStreamRequest__Output, _tributary_v1_FetchStreamResponse__Output>
  InitProducerId: MethodDefinition<_tributary_v1_InitProducerIdRequest, _tributary_v1_InitProducerIdResponse, _tributary_v1_InitProducerIdRequest__Output, _tributary_v1_InitProducerIdResponse__Output>
  ListOffsets: MethodDefinition<_tributary_v1_ListOffsetsRequest, _tributary_v1_ListOffsetsResponse, _tributary_v1_ListOffsetsRequest__Output, _tributary_v1_ListOffsetsResponse__Output>
  Metadata: MethodDefinition<_tributary_v1_MetadataRequest, _tributary_v1_MetadataResponse, _tributary_v1_MetadataRequest__Output, _tributary_v1_MetadataResponse__Output>
  Produce: MethodDefinition<_tributary_v1_ProduceRequest, _tributary_v1_ProduceResponse, _tributary_v1_ProduceRequest__Output, _tributary_v1_ProduceResponse__Output>
  ProduceStream: MethodDefinition<_tributary_v1_ProduceStreamRequest, _tributary_v1_ProduceStreamResponse, _tributary_v1_ProduceStreamRequest__Output, _tributary_v1_ProduceStreamResponse__Output>
}
