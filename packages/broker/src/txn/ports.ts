/**
 * Where the transaction coordinator meets the group coordinator and the Kafka listener, as interfaces
 * (a leaf file: neither side imports the other). The group coordinator answers TxnOffsetCommit (the
 * GROUP's coordinator does, not the transaction's) and learns from the markers written to its
 * __consumer_offsets partitions whether a producer's pending offsets commit or abort; the Kafka
 * listener's transaction APIs call the transaction coordinator through TransactionCoordinatorPort.
 */
import type { TributaryError } from '@tributary/core';
import type {
  TxnOffsetCommitRequest__Output,
  TxnOffsetCommitResponse,
  WriteTxnMarkersRequest__Output,
  WriteTxnMarkersResponse,
} from '@tributary/protocol';
import type {
  AddOffsetsRequest,
  AddPartitionsRequest,
  EndTxnRequest,
  InitProducerIdRequest,
  TxnDescribeResult,
  TxnListFilter,
  TxnListing,
} from './txn-types.js';

/** TxnOffsetCommit, implemented by the group coordinator; rejects with a TributaryError. */
export interface TxnOffsetCommitPort {
  txnOffsetCommit(request: TxnOffsetCommitRequest__Output): Promise<TxnOffsetCommitResponse>;
}

/**
 * Told after a COMMIT or ABORT marker was written (acks=all) to a partition of __consumer_offsets this
 * broker leads, so the group coordinator materializes (commit) or drops (abort) the producer's pending
 * offsets. Called synchronously, once per marker; it must not throw.
 */
export interface TxnMarkerListener {
  onMarkerWritten(
    topic: string,
    partition: number,
    producerId: number,
    producerEpoch: number,
    commit: boolean,
  ): void;
}

/**
 * The ports a broker fills once its group coordinator exists (null until then, or when it runs none):
 * the transaction services read them on every call, so the order of wiring does not matter.
 */
export interface TxnPorts {
  txnOffsetCommit: TxnOffsetCommitPort | null;
  markerListener: TxnMarkerListener | null;
}

/** The coordinator's address, in the shape of the group coordinator's FindCoordinator answer. */
export interface CoordinatorAddress {
  readonly nodeId: number;
  readonly address: string;
}

/**
 * The transaction coordinator as request handlers see it (gRPC and Kafka alike). Every method rejects
 * (or throws) a TributaryError with Kafka's code: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
 * CONCURRENT_TRANSACTIONS, PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE, ...
 */
export interface TransactionCoordinatorPort {
  /** Which broker coordinates the id; creates __transaction_state on first use. */
  findCoordinator(transactionalId: string): Promise<CoordinatorAddress>;
  initProducerId(request: InitProducerIdRequest): Promise<{ producerId: number; producerEpoch: number }>;
  addPartitionsToTxn(request: AddPartitionsRequest): Promise<void>;
  addOffsetsToTxn(request: AddOffsetsRequest): Promise<void>;
  endTxn(request: EndTxnRequest): Promise<void>;
  /** KIP-890 part 1, per partition: null when it is in the ongoing transaction, else why not. */
  verifyPartitions(request: AddPartitionsRequest): Promise<(TributaryError | null)[]>;
  describeTransactions(transactionalIds: readonly string[]): TxnDescribeResult[];
  listTransactions(filter: TxnListFilter): TxnListing[];
}

/**
 * WriteTxnMarkers on a partition leader (markers.ts): each marker appended as a control batch and
 * answered per partition once replicated (acks=all). The Kafka listener's WriteTxnMarkers uses it too.
 */
export interface TxnMarkerWriterPort {
  writeTxnMarkers(request: WriteTxnMarkersRequest__Output): Promise<WriteTxnMarkersResponse>;
}
