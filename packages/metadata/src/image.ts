/**
 * The immutable metadata image (Kafka's MetadataImage): everything the metadata log says, as of one
 * offset. A new image is built only by MetadataDelta.apply(). Its maps are PersistentMaps, so an image
 * shares everything a delta did not touch with the image it came from, and applying a delta costs
 * O(changes × log n) — never a copy of every topic or partition. Old images stay valid and unchanged
 * (the controller keeps the committed image while deriving speculative ones from it).
 */
import type { BrokerEpoch, BrokerId, LeaderEpoch, PartitionEpoch } from '@tributary/core';
import { BrokerPartitionIndex, type IndexedImage, type PartitionChange } from './broker-index.js';
import { PersistentMap } from './persistent/persistent-map.js';
import type { ConfigResourceType, NO_LEADER, TopicId } from './records.js';
import { AclsImage, ClientQuotasImage, ScramImage } from './security-image.js';

export interface BrokerRegistration {
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
  /** A fresh id per broker process start; tells a restart apart from a second process with the same id. */
  readonly incarnationId: string;
  readonly address: string;
  readonly rack: string | null;
  readonly fenced: boolean;
  /** host:port of the broker's Kafka listener; absent when it serves none (DESIGN §9). */
  readonly kafkaAddress?: string;
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
  /**
   * Only while a reassignment runs (never present and empty): replicas being added, and replicas to
   * remove once every adding replica is in the ISR. `replicas` is then the union of old and target.
   */
  readonly addingReplicas?: readonly BrokerId[];
  readonly removingReplicas?: readonly BrokerId[];
}

/**
 * Broker config the active controller sets to "true" while it drains a broker (`trib brokers
 * decommission`): no new replica is placed there. Removed when the decommission is cancelled.
 */
export const BROKER_DECOMMISSIONED_CONFIG = 'decommissioned';

/**
 * Cluster config: the byte rate (per second, per broker) at which replicas a reassignment is adding may
 * fetch, so moving data does not starve produce traffic. Absent = unthrottled.
 */
export const REPLICATION_THROTTLE_CONFIG = 'replication.throttled.rate';

/** Whether a reassignment is moving this partition's replicas. */
export function isReassigning(state: PartitionState): boolean {
  return state.addingReplicas !== undefined || state.removingReplicas !== undefined;
}

/**
 * The replica list a reassignment is heading for (replicas minus removing), or the replicas when none
 * runs. Its first element is the preferred leader once the move completes.
 */
