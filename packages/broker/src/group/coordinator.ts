/**
 * The group coordinator shell: one CoordinatorShard per __consumer_offsets partition this broker leads
 * (created on becoming leader, loaded from the partition, dropped on losing it), offset commits written
 * as records through the replica manager with acks=all and applied only once acknowledged, one timer for
 * session/rebalance timeouts and one for offset retention, and FindCoordinator (creating the internal
 * topic on first use). Membership is soft state: after a failover members get UNKNOWN_MEMBER_ID and
 * rejoin, while committed offsets survive in the partition.
 */
import { type Clock, TributaryError, brokerId as toBrokerId } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import {
  asTributaryError,
  type ProducePartitionResult,
  type ProduceRequest__Output,
} from '@tributary/protocol';
import { encodeRecordBatch, murmur2, toPositive } from '@tributary/records';
import type { Logger } from 'pino';
import type { LeadershipListener } from '../replica/replica-manager.js';
import type { ImageSource } from '../services/auto-create.js';
import { waitForTopics } from '../services/auto-create.js';
import type { TopicPartition } from './assignment.js';
import type { GroupDescription, HeartbeatInput, HeartbeatResult } from './consumer-group.js';
import { GROUP_DEFAULTS, GROUP_LIMITS, OFFSETS_TOPIC } from './limits.js';
import { loadShard, type ReadLocalLog } from './loader.js';
import type { CommittedOffset } from './offset-store.js';
import {
  encodeOffsetKey,
  encodeOffsetValue,
  type OffsetCommitKey,
  type OffsetCommitValue,
} from './offsets-codec.js';
import { CoordinatorShard, type GroupListing } from './shard.js';

export interface CoordinatorDataPlane {
  produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]>;
  onLeadershipChange(listener: LeadershipListener): () => void;
  readLocalLog: ReadLocalLog;
}

export interface GroupCoordinatorConfig {
  readonly offsetsTopicPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly offsetsRetentionMs: number;
  readonly defaultSessionTimeoutMs: number;
}

export interface GroupCoordinatorOptions {
  readonly brokerId: number;
  readonly dataPlane: CoordinatorDataPlane;
  readonly metadata: ImageSource;
  /** Creates a topic through the active controller; rejects with a TributaryError. */
  readonly createTopic: (request: {
    name: string;
    partitions: number;
    replicationFactor: number;
    configs: { name: string; value: string }[];
  }) => Promise<void>;
  readonly config: GroupCoordinatorConfig;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface OffsetCommitInput extends TopicPartition {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string;
}

export interface GroupDetails {
  readonly description: GroupDescription | null;
  readonly offsets: readonly CommittedOffset[];
}

/** Kafka's rule: the group's partition of __consumer_offsets is toPositive(murmur2(utf8(group))) % N. */
export function offsetsPartitionFor(groupId: string, partitionCount: number): number {
  return toPositive(murmur2(Buffer.from(groupId, 'utf8'))) % partitionCount;
}

export class GroupCoordinator {
  readonly #options: GroupCoordinatorOptions;
  readonly #logger: Logger;
  readonly #shards = new Map<number, CoordinatorShard>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #unsubscribe: () => void;
  #creating: Promise<void> | null = null;
  #closed = false;

