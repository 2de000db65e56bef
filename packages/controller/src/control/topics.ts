/** Topic commands: create, delete, add partitions. */
import {
  assert,
  type BrokerId,
  LIMITS,
  leaderEpoch,
  partitionEpoch,
  TributaryError,
  validateTopicName,
} from '@tributary/core';
import {
  type BrokerLoad,
  type MetadataImage,
  type MetadataRecord,
  type PlacementBroker,
  placeReplicas,
  placeReplicasLeastLoaded,
  type TopicId,
  type TopicImage,
  targetReplicas,
} from '@tributary/metadata';
import type { ControllerContext, ControlResult } from './context.js';
import { validateTopicConfigs } from './topic-configs.js';

export interface CreateTopicRequest {
  readonly name: string;
  /** Left out: context.defaultPartitions. */
  readonly partitions?: number;
  /** Left out: context.defaultReplicationFactor. */
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
  /** Check everything and report what would happen, but write nothing. */
  readonly validateOnly?: boolean;
}

export interface CreateTopicResponse {
  /** null when validateOnly: no id is taken for a topic that is not created. */
  readonly topicId: TopicId | null;
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Replica lists per partition; the first replica is the preferred leader. */
  readonly assignments: readonly (readonly BrokerId[])[];
}

export function createTopic(
  image: MetadataImage,
  request: CreateTopicRequest,
  context: ControllerContext,
): ControlResult<CreateTopicResponse> {
  const { name } = request;
  validateTopicName(name);
  if (image.topicByName(name) !== undefined) {
    throw new TributaryError('TOPIC_ALREADY_EXISTS', `topic "${name}" already exists`);
  }
  const collision = findCollidingTopic(image, name);
  if (collision !== undefined) {
    throw new TributaryError(
      'INVALID_TOPIC',
      `topic "${name}" collides with existing topic "${collision}": '.' and '_' map to the same metric name`,
    );
  }
  const partitions = request.partitions ?? context.defaultPartitions;
  checkPartitionCount(partitions, 1);
  const replicationFactor = request.replicationFactor ?? context.defaultReplicationFactor;
  const assignments = place(
    image,
    { partitionCount: partitions, replicationFactor, startPartition: 0 },
    context,
  );
  const configs = request.configs ?? {};
  validateTopicConfigs(configs, replicationFactor);
  const response = { name, partitions, replicationFactor, assignments };
  if (request.validateOnly === true) return { records: [], response: { ...response, topicId: null } };
  const topicId = context.newTopicId();
  assert(image.topicById(topicId) === undefined, () => `generated topic id ${topicId} is already in use`);
  const records: MetadataRecord[] = [{ type: 'Topic', name, topicId }];
  records.push(...partitionRecords(topicId, 0, assignments));
  for (const [configName, value] of Object.entries(configs).sort(([a], [b]) => a.localeCompare(b))) {
    records.push({ type: 'Config', resourceType: 'topic', resourceName: name, name: configName, value });
  }
  return { records, response: { ...response, topicId } };
}

export interface DeleteTopicRequest {
  readonly name: string;
  /** When given, the topic must have this id: a delete by id never removes a topic created again since. */
  readonly topicId?: TopicId;
}

export function deleteTopic(
  image: MetadataImage,
  request: DeleteTopicRequest,
): ControlResult<{ readonly topicId: TopicId }> {
  const topic = existingTopic(image, request.name);
  if (request.topicId !== undefined && request.topicId !== topic.topicId) {
    throw new TributaryError(
      'UNKNOWN_TOPIC_ID',
      `topic "${topic.name}" has id ${topic.topicId}, not ${request.topicId}: it was deleted and created again`,
    );
  }
  const records: MetadataRecord[] = [];
  // Replaying RemoveTopic drops the topic's configs too; the explicit removals make the log readable.
  for (const configName of [...image.topicConfigs(topic.name).keys()].sort()) {
    records.push({
      type: 'Config',
      resourceType: 'topic',
      resourceName: topic.name,
      name: configName,
      value: null,
    });
  }
  records.push({ type: 'RemoveTopic', topicId: topic.topicId });
  return { records, response: { topicId: topic.topicId } };
}

