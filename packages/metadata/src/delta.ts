/**
 * MetadataDelta (Kafka's pattern): start from an image, replay committed records in log order, then
 * apply() to get the next image. Replay is where invariants are checked: a record that breaks one is a
 * bug in the controller that wrote it, so it fails an assert() rather than returning an error.
 *
 * Cost: replay is O(size of the record); apply() is O(changes × log n) — the image's maps are
 * PersistentMaps, so it copies only the paths to what changed, never the whole topic map (the active
 * controller applies twice per command, and a per-command O(topics) copy capped its write rate).
 */
import { assert, assertNever, type BrokerId } from '@tributary/core';
import { sharedBrokerIds } from './broker-id-lists.js';
import type { PartitionChange } from './broker-index.js';
import {
  type BrokerRegistration,
  configResourceKey,
  MetadataImage,
  type PartitionState,
  type ProducerIdsState,
  type TopicImage,
} from './image.js';
import { PersistentMap } from './persistent/persistent-map.js';
import {
  type ConfigRecord,
  type MetadataRecord,
  NO_LEADER,
  type PartitionChangeRecord,
  type PartitionRecord,
  type RegisterBrokerRecord,
  type TopicId,
} from './records.js';
import { SecurityDelta } from './security-delta.js';

interface TopicChange {
  readonly topicId: TopicId;
  readonly name: string;
  readonly basePartitions: PersistentMap<number, PartitionState>;
  readonly changed: Map<number, PartitionState>;
}

/** What a delta changed, for publishers (a broker's replica manager, the controller's metrics). */
export interface MetadataChanges {
  /** Brokers registered, unregistered, fenced or unfenced. */
  readonly brokers: ReadonlySet<BrokerId>;
  readonly createdTopics: ReadonlySet<TopicId>;
  readonly removedTopics: ReadonlySet<TopicId>;
  /** Partitions created or changed, per topic that still exists. */
  readonly partitions: ReadonlyMap<TopicId, ReadonlySet<number>>;
  /** configResourceKey()s whose keys changed. */
  readonly configResources: ReadonlySet<string>;
  readonly producerIds: boolean;
}

const EMPTY_PARTITIONS = PersistentMap.empty<number, PartitionState>();

export class MetadataDelta {
  readonly image: MetadataImage;
  #offset: number;
  /** null = unregistered in this delta. */
  readonly #brokers = new Map<BrokerId, BrokerRegistration | null>();
  /** null = removed in this delta (and present in the base image). */
  readonly #topics = new Map<TopicId, TopicChange | null>();
  /** Names of topics created in this delta, to refuse duplicates without scanning. */
  readonly #createdNames = new Map<string, TopicId>();
  /** Full key maps of the config resources this delta touched. */
  readonly #configs = new Map<string, Map<string, string>>();
  #producerIds: ProducerIdsState | null | undefined;
  /** ACL, SCRAM and quota records (security-delta.ts); created by the first such record. */
  #security: SecurityDelta | undefined;

  constructor(image: MetadataImage) {
    this.image = image;
    this.#offset = image.offset;
  }

  get offset(): number {
    return this.#offset;
  }