export function targetReplicas(state: PartitionState): readonly BrokerId[] {
  const removing = state.removingReplicas;
  return removing === undefined ? state.replicas : state.replicas.filter((id) => !removing.includes(id));
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
  /** DESIGN §10: ACLs, SCRAM credentials and client quotas (security-image.ts). */
  readonly acls: AclsImage;
  readonly scram: ScramImage;
  readonly clientQuotas: ClientQuotasImage;
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

/** How a delta made an image: from `base`, changing `partitions` (used to carry derived indexes forward). */
export interface ImageDerivation {
  readonly base: MetadataImage;
  readonly partitions: readonly PartitionChange[];
}

const NO_CONFIGS: ReadonlyMap<string, string> = new Map();

export class MetadataImage {
  static readonly EMPTY: MetadataImage = new MetadataImage({
    offset: -1,
    brokers: PersistentMap.empty(),
    topicsById: PersistentMap.empty(),
    topicsByName: PersistentMap.empty(),
    configs: PersistentMap.empty(),
    producerIds: null,
    acls: AclsImage.EMPTY,
    scram: ScramImage.EMPTY,
    clientQuotas: ClientQuotasImage.EMPTY,
  });

  /** The last metadata offset (Raft index) applied; -1 for the empty image. */
  readonly offset: number;
  readonly brokers: ReadonlyMap<BrokerId, BrokerRegistration>;
  readonly topicsById: ReadonlyMap<TopicId, TopicImage>;
  readonly topicsByName: ReadonlyMap<string, TopicImage>;
  readonly configs: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly producerIds: ProducerIdsState | null;
  readonly acls: AclsImage;
  readonly scram: ScramImage;
  readonly clientQuotas: ClientQuotasImage;
  readonly #topicsById: PersistentMap<TopicId, TopicImage>;
  /**
   * Per-broker partition lists, each built on first use and then carried forward by deltas (see
   * broker-index.ts). ES private fields, so deep equality of images ignores them.
   */
  #brokerIndex: BrokerPartitionIndex;
  #partitionCount: number | undefined;

  /**
   * Maps in `parts` that are not PersistentMaps (an image built by hand) are copied into ones, once.
   * `derivation` is for MetadataDelta.apply().
   */
  constructor(parts: MetadataImageParts, derivation?: ImageDerivation) {
    this.offset = parts.offset;
    this.brokers = PersistentMap.from(parts.brokers);
    this.#topicsById = PersistentMap.from(parts.topicsById);
    this.topicsById = this.#topicsById;
    this.topicsByName = PersistentMap.from(parts.topicsByName);
    this.configs = PersistentMap.from(parts.configs);
    this.producerIds = parts.producerIds;
    this.acls = parts.acls;
    this.scram = parts.scram;
    this.clientQuotas = parts.clientQuotas;
    this.#brokerIndex = new BrokerPartitionIndex();
    if (derivation !== undefined) this.#deriveFrom(derivation);
  }

  isEmpty(): boolean {
    return (
      this.brokers.size === 0 &&
      this.topicsById.size === 0 &&
      this.configs.size === 0 &&
      this.producerIds === null &&
      this.acls.size === 0 &&
      this.scram.users.size === 0 &&
      this.clientQuotas.byEntity.size === 0
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

  /** Whether the broker is being drained (BROKER_DECOMMISSIONED_CONFIG). */
  isDecommissioned(id: BrokerId): boolean {
    return this.configsOf('broker', String(id)).get(BROKER_DECOMMISSIONED_CONFIG) === 'true';
  }

  /** Unfenced brokers that are not being decommissioned, ascending: where new replicas may go. */
  placeableBrokerIds(): BrokerId[] {
    return this.unfencedBrokerIds().filter((id) => !this.isDecommissioned(id));
  }

  /** The replication throttle for adding replicas in bytes per second, or null when none is set. */
  replicationThrottle(): number | null {
    const value = this.configsOf('cluster', '').get(REPLICATION_THROTTLE_CONFIG);
    if (value === undefined) return null;
    const rate = Number(value);
    return Number.isSafeInteger(rate) && rate > 0 ? rate : null;
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

  /** Total partitions over all topics (kept up to date by deltas once counted). */
  partitionCount(): number {
    if (this.#partitionCount !== undefined) return this.#partitionCount;
    let count = 0;
    for (const topic of this.topicsById.values()) count += topic.partitions.size;
    this.#partitionCount = count;
    return count;
  }

  /** In topic order (as topicsById iterates), then partition index; built once per image and shared. */
  partitionsLedBy(brokerId: BrokerId): readonly PartitionState[] {
    return this.#brokerIndex.list('led', brokerId, this.#indexed);
  }

  partitionsWithReplica(brokerId: BrokerId): readonly PartitionState[] {
    return this.#brokerIndex.list('replica', brokerId, this.#indexed);
  }

  partitionsWithIsrMember(brokerId: BrokerId): readonly PartitionState[] {
    return this.#brokerIndex.list('inIsr', brokerId, this.#indexed);
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

  readonly #indexed: IndexedImage = {
    topics: () => this.#topicsById.values(),
    topic: (topicId) => this.#topicsById.get(topicId),
    topicPosition: (topicId) => this.#topicsById.positionOf(topicId) ?? 0,
  };

  /** Carries the base's derived state forward at the cost of the change, where the base has it. */
  #deriveFrom({ base, partitions }: ImageDerivation): void {
    this.#brokerIndex = base.#brokerIndex.withChanges(partitions);
    if (base.#partitionCount !== undefined) {
      let count = base.#partitionCount;
      for (const { before, after } of partitions) count += (after ? 1 : 0) - (before ? 1 : 0);
      this.#partitionCount = count;
    }
  }
}
