/**
 * Metadata (DESIGN §9): brokers with their Kafka addresses and racks, topics with leader, leader
 * epoch, replicas, ISR and offline replicas, the cluster id, and a controller id that names a live
 * broker. KRaft brokers forward admin requests, so any broker may be named; this one is (the client
 * has just reached it, and KafkaJS sends admin and InitProducerId there). Missing topics are created
 * when both the request (AllowAutoTopicCreation, v4+) and the broker (auto.create.topics.enable) allow it.
 */
import { ERROR_CODES, validateTopicName } from '@tributary/core';
import { Metadata, parseVersions, type RequestOf, type ResponseInputOf } from '@tributary/kafka-protocol';
import { type MetadataImage, NO_LEADER, type TopicImage } from '@tributary/metadata';
import { OFFSETS_TOPIC } from '../../group/limits.js';
import { createMissingTopics, waitForTopics } from '../../services/auto-create.js';
import { REQUEST_LIMITS } from '../../services/limits.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfName } from '../kafka-errors.js';
import { type KafkaBrokerParts, kafkaBrokers } from '../parts.js';

type MetadataRequest = RequestOf<typeof Metadata>;
type MetadataResponse = ResponseInputOf<typeof Metadata>;
type TopicResponse = MetadataResponse['topics'][number];

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/** Kafka's value of the authorized-operations bitfields when they were not asked for (KIP-430). */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

export function metadataHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: Metadata,
    advertised: parseVersions('0-12'),
    handle: (request, context) => answerMetadata(parts, request, context.header.apiVersion),
  });
}

/** Topic ids are UUIDs; the zero UUID stands in for one that is not (test fixtures choose their own). */
export function wireTopicId(topicId: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(topicId) ? topicId : NIL_UUID;
}

function topicError(name: string | null, topicId: string, code: number): TopicResponse {
  return {
    errorCode: code,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function topicResponse(image: MetadataImage, topic: TopicImage): TopicResponse {
  const partitions = [...topic.partitions.values()]
    .sort((a, b) => a.partition - b.partition)
    .map((state) => {
      const offline = state.replicas.filter((id) => {
        const broker = image.broker(id);
        return broker === undefined || broker.fenced;
      });
      const leaderless = state.leader === NO_LEADER;
      return {
        errorCode: leaderless ? ERROR_CODES.LEADER_NOT_AVAILABLE.kafka : 0,
        partitionIndex: state.partition,
        leaderId: leaderless ? -1 : state.leader,
        leaderEpoch: state.leaderEpoch,
        replicaNodes: [...state.replicas],
        isrNodes: [...state.isr],
        offlineReplicas: offline,
      };
    });
  return {
    errorCode: 0,
    name: topic.name,
    topicId: wireTopicId(topic.topicId),
    isInternal: topic.name === OFFSETS_TOPIC,
    partitions,
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/** The names asked for (null = all topics), with requests by id resolved against the image. */
function requestedTopics(
  request: MetadataRequest,
  version: number,
  image: MetadataImage,
): { names: string[] | null; unknownIds: string[] } {
  // v0 has no null array: an empty one means every topic.
  if (request.topics === null || (version === 0 && request.topics.length === 0))
    return { names: null, unknownIds: [] };
  const names: string[] = [];
  const unknownIds: string[] = [];
  for (const topic of request.topics) {
    if (topic.name !== null) names.push(topic.name);
    else {
      const found = [...image.topicsById.values()].find((t) => wireTopicId(t.topicId) === topic.topicId);
      if (found === undefined) unknownIds.push(topic.topicId);
      else names.push(found.name);
    }
  }
  return { names: [...new Set(names)], unknownIds };
}

async function answerMetadata(
  parts: KafkaBrokerParts,
  request: MetadataRequest,
  version: number,
): Promise<MetadataResponse> {
  let image = parts.metadata.currentImage();
  const { names, unknownIds } = requestedTopics(request, version, image);
  const failures = new Map<string, number>();
  if (names !== null && names.length > REQUEST_LIMITS.topicsPerRequestMax) {
    for (const name of names) failures.set(name, ERROR_CODES.INVALID_REQUEST.kafka);
  } else if (names !== null && request.allowAutoTopicCreation && parts.autoCreate !== null) {
    const missing = names.filter((name) => image.topicByName(name) === undefined);
    if (missing.length > 0) {
      const overrides = await createMissingTopics(image, missing, parts.autoCreate, parts.logger);
      for (const [name, result] of overrides) failures.set(name, kafkaCodeOfName(result.errorCode ?? ''));
      const created = missing.filter((name) => !overrides.has(name));
      if (created.length > 0) image = await waitForTopics(parts.metadata, created, parts.autoCreate.waitMs);
    }
  }
  const listed = names ?? [...image.topicsByName.keys()].sort();
  const topics: TopicResponse[] = listed.map((name) => {
    const failure = failures.get(name);
    if (failure !== undefined) return topicError(name, NIL_UUID, failure);
    const topic = image.topicByName(name);
    if (topic !== undefined) return topicResponse(image, topic);
    return topicError(
      name,
      NIL_UUID,
      invalidName(name) ? ERROR_CODES.INVALID_TOPIC.kafka : ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION.kafka,
    );
  });
  // A response topic's name may be null only from v12; v10-11 answer an unknown id with an empty name.
  const unnamed = version >= 12 ? null : '';
  for (const topicId of unknownIds)
    topics.push(topicError(unnamed, topicId, ERROR_CODES.UNKNOWN_TOPIC_ID.kafka));
  return {
    throttleTimeMs: 0,
    brokers: kafkaBrokers(image),
    clusterId: parts.clusterId(),
    controllerId: parts.brokerId,
    topics,
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function invalidName(name: string): boolean {
  try {
    validateTopicName(name);
    return false;
  } catch {
    return true;
  }
}