  /**
   * Moves the offset without a record: Raft's leader-change and no-op entries, or a snapshot's offset.
   * Several records may share an offset (one Raft entry holds a command's records), so equal is fine.
   */
  advanceTo(offset: number): void {
    assert(Number.isSafeInteger(offset), () => `metadata offset ${offset} is not an integer`);
    assert(offset >= this.#offset, () => `metadata offset went back from ${this.#offset} to ${offset}`);
    this.#offset = offset;
  }

  replay(record: MetadataRecord, offset: number): void {
    this.advanceTo(offset);
    switch (record.type) {
      case 'RegisterBroker':
        this.#replayRegisterBroker(record);
        return;
      case 'UnregisterBroker':
        this.#existingBroker(record.brokerId, record.brokerEpoch, record.type);
        this.#brokers.set(record.brokerId, null);
        return;
      case 'FenceBroker':
      case 'UnfenceBroker': {
        const broker = this.#existingBroker(record.brokerId, record.brokerEpoch, record.type);
        this.#brokers.set(record.brokerId, { ...broker, fenced: record.type === 'FenceBroker' });
        return;
      }
      case 'Topic':
        this.#replayTopic(record.topicId, record.name);
        return;
      case 'RemoveTopic':
        this.#replayRemoveTopic(record.topicId);
        return;
      case 'Partition':
        this.#replayPartition(record);
        return;
      case 'PartitionChange':
        this.#replayPartitionChange(record);
        return;
      case 'Config':
        this.#replayConfig(record);
        return;
      case 'ProducerIds': {
        const next = this.#currentProducerIds()?.nextProducerId ?? 0;
        assert(
          Number.isSafeInteger(record.nextProducerId) && record.nextProducerId > next,
          () => `ProducerIds: next producer id must grow past ${next}, got ${record.nextProducerId}`,
        );
        const { nextProducerId, brokerId, brokerEpoch } = record;
        this.#producerIds = { nextProducerId, brokerId, brokerEpoch };
        return;
      }
      case 'AccessControlEntry':
      case 'RemoveAccessControlEntry':
      case 'UserScramCredential':
      case 'RemoveUserScramCredential':
      case 'ClientQuota':
        this.#security ??= new SecurityDelta(this.image);
        this.#security.replay(record);
        return;
      default:
        assertNever(record, 'metadata record');
    }
  }

  /** The broker as this delta sees it. */
  broker(id: BrokerId): BrokerRegistration | undefined {
    const changed = this.#brokers.get(id);
    if (changed === null) return undefined;
    return changed ?? this.image.broker(id);
  }

  /** The topic as this delta sees it, with its partitions as a lookup. */
  topic(topicId: TopicId): { name: string; partition(p: number): PartitionState | undefined } | undefined {
    const change = this.#topics.get(topicId);
    if (change === null) return undefined;
    if (change === undefined) {
      const topic = this.image.topicById(topicId);
      if (topic === undefined) return undefined;
      return { name: topic.name, partition: (p) => topic.partitions.get(p) };
    }
    return { name: change.name, partition: (p) => change.changed.get(p) ?? change.basePartitions.get(p) };
  }

  /** The topic id holding `name` as this delta sees it. */
  topicIdByName(name: string): TopicId | undefined {
    const created = this.#createdNames.get(name);
    if (created !== undefined) return created;
    const base = this.image.topicByName(name);
    if (base === undefined || this.#topics.get(base.topicId) === null) return undefined;
    return base.topicId;
  }

  changes(): MetadataChanges {
    const createdTopics = new Set<TopicId>();
    const removedTopics = new Set<TopicId>();
    const partitions = new Map<TopicId, ReadonlySet<number>>();
    for (const [topicId, change] of this.#topics) {
      if (change === null) {
        removedTopics.add(topicId);
        continue;
      }
      if (this.image.topicById(topicId) === undefined) createdTopics.add(topicId);
      if (change.changed.size > 0) partitions.set(topicId, new Set(change.changed.keys()));
    }
    return {
      brokers: new Set(this.#brokers.keys()),
      createdTopics,
      removedTopics,
      partitions,
      configResources: new Set(this.#configs.keys()),
      producerIds: this.#producerIds !== undefined,
    };
  }

  apply(): MetadataImage {
    const base = this.image;
    const partitions: PartitionChange[] = [];
    const parts = {
      offset: this.#offset,
      brokers: this.#applyBrokers(),
      ...this.#applyTopics(partitions),
      configs: this.#applyConfigs(),
      producerIds: this.#producerIds === undefined ? base.producerIds : this.#producerIds,
      ...(this.#security?.apply() ?? { acls: base.acls, scram: base.scram, clientQuotas: base.clientQuotas }),
    };
    return new MetadataImage(parts, { base, partitions });
  }

  #replayRegisterBroker(record: RegisterBrokerRecord): void {
    const previous = this.broker(record.brokerId);
    assert(
      previous === undefined || record.brokerEpoch > previous.brokerEpoch,
      () =>
        `RegisterBroker ${record.brokerId}: epoch ${record.brokerEpoch} does not grow past ${previous?.brokerEpoch}`,
    );
    const { brokerId, brokerEpoch, incarnationId, address, rack, fenced, kafkaAddress } = record;
    this.#brokers.set(brokerId, {
      brokerId,
      brokerEpoch,
      incarnationId,
      address,
      rack,
      fenced,
      ...(kafkaAddress === undefined ? {} : { kafkaAddress }),
    });
  }

  #existingBroker(id: BrokerId, epoch: number, what: string): BrokerRegistration {
    const broker = this.broker(id);
    assert(broker !== undefined, () => `${what}: broker ${id} is not registered`);
    assert(
      broker.brokerEpoch === epoch,
      () => `${what}: broker ${id} has epoch ${broker.brokerEpoch}, record says ${epoch}`,
    );
    return broker;
  }

  #replayTopic(topicId: TopicId, name: string): void {
    assert(this.topic(topicId) === undefined, () => `Topic: topic id ${topicId} already exists`);
    assert(this.#topics.get(topicId) !== null, () => `Topic: topic id ${topicId} was reused after removal`);
    const holder = this.topicIdByName(name);
    assert(holder === undefined, () => `Topic: name "${name}" is already topic ${holder}`);
    this.#topics.set(topicId, { topicId, name, basePartitions: EMPTY_PARTITIONS, changed: new Map() });
    this.#createdNames.set(name, topicId);
  }

  #replayRemoveTopic(topicId: TopicId): void {
    const topic = this.topic(topicId);
    assert(topic !== undefined, () => `RemoveTopic: unknown topic ${topicId}`);
    if (this.image.topicById(topicId) === undefined) this.#topics.delete(topicId);
    else this.#topics.set(topicId, null);
    this.#createdNames.delete(topic.name);
    // As in Kafka, a topic's configs go with it, so a later topic with the same name starts clean.
    const key = configResourceKey('topic', topic.name);
    const configs = this.#configs.get(key) ?? this.image.configs.get(key);
    if (configs !== undefined && configs.size > 0) this.#configs.set(key, new Map());
  }

