/**
 * DeleteRecords (DESIGN §9; KIP-107): what kafka-delete-records.sh and KafkaJS's admin.deleteTopicRecords
 * send to each partition's leader. The same path as the gRPC Broker.DeleteRecords: the policy check
 * (services/delete-records.ts), then the replica manager moves the log start and waits, at most the
 * request's timeoutMs, for the in-sync replicas to move theirs (replica/delete-records.ts). The low
 * watermark answered is the log start after the request.
 */
import { ERROR_CODES } from '@tributary/core';
import {
  DeleteRecords,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import type { DeleteRecordsPartitionResult__Output, DeleteRecordsRequest__Output } from '@tributary/protocol';
import { applyDeleteRecordsPolicy } from '../../services/delete-records.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfError, kafkaCodeOfName } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';

/** What these handlers use of the broker. */
type Parts = Pick<KafkaBrokerParts, 'metadata' | 'dataPlane'>;

type Request = RequestOf<typeof DeleteRecords>;
type Response = ResponseInputOf<typeof DeleteRecords>;
type PartitionResult = Response['topics'][number]['partitions'][number];

export function deleteRecordsHandler(parts: Parts): RegisteredHandler {
  return registerHandler({
    api: DeleteRecords,
    advertised: parseVersions('0-2'),
    handle: (request) => deleteRecords(parts, request),
  });
}

function failed(partitionIndex: number, errorCode: number): PartitionResult {
  return { partitionIndex, lowWatermark: -1, errorCode };
}

async function deleteRecords(parts: Parts, request: Request): Promise<Response> {
  const wanted: DeleteRecordsRequest__Output = {
    // A negative timeout waits for nothing, as Kafka's delayed operation expires at once.
    timeoutMs: Math.max(0, request.timeoutMs),
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.offset })),
    })),
  };
  const { forward, refused } = applyDeleteRecordsPolicy(parts.metadata.currentImage(), wanted);
  let results: DeleteRecordsPartitionResult__Output[] = refused;
  let failure: number | null = null;
  if (forward.topics.length > 0) {
    try {
      results = [...refused, ...(await parts.dataPlane.deleteRecords(forward))];
    } catch (error) {
      failure = kafkaCodeOfError(error);
    }
  }
  // A partition named twice moves twice (the second move is a no-op) and both get one of the answers.
  const byKey = new Map(results.map((r) => [`${r.topic}\u0000${r.partition}`, r]));
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p): PartitionResult => {
        const result = byKey.get(`${topic.name}\u0000${p.partitionIndex}`);
        if (result === undefined) return failed(p.partitionIndex, failure ?? ERROR_CODES.UNKNOWN.kafka);
        if (result.errorCode !== '') return failed(p.partitionIndex, kafkaCodeOfName(result.errorCode));
        return { partitionIndex: p.partitionIndex, lowWatermark: result.lowWatermark, errorCode: 0 };
      }),
    })),
  };
}
