/** The broker's metadata image as the wire messages of the Metadata RPC. Pure. */
import {
  type BrokerRegistration,
  configResourceKey,
  type MetadataImage,
  NO_LEADER,
  type TopicImage,
} from '@tributary/metadata';
import type {
  BrokerInfo,
  MetadataResponse,
  MetadataTopicResult,
  PartitionInfo,
  TopicConfigEntry,
  TopicInfo,
} from '@tributary/protocol';

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function brokerInfo(broker: BrokerRegistration): BrokerInfo {
  return {
    brokerId: broker.brokerId,
    address: broker.address,
    rack: broker.rack ?? '',
    brokerEpoch: broker.brokerEpoch,
    fenced: broker.fenced,
    incarnationId: broker.incarnationId,
  };
}

function topicConfigs(image: MetadataImage, name: string): TopicConfigEntry[] {
  const configs = image.configs.get(configResourceKey('topic', name));
  if (configs === undefined) return [];
  return [...configs].sort(([a], [b]) => byName(a, b)).map(([key, value]) => ({ name: key, value }));
}

function partitionInfos(topic: TopicImage): PartitionInfo[] {
  return [...topic.partitions.values()]
    .sort((a, b) => a.partition - b.partition)
    .map((state) => ({
      partition: state.partition,
      leader: state.leader === NO_LEADER ? -1 : state.leader,
      leaderEpoch: state.leaderEpoch,
      partitionEpoch: state.partitionEpoch,
      replicas: [...state.replicas],
      isr: [...state.isr],
    }));
}

export function topicInfo(image: MetadataImage, topic: TopicImage): TopicInfo {
  return {
    name: topic.name,
    topicId: topic.topicId,
    partitions: partitionInfos(topic),
    configs: topicConfigs(image, topic.name),
  };
}

/** A per-topic failure; the topic carries only its name so the client can match it. */
export function topicError(name: string, errorCode: string, errorMessage: string): MetadataTopicResult {
  return { errorCode, errorMessage, topic: { name, topicId: '', partitions: [], configs: [] } };
}

export function topicResult(image: MetadataImage, name: string): MetadataTopicResult {
  const topic = image.topicByName(name);
  if (topic === undefined) {
    return topicError(name, 'UNKNOWN_TOPIC_OR_PARTITION', `topic "${name}" does not exist`);
  }
  return { errorCode: '', errorMessage: '', topic: topicInfo(image, topic) };
}

export interface MetadataAnswerOptions {
  readonly clusterId: string;
  /** Topics asked for, or null for every topic. */
  readonly topics: readonly string[] | null;
  /** Answers that replace the image's (auto-creation failures), by topic name. */
  readonly overrides?: ReadonlyMap<string, MetadataTopicResult>;
}

/** Every broker (fenced ones too, flagged) sorted by id, and the topics asked for in request order. */
export function metadataResponse(image: MetadataImage, options: MetadataAnswerOptions): MetadataResponse {
  const brokers = [...image.brokers.values()].sort((a, b) => a.brokerId - b.brokerId).map(brokerInfo);
  const names = options.topics ?? [...image.topicsByName.keys()].sort(byName);
  const topics = [...new Set(names)].map((name) => options.overrides?.get(name) ?? topicResult(image, name));
  return {
    clusterId: options.clusterId,
    controllerId: -1,
    brokers,
    topics,
    metadataOffset: image.offset,
  };
}
