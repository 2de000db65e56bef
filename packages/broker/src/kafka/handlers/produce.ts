/**
 * Produce (DESIGN §9): the record batches go to the replica manager as the same opaque bytes a gRPC
 * producer sends (same logs, same producer state for idempotent producers), with acks 0, 1 or -1.
 * acks=0 gets no response at all. Versions 0–2 (message formats v0/v1) are advertised only so that
 * librdkafka keeps compression on, and are refused per partition, as Kafka 4 does. A transactional
 * producer's transactionalId goes with its batches: the leader verifies its first write to a partition
 * with the id's coordinator (KIP-890 part 1) and refuses a partition not added to the transaction.
 */
import { ERROR_CODES } from '@tributary/core';
import { Produce, parseVersions, type RequestOf, type ResponseInputOf } from '@tributary/kafka-protocol';
import type { ProducePartitionResult, ProduceRequest__Output } from '@tributary/protocol';
import { OFFSETS_TOPIC } from '../../group/limits.js';
import { kafkaQuotaClient } from '../../quotas/client-quotas.js';
import { REQUEST_LIMITS } from '../../services/limits.js';
import { type KafkaRequestContext, type RegisteredHandler, registerHandler } from '../handler.js';
import { int64Of, kafkaCodeOfError, kafkaCodeOfName, kafkaErrorMessage } from '../kafka-errors.js';
import { type KafkaBrokerParts, leaderEndpoints } from '../parts.js';
import { txnKafkaCode } from './txn-errors.js';

type ProduceRequest = RequestOf<typeof Produce>;
type ProduceResponse = ResponseInputOf<typeof Produce>;
type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

/** The first Produce version whose records are RecordBatch v2 (KIP-98). */
const FIRST_RECORD_BATCH_VERSION = 3;

interface Refusal {
  readonly code: number;
  readonly message: string;
}

export function produceHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: Produce,
    advertised: parseVersions('0-11'),
    refused: {
      versions: parseVersions(`0-${FIRST_RECORD_BATCH_VERSION - 1}`),
      error: (request) =>
        request.acks === 0
          ? null
          : everyPartition(request, {
              code: ERROR_CODES.UNSUPPORTED_VERSION.kafka,
              message: 'Produce v0-2 (message format v0/v1) is not supported; use v3+ with RecordBatch v2',
            }),
    },
    handle: (request, context) => produce(parts, request, context),
  });
}

function partitionError(index: number, refusal: Refusal): PartitionResponse {
  return {
    index,
    errorCode: refusal.code,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset: -1,
    recordErrors: [],
    errorMessage: refusal.message,
  };
}

function everyPartition(request: ProduceRequest, refusal: Refusal): ProduceResponse {
  return {
    responses: request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((p) => partitionError(p.index, refusal)),
    })),
    throttleTimeMs: 0,
  };
}

/** Why this partition's data is refused before it reaches the replica manager, or null. */
function refusalOf(
  request: ProduceRequest,
  topic: string,
  records: Buffer | null,
  seen: Set<string>,
  key: string,
): Refusal | null {
  if (request.acks !== -1 && request.acks !== 0 && request.acks !== 1) {
    return {
      code: ERROR_CODES.INVALID_REQUIRED_ACKS.kafka,
      message: `acks must be -1, 0 or 1, got ${request.acks}`,
    };
  }
  if (topic === OFFSETS_TOPIC) {
    return {
      code: ERROR_CODES.INVALID_TOPIC.kafka,
      message: `${OFFSETS_TOPIC} is written by the group coordinator only`,
    };
  }
  if (records === null || records.length === 0) {
    return { code: ERROR_CODES.CORRUPT_MESSAGE.kafka, message: 'the partition carries no record batch' };
  }
  if (seen.has(key))
    return { code: ERROR_CODES.INVALID_REQUEST.kafka, message: 'the partition is named twice' };
  seen.add(key);
  return null;
}

