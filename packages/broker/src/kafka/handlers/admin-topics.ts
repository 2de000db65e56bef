/**
 * Kafka's topic admin APIs (DESIGN §9): CreateTopics 0–7, DeleteTopics 0–6, CreatePartitions 0–3. As a
 * KRaft broker does, each topic is forwarded to the active controller (ControllerAdmin CreateTopic,
 * DeleteTopic, CreatePartitions through parts.admin), which validates and decides exactly as for gRPC
 * clients; its refusal becomes that topic's error code and message. The broker only translates the
 * request (Kafka's -1 defaults, topics named by id) and refuses what the controller cannot express:
 * manual replica assignments, and changes to the internal __consumer_offsets (the group coordinator
 * creates it, and its partition count is fixed once it exists).
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import {
  CreatePartitions,
  CreateTopics,
  DeleteTopics,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import type { MetadataImage } from '@tributary/metadata';
import type { Logger } from 'pino';
import { OFFSETS_TOPIC } from '../../group/limits.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';
import {
  AdminBudget,
  type AdminError,
  forward,
  isAdminError,
  mapBounded,
  perDistinctName,
  refusal,
  tooManyResources,
  waitForImage,
} from './admin-common.js';
import { createdTopicConfigs } from './admin-config-entries.js';
import { NIL_UUID, wireTopicId } from './metadata.js';

type CreatableTopic = RequestOf<typeof CreateTopics>['topics'][number];
type CreatableTopicResult = ResponseInputOf<typeof CreateTopics>['topics'][number];
type DeletableTopicResult = ResponseInputOf<typeof DeleteTopics>['responses'][number];
type CreatePartitionsTopic = RequestOf<typeof CreatePartitions>['topics'][number];
type CreatePartitionsResult = ResponseInputOf<typeof CreatePartitions>['results'][number];

/** Kafka's -1 for a partition count or replication factor: the broker's default (KIP-464). */
const BROKER_DEFAULT = -1;

const ASSIGNMENTS_REFUSED =
  'manual replica assignments are not supported: the controller places replicas (move them afterwards with `trib partitions reassign`)';
const BOTH_WAYS = 'the topic is named both by name and by id';
const INTERNAL_TOPIC_REFUSED = `${OFFSETS_TOPIC} is internal: the group coordinator creates it, and its partition count is fixed`;

interface Shell {
  readonly budget: AdminBudget;
  readonly validateOnly: boolean;
  readonly logger: Logger;
}

// ---- CreateTopics ----

export function createTopicsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: CreateTopics,
    advertised: parseVersions('0-7'),
    handle: async (request, context) => {
      const shell = {
        budget: new AdminBudget(request.timeoutMs),
        validateOnly: request.validateOnly,
        logger: context.logger,
      };
      const topics = await perDistinctName(request.topics, (topic) => topic.name, {
        work: (topic) => createTopic(parts, topic, shell),
        refuse: failedCreation,
      });
      return { throttleTimeMs: 0, topics };
    },
  });
}

function failedCreation(name: string, error: AdminError): CreatableTopicResult {
  return { name, topicId: NIL_UUID, ...error, numPartitions: -1, replicationFactor: -1, configs: [] };
}

interface Creation {
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: { readonly name: string; readonly value: string }[];
}

/** The counts and configs to forward, or why the topic is refused before it reaches the controller. */
function creationOf(
  topic: CreatableTopic,
  defaults: KafkaBrokerParts['topicDefaults'],
): Creation | AdminError {
  if (topic.name === OFFSETS_TOPIC) return refusal('INVALID_TOPIC', INTERNAL_TOPIC_REFUSED);
  if (topic.assignments.length > 0) return refusal('INVALID_REQUEST', ASSIGNMENTS_REFUSED);
  const partitions = topic.numPartitions === BROKER_DEFAULT ? defaults.partitions : topic.numPartitions;
  if (partitions < 1) {
    return refusal(
      'INVALID_PARTITIONS',
      `numPartitions is ${topic.numPartitions}: it must be at least 1, or -1 for the broker default`,
    );
  }
  const replicationFactor =
    topic.replicationFactor === BROKER_DEFAULT ? defaults.replicationFactor : topic.replicationFactor;
  if (replicationFactor < 1) {
    return refusal(
      'INVALID_REPLICATION_FACTOR',
      `replicationFactor is ${topic.replicationFactor}: it must be at least 1, or -1 for the broker default`,
    );
  }
  const configs: Creation['configs'] = [];
  for (const { name, value } of topic.configs) {
    // As Kafka: creation sets configs; a null value would mean "remove" and is refused.
    if (value === null) return refusal('INVALID_CONFIG', `config ${name} has a null value`);
    configs.push({ name, value });
  }
  return { partitions, replicationFactor, configs };
}

