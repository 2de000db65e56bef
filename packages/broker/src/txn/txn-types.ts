/**
 * What the transaction coordinator's pure core (txn-coordinator-core.ts) takes and gives: requests,
 * the effects a shell runs for it, and the outcomes it answers with. A leaf file, so the shell, the
 * Kafka and gRPC handlers and the tests share the types without importing the core.
 */
import type { TributaryError } from '@tributary/core';
import type { Assignment, TopicPartition } from '../group/assignment.js';
import type { TxnStateRecord } from './txn-log-codec.js';
import type { TxnResult, TxnState } from './txn-metadata.js';

/** Chosen by the shell per client request; the core answers it in exactly one `reply` effect. */
export type RequestId = number;

/** Names one pending transition of one transactional id; completions quote it. */
export type TransitionId = number;

export interface InitProducerIdRequest {
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  /** KIP-360 (InitProducerId v3+): the producer id and epoch the client had; -1 and -1 for none. */
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface TxnProducerRequest {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface AddPartitionsRequest extends TxnProducerRequest {
  readonly partitions: readonly TopicPartition[];
}

export interface AddOffsetsRequest extends TxnProducerRequest {
  readonly groupId: string;
}

export interface EndTxnRequest extends TxnProducerRequest {
  readonly result: TxnResult;
}

export type TxnOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'producer-id'; readonly producerId: number; readonly producerEpoch: number }
  | { readonly kind: 'error'; readonly error: TributaryError };

/**
 * The shell's duties, in the order the effects are returned (etcd's Ready, for a coordinator):
 * - `allocate-producer-id`: get a producer id (ProducerIdManager), then call onProducerIdAllocated or
 *   onProducerIdAllocationFailed with the transition id.
 * - `write-state`: append the record to `partition` of __transaction_state with acks=all, then call
 *   onStateWritten, or onStateWriteFailed only if the record was certainly not written. A write whose
 *   fate is unknown (a timeout after the append) must unload the shard instead: the next leader's load
 *   decides from what the log holds.
 * - `write-markers`: WriteTxnMarkers to the leaders of the partitions (in any grouping), each marker
 *   carrying the coordinator epoch; report each partition through onMarkersWritten (also when its topic
 *   is gone or the partition refused the marker's producer or coordinator epoch — Kafka drops those)
 *   or onMarkersFailed (retriable: the core asks again; the shell backs off).
 * - `reply`: answer the request.
 * At most one write-state or write-markers round is in flight per transactional id.
 */
export type TxnEffect =
  | {
      readonly kind: 'allocate-producer-id';
      readonly transitionId: TransitionId;
      readonly transactionalId: string;
    }
  | {
      readonly kind: 'write-state';
      readonly transitionId: TransitionId;
      readonly partition: number;
      readonly record: TxnStateRecord;
    }
  | {
      readonly kind: 'write-markers';
      readonly transitionId: TransitionId;
      readonly transactionalId: string;
      readonly producerId: number;
      readonly producerEpoch: number;
      readonly marker: TxnResult;
      readonly partitions: readonly TopicPartition[];
      readonly coordinatorEpoch: number;
    }
  | { readonly kind: 'reply'; readonly requestId: RequestId; readonly outcome: TxnOutcome };

/** One transaction as DescribeTransactions shows it (the written state, not a pending one). */
export interface TxnDescription {
  readonly transactionalId: string;
  readonly state: TxnState;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly timeoutMs: number;
  /** -1 while no transaction has started. */
  readonly txnStartMs: number;
  readonly partitions: Assignment;
}

export type TxnDescribeResult =
  | { readonly kind: 'found'; readonly description: TxnDescription }
  | { readonly kind: 'error'; readonly transactionalId: string; readonly error: TributaryError };

/** ListTransactions filters (KIP-664; durationMs from KIP-994, -1 = no filter). Empty lists match all. */
export interface TxnListFilter {
  readonly states?: readonly string[];
  readonly producerIds?: readonly number[];
  readonly durationMs?: number;
}

export interface TxnListing {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly state: TxnState;
}
