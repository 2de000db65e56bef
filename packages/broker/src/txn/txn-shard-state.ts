/**
 * The transaction coordinator core's configuration, routing and bookkeeping types (a transactional id's
 * entry and its pending transition), split out of txn-coordinator-core.ts so the class stays readable.
 * Pure.
 */
import { TributaryError } from '@tributary/core';
import type { TopicPartition } from '../group/assignment.js';
import { TXN_DEFAULTS, TXN_LIMITS } from './limits.js';
import type { InitProducerIdInput, TxnMetadata } from './txn-metadata.js';
import type { RequestId, TransitionId, TxnEffect, TxnOutcome } from './txn-types.js';

export interface TxnCoordinatorConfig {
  readonly stateTopicPartitions: number;
  readonly transactionMaxTimeoutMs: number;
  readonly transactionalIdExpirationMs: number;
  /** TXN_LIMITS.producerEpochMax; smaller only in tests, to reach producer-id rotation. */
  readonly producerEpochMax: number;
  /**
   * When a successful EndTxn is answered. Kafka answers once Prepare* is written; Tributary waits until
   * every marker was written, so a client told "committed" reads its own writes at read_committed.
   */
  readonly endTxnAnswer: 'after-markers' | 'after-prepare';
}

export const DEFAULT_TXN_COORDINATOR_CONFIG: TxnCoordinatorConfig = {
  stateTopicPartitions: TXN_DEFAULTS.stateTopicPartitions,
  transactionMaxTimeoutMs: TXN_DEFAULTS.transactionMaxTimeoutMs,
  transactionalIdExpirationMs: TXN_DEFAULTS.transactionalIdExpirationMs,
  producerEpochMax: TXN_LIMITS.producerEpochMax,
  endTxnAnswer: 'after-markers',
};

/** Kafka's partitionFor: abs(Java String.hashCode(transactionalId)) % partitions (abs(MIN_VALUE) = 0). */
export function txnStatePartitionFor(transactionalId: string, partitionCount: number): number {
  let hash = 0;
  for (let i = 0; i < transactionalId.length; i++)
    hash = (Math.imul(hash, 31) + transactionalId.charCodeAt(i)) | 0;
  return (hash === -0x8000_0000 ? 0 : Math.abs(hash)) % partitionCount;
}

/** What happens once a pending state write is acknowledged. */
export type AfterWrite =
  | { readonly kind: 'answer-producer-id'; readonly requestId: RequestId }
  | { readonly kind: 'answer-ok'; readonly requestId: RequestId }
  /**
   * Prepare* written: send the markers. `okNow` is answered at once (Kafka's EndTxn), `okAfterMarkers`
   * once every marker is written, `retryNow` (a fencing InitProducerId) is told CONCURRENT_TRANSACTIONS.
   */
  | {
      readonly kind: 'send-markers';
      readonly okNow: RequestId | null;
      readonly okAfterMarkers: RequestId | null;
      readonly retryNow: RequestId | null;
    }
  | { readonly kind: 'complete' }
  | { readonly kind: 'remove' };

export type Pending =
  | {
      readonly phase: 'allocate';
      readonly transitionId: TransitionId;
      readonly requestId: RequestId;
      readonly input: InitProducerIdInput;
    }
  | {
      readonly phase: 'write';
      readonly transitionId: TransitionId;
      /** Dead = a tombstone. */
      readonly target: TxnMetadata;
      readonly after: AfterWrite;
    }
  | {
      readonly phase: 'markers';
      readonly transitionId: TransitionId;
      readonly remaining: Map<string, TopicPartition>;
      readonly answer: RequestId | null;
    };

export interface Entry {
  /** The written state; null while a new id waits for its producer id. */
  metadata: TxnMetadata | null;
  pending: Pending | null;
}

export const OK: TxnOutcome = { kind: 'ok' };

export function reply(requestId: RequestId, outcome: TxnOutcome): TxnEffect {
  return { kind: 'reply', requestId, outcome };
}

export function failure(requestId: RequestId, error: unknown): TxnEffect {
  if (!(error instanceof TributaryError)) throw error;
  return reply(requestId, { kind: 'error', error });
}

export function concurrentInit(transactionalId: string): TributaryError {
  return new TributaryError(
    'CONCURRENT_TRANSACTIONS',
    `transactional id ${transactionalId} is completing a state change; retry`,
  );
}

export function checkPartitionCount(count: number): void {
  if (count === 0 || count > TXN_LIMITS.partitionsPerRequestMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `a request names 1 to ${TXN_LIMITS.partitionsPerRequestMax} partitions, got ${count}`,
    );
  }
}

/** The request a pending transition will answer, if any. */
export function waitingRequest(pending: Pending): RequestId | null {
  switch (pending.phase) {
    case 'allocate':
      return pending.requestId;
    case 'markers':
      return pending.answer;
    case 'write':
      switch (pending.after.kind) {
        case 'answer-producer-id':
        case 'answer-ok':
          return pending.after.requestId;
        case 'send-markers':
          return pending.after.okNow ?? pending.after.okAfterMarkers ?? pending.after.retryNow;
        case 'complete':
        case 'remove':
          return null;
      }
  }
}