  #replayPartition(record: PartitionRecord): void {
    const change = this.#topicChange(record.topicId, record.type);
    assert(
      Number.isSafeInteger(record.partition) && record.partition >= 0,
      () => `Partition: bad partition index ${record.partition}`,
    );
    const existing = change.changed.get(record.partition) ?? change.basePartitions.get(record.partition);
    assert(existing === undefined, () => `Partition: ${record.topicId}/${record.partition} already exists`);
    const { partition, leader, leaderEpoch, partitionEpoch } = record;
    const state: PartitionState = {
      // The topic's own id string, not the record's copy: one string per topic, not per partition.
      topicId: change.topicId,
      partition,
      replicas: sharedBrokerIds(record.replicas),
      isr: sharedBrokerIds(record.isr),
      leader,
      leaderEpoch,
      partitionEpoch,
      ...reassignmentSets(record.addingReplicas, record.removingReplicas),
    };
    checkPartitionState(state);
    change.changed.set(partition, state);
  }

  #replayPartitionChange(record: PartitionChangeRecord): void {
    const change = this.#topicChange(record.topicId, record.type);
    const where = `PartitionChange ${record.topicId}/${record.partition}`;
    const old = change.changed.get(record.partition) ?? change.basePartitions.get(record.partition);
    assert(old !== undefined, () => `${where}: unknown partition`);
    const leader = record.leader ?? old.leader;
    assert(
      record.leaderEpoch >= old.leaderEpoch,
      () => `${where}: leader epoch went back from ${old.leaderEpoch} to ${record.leaderEpoch}`,
    );
    assert(
      leader === old.leader || record.leaderEpoch > old.leaderEpoch,
      () => `${where}: leader changed ${old.leader} -> ${leader} without a new leader epoch`,
    );
    assert(
      record.partitionEpoch > old.partitionEpoch,
      () => `${where}: partition epoch ${record.partitionEpoch} does not grow past ${old.partitionEpoch}`,
    );
    const state: PartitionState = {
      topicId: old.topicId,
      partition: old.partition,
      replicas: record.replicas === undefined ? old.replicas : sharedBrokerIds(record.replicas),
      isr: record.isr === undefined ? old.isr : sharedBrokerIds(record.isr),
      leader,
      leaderEpoch: record.leaderEpoch,
      partitionEpoch: record.partitionEpoch,
      ...reassignmentSets(
        record.addingReplicas ?? old.addingReplicas,
        record.removingReplicas ?? old.removingReplicas,
      ),
    };
    checkPartitionState(state);
    change.changed.set(record.partition, state);
  }

  #replayConfig(record: ConfigRecord): void {
    const what = `Config ${record.resourceType}:${record.resourceName} ${record.name}`;
    assert(record.name.length > 0, () => `${what}: empty config name`);
    if (record.resourceType === 'topic' && record.value !== null) {
      assert(this.topicIdByName(record.resourceName) !== undefined, () => `${what}: unknown topic`);
    }
    if (record.resourceType === 'broker') {
      assert(/^\d+$/.test(record.resourceName), () => `${what}: broker resource must be a broker id`);
    }
    if (record.resourceType === 'cluster') {
      assert(record.resourceName === '', () => `${what}: the cluster resource name must be ''`);
    }
    const configs = this.#touchConfigs(configResourceKey(record.resourceType, record.resourceName));
    if (record.value === null) configs.delete(record.name);
    else configs.set(record.name, record.value);
  }

  #touchConfigs(key: string): Map<string, string> {
    let configs = this.#configs.get(key);
    if (configs === undefined) {
      configs = new Map(this.image.configs.get(key));
      this.#configs.set(key, configs);
    }
    return configs;
  }

  #currentProducerIds(): ProducerIdsState | null {
    return this.#producerIds === undefined ? this.image.producerIds : this.#producerIds;
  }

  #topicChange(topicId: TopicId, what: string): TopicChange {
    const change = this.#topics.get(topicId);
    assert(change !== null, () => `${what}: topic ${topicId} was removed`);
    if (change !== undefined) return change;
    const topic = this.image.topicById(topicId);
    assert(topic !== undefined, () => `${what}: unknown topic ${topicId}`);
    const created: TopicChange = {
      topicId,
      name: topic.name,
      basePartitions: PersistentMap.from(topic.partitions),
      changed: new Map(),
    };
    this.#topics.set(topicId, created);
    return created;
  }

  #applyBrokers(): MetadataImage['brokers'] {
    const removed = [...this.#brokers].filter(([, broker]) => broker === null).map(([id]) => id);
    const set: [BrokerId, BrokerRegistration][] = [];
    for (const [id, broker] of this.#brokers) if (broker !== null) set.push([id, broker]);
    return PersistentMap.from(this.image.brokers).withChanges(set, removed);
  }

  /** The new topic maps; appends every partition created, changed or removed to `partitions`. */
  #applyTopics(partitions: PartitionChange[]): Pick<MetadataImage, 'topicsById' | 'topicsByName'> {
    const base = this.image;
    const removedIds: TopicId[] = [];
    const removedNames: string[] = [];
    const topics: TopicImage[] = [];
    for (const [topicId, change] of this.#topics) {
      const old = base.topicById(topicId);
      if (change === null) {
        if (old === undefined) continue;
        removedIds.push(topicId);
        removedNames.push(old.name);
        for (const before of old.partitions.values()) partitions.push({ before, after: undefined });
        continue;
      }
      for (const [index, after] of change.changed) {
        partitions.push({ before: change.basePartitions.get(index), after });
      }
      const merged = change.basePartitions.withChanges(change.changed);
      // A topic only looked up (no partition changed) stays the base's own object.
      topics.push(
        old !== undefined && old.partitions === merged
          ? old
          : { topicId: change.topicId, name: change.name, partitions: merged },
      );
    }
    // Removals go first, so a name freed in this delta can be taken by a topic created in it.
    return {
      topicsById: PersistentMap.from(base.topicsById).withChanges(
        topics.map((topic) => [topic.topicId, topic]),
        removedIds,
      ),
      topicsByName: PersistentMap.from(base.topicsByName).withChanges(
        topics.map((topic) => [topic.name, topic]),
        removedNames,
      ),
    };
  }

  #applyConfigs(): MetadataImage['configs'] {
    const removed: string[] = [];
    const set: [string, ReadonlyMap<string, string>][] = [];
    for (const [key, values] of this.#configs) {
      // A resource's keys are few (LIMITS.configEntriesPerTopicMax), so its own map is copied whole.
      if (values.size === 0) removed.push(key);
      else set.push([key, new Map(values)]);
    }
    return PersistentMap.from(this.image.configs).withChanges(set, removed);
  }
}

