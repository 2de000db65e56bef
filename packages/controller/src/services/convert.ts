/** The committed metadata image as the wire messages of controller.proto / common.proto. Pure. */
import {
  type BrokerRegistration,
  configResourceKey,
  type MetadataImage,
  NO_LEADER,
  type PartitionState,
  type TopicImage,
} from '@tributary/metadata';
import type {
  BrokerInfo,
  PartitionInfo,
  TopicConfigEntry,
  TopicInfo,
  TopicListing,
} from '@tributary/protocol';

export function topicConfigs(image: MetadataImage, name: string): TopicConfigEntry[] {
  const configs = image.configs.get(configResourceKey('topic', name));
  if (configs === undefined) return [];
  return [...configs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ name: key, value }));
}

export function partitionInfo(state: PartitionState): PartitionInfo {
  return {
    partition: state.partition,
    leader: state.leader === NO_LEADER ? -1 : state.leader,
    leaderEpoch: state.leaderEpoch,
    partitionEpoch: state.partitionEpoch,
    replicas: [...state.replicas],
    isr: [...state.isr],
    addingReplicas: [...(state.addingReplicas ?? [])],
    removingReplicas: [...(state.removingReplicas ?? [])],
  };
}

export function partitionInfos(topic: TopicImage): PartitionInfo[] {
  return [...topic.partitions.values()].sort((a, b) => a.partition - b.partition).map(partitionInfo);
}

export function topicInfo(image: MetadataImage, topic: TopicImage): TopicInfo {
  return {
    name: topic.name,
    topicId: topic.topicId,
    partitions: partitionInfos(topic),
    configs: topicConfigs(image, topic.name),
  };
}

export function topicListing(topic: TopicImage): TopicListing {
  const first = topic.partitions.get(0);
  return {
    name: topic.name,
    topicId: topic.topicId,
    partitionCount: topic.partitions.size,
    replicationFactor: first?.replicas.length ?? 0,
  };
}

export function brokerInfo(broker: BrokerRegistration): BrokerInfo {
  return {
    brokerId: broker.brokerId,
    address: broker.address,
    rack: broker.rack ?? '',
    brokerEpoch: broker.brokerEpoch,
    fenced: broker.fenced,
    incarnationId: broker.incarnationId,
    kafkaAddress: broker.kafkaAddress ?? '',
  };
}

/** Topics sorted by name. */
export function sortedTopics(image: MetadataImage): TopicImage[] {
  return [...image.topicsByName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
