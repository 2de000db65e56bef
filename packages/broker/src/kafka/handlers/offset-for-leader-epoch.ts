/**
 * OffsetForLeaderEpoch (DESIGN §9; KIP-320): librdkafka and the Java consumer ask a new leader where the
 * epoch of their last consumed record ends, to find out whether their position was truncated away. The
 * replica manager answers from the leader's epoch cache (replica/offset-for-leader-epoch.ts). Followers
 * replicate over gRPC, so a request from a replica (ReplicaId >= 0, v3+) is refused with INVALID_REQUEST,
 * as Fetch refuses one; consumers send -1 and older versions the "debug" -2.
 */
import { ERROR_CODES } from '@tributary/core';
import {
  OffsetForLeaderEpoch,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import type { LeaderEpochQuery } from '../../replica/offset-for-leader-epoch.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfError, kafkaCodeOfName } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';

/** What these handlers use of the broker. */
type Parts = Pick<KafkaBrokerParts, 'dataPlane'>;

type Request = RequestOf<typeof OffsetForLeaderEpoch>;
type Response = ResponseInputOf<typeof OffsetForLeaderEpoch>;
type EpochEndOffset = Response['topics'][number]['partitions'][number];

export function offsetForLeaderEpochHandler(parts: Parts): RegisteredHandler {
  return registerHandler({
    api: OffsetForLeaderEpoch,
    advertised: parseVersions('0-4'),
    handle: (request) => offsetForLeaderEpoch(parts, request),
  });
}

function failed(partition: number, errorCode: number): EpochEndOffset {
  return { errorCode, partition, leaderEpoch: -1, endOffset: -1 };
}

function offsetForLeaderEpoch(parts: Parts, request: Request): Response {
  // Answers go by position: a partition asked about twice (two epochs) gets both answers.
  let position = 0;
  const answer = (build: (partition: number, position: number) => EpochEndOffset): Response => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      topic: topic.topic,
      partitions: topic.partitions.map((p) => build(p.partition, position++)),
    })),
  });
  if (request.replicaId >= 0) {
    return answer((partition) => failed(partition, ERROR_CODES.INVALID_REQUEST.kafka));
  }
  const queries: LeaderEpochQuery[] = request.topics.flatMap((topic) =>
    topic.partitions.map((p) => ({
      topic: topic.topic,
      partition: p.partition,
      // v0-1 carry no current epoch (the codec's default -1): not checked.
      currentLeaderEpoch: Math.max(-1, p.currentLeaderEpoch),
      leaderEpoch: p.leaderEpoch,
    })),
  );
  let results: ReturnType<Parts['dataPlane']['offsetForLeaderEpoch']>;
  try {
    results = parts.dataPlane.offsetForLeaderEpoch(queries);
  } catch (error) {
    const code = kafkaCodeOfError(error);
    return answer((partition) => failed(partition, code));
  }
  return answer((partition, at) => {
    const result = results[at];
    if (result === undefined || result.partition !== partition) {
      return failed(partition, ERROR_CODES.UNKNOWN.kafka);
    }
    if (result.errorCode !== '') return failed(partition, kafkaCodeOfName(result.errorCode));
    return { errorCode: 0, partition, leaderEpoch: result.leaderEpoch, endOffset: result.endOffset };
  });
}
