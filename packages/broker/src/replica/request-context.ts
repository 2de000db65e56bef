/** What the leader request handlers need from the ReplicaManager, and the checks they share. */
import type { Clock, ErrorCode, TributaryError } from '@tributary/core';
import type { Partition } from './partition.js';

/** A producer's transactional write to a partition, as the leader asks its coordinator about it. */
export interface TransactionalWrite {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly topic: string;
  readonly partition: number;
}

/**
 * KIP-890 part 1: is the partition in the producer's ongoing transaction? Resolves null when it is,
 * else with the refusal to answer (INVALID_TXN_STATE, PRODUCER_FENCED, or a retriable code).
 */
export type TransactionVerifier = (write: TransactionalWrite) => Promise<TributaryError | null>;

export interface RequestContext {
  readonly brokerId: number;
  readonly clock: Clock;
  /** The transaction coordinator's verification; null until the broker wires one (then every such write is refused). */
  transactionVerifier(): TransactionVerifier | null;
  partition(topic: string, partition: number): Partition | undefined;
  /** The offline log directory holding the partition's replica here, if its directory failed. */
  offlineLogDir(topic: string, partition: number): string | undefined;
  /**
   * A read of the partition's log failed: a disk error takes its directory offline, as a failed write does
   * (Kafka's rule), so that the partition moves instead of answering the retriable STORAGE_ERROR forever.
   */
  onReadFailure(partition: Partition, error: unknown): void;
  /** A follower fetched: the ISR may be due to grow. */
  afterFollowerFetch(partition: Partition): void;
}

type Checked = { readonly partition: Partition } | { readonly code: ErrorCode; readonly message: string };

/** The partition when this broker leads it (and the caller's epoch matches, when it sent one). */
export function checkLeader(
  context: RequestContext,
  topic: string,
  index: number,
  currentLeaderEpoch = -1,
): Checked {
  const partition = context.partition(topic, index);
  if (partition === undefined) {
    const offlineDir = context.offlineLogDir(topic, index);
    if (offlineDir !== undefined) {
      return {
        code: 'STORAGE_ERROR',
        message: `${topic}-${index} is in offline log directory ${offlineDir}`,
      };
    }
    return { code: 'UNKNOWN_TOPIC_OR_PARTITION', message: `${topic}-${index} is not hosted by this broker` };
  }
  if (currentLeaderEpoch >= 0 && currentLeaderEpoch < partition.leaderEpoch) {
    return { code: 'FENCED_LEADER_EPOCH', message: `epoch ${currentLeaderEpoch} < ${partition.leaderEpoch}` };
  }
  if (currentLeaderEpoch > partition.leaderEpoch) {
    return {
      code: 'UNKNOWN_LEADER_EPOCH',
      message: `epoch ${currentLeaderEpoch} > ${partition.leaderEpoch}`,
    };
  }
  if (partition.role.kind !== 'leader') {
    return { code: 'NOT_LEADER', message: `broker ${context.brokerId} does not lead ${topic}-${index}` };
  }
  return { partition };
}

export function leaderHint(
  context: RequestContext,
  topic: string,
  index: number,
): { leaderId: number; leaderEpoch: number } {
  const partition = context.partition(topic, index);
  return { leaderId: partition?.leaderId ?? -1, leaderEpoch: partition?.leaderEpoch ?? -1 };
}

/**
 * Waits until one of `partitions` signals (through `subscribe`), `maxWaitMs` passes, or `signal` aborts (the
 * request's client is gone: its waiters are dropped at once rather than parked until the timeout).
 */
export function waitForAny(
  partitions: readonly Partition[],
  subscribe: (partition: Partition, wake: () => void) => (() => void) | null,
  maxWaitMs: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const unsubscribes: (() => void)[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    for (const partition of partitions) {
      const unsubscribe = subscribe(partition, done);
      if (unsubscribe === null) {
        done(); // Too many waiters parked: answer now rather than grow without bound.
        return;
      }
      unsubscribes.push(unsubscribe);
    }
    signal?.addEventListener('abort', done, { once: true });
    timer = setTimeout(done, maxWaitMs);
  });
}