async function createTopic(
  parts: KafkaBrokerParts,
  topic: CreatableTopic,
  shell: Shell,
): Promise<CreatableTopicResult> {
  const creation = creationOf(topic, parts.topicDefaults);
  if (isAdminError(creation)) return failedCreation(topic.name, creation);
  const request = { name: topic.name, ...creation, validateOnly: shell.validateOnly };
  const result = await forward(parts, 'CreateTopic', request, shell.budget);
  if (!result.ok) return failedCreation(topic.name, result.error);
  // The controller describes the topic it created (or would create, with validateOnly).
  const created = result.answer.topic;
  const partitions = created?.partitions.length ?? creation.partitions;
  const replicationFactor = created?.partitions[0]?.replicas.length ?? creation.replicationFactor;
  let topicId = NIL_UUID;
  if (!shell.validateOnly && created !== null) {
    topicId = wireTopicId(created.topicId);
    shell.logger.info({ topic: topic.name, partitions, replicationFactor }, 'Kafka CreateTopics: created');
    if (shell.budget.waitsForPropagation) {
      const visible = (image: MetadataImage): boolean => image.topicById(created.topicId) !== undefined;
      await waitForImage(parts, visible, shell.budget.remainingMs());
    }
  }
  const overrides = new Map(creation.configs.map(({ name, value }) => [name, value]));
  return {
    name: topic.name,
    topicId,
    errorCode: 0,
    errorMessage: null,
    numPartitions: partitions,
    replicationFactor,
    configs: createdTopicConfigs(overrides, replicationFactor),
  };
}

// ---- DeleteTopics ----

export function deleteTopicsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DeleteTopics,
    advertised: parseVersions('0-6'),
    handle: async (request, context) => {
      const shell = {
        budget: new AdminBudget(request.timeoutMs),
        validateOnly: false,
        logger: context.logger,
      };
      // v0-5 name topics in topicNames, v6 in topics (by name or by id); the other list decodes empty.
      const named = [...request.topicNames.map((name) => ({ name, topicId: NIL_UUID })), ...request.topics];
      const targets = deletionTargets(named, parts.metadata.currentImage());
      const responses = await mapBounded(targets, (target) => deleteTopic(parts, target, shell));
      return { throttleTimeMs: 0, responses };
    },
  });
}

type DeletionTarget =
  | {
      readonly kind: 'refused';
      /** Null for a topic named by id only (v6). */
      readonly name: string | null;
      readonly topicId: string;
      readonly error: AdminError;
    }
  | {
      readonly kind: 'delete';
      readonly name: string;
      /** The wire id asked for, or NIL_UUID when named by name. */
      readonly topicId: string;
      /** Set when named by id: the image's id, which the controller checks the name still has. */
      readonly imageTopicId: string | null;
    };

/**
 * What to delete, in request order, by Kafka's rules for DeleteTopics (ControllerApis.deleteTopics): a
 * topic is named by name or by id, not both; a name or id given twice, or an id whose topic is also
 * named, is refused; an id no topic has is UNKNOWN_TOPIC_ID. Ids resolve against this broker's image.
 */
function deletionTargets(
  named: readonly { readonly name: string | null; readonly topicId: string }[],
  image: MetadataImage,
): DeletionTarget[] {
  const tooMany = tooManyResources(named.length);
  if (tooMany !== null) {
    return named.map(({ name, topicId }) => ({ kind: 'refused', name, topicId, error: tooMany }));
  }
  const keyOf = ({ name, topicId }: (typeof named)[number]): string => {
    if (name === null) return `id:${topicId}`;
    return topicId === NIL_UUID ? `name:${name}` : `both:${name}:${topicId}`;
  };
  const counts = new Map<string, number>();
  for (const entry of named) counts.set(keyOf(entry), (counts.get(keyOf(entry)) ?? 0) + 1);
  const byWireId = new Map(
    [...image.topicsById.values()].map((topic) => [wireTopicId(topic.topicId), topic]),
  );
  // A topic named both by name and by id is refused both ways, as Kafka does (nothing is deleted).
  const namedById = new Set(
    named.flatMap(({ name, topicId }) => {
      const topic = name === null ? byWireId.get(topicId) : undefined;
      return topic === undefined ? [] : [topic.name];
    }),
  );
  const decide = (entry: (typeof named)[number]): DeletionTarget => {
    const { name, topicId } = entry;
    const refuse = (code: ErrorCode, message: string): DeletionTarget => ({
      kind: 'refused',
      name,
      topicId,
      error: refusal(code, message),
    });
    if (name !== null && topicId !== NIL_UUID)
      return refuse('INVALID_REQUEST', 'give a topic name or an id, not both');
    if ((counts.get(keyOf(entry)) ?? 0) > 1)
      return refuse('INVALID_REQUEST', 'the request names this topic twice');
    if (name !== null) {
      if (namedById.has(name)) return refuse('INVALID_REQUEST', BOTH_WAYS);
      if (name === OFFSETS_TOPIC) return refuse('INVALID_TOPIC', INTERNAL_TOPIC_REFUSED);
      return { kind: 'delete', name, topicId, imageTopicId: null };
    }
    if (topicId === NIL_UUID) return refuse('INVALID_REQUEST', 'neither a topic name nor an id is given');
    const topic = byWireId.get(topicId);
    if (topic === undefined) return refuse('UNKNOWN_TOPIC_ID', `no topic has the id ${topicId}`);
    if (counts.has(`name:${topic.name}`)) return refuse('INVALID_REQUEST', BOTH_WAYS);
    if (topic.name === OFFSETS_TOPIC) return refuse('INVALID_TOPIC', INTERNAL_TOPIC_REFUSED);
    return { kind: 'delete', name: topic.name, topicId, imageTopicId: topic.topicId };
  };
  // One answer per distinct name or id, in the order they first appear.
  const firsts = new Map<string, (typeof named)[number]>();
  for (const entry of named) if (!firsts.has(keyOf(entry))) firsts.set(keyOf(entry), entry);
  return [...firsts.values()].map(decide);
}

