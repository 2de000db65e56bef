/**
 * Admin.deleteRecords (Kafka's AdminClient.deleteRecords, KIP-107): each partition's log start moves to
 * the given offset (-1: the high watermark) on its leader, which answers once its in-sync replicas have
 * moved theirs. One Broker.DeleteRecords call per leader broker, all at once. Partitions answered with an
 * error saying the client's metadata was stale (NOT_LEADER, no leader known) are asked again after a
 * metadata refresh, within the call's deadline and at most DELETE_RECORDS_CLIENT_LIMITS.attemptsMax times
 * (moving a log start again is a no-op); every other outcome is a per-partition entry.
 */
import { TributaryError, WIRE_LIMITS } from '@tributary/core';
import { type DeleteRecordsPartitionResult__Output, unary } from '@tributary/protocol';
import { askPartitionLeaders, topicsOf } from './leader-rounds.js';
import type { BrokerSide, PartitionError, TopicPartitionRef } from './reassignments.js';

export const DELETE_RECORDS_CLIENT_LIMITS = {
  /** Rounds of asking the leaders (the first included). */
  attemptsMax: 5,
  retryBackoffMs: 100,
  /** Kept off the call's remaining time when telling the leader how long it may wait for its followers. */
  replyMarginMs: 200,
  /** The broker's bound on that wait. */
  leaderWaitMsMax: WIRE_LIMITS.deleteRecordsTimeoutMsMax,
} as const;

/** Kafka's DeleteRecordsRequest.HIGH_WATERMARK. */
export const DELETE_TO_HIGH_WATERMARK = -1;

export interface RecordsToDelete extends TopicPartitionRef {
  /** The new log start offset: every record below it is deleted. -1: the high watermark. */
  readonly offset: number;
}

export interface DeletedRecords extends TopicPartitionRef {
  /** The partition's log start offset afterwards (Kafka's low watermark); null on error. */
  readonly lowWatermark: number | null;
  readonly error: PartitionError | null;
}

/** Offsets the broker accepts (the partitions themselves are askPartitionLeaders' to check). */
export function requireRecordsToDelete(wanted: readonly RecordsToDelete[]): void {
  for (const { topic, partition, offset } of wanted) {
    const where = `${topic}-${partition}`;
    if (!Number.isSafeInteger(offset) || offset < DELETE_TO_HIGH_WATERMARK) {
      throw new TributaryError('INVALID_REQUEST', `${where}: offset must be -1 or at least 0, got ${offset}`);
    }
  }
}

export async function deleteRecordsOnLeaders(
  brokers: BrokerSide,
  wanted: readonly RecordsToDelete[],
  deadlineMs: number,
): Promise<DeletedRecords[]> {
  requireRecordsToDelete(wanted);
  return askPartitionLeaders(brokers, wanted, deadlineMs, {
    attemptsMax: DELETE_RECORDS_CLIENT_LIMITS.attemptsMax,
    retryBackoffMs: DELETE_RECORDS_CLIENT_LIMITS.retryBackoffMs,
    failed: (ref, _leaderId, code, message) => failed(ref, code, message),
    ask: async (address, _leaderId, refs, remainingMs) => {
      // The leader waits for its followers up to timeoutMs; its answer must get back before our deadline.
      const timeoutMs = Math.max(
        1,
        Math.min(
          remainingMs - DELETE_RECORDS_CLIENT_LIMITS.replyMarginMs,
          DELETE_RECORDS_CLIENT_LIMITS.leaderWaitMsMax,
        ),
      );
      const topics = topicsOf(refs, (r) => ({ partition: r.partition, offset: r.offset }));
      const response = await unary(
        brokers.connections.get(address),
        'DeleteRecords',
        { topics, timeoutMs },
        { deadlineMs: remainingMs },
      );
      return response.results.map(deletedRecords);
    },
  });
}

function failed(ref: TopicPartitionRef, code: string, message: string): DeletedRecords {
  return { topic: ref.topic, partition: ref.partition, lowWatermark: null, error: { code, message } };
}

function deletedRecords(result: DeleteRecordsPartitionResult__Output): DeletedRecords {
  const ok = result.errorCode === '';
  return {
    topic: result.topic,
    partition: result.partition,
    lowWatermark: ok ? result.lowWatermark : null,
    error: ok ? null : { code: result.errorCode, message: result.errorMessage },
  };
}
