/**
 * What one metadata change asks of this broker's replicas (Kafka's LocalReplicaChanges): partitions to lead,
 * to follow, to update at the same leader epoch, to stop and delete, to reconfigure, and followers to
 * re-attach to a leader whose registration changed. Pure and synchronous; the replica manager applies it
 * (local-changes-applier.ts).
 *
 * Cost is O(what changed), never O(partitions in the image): the plan looks only at the partitions, topics,
 * config resources and brokers `changes` names, comparing each between the two images. A change that really
 * concerns many partitions reaches them through the image's per-broker indexes (built once, then carried
 * forward by deltas) rather than a scan of every topic: a leader's new address or registration, the
 * partitions it leads (MetadataImage.partitionsLedBy); the replication throttle switched on or off, this
 * broker's own partitions (partitionsWithReplica).
 *
 * `changes` may name more than changed (a snapshot load names everything; coalesced images name the union):
 * an entry whose state is the same in both images plans nothing, so a superset is always safe. It must not
 * name less than changed between `previous` and `next`.
 */
import { assert, type BrokerId } from '@tributary/core';
import type { LogConfig } from '@tributary/log';
import {
  type BrokerRegistration,
  configResourceKey,
  type MetadataChanges,
  type MetadataImage,
  NO_LEADER,
  type PartitionState,
  parseConfigResourceKey,
  type TopicId,
  type TopicImage,
} from '@tributary/metadata';
import { flushOnAck, logConfigFor, minInsyncReplicas } from './config.js';
import type { PartitionMetadata } from './partition.js';

/** A partition hosted here as `next` has it, with what the replica layer derives from its topic's configs. */
export interface PlannedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly metadata: PartitionMetadata;
  readonly minInsyncReplicas: number;
  /** flush.on.ack (issue 16): the topic's, else the broker's --durability. */
  readonly flushOnAck: boolean;
  readonly logConfig: Partial<LogConfig>;
  /** Fetched through the leader's throttled fetcher: an adding replica here while a throttle is set. */
  readonly throttled: boolean;
}

export type RemovalReason = 'unassigned' | 'topic-deleted' | 'topic-recreated';

/** A partition this broker hosted in `previous` and must stop hosting and delete. */
export interface PartitionRemoval {
  readonly topic: string;
  readonly partition: number;
  /** The topic id it was hosted under: a re-created topic's new partition (same name) is not removed. */
  readonly topicId: TopicId;
  readonly reason: RemovalReason;
}

/** A broker whose registration changed: fetchers to it at another address are dropped. */
export interface LeaderRegistration {
  readonly leaderId: BrokerId;
  /** Its address in `next`; null when it is no longer registered. */
  readonly address: string | null;
}

/** A partition whose leader epoch went back between the images: ignored (epochs only grow). */
export interface StaleEpoch {
  readonly topic: string;
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly previousLeaderEpoch: number;
}

/**
 * Every partition appears in at most one list. The applier's order is the one the lists are declared in:
 * throttle and registrations first (fetchers to moved leaders go before anything attaches to them),
 * removals before creations (a re-created topic reuses the directory name).
 */
export interface LocalChanges {
  /** Set when the replication throttle's rate changed (null: none is set any more). */
  readonly replicationThrottle: { readonly bytesPerSecond: number | null } | null;
  readonly leaderRegistrations: readonly LeaderRegistration[];
  readonly remove: readonly PartitionRemoval[];
  /** New here or a higher leader epoch, with this broker as leader. */
  readonly becomeLeader: readonly PlannedPartition[];
  /** New here or a higher leader epoch, led by another broker (or by none: NO_LEADER). */
  readonly becomeFollower: readonly PlannedPartition[];
  /** Same leader epoch, newer partition epoch: the ISR, replicas or reassignment sets changed. */
  readonly partitionChanges: readonly PlannedPartition[];
  /** Only the topic's configs changed (log config, min.insync.replicas). */
  readonly reconfigure: readonly PlannedPartition[];
  /** Followers whose fetching must be looked at again: leader re-registered or moved, throttle on/off. */
  readonly reattach: readonly PlannedPartition[];
  readonly staleEpochs: readonly StaleEpoch[];
}

