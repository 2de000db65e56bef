/**
 * The immutable metadata image (Kafka's MetadataImage): everything the metadata log says, as of one
 * offset. A new image is built only by MetadataDelta.apply(); images share every map a delta did not
 * touch (copy-on-write per map and per topic), so applying a batch costs the size of what changed plus
 * one copy of the top-level topic map, never a copy of every partition.
 */
import type { BrokerEpoch, BrokerId, LeaderEpoch, PartitionEpoch } from '@tributary/core';
import type { ConfigResourceType, NO_LEADER, TopicId } from './records.js';

export interface BrokerRegistration {
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
  /** A fresh id per broker process start; tells a restart apart from a second process with the same id. */
  readonly incarnationId: string;
  readonly address: string;
  readonly rack: string | null;
  readonly fenced: boolean;
}

export interface PartitionState {
  readonly topicId: TopicId;
  readonly partition: number;
  /** Replica order matters: the first replica is the preferred leader. */
  readonly replicas: readonly BrokerId[];
  readonly isr: readonly BrokerId[];
  readonly leader: BrokerId | typeof NO_LEADER;
  readonly leaderEpoch: LeaderEpoch;
  readonly partitionEpoch: PartitionEpoch;
}

export interface TopicImage {
  readonly topicId: TopicId;
  readonly name: string;
  /** Keyed by partition index; indexes are 0..size-1 once a command's records are all applied. */
  readonly partitions: ReadonlyMap<number, PartitionState>;
}

/** The last block of producer ids handed out; `nextProducerId` is the first id not yet given to anyone. */
export interface ProducerIdsState {
  readonly nextProducerId: number;
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
}

export interface MetadataImageParts {
  readonly offset: number;
  readonly brokers: ReadonlyMap<BrokerId, BrokerRegistration>;
  readonly topicsById: ReadonlyMap<TopicId, TopicImage>;
  readonly topicsByName: ReadonlyMap<string, TopicImage>;
  /** Keyed by configResourceKey(type, name); a resource with no keys set has no entry. */
  readonly configs: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly producerIds: ProducerIdsState | null;
}

/** The key of a config resource in MetadataImage.configs, e.g. "topic:orders", "broker:1", "cluster:". */
export function configResourceKey(resourceType: ConfigResourceType, resourceName: string): string {
  return `${resourceType}:${resourceName}`;
}

export function parseConfigResourceKey(key: string): {
  resourceType: ConfigResourceType;
  resourceName: string;
} {
  const colon = key.indexOf(':');
  const resourceType = key.slice(0, colon);
  if (resourceType !== 'topic' && resourceType !== 'broker' && resourceType !== 'cluster') {
    throw new RangeError(`not a config resource key: ${key}`);
  }
  return { resourceType, resourceName: key.slice(colon + 1) };
}

interface BrokerPartitionIndex {
  readonly led: Map<BrokerId, PartitionState[]>;
  readonly replica: Map<BrokerId, PartitionState[]>;
  readonly inIsr: Map<BrokerId, PartitionState[]>;
}

const NO_PARTITIONS: readonly PartitionState[] = Object.freeze([]);
const NO_CONFIGS: ReadonlyMap<string, string> = new Map();

export class MetadataImage {
  static readonly EMPTY: MetadataImage = new MetadataImage({
    offset: -1,
    brokers: new Map(),
    topicsById: new Map(),
    topicsByName: new Map(),
    configs: new Map(),
    producerIds: null,
  });

  /** The last metadata offset (Raft index) applied; -1 for the empty image. */
  readonly offset: number;
  readonly brokers: ReadonlyMap<BrokerId, BrokerRegistration>;
  readonly topicsById: ReadonlyMap<TopicId, TopicImage>;
  readonly topicsByName: ReadonlyMap<string, TopicImage>;
  readonly configs: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly producerIds: ProducerIdsState | null;
  /** Built on first use: per-broker partition lists (an ES private field, so deep equality ignores it). */
  #brokerIndex: BrokerPartitionIndex | undefined;

  constructor(parts: MetadataImageParts) {
    this.offset = parts.offset;
    this.brokers = parts.brokers;
    this.topicsById = parts.topicsById;
    this.topicsByName = parts.topicsByName;
    this.configs = parts.configs;
    this.producerIds = parts.producerIds;
  }

  isEmpty(): boolean {
    return (
      this.brokers.size === 0 &&
      this.topicsById.size === 0 &&
      this.configs.size === 0 &&
      this.producerIds === null
    );
  }

  broker(id: BrokerId): BrokerRegistration | undefined {
    return this.brokers.get(id);
  }

  /** Registered broker ids, ascending. */
  brokerIds(): BrokerId[] {
    return [...this.brokers.keys()].sort((a, b) => a - b);
  }

  /** Unfenced broker ids, ascending: the brokers that may lead and receive new replicas. */
  unfencedBrokerIds(): BrokerId[] {
    const ids: BrokerId[] = [];
    for (const broker of this.brokers.values()) if (!broker.fenced) ids.push(broker.brokerId);
    return ids.sort((a, b) => a - b);
  }

  topicByName(name: string): TopicImage | undefined {
    return this.topicsByName.get(name);
  }

  topicById(topicId: TopicId): TopicImage | undefined {
    return this.topicsById.get(topicId);
  }

  partition(topicId: TopicId, partition: number): PartitionState | undefined {
    return this.topicsById.get(topicId)?.partitions.get(partition);
  }

  /** Total partitions over all topics. */
  partitionCount(): number {
    let count = 0;
    for (const topic of this.topicsById.values()) count += topic.partitions.size;
    return count;
  }

  partitionsLedBy(brokerId: BrokerId): readonly PartitionState[] {
    return this.#index().led.get(brokerId) ?? NO_PARTITIONS;
  }

  partitionsWithReplica(brokerId: BrokerId): readonly PartitionState[] {
    return this.#index().replica.get(brokerId) ?? NO_PARTITIONS;
  }

  partitionsWithIsrMember(brokerId: BrokerId): readonly PartitionState[] {
    return this.#index().inIsr.get(brokerId) ?? NO_PARTITIONS;
  }

  /** The keys set on a config resource (empty when none are). */
  configsOf(resourceType: ConfigResourceType, resourceName: string): ReadonlyMap<string, string> {
    return this.configs.get(configResourceKey(resourceType, resourceName)) ?? NO_CONFIGS;
  }

  topicConfigs(topicName: string): ReadonlyMap<string, string> {
    return this.configsOf('topic', topicName);
  }

  /** The first producer id not yet handed out. */
  get nextProducerId(): number {
    return this.producerIds?.nextProducerId ?? 0;
  }

  /** One O(partitions) pass, done at most once per image and only if someone asks. */
  #index(): BrokerPartitionIndex {
    if (this.#brokerIndex !== undefined) return this.#brokerIndex;
    const index: BrokerPartitionIndex = { led: new Map(), replica: new Map(), inIsr: new Map() };
    const push = (map: Map<BrokerId, PartitionState[]>, id: BrokerId, state: PartitionState): void => {
      const list = map.get(id);
      if (list === undefined) map.set(id, [state]);
      else list.push(state);
    };
    for (const topic of this.topicsById.values()) {
      for (const state of topic.partitions.values()) {
        if (state.leader !== -1) push(index.led, state.leader, state);
        for (const replica of state.replicas) push(index.replica, replica, state);
        for (const member of state.isr) push(index.inIsr, member, state);
      }
    }
    this.#brokerIndex = index;
    return index;
  }
}