async function produce(
  parts: KafkaBrokerParts,
  request: ProduceRequest,
  context: KafkaRequestContext,
): Promise<ProduceResponse | null> {
  const refusals = new Map<string, Refusal>();
  const seen = new Set<string>();
  const forward: ProduceRequest__Output = {
    acks: request.acks,
    timeoutMs: Math.max(0, Math.min(request.timeoutMs, REQUEST_LIMITS.produceTimeoutMsMax)),
    topics: [],
    // The leader verifies a transactional batch with this id's coordinator (KIP-890 part 1).
    transactionalId: request.transactionalId ?? '',
  };
  let bytes = 0;
  for (const topic of request.topicData) {
    const partitions: ProduceRequest__Output['topics'][number]['partitions'] = [];
    for (const data of topic.partitionData) {
      const key = `${topic.name}\u0000${data.index}`;
      const refusal = refusalOf(request, topic.name, data.records, seen, key);
      if (refusal !== null || data.records === null) {
        if (refusal !== null) refusals.set(key, refusal);
        continue;
      }
      bytes += data.records.length;
      partitions.push({ partition: data.index, records: data.records });
    }
    if (partitions.length > 0) forward.topics.push({ name: topic.name, partitions });
  }
  let results: ProducePartitionResult[] = [];
  let handlerTimeMs = 0;
  if (forward.topics.length > 0) {
    try {
      // request_percentage counts the handler's own time: the synchronous part (validation, append).
      const started = performance.now();
      const pending = parts.dataPlane.produce(forward);
      handlerTimeMs = performance.now() - started;
      results = await pending;
    } catch (error) {
      // A whole-request failure (shutting down, a bug) answers every partition with its code.
      const refusal = { code: kafkaCodeOfError(error), message: kafkaErrorMessage(error) };
      for (const topic of forward.topics) {
        for (const p of topic.partitions) refusals.set(`${topic.name}\u0000${p.partition}`, refusal);
      }
    }
  }
  parts.logger.trace({ bytes, partitions: results.length }, 'Kafka produce');
  // KIP-219: the answer carries the throttle time and the connection is muted for it (connection.ts).
  const throttleTimeMs =
    parts.quotas?.record(kafkaQuotaClient(context), 'produce', {
      bytes,
      handlerTimeMs,
    }) ?? 0;
  if (request.acks === 0) return null;
  const version = context.header.apiVersion;
  return { ...buildResponse(parts, request, version, results, refusals), throttleTimeMs };
}

/**
 * The wire code for a partition's outcome: a fenced transactional producer is INVALID_PRODUCER_EPOCH on
 * every Produce version, and TRANSACTION_ABORTABLE is INVALID_TXN_STATE before v11 (txn-errors.ts).
 */
function produceCodeOf(errorCode: string, version: number): number {
  if (errorCode === 'PRODUCER_FENCED' || errorCode === 'TRANSACTION_ABORTABLE') {
    return txnKafkaCode('Produce', version, errorCode);
  }
  return kafkaCodeOfName(errorCode);
}

function buildResponse(
  parts: KafkaBrokerParts,
  request: ProduceRequest,
  version: number,
  results: readonly ProducePartitionResult[],
  refusals: ReadonlyMap<string, Refusal>,
): ProduceResponse {
  const byKey = new Map(results.map((r) => [`${r.topic ?? ''}\u0000${r.partition ?? -1}`, r]));
  const leaders = new Set<number>();
  const responses = request.topicData.map((topic) => ({
    name: topic.name,
    partitionResponses: topic.partitionData.map((data): PartitionResponse => {
      const key = `${topic.name}\u0000${data.index}`;
      const refusal = refusals.get(key);
      if (refusal !== undefined) return partitionError(data.index, refusal);
      const result = byKey.get(key);
      if (result === undefined) {
        return partitionError(data.index, {
          code: ERROR_CODES.UNKNOWN.kafka,
          message: 'no result for the partition',
        });
      }
      const errorCode = result.errorCode ?? '';
      const response: PartitionResponse = {
        index: data.index,
        errorCode: produceCodeOf(errorCode, version),
        baseOffset: errorCode === '' ? int64Of(result.baseOffset, -1) : -1,
        logAppendTimeMs: -1,
        logStartOffset: int64Of(result.logStartOffset, -1),
        recordErrors: [],
        errorMessage: errorCode === '' ? null : (result.errorMessage ?? null),
      };
      // KIP-951: a producer told NOT_LEADER_OR_FOLLOWER learns the new leader without a Metadata round trip.
      const leaderId = result.leaderId ?? -1;
      if (errorCode === 'NOT_LEADER' && leaderId >= 0) {
        leaders.add(leaderId);
        return { ...response, currentLeader: { leaderId, leaderEpoch: result.leaderEpoch ?? -1 } };
      }
      return response;
    }),
  }));
  const nodeEndpoints = version >= 10 ? leaderEndpoints(parts.metadata.currentImage(), leaders) : [];
  return { responses, throttleTimeMs: 0, ...(nodeEndpoints.length > 0 ? { nodeEndpoints } : {}) };
}
