/**
 * DeleteRecords at the broker's two front doors, the gRPC Broker service and the Kafka listener: which
 * partitions may lose records at all (Kafka's rule: only topics whose cleanup.policy includes 'delete';
 * and never the internal __consumer_offsets, whose records are the committed offsets a coordinator replays)
 * before the replica manager moves their log starts (replica/delete-records.ts). Pure.
 */
import type { ErrorCode } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import type { DeleteRecordsPartitionResult__Output, DeleteRecordsRequest__Output } from '@tributary/protocol';
import { OFFSETS_TOPIC } from '../group/limits.js';

const CLEANUP_POLICY = 'cleanup.policy';

/** Why records of `topic` may not be deleted, or null when they may. */
export function deleteRecordsRefusal(
  image: MetadataImage,
  topic: string,
): { readonly code: ErrorCode; readonly message: string } | null {
  if (topic === OFFSETS_TOPIC) {
    return {
      code: 'POLICY_VIOLATION',
      message: `${OFFSETS_TOPIC} is internal: its records are the groups' committed offsets`,
    };
  }
  const policy = image.topicConfigs(topic).get(CLEANUP_POLICY);
  if (policy !== undefined && !policy.split(',').some((entry) => entry.trim() === 'delete')) {
    return {
      code: 'POLICY_VIOLATION',
      message: `records of ${topic} cannot be deleted: its cleanup.policy is '${policy}', not 'delete'`,
    };
  }
  return null;
}

/** The request minus the partitions the policy refuses, and those refusals as per-partition results. */
export function applyDeleteRecordsPolicy(
  image: MetadataImage,
  request: DeleteRecordsRequest__Output,
): { forward: DeleteRecordsRequest__Output; refused: DeleteRecordsPartitionResult__Output[] } {
  const forward: DeleteRecordsRequest__Output = { topics: [], timeoutMs: request.timeoutMs };
  const refused: DeleteRecordsPartitionResult__Output[] = [];
  for (const topic of request.topics) {
    const refusal = deleteRecordsRefusal(image, topic.name);
    if (refusal === null) {
      forward.topics.push(topic);
      continue;
    }
    for (const { partition } of topic.partitions) {
      refused.push({
        topic: topic.name,
        partition,
        errorCode: refusal.code,
        errorMessage: refusal.message,
        lowWatermark: -1,
        leaderId: -1,
        leaderEpoch: -1,
      });
    }
  }
  return { forward, refused };
}