export interface LocalChangesInput {
  readonly previous: MetadataImage;
  readonly next: MetadataImage;
  /** What changed from `previous` to `next` (a superset is fine, see the file comment). */
  readonly changes: MetadataChanges;
  readonly brokerId: BrokerId;
  /**
   * Partitions whose last application failed (a log that could not open): planned as if new here, so the
   * applier tries again although nothing about them changed.
   */
  readonly retry?: ReadonlyMap<TopicId, ReadonlySet<number>>;
  /** The broker's defaults under the topic configs. */
  readonly defaults?: {
    readonly minInsyncReplicas?: number;
    readonly log?: Partial<LogConfig>;
    /** --durability fsync: flush.on.ack for topics that do not set it (off when unset). */
    readonly flushOnAck?: boolean;
  };
}

const CLUSTER_CONFIG_KEY = configResourceKey('cluster', '');

/** A topic's configs as the replica layer reads them. */
interface TopicSettings {
  readonly logConfig: Partial<LogConfig>;
  readonly flushOnAck: boolean;
  /** min.insync.replicas for a partition with this many replicas (the default depends on it). */
  minInsyncReplicas(replicaCount: number): number;
}

export function planLocalChanges(input: LocalChangesInput): LocalChanges {
  assert(
    input.next.offset >= input.previous.offset,
    () => `metadata went back from offset ${input.previous.offset} to ${input.next.offset}`,
  );
  const plan = new PlanBuilder(input);
  plan.removedTopics();
  plan.changedPartitions();
  plan.retriedPartitions();
  plan.changedTopicConfigs();
  plan.changedBrokers();
  plan.changedThrottle();
  plan.reattachFollowers();
  return plan.build();
}

/** Partition keys in a plan: topic id and index, so a re-created topic's partitions are told apart. */
function planKey(topicId: TopicId, partition: number): string {
  return `${topicId}:${partition}`;
}

function hosts(state: PartitionState | undefined, brokerId: BrokerId): boolean {
  return state?.replicas.includes(brokerId) === true;
}

/** Equal when nothing about the partition changed: every PartitionChange moves the partition epoch. */
function sameState(a: PartitionState, b: PartitionState): boolean {
  return a === b || (a.leaderEpoch === b.leaderEpoch && a.partitionEpoch === b.partitionEpoch);
}

