/** The group consumer's public shapes (KafkaJS-like payloads), kept apart from its loops. */
import type { DecodedHeader } from '@tributary/records';
import type { ConsumedRecord } from '../decode.js';
import type { Assignor } from './config.js';
import type { TopicPartition } from './reconcile.js';

export interface GroupMessage {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly DecodedHeader[];
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number;
}

export interface EachMessagePayload {
  readonly topic: string;
  readonly partition: number;
  readonly message: GroupMessage;
}

/** The records of one partition from one fetch round. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly messages: readonly GroupMessage[];
}

/** A member of a group as an offset commit names it (KIP-447's group metadata in a transaction). */
export interface GroupMemberIdentity {
  readonly memberId: string;
  /**
   * The member's epoch in the group (the generation id of KIP-447); -1 for an admin commit outside any
   * membership (accepted only while the group is empty).
   */
  readonly memberEpoch: number;
}

export interface EachBatchPayload {
  readonly batch: PartitionBatch;
  /** False once close() was called: finish quickly. */
  isRunning(): boolean;
  /** True once the partition was revoked, lost or seeked: the rest of the batch will not be committed. */
  isStale(): boolean;
  /**
   * The member to name in `transaction.sendOffsets({ consumer })` for this batch's offsets: this member at
   * its current epoch, as long as the partition is still its own in the assignment the batch was fetched in
   * (a revocation in progress waits for the handler, so it still is). Throws ILLEGAL_GENERATION once the
   * partition was lost, reassigned or seeked: another member may be processing these records already, and
   * the transaction must abort. Read it right before sendOffsets, not when the batch arrives.
   */
  groupMetadata(): GroupMemberIdentity;
}

export type RunHandlers =
  | { readonly eachMessage: (payload: EachMessagePayload) => Promise<void> }
  | { readonly eachBatch: (payload: EachBatchPayload) => Promise<void> };

export type RebalanceListener = (partitions: TopicPartition[]) => void | Promise<void>;

export interface GroupConsumerOptions {
  readonly groupId: string;
  /** Default GROUP_DEFAULTS.sessionTimeoutMs (45 s). */
  readonly sessionTimeoutMs?: number;
  /** Default 60 s: bounds a revocation's wait for its handler, and close()'s. */
  readonly rebalanceTimeoutMs?: number;
  /** Server-side assignor (default cooperative-sticky); all members of a group must agree. */
  readonly assignor?: Assignor;
  /** Commit the offsets of handled records every autoCommitIntervalMs, on revocation and on close. */
  readonly autoCommit?: boolean;
  readonly autoCommitIntervalMs?: number;
  /** Where to start without a committed offset: earliest (true) or latest (false, the default). */
  readonly fromBeginning?: boolean;
  /**
   * Kafka's isolation.level=read_committed (default false): only records of committed transactions (and
   * non-transactional ones) are delivered, up to the last stable offset.
   */
  readonly readCommitted?: boolean;
  /** Long-poll wait of one fetch (default DEFAULT_FETCH.maxWaitMs). */
  readonly maxWaitMs?: number;
  readonly maxBytes?: number;
  /** How often a RegExp subscription is matched against the cluster's topics again. */
  readonly metadataMaxAgeMs?: number;
  /** New partitions, before their first records are delivered. */
  readonly onAssigned?: RebalanceListener;
  /** Partitions given up in a rebalance or on close, after their handlers finished and (autoCommit) commit. */
  readonly onRevoked?: RebalanceListener;
  /** Partitions taken away without a commit (the member was fenced or forgotten by the coordinator). */
  readonly onLost?: RebalanceListener;
}

export interface Subscription {
  /** Topic names, or a pattern matched against the cluster's topics (internal `__` topics excluded). */
  readonly topics: readonly string[] | RegExp;
}

export function toMessage(record: ConsumedRecord): GroupMessage {
  return {
    offset: record.offset,
    key: record.key,
    value: record.value,
    headers: record.headers,
    timestamp: record.timestampMs,
  };
}
