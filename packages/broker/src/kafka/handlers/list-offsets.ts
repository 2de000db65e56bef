/**
 * ListOffsets (DESIGN §9): earliest (-2), latest (-1: the high watermark, which is also the last stable
 * offset without transactions) and the first offset at or after a timestamp, from the partition's
 * leader. v0's answer is the old list of offsets; v4+ checks the client's current leader epoch.
 */
import { ERROR_CODES } from '@tributary/core';
import { ListOffsets, parseVersions, type RequestOf, type ResponseInputOf } from '@tributary/kafka-protocol';
import type { ListOffsetsPartitionResult, ListOffsetsRequest__Output } from '@tributary/protocol';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { int64Of, kafkaCodeOfError, kafkaCodeOfName } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';

type ListOffsetsRequest = RequestOf<typeof ListOffsets>;
type ListOffsetsResponse = ResponseInputOf<typeof ListOffsets>;
type PartitionResponse = ListOffsetsResponse['topics'][number]['partitions'][number];

const LATEST = -1;
const EARLIEST = -2;

export function listOffsetsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: ListOffsets,
    advertised: parseVersions('0-7'),
    handle: (request) => listOffsets(parts, request),
  });
}

function failed(partitionIndex: number, errorCode: number): PartitionResponse {
  return { partitionIndex, errorCode, oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1 };
}

/** FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH when the client's epoch is not the leader's (KIP-320). */
function epochError(currentLeaderEpoch: number, leaderEpoch: number): number | null {
  if (currentLeaderEpoch < 0 || leaderEpoch < 0 || currentLeaderEpoch === leaderEpoch) return null;
  return currentLeaderEpoch < leaderEpoch
    ? ERROR_CODES.FENCED_LEADER_EPOCH.kafka
    : ERROR_CODES.UNKNOWN_LEADER_EPOCH.kafka;
}

async function listOffsets(
  parts: KafkaBrokerParts,
  request: ListOffsetsRequest,
): Promise<ListOffsetsResponse> {
  // Kafka's isolation level: read_committed (1) answers latest with the last stable offset.
  const forward: ListOffsetsRequest__Output = {
    topics: [],
    isolationLevel: request.isolationLevel === 1 ? 1 : 0,
  };
  const refused = new Map<string, number>();
  for (const topic of request.topics) {
    const partitions: ListOffsetsRequest__Output['topics'][number]['partitions'] = [];
    for (const p of topic.partitions) {
      const key = `${topic.name}\u0000${p.partitionIndex}`;
      // -3 (max timestamp, KIP-734) and other negative sentinels are not served.
      if (p.timestamp < EARLIEST) refused.set(key, ERROR_CODES.INVALID_REQUEST.kafka);
      else partitions.push({ partition: p.partitionIndex, timestamp: p.timestamp });
    }
    if (partitions.length > 0) forward.topics.push({ name: topic.name, partitions });
  }
  let results: ListOffsetsPartitionResult[] = [];
  let failure: number | null = null;
  if (forward.topics.length > 0) {
    try {
      results = await parts.dataPlane.listOffsets(forward);
    } catch (error) {
      failure = kafkaCodeOfError(error);
    }
  }
  const byKey = new Map(results.map((r) => [`${r.topic ?? ''}\u0000${r.partition ?? -1}`, r]));
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p): PartitionResponse => {
        const key = `${topic.name}\u0000${p.partitionIndex}`;
        const refusal = failure ?? refused.get(key);
        if (refusal !== undefined) return failed(p.partitionIndex, refusal);
        const result = byKey.get(key);
        if (result === undefined) return failed(p.partitionIndex, ERROR_CODES.UNKNOWN.kafka);
        const errorCode = result.errorCode ?? '';
        if (errorCode !== '') return failed(p.partitionIndex, kafkaCodeOfName(errorCode));
        const leaderEpoch = result.leaderEpoch ?? -1;
        const fenced = epochError(p.currentLeaderEpoch, leaderEpoch);
        if (fenced !== null) return failed(p.partitionIndex, fenced);
        const offset = int64Of(result.offset, -1);
        const sentinel = p.timestamp === LATEST || p.timestamp === EARLIEST;
        return {
          partitionIndex: p.partitionIndex,
          errorCode: 0,
          oldStyleOffsets: offset >= 0 ? [offset] : [],
          timestamp: sentinel || offset < 0 ? -1 : p.timestamp,
          offset,
          leaderEpoch: offset < 0 ? -1 : leaderEpoch,
        };
      }),
    })),
  };
}
