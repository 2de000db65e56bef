/**
 * Fetch for consumers (DESIGN §9): the replica manager's long-poll read up to the high watermark,
 * returning whole batches (the one holding the requested offset included) as the same bytes that are
 * on disk. Without transactions the last stable offset is the high watermark and nothing is aborted,
 * so read_committed and read_uncommitted see the same records. Fetch sessions (KIP-227) are declined:
 * session id 0 tells the client to send full fetches, which every client supports. From v13 topics are
 * named by id (KIP-516): ids are resolved against this broker's metadata image, and an id it does not
 * know is UNKNOWN_TOPIC_ID for each of its partitions.
 */
import { ERROR_CODES } from '@tributary/core';
import { Fetch, parseVersions, type RequestOf, type ResponseInputOf } from '@tributary/kafka-protocol';
import type { FetchPartitionResult, FetchRequest__Output } from '@tributary/protocol';
import { kafkaQuotaClient } from '../../quotas/client-quotas.js';
import { REQUEST_LIMITS } from '../../services/limits.js';
import { type KafkaRequestContext, type RegisteredHandler, registerHandler } from '../handler.js';
import { int64Of, kafkaCodeOfError, kafkaCodeOfName } from '../kafka-errors.js';
import { type KafkaBrokerParts, leaderEndpoints } from '../parts.js';
import { wireTopicId } from './metadata.js';

type FetchRequest = RequestOf<typeof Fetch>;
type FetchResponse = ResponseInputOf<typeof Fetch>;
type PartitionData = FetchResponse['responses'][number]['partitions'][number];

const READ_COMMITTED = 1;
/** KIP-516: from v13 the request and response name topics by id. */
const FIRST_TOPIC_ID_VERSION = 13;
/** KIP-903: from v15 the fetcher's id travels in the ReplicaState tag. */
const FIRST_REPLICA_STATE_VERSION = 15;
/** KIP-951: from v16 the response may carry the endpoints of new leaders. */
const FIRST_NODE_ENDPOINTS_VERSION = 16;
const EMPTY = Buffer.alloc(0);

export function fetchHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: Fetch,
    advertised: parseVersions('4-17'),
    handle: (request, context) => fetch(parts, request, context),
  });
}

function clamp(value: number, max: number): number {
  return Math.max(0, Math.min(value, max));
}

function partitionError(partitionIndex: number, errorCode: number): PartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1,
    lastStableOffset: -1,
    logStartOffset: -1,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: EMPTY,
  };
}

/** The topic names of the request's entries: the name itself to v12, the id resolved from v13. */
function topicNames(parts: KafkaBrokerParts, request: FetchRequest, version: number): (string | null)[] {
  if (version < FIRST_TOPIC_ID_VERSION) return request.topics.map((t) => t.topic);
  const byId = new Map<string, string>();
  for (const topic of parts.metadata.currentImage().topicsById.values())
    byId.set(wireTopicId(topic.topicId), topic.name);
  return request.topics.map((t) => byId.get(t.topicId) ?? null);
}