export interface CreatePartitionsRequest {
  readonly name: string;
  /** The partition count wanted in total, not the number to add (as Kafka's CreatePartitions). */
  readonly totalCount: number;
  readonly validateOnly?: boolean;
}

export interface CreatePartitionsResponse {
  readonly topicId: TopicId;
  /** Replica lists of the new partitions, from the old count upwards. */
  readonly assignments: readonly (readonly BrokerId[])[];
}

export function createPartitions(
  image: MetadataImage,
  request: CreatePartitionsRequest,
  context: ControllerContext,
): ControlResult<CreatePartitionsResponse> {
  const topic = existingTopic(image, request.name);
  const current = topic.partitions.size;
  if (!Number.isSafeInteger(request.totalCount) || request.totalCount <= current) {
    throw new TributaryError(
      'INVALID_PARTITIONS',
      `topic "${topic.name}" has ${current} partitions; the new total ${request.totalCount} must be larger`,
    );
  }
  checkPartitionCount(request.totalCount, current + 1);
  // targetReplicas: during a reassignment `replicas` is the union of the old and the new lists.
  const first = topic.partitions.get(0);
  const replicationFactor =
    first === undefined ? context.defaultReplicationFactor : targetReplicas(first).length;
  // Least-loaded rather than round-robin: added partitions fill brokers added since the topic was created.
  const brokers = placementBrokers(image, replicationFactor);
  const assignments = placeReplicasLeastLoaded({
    brokers,
    load: brokerLoads(image, brokers),
    partitionCount: request.totalCount - current,
    replicationFactor,
  });
  const response = { topicId: topic.topicId, assignments };
  if (request.validateOnly === true) return { records: [], response };
  return { records: partitionRecords(topic.topicId, current, assignments), response };
}

export interface AlterTopicConfigsRequest {
  readonly name: string;
  readonly set: Readonly<Record<string, string>>;
  /** Config names to remove (back to the broker default); a name both set and removed is refused. */
  readonly remove: readonly string[];
  readonly validateOnly?: boolean;
}

export interface AlterTopicConfigsResponse {
  readonly topicId: TopicId;
  /** The topic's configs after the change. */
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * Kafka's IncrementalAlterConfigs for one topic: the resulting config (current, with `set` applied and
 * `remove` dropped) must pass the same checks as at creation, so no sequence of alterations can reach a
 * config CreateTopic would refuse. Only changed keys become records.
 */
export function alterTopicConfigs(
  image: MetadataImage,
  request: AlterTopicConfigsRequest,
): ControlResult<AlterTopicConfigsResponse> {
  const topic = existingTopic(image, request.name);
  const current = image.topicConfigs(topic.name);
  for (const name of request.remove) {
    if (Object.hasOwn(request.set, name)) {
      throw new TributaryError('INVALID_CONFIG', `config ${name} is both set and removed`);
    }
  }
  const next: Record<string, string> = Object.fromEntries(current);
  for (const name of request.remove) delete next[name];
  Object.assign(next, request.set);
  const replicationFactor = topic.partitions.get(0)?.replicas.length ?? 1;
  validateTopicConfigs(next, replicationFactor);
  const response = { topicId: topic.topicId, configs: next };
  if (request.validateOnly === true) return { records: [], response };
  const records: MetadataRecord[] = [];
  const changed = [...new Set([...current.keys(), ...Object.keys(next)])].sort();
  for (const name of changed) {
    const value = next[name] ?? null;
    if ((current.get(name) ?? null) === value) continue;
    records.push({ type: 'Config', resourceType: 'topic', resourceName: topic.name, name, value });
  }
  return { records, response };
}