function sameConfigs(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

function sameRegistration(a: BrokerRegistration | undefined, b: BrokerRegistration | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.address === b.address && a.brokerEpoch === b.brokerEpoch && a.incarnationId === b.incarnationId;
}

class PlanBuilder {
  readonly #input: LocalChangesInput;
  readonly #me: BrokerId;
  /** Partitions already in some list (planKey), so each appears once. */
  readonly #planned = new Set<string>();
  #replicationThrottle: LocalChanges['replicationThrottle'] = null;
  readonly #leaderRegistrations: LeaderRegistration[] = [];
  readonly #remove: PartitionRemoval[] = [];
  readonly #becomeLeader: PlannedPartition[] = [];
  readonly #becomeFollower: PlannedPartition[] = [];
  readonly #partitionChanges: PlannedPartition[] = [];
  readonly #reconfigure: PlannedPartition[] = [];
  readonly #reattach: PlannedPartition[] = [];
  readonly #staleEpochs: StaleEpoch[] = [];
  /** Registered leaders whose registration changed: their followers here attach again. */
  readonly #reattachLeaders = new Set<BrokerId>();
  /** The throttle went on or off: adding replicas here move between normal and throttled fetching. */
  #reattachAdding = false;
  readonly #throttleSet: boolean;
  /** What each topic's configs come to, derived once per topic rather than once per partition. */
  readonly #topicSettings = new Map<string, TopicSettings>();

  constructor(input: LocalChangesInput) {
    this.#input = input;
    this.#me = input.brokerId;
    this.#throttleSet = input.next.replicationThrottle() !== null;
  }

  build(): LocalChanges {
    return {
      replicationThrottle: this.#replicationThrottle,
      leaderRegistrations: this.#leaderRegistrations,
      remove: this.#remove,
      becomeLeader: this.#becomeLeader,
      becomeFollower: this.#becomeFollower,
      partitionChanges: this.#partitionChanges,
      reconfigure: this.#reconfigure,
      reattach: this.#reattach,
      staleEpochs: this.#staleEpochs,
    };
  }

  /** Deleted topics, and the old id of a topic re-created under the same name: O(that topic's partitions). */
  removedTopics(): void {
    const { previous, next, changes } = this.#input;
    for (const topicId of changes.removedTopics) {
      const topic = previous.topicById(topicId);
      if (topic === undefined || next.topicById(topicId) !== undefined) continue;
      const successor = next.topicByName(topic.name);
      const reason: RemovalReason = successor === undefined ? 'topic-deleted' : 'topic-recreated';
      for (const state of topic.partitions.values()) {
        if (!hosts(state, this.#me)) continue;
        this.#mark(topicId, state.partition);
        this.#remove.push({ topic: topic.name, partition: state.partition, topicId, reason });
      }
    }
  }

  /** Created and changed partitions: O(those partitions). */
  changedPartitions(): void {
    const { previous, next, changes } = this.#input;
    for (const [topicId, indexes] of changes.partitions) {
      const topic = next.topicById(topicId);
      if (topic === undefined) continue; // removed since: removedTopics() has it
      const before = previous.topicById(topicId);
      for (const index of indexes) {
        const state = topic.partitions.get(index);
        if (state === undefined) continue;
        this.#partition(topic, state, before?.partitions.get(index));
      }
    }
  }

  retriedPartitions(): void {
    const { next, retry } = this.#input;
    if (retry === undefined) return;
    for (const [topicId, indexes] of retry) {
      const topic = next.topicById(topicId);
      if (topic === undefined) continue;
      for (const index of indexes) {
        const state = topic.partitions.get(index);
        if (state === undefined || this.#planned.has(planKey(topicId, index))) continue;
        this.#partition(topic, state, undefined);
      }
    }
  }

  /** A topic's configs changed: its partitions here not planned yet. O(that topic's partitions). */
  changedTopicConfigs(): void {
    const { previous, next, changes } = this.#input;
    for (const key of changes.configResources) {
      const { resourceType, resourceName } = parseConfigResourceKey(key);
      if (resourceType !== 'topic') continue;
      const topic = next.topicByName(resourceName);
      if (topic === undefined) continue;
      if (sameConfigs(previous.topicConfigs(resourceName), next.topicConfigs(resourceName))) continue;
      for (const state of topic.partitions.values()) {
        if (!hosts(state, this.#me) || this.#planned.has(planKey(topic.topicId, state.partition))) continue;
        this.#add(this.#reconfigure, topic, state);
      }
    }
  }

  /**
   * A broker re-registered, moved or left: fetchers to its old address go, and the partitions this broker
   * follows from it attach again (at its new address, or once it is back): see reattachFollowers().
   */
  changedBrokers(): void {
    const { previous, next, changes } = this.#input;
    for (const brokerId of changes.brokers) {
      if (brokerId === this.#me) continue;
      const after = next.broker(brokerId);
      if (sameRegistration(previous.broker(brokerId), after)) continue;
      this.#leaderRegistrations.push({ leaderId: brokerId, address: after?.address ?? null });
      // Nothing is hosted here before the first image: every partition of it is planned already.
      if (after !== undefined && previous.topicsById.size > 0) this.#reattachLeaders.add(brokerId);
    }
  }

  /**
   * The throttle's rate changed. Switched on or off, this broker's adding replicas move between a leader's
   * normal and throttled fetchers: see reattachFollowers().
   */
  changedThrottle(): void {
    const { previous, next, changes } = this.#input;
    if (!changes.configResources.has(CLUSTER_CONFIG_KEY)) return;
    const before = previous.replicationThrottle();
    const after = next.replicationThrottle();
    if (before === after) return;
    this.#replicationThrottle = { bytesPerSecond: after };
    if ((before === null) !== (after === null)) this.#reattachAdding = true;
  }

  /**
   * Followers of the leaders changedBrokers() found, and adding replicas when the throttle went on or off,
   * not planned otherwise. Through the image's indexes, and only when such a change came: O(partitions the
   * leader leads), and O(partitions here) for a throttle switched on or off; never O(partitions in the image).
   */
  reattachFollowers(): void {
    const { next } = this.#input;
    for (const leaderId of this.#reattachLeaders) {
      for (const state of next.partitionsLedBy(leaderId)) this.#reattachFollower(state);
    }
    if (!this.#reattachAdding) return;
    for (const state of next.partitionsWithReplica(this.#me)) {
      if (state.addingReplicas?.includes(this.#me) === true) this.#reattachFollower(state);
    }
  }

  /** A partition followed here, unless it is planned already (or led here: nothing to fetch). */
  #reattachFollower(state: PartitionState): void {
    if (state.leader === NO_LEADER || state.leader === this.#me || !hosts(state, this.#me)) return;
    if (this.#planned.has(planKey(state.topicId, state.partition))) return;
    const topic = this.#input.next.topicById(state.topicId);
    assert(topic !== undefined, () => `indexed partition ${state.topicId}/${state.partition} has no topic`);
    this.#add(this.#reattach, topic, state);
  }

  /** One created, changed or retried partition; `before` undefined = not known here before. */
  #partition(topic: TopicImage, state: PartitionState, before: PartitionState | undefined): void {
    const hostedBefore = hosts(before, this.#me);
    if (!hosts(state, this.#me)) {
      if (!hostedBefore) return;
      this.#mark(topic.topicId, state.partition);
      this.#remove.push({
        topic: topic.name,
        partition: state.partition,
        topicId: topic.topicId,
        reason: 'unassigned',
      });
      return;
    }
    if (before === undefined || !hostedBefore || state.leaderEpoch > before.leaderEpoch) {
      this.#add(state.leader === this.#me ? this.#becomeLeader : this.#becomeFollower, topic, state);
      return;
    }
    if (state.leaderEpoch < before.leaderEpoch) {
      this.#mark(topic.topicId, state.partition);
      this.#staleEpochs.push({
        topic: topic.name,
        partition: state.partition,
        leaderEpoch: state.leaderEpoch,
        previousLeaderEpoch: before.leaderEpoch,
      });
      return;
    }
    if (sameState(before, state)) return;
    this.#add(this.#partitionChanges, topic, state);
  }

  #mark(topicId: TopicId, partition: number): void {
    const key = planKey(topicId, partition);
    assert(!this.#planned.has(key), () => `partition ${key} planned twice`);
    this.#planned.add(key);
  }

  #add(list: PlannedPartition[], topic: TopicImage, state: PartitionState): void {
    this.#mark(topic.topicId, state.partition);
    list.push(this.#plannedPartition(topic, state));
  }

  #plannedPartition(topic: TopicImage, state: PartitionState): PlannedPartition {
    const settings = this.#settingsOf(topic.name);
    return {
      topic: topic.name,
      partition: state.partition,
      metadata: {
        topicId: topic.topicId,
        leader: state.leader,
        leaderEpoch: state.leaderEpoch,
        partitionEpoch: state.partitionEpoch,
        replicas: state.replicas,
        isr: state.isr,
      },
      minInsyncReplicas: settings.minInsyncReplicas(state.replicas.length),
      flushOnAck: settings.flushOnAck,
      logConfig: settings.logConfig,
      throttled: this.#throttleSet && state.addingReplicas?.includes(this.#me) === true,
    };
  }

  #settingsOf(topicName: string): TopicSettings {
    let settings = this.#topicSettings.get(topicName);
    if (settings === undefined) {
      const { next, defaults } = this.#input;
      const configs = next.topicConfigs(topicName);
      const byReplicaCount = new Map<number, number>();
      settings = {
        // Shared by the topic's planned partitions: read-only (the log copies what it is given).
        logConfig: Object.freeze(logConfigFor(configs, defaults?.log)),
        flushOnAck: flushOnAck(configs, defaults?.flushOnAck ?? false),
        minInsyncReplicas: (replicaCount) => {
          let value = byReplicaCount.get(replicaCount);
          if (value === undefined) {
            value = minInsyncReplicas(configs, replicaCount, defaults?.minInsyncReplicas);
            byReplicaCount.set(replicaCount, value);
          }
          return value;
        },
      };
      this.#topicSettings.set(topicName, settings);
    }
    return settings;
  }
}