async function fetch(
  parts: KafkaBrokerParts,
  request: FetchRequest,
  context: KafkaRequestContext,
): Promise<FetchResponse> {
  const version = context.header.apiVersion;
  // Followers replicate over the Replication service; a Kafka replica fetch (replica id >= 0) is refused.
  const replicaId =
    version >= FIRST_REPLICA_STATE_VERSION ? (request.replicaState?.replicaId ?? -1) : request.replicaId;
  const refusedCode = replicaId >= 0 ? ERROR_CODES.INVALID_REQUEST.kafka : null;
  const names = topicNames(parts, request, version);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const forward: FetchRequest__Output = {
    maxWaitMs: clamp(request.maxWaitMs, REQUEST_LIMITS.fetchMaxWaitMsMax),
    minBytes: clamp(request.minBytes, REQUEST_LIMITS.fetchBytesMax),
    maxBytes: clamp(request.maxBytes, REQUEST_LIMITS.fetchBytesMax),
    topics: [],
    isolationLevel: request.isolationLevel === READ_COMMITTED ? READ_COMMITTED : 0,
  };
  for (const [index, topic] of request.topics.entries()) {
    const name = names[index];
    if (name === null || name === undefined) continue;
    const partitions: FetchRequest__Output['topics'][number]['partitions'] = [];
    for (const p of topic.partitions) {
      const key = `${name}\u0000${p.partition}`;
      if (seen.has(key)) {
        duplicates.add(key);
        continue;
      }
      seen.add(key);
      partitions.push({
        partition: p.partition,
        fetchOffset: Math.max(-1, p.fetchOffset),
        partitionMaxBytes: clamp(p.partitionMaxBytes, REQUEST_LIMITS.fetchBytesMax),
        currentLeaderEpoch: Math.max(-1, p.currentLeaderEpoch),
      });
    }
    if (partitions.length > 0) forward.topics.push({ name, partitions });
  }
  let results: FetchPartitionResult[] = [];
  let failure: number | null = refusedCode;
  let handlerTimeMs = 0;
  if (failure === null && forward.topics.length > 0) {
    try {
      const started = performance.now();
      const pending = parts.dataPlane.fetch(forward);
      handlerTimeMs = performance.now() - started;
      results = await pending;
    } catch (error) {
      failure = kafkaCodeOfError(error);
    }
  }
  const byKey = new Map(results.map((r) => [`${r.topic ?? ''}\u0000${r.partition ?? -1}`, r]));
  const committed = request.isolationLevel === READ_COMMITTED;
  const leaders = new Set<number>();
  const responses = request.topics.map((topic, index) => {
    const name = names[index] ?? null;
    return {
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((p): PartitionData => {
        if (name === null) return partitionError(p.partition, ERROR_CODES.UNKNOWN_TOPIC_ID.kafka);
        const key = `${name}\u0000${p.partition}`;
        if (failure !== null) return partitionError(p.partition, failure);
        if (duplicates.has(key)) return partitionError(p.partition, ERROR_CODES.INVALID_REQUEST.kafka);
        const result = byKey.get(key);
        if (result === undefined) return partitionError(p.partition, ERROR_CODES.UNKNOWN.kafka);
        const data = partitionData(p.partition, result, committed);
        if (data.currentLeader !== undefined) leaders.add(data.currentLeader.leaderId);
        return data;
      }),
    };
  });
  const nodeEndpoints =
    version >= FIRST_NODE_ENDPOINTS_VERSION ? leaderEndpoints(parts.metadata.currentImage(), leaders) : [];
  let bytes = 0;
  for (const result of results) bytes += result.records?.length ?? 0;
  // KIP-219: response bytes count against consumer_byte_rate; the connection is muted for the throttle.
  const throttleTimeMs =
    parts.quotas?.record(kafkaQuotaClient(context), 'fetch', {
      bytes,
      handlerTimeMs,
    }) ?? 0;
  return {
    throttleTimeMs,
    errorCode: 0,
    sessionId: 0,
    responses,
    ...(nodeEndpoints.length > 0 ? { nodeEndpoints } : {}),
  };
}

function partitionData(
  partitionIndex: number,
  result: FetchPartitionResult,
  committed: boolean,
): PartitionData {
  const errorCode = result.errorCode ?? '';
  const highWatermark = int64Of(result.highWatermark, -1);
  const data: PartitionData = {
    partitionIndex,
    errorCode: kafkaCodeOfName(errorCode),
    highWatermark,
    lastStableOffset: int64Of(result.lastStableOffset, highWatermark),
    logStartOffset: int64Of(result.logStartOffset, -1),
    // Kafka answers null for read_uncommitted and the list (maybe empty) for read_committed.
    abortedTransactions: committed
      ? (result.abortedTransactions ?? []).map((txn) => ({
          producerId: int64Of(txn.producerId, -1),
          firstOffset: int64Of(txn.firstOffset, -1),
        }))
      : null,
    preferredReadReplica: -1,
    records: errorCode === '' ? (result.records === undefined ? EMPTY : asBuffer(result.records)) : EMPTY,
  };
  const leaderId = result.leaderId ?? -1;
  if ((errorCode === 'NOT_LEADER' || errorCode === 'FENCED_LEADER_EPOCH') && leaderId >= 0) {
    return { ...data, currentLeader: { leaderId, leaderEpoch: result.leaderEpoch ?? -1 } };
  }
  return data;
}

function asBuffer(records: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(records)) return records;
  if (typeof records === 'string') return Buffer.from(records, 'base64');
  return Buffer.from(records.buffer, records.byteOffset, records.byteLength);
}
