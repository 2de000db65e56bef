/**
 * Broker.DescribeReplicas (issue 7): the leader's view of each partition's replicas. The request is
 * validated here (bounded count, valid topic names, no partition named twice: INVALID_REQUEST naming the
 * field); the answer comes from the replica manager (replica/describe-replicas.ts).
 */
import { TributaryError, validateTopicName } from '@tributary/core';
import {
  type DescribedPartitionReplicas,
  type DescribeReplicasRequest__Output,
  type DescribeReplicasResponse,
  requireCountAtMost,
  requireIntInRange,
} from '@tributary/protocol';
import { REQUEST_LIMITS } from './limits.js';

/** What the handler needs from the replica manager. */
export interface ReplicaDescriber {
  /** `wanted` null: every partition this broker leads. */
  describeReplicas(
    wanted: readonly { readonly topic: string; readonly partition: number }[] | null,
  ): DescribedPartitionReplicas[];
}

export function validateDescribeReplicasRequest(request: DescribeReplicasRequest__Output): void {
  requireCountAtMost(request.partitions, 'partitions', REQUEST_LIMITS.partitionsPerRequestMax);
  const seen = new Set<string>();
  request.partitions.forEach((ref, i) => {
    try {
      validateTopicName(ref.topic);
    } catch (error) {
      const reason = error instanceof TributaryError ? error.message : String(error);
      throw new TributaryError('INVALID_REQUEST', `partitions[${i}].topic: ${reason}`);
    }
    requireIntInRange(ref.partition, `partitions[${i}].partition`);
    const key = `${ref.topic}\u0000${ref.partition}`;
    if (seen.has(key)) {
      throw new TributaryError('INVALID_REQUEST', `partitions name ${ref.topic}-${ref.partition} twice`);
    }
    seen.add(key);
  });
}

export function answerDescribeReplicas(
  request: DescribeReplicasRequest__Output,
  describer: ReplicaDescriber | undefined,
): DescribeReplicasResponse {
  validateDescribeReplicasRequest(request);
  if (describer === undefined) {
    // A broker wired without a replica manager that can describe (test doubles): nothing is led here.
    return { partitions: [] };
  }
  const wanted = request.partitions.length === 0 ? null : request.partitions;
  return { partitions: describer.describeReplicas(wanted) };
}
