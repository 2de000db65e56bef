// Original file: protos/tributary/v1/transactions.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddOffsetsToTxnRequest as _tributary_v1_AddOffsetsToTxnRequest, AddOffsetsToTxnRequest__Output as _tributary_v1_AddOffsetsToTxnRequest__Output } from '../../tributary/v1/AddOffsetsToTxnRequest.js';
import type { AddOffsetsToTxnResponse as _tributary_v1_AddOffsetsToTxnResponse, AddOffsetsToTxnResponse__Output as _tributary_v1_AddOffsetsToTxnResponse__Output } from '../../tributary/v1/AddOffsetsToTxnResponse.js';
import type { AddPartitionsToTxnRequest as _tributary_v1_AddPartitionsToTxnRequest, AddPartitionsToTxnRequest__Output as _tributary_v1_AddPartitionsToTxnRequest__Output } from '../../tributary/v1/AddPartitionsToTxnRequest.js';
import type { AddPartitionsToTxnResponse as _tributary_v1_AddPartitionsToTxnResponse, AddPartitionsToTxnResponse__Output as _tributary_v1_AddPartitionsToTxnResponse__Output } from '../../tributary/v1/AddPartitionsToTxnResponse.js';
import type { DescribeTransactionsRequest as _tributary_v1_DescribeTransactionsRequest, DescribeTransactionsRequest__Output as _tributary_v1_DescribeTransactionsRequest__Output } from '../../tributary/v1/DescribeTransactionsRequest.js';
import type { DescribeTransactionsResponse as _tributary_v1_DescribeTransactionsResponse, DescribeTransactionsResponse__Output as _tributary_v1_DescribeTransactionsResponse__Output } from '../../tributary/v1/DescribeTransactionsResponse.js';
import type { EndTxnRequest as _tributary_v1_EndTxnRequest, EndTxnRequest__Output as _tributary_v1_EndTxnRequest__Output } from '../../tributary/v1/EndTxnRequest.js';
import type { EndTxnResponse as _tributary_v1_EndTxnResponse, EndTxnResponse__Output as _tributary_v1_EndTxnResponse__Output } from '../../tributary/v1/EndTxnResponse.js';
import type { FindCoordinatorResponse as _tributary_v1_FindCoordinatorResponse, FindCoordinatorResponse__Output as _tributary_v1_FindCoordinatorResponse__Output } from '../../tributary/v1/FindCoordinatorResponse.js';
import type { FindTransactionCoordinatorRequest as _tributary_v1_FindTransactionCoordinatorRequest, FindTransactionCoordinatorRequest__Output as _tributary_v1_FindTransactionCoordinatorRequest__Output } from '../../tributary/v1/FindTransactionCoordinatorRequest.js';
import type { InitTransactionsRequest as _tributary_v1_InitTransactionsRequest, InitTransactionsRequest__Output as _tributary_v1_InitTransactionsRequest__Output } from '../../tributary/v1/InitTransactionsRequest.js';
import type { InitTransactionsResponse as _tributary_v1_InitTransactionsResponse, InitTransactionsResponse__Output as _tributary_v1_InitTransactionsResponse__Output } from '../../tributary/v1/InitTransactionsResponse.js';
import type { ListTransactionsRequest as _tributary_v1_ListTransactionsRequest, ListTransactionsRequest__Output as _tributary_v1_ListTransactionsRequest__Output } from '../../tributary/v1/ListTransactionsRequest.js';
import type { ListTransactionsResponse as _tributary_v1_ListTransactionsResponse, ListTransactionsResponse__Output as _tributary_v1_ListTransactionsResponse__Output } from '../../tributary/v1/ListTransactionsResponse.js';
import type { TxnOffsetCommitRequest as _tributary_v1_TxnOffsetCommitRequest, TxnOffsetCommitRequest__Output as _tributary_v1_TxnOffsetCommitRequest__Output } from '../../tributary/v1/TxnOffsetCommitRequest.js';
import type { TxnOffsetCommitResponse as _tributary_v1_TxnOffsetCommitResponse, TxnOffsetCommitResponse__Output as _tributary_v1_TxnOffsetCommitResponse__Output } from '../../tributary/v1/TxnOffsetCommitResponse.js';

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
export interface TransactionCoordinatorClient extends grpc.Client {
  AddOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  AddOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  AddOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  AddOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addOffsetsToTxn(argument: _tributary_v1_AddOffsetsToTxnRequest, callback: grpc.requestCallback<_tributary_v1_AddOffsetsToTxnResponse__Output>): grpc.ClientUnaryCall;
  
  AddPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  AddPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  AddPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  AddPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  addPartitionsToTxn(argument: _tributary_v1_AddPartitionsToTxnRequest, callback: grpc.requestCallback<_tributary_v1_AddPartitionsToTxnResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The transactions this broker coordinates (tools ask every broker and merge, as for groups).
   */
  DescribeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  DescribeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  DescribeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  DescribeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The transactions this broker coordinates (tools ask every broker and merge, as for groups).
   */
  describeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  describeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  describeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  describeTransactions(argument: _tributary_v1_DescribeTransactionsRequest, callback: grpc.requestCallback<_tributary_v1_DescribeTransactionsResponse__Output>): grpc.ClientUnaryCall;
  
  EndTxn(argument: _tributary_v1_EndTxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  EndTxn(argument: _tributary_v1_EndTxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  EndTxn(argument: _tributary_v1_EndTxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  EndTxn(argument: _tributary_v1_EndTxnRequest, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  endTxn(argument: _tributary_v1_EndTxnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  endTxn(argument: _tributary_v1_EndTxnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  endTxn(argument: _tributary_v1_EndTxnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  endTxn(argument: _tributary_v1_EndTxnRequest, callback: grpc.requestCallback<_tributary_v1_EndTxnResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Any broker: which broker coordinates the transactional id (creates __transaction_state on first use).
   * The answer has the shape of the group coordinator's (node id and address).
   */
  FindTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  FindTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  FindTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  FindTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Any broker: which broker coordinates the transactional id (creates __transaction_state on first use).
   * The answer has the shape of the group coordinator's (node id and address).
   */
  findTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  findTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  findTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  findTransactionCoordinator(argument: _tributary_v1_FindTransactionCoordinatorRequest, callback: grpc.requestCallback<_tributary_v1_FindCoordinatorResponse__Output>): grpc.ClientUnaryCall;
  
  InitTransactions(argument: _tributary_v1_InitTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  InitTransactions(argument: _tributary_v1_InitTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  InitTransactions(argument: _tributary_v1_InitTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  InitTransactions(argument: _tributary_v1_InitTransactionsRequest, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  initTransactions(argument: _tributary_v1_InitTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  initTransactions(argument: _tributary_v1_InitTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  initTransactions(argument: _tributary_v1_InitTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  initTransactions(argument: _tributary_v1_InitTransactionsRequest, callback: grpc.requestCallback<_tributary_v1_InitTransactionsResponse__Output>): grpc.ClientUnaryCall;
  
  ListTransactions(argument: _tributary_v1_ListTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  ListTransactions(argument: _tributary_v1_ListTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  ListTransactions(argument: _tributary_v1_ListTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  ListTransactions(argument: _tributary_v1_ListTransactionsRequest, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listTransactions(argument: _tributary_v1_ListTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listTransactions(argument: _tributary_v1_ListTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listTransactions(argument: _tributary_v1_ListTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listTransactions(argument: _tributary_v1_ListTransactionsRequest, callback: grpc.requestCallback<_tributary_v1_ListTransactionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Answered by the GROUP's coordinator (GroupCoordinator.FindCoordinator), not the transaction's: the
   * offsets become visible to OffsetFetch when the transaction commits and are dropped when it aborts.
   */
  TxnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  TxnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  TxnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  TxnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Answered by the GROUP's coordinator (GroupCoordinator.FindCoordinator), not the transaction's: the
   * offsets become visible to OffsetFetch when the transaction commits and are dropped when it aborts.
   */
  txnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  txnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  txnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  txnOffsetCommit(argument: _tributary_v1_TxnOffsetCommitRequest, callback: grpc.requestCallback<_tributary_v1_TxnOffsetCommitResponse__Output>): grpc.ClientUnaryCall;
  
}

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
export interface TransactionCoordinatorHandlers extends grpc.UntypedServiceImplementation {
  AddOffsetsToTxn: grpc.handleUnaryCall<_tributary_v1_AddOffsetsToTxnRequest__Output, _tributary_v1_AddOffsetsToTxnResponse>;
  
  AddPartitionsToTxn: grpc.handleUnaryCall<_tributary_v1_AddPartitionsToTxnRequest__Output, _tributary_v1_AddPartitionsToTxnResponse>;
  
  /**
   * The transactions this broker coordinates (tools ask every broker and merge, as for groups).
   */
  DescribeTransactions: grpc.handleUnaryCall<_tributary_v1_DescribeTransactionsRequest__Output, _tributary_v1_DescribeTransactionsResponse>;
  
  EndTxn: grpc.handleUnaryCall<_tributary_v1_EndTxnRequest__Output, _tributary_v1_EndTxnResponse>;
  
  /**
   * Any broker: which broker coordinates the transactional id (creates __transaction_state on first use).
   * The answer has the shape of the group coordinator's (node id and address).
   */
  FindTransactionCoordinator: grpc.handleUnaryCall<_tributary_v1_FindTransactionCoordinatorRequest__Output, _tributary_v1_FindCoordinatorResponse>;
  
  InitTransactions: grpc.handleUnaryCall<_tributary_v1_InitTransactionsRequest__Output, _tributary_v1_InitTransactionsResponse>;
  
  ListTransactions: grpc.handleUnaryCall<_tributary_v1_ListTransactionsRequest__Output, _tributary_v1_ListTransactionsResponse>;
  
  /**
   * Answered by the GROUP's coordinator (GroupCoordinator.FindCoordinator), not the transaction's: the
   * offsets become visible to OffsetFetch when the transaction commits and are dropped when it aborts.
   */
  TxnOffsetCommit: grpc.handleUnaryCall<_tributary_v1_TxnOffsetCommitRequest__Output, _tributary_v1_TxnOffsetCommitResponse>;
  
}

export interface TransactionCoordinatorDefinition extends grpc.ServiceDefinition {
  AddOffsetsToTxn: MethodDefinition<_tributary_v1_AddOffsetsToTxnRequest, _tributary_v1_AddOffsetsToTxnResponse, _tributary_v1_AddOffsetsToTxnRequest__Output, _tributary_v1_AddOffsetsToTxnResponse__Output>
  AddPartitionsToTxn: MethodDefinition<_tributary_v1_AddPartitionsToTxnRequest, _tributary_v1_AddPartitionsToTxnResponse, _tributary_v1_AddPartitionsToTxnRequest__Output, _tributary_v1_AddPartitionsToTxnResponse__Output>
  DescribeTransactions: MethodDefinition<_tributary_v1_DescribeTransactionsRequest, _tributary_v1_DescribeTransactionsResponse, _tributary_v1_DescribeTransactionsRequest__Output, _tributary_v1_DescribeTransactionsResponse__Output>
  EndTxn: MethodDefinition<_tributary_v1_EndTxnRequest, _tributary_v1_EndTxnResponse, _tributary_v1_EndTxnRequest__Output, _tributary_v1_EndTxnResponse__Output>
  FindTransactionCoordinator: MethodDefinition<_tributary_v1_FindTransactionCoordinatorRequest, _tributary_v1_FindCoordinatorResponse, _tributary_v1_FindTransactionCoordinatorRequest__Output, _tributary_v1_FindCoordinatorResponse__Output>
  InitTransactions: MethodDefinition<_tributary_v1_InitTransactionsRequest, _tributary_v1_InitTransactionsResponse, _tributary_v1_InitTransactionsRequest__Output, _tributary_v1_InitTransactionsResponse__Output>
  ListTransactions: MethodDefinition<_tributary_v1_ListTransactionsRequest, _tributary_v1_ListTransactionsResponse, _tributary_v1_ListTransactionsRequest__Output, _tributary_v1_ListTransactionsResponse__Output>
  TxnOffsetCommit: MethodDefinition<_tributary_v1_TxnOffsetCommitRequest, _tributary_v1_TxnOffsetCommitResponse, _tributary_v1_TxnOffsetCommitRequest__Output, _tributary_v1_TxnOffsetCommitResponse__Output>
}