function existingTopic(image: MetadataImage, name: string): TopicImage {
  const topic = image.topicByName(name);
  if (topic === undefined) throw new TributaryError('UNKNOWN_TOPIC', `topic "${name}" does not exist`);
  return topic;
}

/** Kafka refuses names that differ only in '.' versus '_', since metric names map one onto the other. */
function findCollidingTopic(image: MetadataImage, name: string): string | undefined {
  if (!name.includes('.') && !name.includes('_')) return undefined;
  const normalized = name.replaceAll('.', '_');
  for (const existing of image.topicsByName.keys()) {
    if (existing.replaceAll('.', '_') === normalized) return existing;
  }
  return undefined;
}

function checkPartitionCount(count: number, min: number): void {
  if (!Number.isSafeInteger(count) || count < min || count > LIMITS.partitionsPerTopicMax) {
    throw new TributaryError(
      'INVALID_PARTITIONS',
      `partition count ${count} must be between ${min} and ${LIMITS.partitionsPerTopicMax}`,
    );
  }
}

/** Kafka-like round-robin placement (placeReplicas) over the placeable brokers. */
function place(
  image: MetadataImage,
  shape: { partitionCount: number; replicationFactor: number; startPartition: number },
  context: ControllerContext,
): BrokerId[][] {
  const brokers = placementBrokers(image, shape.replicationFactor);
  return placeReplicas({ ...shape, brokers, random: context.random });
}

/**
 * The brokers new replicas may go to: unfenced and not being decommissioned (placeableBrokerIds), with
 * their racks. Refuses a replication factor they cannot hold.
 */
function placementBrokers(image: MetadataImage, replicationFactor: number): PlacementBroker[] {
  const placeable = image.placeableBrokerIds();
  if (!Number.isSafeInteger(replicationFactor) || replicationFactor < 1) {
    throw new TributaryError(
      'INVALID_REPLICATION_FACTOR',
      `replication factor ${replicationFactor} must be >= 1`,
    );
  }
  if (replicationFactor > LIMITS.replicationFactorMax) {
    throw new TributaryError(
      'INVALID_REPLICATION_FACTOR',
      `replication factor ${replicationFactor} is above the limit ${LIMITS.replicationFactorMax}`,
    );
  }
  if (replicationFactor > placeable.length) {
    throw new TributaryError(
      'INVALID_REPLICATION_FACTOR',
      `replication factor ${replicationFactor} is larger than the ${placeable.length} available (unfenced) brokers that are not being decommissioned`,
    );
  }
  return placeable.map((id) => ({ id, rack: image.broker(id)?.rack ?? null }));
}

/**
 * Each broker's replicas and preferred leaderships over all topics, counted where reassignments are
 * heading (targetReplicas): a replica being moved away no longer counts against its broker.
 */
function brokerLoads(image: MetadataImage, brokers: readonly PlacementBroker[]): Map<BrokerId, BrokerLoad> {
  const loads = new Map<BrokerId, BrokerLoad>();
  for (const { id } of brokers) {
    let replicas = 0;
    let preferredLeaders = 0;
    for (const state of image.partitionsWithReplica(id)) {
      const target = targetReplicas(state);
      if (!target.includes(id)) continue;
      replicas += 1;
      if (target[0] === id) preferredLeaders += 1;
    }
    loads.set(id, { replicas, preferredLeaders });
  }
  return loads;
}

function partitionRecords(
  topicId: TopicId,
  firstPartition: number,
  assignments: readonly (readonly BrokerId[])[],
): MetadataRecord[] {
  return assignments.map((replicas, i) => {
    const leader = replicas[0];
    assert(leader !== undefined, 'placement returned an empty replica list');
    return {
      type: 'Partition',
      topicId,
      partition: firstPartition + i,
      replicas,
      isr: replicas,
      leader,
      leaderEpoch: leaderEpoch(0),
      partitionEpoch: partitionEpoch(0),
    };
  });
}