async function deleteTopic(
  parts: KafkaBrokerParts,
  target: DeletionTarget,
  shell: Shell,
): Promise<DeletableTopicResult> {
  if (target.kind === 'refused') return { name: target.name, topicId: target.topicId, ...target.error };
  const { name, imageTopicId } = target;
  const byId = imageTopicId !== null;
  // By id, the controller deletes the topic only while the name still has that id.
  const result = await forward(parts, 'DeleteTopic', { name, topicId: imageTopicId ?? '' }, shell.budget);
  if (!result.ok) {
    // By id, a topic gone meanwhile is an unknown id, and the answer names no topic (as Kafka's).
    const gone = byId && result.error.errorCode === ERROR_CODES.UNKNOWN_TOPIC.kafka;
    const error = gone ? refusal('UNKNOWN_TOPIC_ID', result.error.errorMessage) : result.error;
    return { name: byId ? null : name, topicId: target.topicId, ...error };
  }
  const deletedId = result.answer.topicId;
  shell.logger.info({ topic: name, topicId: deletedId }, 'Kafka DeleteTopics: deleted');
  if (shell.budget.waitsForPropagation) {
    const gone = (image: MetadataImage): boolean => image.topicById(deletedId) === undefined;
    await waitForImage(parts, gone, shell.budget.remainingMs());
  }
  return { name, topicId: wireTopicId(deletedId), errorCode: 0, errorMessage: null };
}

// ---- CreatePartitions ----

export function createPartitionsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: CreatePartitions,
    advertised: parseVersions('0-3'),
    handle: async (request, context) => {
      const shell = {
        budget: new AdminBudget(request.timeoutMs),
        validateOnly: request.validateOnly,
        logger: context.logger,
      };
      const results = await perDistinctName(request.topics, (topic) => topic.name, {
        work: (topic) => createPartitions(parts, topic, shell),
        refuse: (name, error): CreatePartitionsResult => ({ name, ...error }),
      });
      return { throttleTimeMs: 0, results };
    },
  });
}

async function createPartitions(
  parts: KafkaBrokerParts,
  topic: CreatePartitionsTopic,
  shell: Shell,
): Promise<CreatePartitionsResult> {
  const { name, count } = topic;
  if (name === OFFSETS_TOPIC) return { name, ...refusal('INVALID_TOPIC', INTERNAL_TOPIC_REFUSED) };
  // KafkaJS sends an empty list rather than null when no assignment is given.
  if (topic.assignments !== null && topic.assignments.length > 0) {
    return { name, ...refusal('INVALID_REQUEST', ASSIGNMENTS_REFUSED) };
  }
  if (count < 1) {
    return { name, ...refusal('INVALID_PARTITIONS', `count is ${count}: the new total must grow the topic`) };
  }
  const request = { name, totalCount: count, validateOnly: shell.validateOnly };
  const result = await forward(parts, 'CreatePartitions', request, shell.budget);
  if (!result.ok) return { name, ...result.error };
  if (!shell.validateOnly) {
    shell.logger.info({ topic: name, partitions: count }, 'Kafka CreatePartitions: added');
    if (shell.budget.waitsForPropagation) {
      const grown = (image: MetadataImage): boolean =>
        (image.topicByName(name)?.partitions.size ?? 0) >= count;
      await waitForImage(parts, grown, shell.budget.remainingMs());
    }
  }
  return { name, errorCode: 0, errorMessage: null };
}
