/**
 * Which error codes each version of the transaction APIs may carry (Kafka's message definitions and
 * KafkaApis): a code newer than the client's version is replaced by the one that version knew, as Kafka
 * does. PRODUCER_FENCED (90, KIP-588) came with InitProducerId v4 and AddPartitionsToTxn / AddOffsetsToTxn /
 * EndTxn v2; before that, and in every TxnOffsetCommit version, it is INVALID_PRODUCER_EPOCH (47).
 * TRANSACTION_ABORTABLE (120, KIP-890) came with Produce v11, AddPartitionsToTxn v5, AddOffsetsToTxn v4,
 * EndTxn v4 and TxnOffsetCommit v4; older clients get INVALID_TXN_STATE (48). TxnOffsetCommit below v2
 * treats COORDINATOR_LOAD_IN_PROGRESS as fatal, so it gets COORDINATOR_NOT_AVAILABLE (KAFKA-9656).
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';

export type TxnApi =
  | 'InitProducerId'
  | 'AddPartitionsToTxn'
  | 'AddOffsetsToTxn'
  | 'EndTxn'
  | 'TxnOffsetCommit'
  | 'Produce';

interface TxnApiVersions {
  /** The first version that may carry PRODUCER_FENCED; null: none does. */
  readonly producerFencedFrom: number | null;
  readonly transactionAbortableFrom: number;
  /** The first version that retries COORDINATOR_LOAD_IN_PROGRESS; 0: every version. */
  readonly loadInProgressFrom: number;
}

export const TXN_ERROR_VERSIONS: Readonly<Record<TxnApi, TxnApiVersions>> = {
  InitProducerId: {
    producerFencedFrom: 4,
    transactionAbortableFrom: Number.POSITIVE_INFINITY,
    loadInProgressFrom: 0,
  },
  AddPartitionsToTxn: { producerFencedFrom: 2, transactionAbortableFrom: 5, loadInProgressFrom: 0 },
  AddOffsetsToTxn: { producerFencedFrom: 2, transactionAbortableFrom: 4, loadInProgressFrom: 0 },
  EndTxn: { producerFencedFrom: 2, transactionAbortableFrom: 4, loadInProgressFrom: 0 },
  TxnOffsetCommit: { producerFencedFrom: null, transactionAbortableFrom: 4, loadInProgressFrom: 2 },
  Produce: { producerFencedFrom: null, transactionAbortableFrom: 11, loadInProgressFrom: 0 },
};

/** The code `version` of `api` may carry for `code`. */
export function txnCodeFor(api: TxnApi, version: number, code: ErrorCode): ErrorCode {
  const versions = TXN_ERROR_VERSIONS[api];
  if (code === 'PRODUCER_FENCED') {
    const from = versions.producerFencedFrom;
    return from !== null && version >= from ? code : 'INVALID_PRODUCER_EPOCH';
  }
  if (code === 'TRANSACTION_ABORTABLE') {
    return version >= versions.transactionAbortableFrom ? code : 'INVALID_TXN_STATE';
  }
  if (code === 'COORDINATOR_LOAD_IN_PROGRESS' && version < versions.loadInProgressFrom) {
    return 'COORDINATOR_NOT_AVAILABLE';
  }
  return code;
}

/** The Kafka wire code `version` of `api` answers for a failure (null: success). */
export function txnKafkaCode(api: TxnApi, version: number, code: ErrorCode | null): number {
  return code === null ? 0 : ERROR_CODES[txnCodeFor(api, version, code)].kafka;
}