/** A partition state carries the reassignment sets only when they are non-empty. */
function reassignmentSets(
  adding: readonly BrokerId[] | undefined,
  removing: readonly BrokerId[] | undefined,
): Pick<PartitionState, 'addingReplicas' | 'removingReplicas'> {
  return {
    ...(adding !== undefined && adding.length > 0 ? { addingReplicas: sharedBrokerIds(adding) } : {}),
    ...(removing !== undefined && removing.length > 0 ? { removingReplicas: sharedBrokerIds(removing) } : {}),
  };
}

/** Invariants every partition state keeps, whichever record produced it. */
function checkPartitionState(state: PartitionState): void {
  const where = `partition ${state.topicId}/${state.partition}`;
  assert(state.replicas.length > 0, () => `${where}: no replicas`);
  assert(new Set(state.replicas).size === state.replicas.length, () => `${where}: duplicate replicas`);
  assert(state.isr.length > 0, () => `${where}: empty ISR`);
  assert(new Set(state.isr).size === state.isr.length, () => `${where}: duplicate ISR members`);
  assert(
    state.isr.every((member) => state.replicas.includes(member)),
    () => `${where}: ISR [${state.isr}] is not a subset of replicas [${state.replicas}]`,
  );
  assert(
    state.leader === NO_LEADER || state.isr.includes(state.leader),
    () => `${where}: leader ${state.leader} is not in the ISR [${state.isr}]`,
  );
  const adding = state.addingReplicas ?? [];
  const removing = state.removingReplicas ?? [];
  assert(
    adding.every((id) => state.replicas.includes(id)) && removing.every((id) => state.replicas.includes(id)),
    () =>
      `${where}: reassignment sets [${adding}] / [${removing}] are not within replicas [${state.replicas}]`,
  );
  assert(
    !adding.some((id) => removing.includes(id)),
    () => `${where}: a replica is both adding and removing`,
  );
  assert(
    removing.length < state.replicas.length,
    () => `${where}: a reassignment would remove every replica`,
  );
}

/** Replays records onto an image in one delta; handy for tests and for loading a snapshot. */
export function replayAll(
  image: MetadataImage,
  entries: Iterable<{ readonly record: MetadataRecord; readonly offset: number }>,
): MetadataImage {
  const delta = new MetadataDelta(image);
  for (const { record, offset } of entries) delta.replay(record, offset);
  return delta.apply();
}