  constructor(options: GroupCoordinatorOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ subsystem: 'group-coordinator' });
    this.#unsubscribe = options.dataPlane.onLeadershipChange((topic, partition, isLeader, epoch) => {
      if (topic === OFFSETS_TOPIC) this.#onLeadership(partition, isLeader, epoch);
    });
  }

  get brokerId(): number {
    return this.#options.brokerId;
  }

  start(): void {
    const every = (ms: number, task: () => void): void => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(GROUP_DEFAULTS.sweepIntervalMs, () => this.sweep());
    every(GROUP_DEFAULTS.retentionCheckIntervalMs, () => {
      this.applyRetention().catch((error: unknown) =>
        this.#logger.warn({ err: error }, 'offset retention failed'),
      );
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    for (const timer of this.#timers) clearInterval(timer);
    for (const shard of this.#shards.values()) shard.state = 'closed';
    this.#shards.clear();
  }

  /** Which broker coordinates the group; creates __consumer_offsets when it is missing. */
  async findCoordinator(groupId: string): Promise<{ nodeId: number; address: string }> {
    let image = this.#options.metadata.currentImage();
    if (image.topicByName(OFFSETS_TOPIC) === undefined) {
      await this.#createOffsetsTopic(image);
      image = await waitForTopics(
        this.#options.metadata,
        [OFFSETS_TOPIC],
        GROUP_DEFAULTS.findCoordinatorWaitMs,
      );
    }
    const topic = image.topicByName(OFFSETS_TOPIC);
    if (topic === undefined) throw notAvailable(`${OFFSETS_TOPIC} is not in this broker's metadata yet`);
    const partition = offsetsPartitionFor(groupId, topic.partitions.size);
    const leader = topic.partitions.get(partition)?.leader ?? -1;
    const address = leader < 0 ? undefined : image.broker(toBrokerId(leader))?.address;
    if (address === undefined) throw notAvailable(`${OFFSETS_TOPIC}-${partition} has no leader right now`);
    return { nodeId: leader, address };
  }

  heartbeat(groupId: string, input: HeartbeatInput): HeartbeatResult {
    const shard = this.#shardFor(groupId);
    const group = input.memberEpoch === 0 ? shard.groupForJoin(groupId) : shard.groups.get(groupId);
    if (group === undefined) {
      if (input.memberEpoch === -1)
        return { memberId: input.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: new Map() };
      throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${groupId} has no member ${input.memberId}`);
    }
    const result = group.heartbeat(
      input,
      this.#partitionCounts(input.subscribedTopics),
      this.#options.clock.nowMs(),
    );
    shard.forgetIfUnused(groupId);
    return result;
  }

  async commitOffsets(
    groupId: string,
    member: { memberId: string; memberEpoch: number },
    commits: readonly OffsetCommitInput[],
  ): Promise<void> {
    const shard = this.#shardFor(groupId);
    const group = shard.groups.get(groupId);
    if (group !== undefined) group.validateCommit(member.memberId, member.memberEpoch);
    else if (member.memberId !== '' || member.memberEpoch !== -1) {
      throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${groupId} has no member ${member.memberId}`);
    }
    shard.checkRoomFor(groupId);
    const commitTimestampMs = this.#options.clock.wallMs();
    const records = commits.map((commit) => ({
      key: { group: groupId, topic: commit.topic, partition: commit.partition },
      value: {
        offset: commit.offset,
        leaderEpoch: commit.leaderEpoch,
        metadata: commit.metadata,
        commitTimestampMs,
      },
    }));
    await this.#write(shard, records);
  }

  fetchOffsets(groupId: string, partitions: readonly TopicPartition[] | null): CommittedOffset[] {
    return this.#shardFor(groupId).offsets.fetch(groupId, partitions);
  }

  listGroups(): GroupListing[] {
    return [...this.#shards.values()]
      .filter((shard) => shard.state === 'active')
      .flatMap((shard) => shard.listings());
  }

  describeGroup(groupId: string): GroupDetails {
    const shard = this.#shardFor(groupId);
    const group = shard.groups.get(groupId);
    const offsets = shard.offsets.fetch(groupId);
    if ((group === undefined || group.memberCount === 0) && offsets.length === 0) {
      throw new TributaryError(
        'GROUP_ID_NOT_FOUND',
        `group ${groupId} has neither members nor committed offsets`,
      );
    }
    return { description: group?.describe() ?? null, offsets };
  }

  /** Deletes the group's offsets (all, or the named partitions'); only while it has no members. */
  async deleteOffsets(groupId: string, partitions: readonly TopicPartition[] | null): Promise<number> {
    const shard = this.#shardFor(groupId);
    if (shard.hasMembers(groupId)) {
      throw new TributaryError('GROUP_NOT_EMPTY', `group ${groupId} has members; its offsets stay`);
    }
    const existing = shard.offsets.fetch(groupId, partitions);
    if (existing.length === 0 && !shard.offsets.hasGroup(groupId)) {
      throw new TributaryError('GROUP_ID_NOT_FOUND', `group ${groupId} has no committed offsets`);
    }
    const keys = existing.map((c) => ({ group: groupId, topic: c.topic, partition: c.partition }));
    await this.#write(
      shard,
      keys.map((key) => ({ key, value: null })),
    );
    shard.forgetIfUnused(groupId);
    return keys.length;
  }

  /** Session and rebalance timeouts of every group (the sweep timer runs this). */
  sweep(): void {
    const nowMs = this.#options.clock.nowMs();
    for (const shard of this.#shards.values()) {
      if (shard.state !== 'active') continue;
      for (const { groupId, removed } of shard.sweep(nowMs)) {
        this.#logger.info({ groupId, members: removed }, 'members removed (session or rebalance timeout)');
      }
    }
  }

  /** Tombstones for offsets of member-less groups committed longer ago than the retention. */
  async applyRetention(): Promise<void> {
    const cutoffMs = this.#options.clock.wallMs() - this.#options.config.offsetsRetentionMs;
    for (const shard of [...this.#shards.values()]) {
      if (shard.state !== 'active') continue;
      const expired = shard.offsets.olderThan(cutoffMs, (group) => !shard.hasMembers(group));
      for (let i = 0; i < expired.length; i += GROUP_LIMITS.recordsPerWriteMax) {
        const chunk = expired.slice(i, i + GROUP_LIMITS.recordsPerWriteMax);
        await this.#write(
          shard,
          chunk.map((key) => ({ key, value: null })),
        );
        for (const key of chunk) shard.forgetIfUnused(key.group);
      }
      if (expired.length > 0)
        this.#logger.info({ partition: shard.partition, deleted: expired.length }, 'expired offsets deleted');
    }
  }

  /** Test hook: the partitions this broker coordinates and their state. */
  shardStates(): Map<number, CoordinatorShard['state']> {
    return new Map([...this.#shards].map(([partition, shard]) => [partition, shard.state]));
  }

  #shardFor(groupId: string): CoordinatorShard {
    const topic = this.#options.metadata.currentImage().topicByName(OFFSETS_TOPIC);
    if (topic === undefined || topic.partitions.size === 0) {
      throw notAvailable(`${OFFSETS_TOPIC} does not exist yet; FindCoordinator creates it`);
    }
    const partition = offsetsPartitionFor(groupId, topic.partitions.size);
    const shard = this.#shards.get(partition);
    if (shard === undefined) {
      throw new TributaryError(
        'NOT_COORDINATOR',
        `broker ${this.brokerId} does not lead ${OFFSETS_TOPIC}-${partition}`,
      );
    }
    if (shard.state === 'loading') {
      throw new TributaryError(
        'COORDINATOR_LOAD_IN_PROGRESS',
        `${OFFSETS_TOPIC}-${partition} is still loading`,
      );
    }
    return shard;
  }

  #partitionCounts(topics: readonly string[]): Map<string, number> {
    const image = this.#options.metadata.currentImage();
    const counts = new Map<string, number>();
    for (const topic of topics) counts.set(topic, image.topicByName(topic)?.partitions.size ?? 0);
    return counts;
  }

  /** Appends the records with acks=all; applies them to the shard only once acknowledged. */
  async #write(
    shard: CoordinatorShard,
    records: readonly { key: OffsetCommitKey; value: OffsetCommitValue | null }[],
  ): Promise<void> {
    if (records.length === 0) return;
    const timestampMs = this.#options.clock.wallMs();
    const batch = encodeRecordBatch({
      records: records.map((r) => ({
        key: encodeOffsetKey(r.key),
        value: r.value === null ? null : encodeOffsetValue(r.value),
        timestampMs,
      })),
    });
    const results = await this.#options.dataPlane.produce({
      acks: -1,
      timeoutMs: GROUP_DEFAULTS.writeTimeoutMs,
      topics: [{ name: OFFSETS_TOPIC, partitions: [{ partition: shard.partition, records: batch }] }],
    });
    const result = results[0];
    if (result === undefined || result.errorCode !== '') throw writeError(shard.partition, result);
    // A shard replaced meanwhile reloads from the log, which now holds these records.
    if (this.#shards.get(shard.partition) !== shard || shard.state !== 'active') return;
    for (const record of records) shard.offsets.apply(record.key, record.value);
  }

  #onLeadership(partition: number, isLeader: boolean, leaderEpoch: number): void {
    if (this.#closed) return;
    const existing = this.#shards.get(partition);
    if (isLeader && existing !== undefined && existing.leaderEpoch === leaderEpoch) return;
    if (existing !== undefined) {
      existing.state = 'closed';
      this.#shards.delete(partition);
      this.#logger.info({ partition, leaderEpoch }, 'coordinator shard dropped');
    }
    if (!isLeader) return;
    const shard = new CoordinatorShard(partition, leaderEpoch, this.#options.config.defaultSessionTimeoutMs);
    this.#shards.set(partition, shard);
    this.#load(shard, 0);
  }

  #load(shard: CoordinatorShard, attempt: number): void {
    const dataPlane = this.#options.dataPlane;
    loadShard(shard, (topic, partition, from, maxBytes) =>
      dataPlane.readLocalLog(topic, partition, from, maxBytes),
    ).then(
      (applied) => {
        if (applied === null || shard.state !== 'loading') return;
        shard.state = 'active';
        this.#logger.info(
          { partition: shard.partition, epoch: shard.leaderEpoch, records: applied },
          'coordinator shard loaded',
        );
      },
      (error: unknown) => {
        this.#logger.error(
          { err: error, partition: shard.partition, attempt },
          'coordinator shard load failed; retrying',
        );
        const timer = setTimeout(
          () => {
            if (shard.state === 'loading' && !this.#closed) this.#load(shard, attempt + 1);
          },
          Math.min(10_000, 200 * 2 ** Math.min(attempt, 6)),
        );
        timer.unref();
      },
    );
  }

  #createOffsetsTopic(image: MetadataImage): Promise<void> {
    this.#creating ??= (async () => {
      const { offsetsTopicPartitions, offsetsTopicReplicationFactor } = this.#options.config;
      const unfenced = image.unfencedBrokerIds().length;
      const request = {
        name: OFFSETS_TOPIC,
        partitions: offsetsTopicPartitions,
        replicationFactor: Math.max(1, Math.min(offsetsTopicReplicationFactor, unfenced)),
        // No compaction yet: keep every commit rather than let time retention delete live offsets.
        configs: [{ name: 'retention.ms', value: '-1' }],
      };
      try {
        await this.#options.createTopic(request);
        this.#logger.info(request, 'created the offsets topic');
      } catch (thrown) {
        const error = asTributaryError(thrown);
        if (error.code !== 'TOPIC_ALREADY_EXISTS')
          throw notAvailable(`creating ${OFFSETS_TOPIC} failed: ${error.message}`, error);
      }
    })().finally(() => {
      this.#creating = null;
    });
    return this.#creating;
  }
}

function notAvailable(message: string, cause?: unknown): TributaryError {
  return new TributaryError('COORDINATOR_NOT_AVAILABLE', message, cause === undefined ? {} : { cause });
}

/** Kafka maps a failed offsets write to NOT_COORDINATOR (leadership moved) or COORDINATOR_NOT_AVAILABLE. */
function writeError(partition: number, result: ProducePartitionResult | undefined): TributaryError {
  const code = result?.errorCode ?? '';
  const message = `writing to ${OFFSETS_TOPIC}-${partition} failed: ${code} ${result?.errorMessage ?? 'no result'}`;
  if (code === 'NOT_LEADER' || code === 'UNKNOWN_TOPIC_OR_PARTITION' || code === 'FENCED_LEADER_EPOCH') {
    return new TributaryError('NOT_COORDINATOR', message);
  }
  return notAvailable(message);
}
