/**
 * What changed when a whole image replaces another (a snapshot loaded from the controller), in the
 * same shape a MetadataDelta reports, so listeners handle one kind of change. Pure. Entries are compared
 * by identity, so a decoded snapshot (all new objects) reports everything it holds: conservative, never missing.
 */
import type { BrokerId } from '@tributary/core';
import type { MetadataChanges, MetadataImage, TopicId } from '@tributary/metadata';

export function snapshotChanges(previous: MetadataImage, next: MetadataImage): MetadataChanges {
  const brokers = new Set<BrokerId>();
  for (const image of [previous, next]) {
    for (const brokerId of image.brokers.keys()) {
      if (previous.brokers.get(brokerId) !== next.brokers.get(brokerId)) brokers.add(brokerId);
    }
  }
  const createdTopics = new Set<TopicId>();
  const removedTopics = new Set<TopicId>();
  const partitions = new Map<TopicId, ReadonlySet<number>>();
  for (const topicId of previous.topicsById.keys()) {
    if (!next.topicsById.has(topicId)) removedTopics.add(topicId);
  }
  for (const [topicId, topic] of next.topicsById) {
    const before = previous.topicsById.get(topicId);
    if (before === undefined) createdTopics.add(topicId);
    const changed = new Set<number>();
    for (const [index, state] of topic.partitions) {
      if (before?.partitions.get(index) !== state) changed.add(index);
    }
    if (changed.size > 0) partitions.set(topicId, changed);
  }
  const configResources = new Set<string>();
  for (const image of [previous, next]) {
    for (const key of image.configs.keys()) {
      if (previous.configs.get(key) !== next.configs.get(key)) configResources.add(key);
    }
  }
  return {
    brokers,
    createdTopics,
    removedTopics,
    partitions,
    configResources,
    producerIds: previous.producerIds !== next.producerIds,
  };
}
