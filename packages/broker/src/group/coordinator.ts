/**
 * The group coordinator shell: one CoordinatorShard per __consumer_offsets partition this broker leads
 * (created on becoming leader, loaded from the partition, dropped on losing it), offset commits written
 * as records through the replica manager with acks=all and applied only once acknowledged, one timer for
 * session/rebalance timeouts and one for offset retention, and FindCoordinator (creating the internal
 * topic on first use). Membership is soft state: after a failover members get UNKNOWN_MEMBER_ID and
 * rejoin, while committed offsets survive in the partition. The classic protocol (JoinGroup/SyncGroup,
 * for the Kafka API) runs in the companion `classic` on the same shards, offsets and timer.
 */
import { TributaryError, brokerId as toBrokerId } from '@tributary/core';
import type { ProduceRequest__Output } from '@tributary/protocol';
import type { Logger } from 'pino';
import { waitForTopics } from '../services/auto-create.js';
import type { TopicPartition } from './assignment.js';
import { ClassicGroupCoordinator } from './classic-coordinator.js';
import type { HeartbeatInput, HeartbeatResult } from './consumer-group.js';
import type {
  GroupCoordinatorOptions,
  GroupDeletion,
  GroupDetails,
  GroupListFilter,
  OffsetCommitInput,
} from './coordinator-types.js';
import {
  CLASSIC_GROUP_DEFAULTS,
  CLASSIC_GROUP_LIMITS,
  GROUP_DEFAULTS,
  GROUP_LIMITS,
  OFFSETS_TOPIC,
} from './limits.js';
import { loadShard } from './loader.js';
import type { CommittedOffset } from './offset-store.js';
import {
  appendOffsetsRecords,
  createOffsetsTopic,
  notAvailable,
  type OffsetsRecord,
  offsetsPartitionFor,
} from './offsets-topic.js';
import { CoordinatorShard, type GroupListing } from './shard.js';
import type { TxnOffsetCommitInput } from './txn-offsets.js';
import { TxnOffsetsShell } from './txn-offsets-shell.js';

export type {
  CoordinatorDataPlane,
  GroupCoordinatorConfig,
  GroupCoordinatorOptions,
  GroupDeletion,
  GroupDetails,
  GroupListFilter,
  OffsetCommitInput,
} from './coordinator-types.js';
export { offsetsPartitionFor } from './offsets-topic.js';

export class GroupCoordinator {
  readonly #options: GroupCoordinatorOptions;
  readonly #logger: Logger;
  readonly #shards = new Map<number, CoordinatorShard>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #unsubscribe: () => void;
  #creating: Promise<void> | null = null;
  #closed = false;
  /** The classic group protocol (JoinGroup/SyncGroup/Heartbeat/LeaveGroup) for the Kafka API. */
  readonly classic: ClassicGroupCoordinator;
  /** Transactional offset commits and the markers that end them (the broker's TxnMarkerListener). */
  readonly transactions: TxnOffsetsShell;

  constructor(options: GroupCoordinatorOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ subsystem: 'group-coordinator' });
    this.classic = new ClassicGroupCoordinator({
      shardFor: (groupId) => this.#shardFor(groupId),
      commit: (shard, groupId, commits) => this.#commit(shard, groupId, commits),
      config: { ...CLASSIC_GROUP_DEFAULTS, ...options.config.classic },
      clock: options.clock,
      logger: this.#logger,
    });
    this.transactions = new TxnOffsetsShell({
      shardFor: (groupId) => this.#shardFor(groupId),
      shardOf: (partition) => this.#shards.get(partition),
      reload: (shard) => this.#replaceShard(shard),
      produce: (request) => options.dataPlane.produceAsCoordinator(request),
      clock: options.clock,
      logger: this.#logger,
    });
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
    for (const shard of this.#shards.values()) {
      shard.state = 'closed';
      this.classic.onShardClosed(shard);
    }
    this.#shards.clear();
  }

  /** Which broker coordinates the group; creates __consumer_offsets when it is missing. */
  async findCoordinator(groupId: string): Promise<{ nodeId: number; address: string }> {
    let image = this.#options.metadata.currentImage();
    if (image.topicByName(OFFSETS_TOPIC) === undefined) {
      this.#creating ??= createOffsetsTopic(
        image,
        this.#options.config,
        this.#options.createTopic,
        this.#logger,
      ).finally(() => {
        this.#creating = null;
      });
      await this.#creating;
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
    } else if (shard.hasMembers(groupId)) {
      throw new TributaryError('GROUP_NOT_EMPTY', `group ${groupId} has classic members; commit as a member`);
    }
    shard.checkRoomFor(groupId);
    await this.#commit(shard, groupId, commits);
  }

  fetchOffsets(groupId: string, partitions: readonly TopicPartition[] | null): CommittedOffset[] {
    return this.#shardFor(groupId).offsets.fetch(groupId, partitions);
  }

  /** TxnOffsetCommit (KIP-98): the offsets stay pending until the producer's transaction ends. */
  txnCommitOffsets(input: TxnOffsetCommitInput): Promise<void> {
    return this.transactions.commit(input);
  }

  /**
   * KIP-447's require_stable: the partitions of `partitions` (null: any of the group's) whose transactional
   * offset commit awaits its marker (OffsetFetch answers UNSTABLE_OFFSET_COMMIT for them; the consumer
   * retries).
   */
  unstablePartitions(groupId: string, partitions: readonly TopicPartition[] | null): TopicPartition[] {
    const offsets = this.#shardFor(groupId).offsets;
    if (partitions === null) return offsets.pendingPartitions(groupId);
    return partitions.filter((tp) => offsets.hasPending(groupId, tp.topic, tp.partition));
  }

  listGroups(filter: GroupListFilter = {}): GroupListing[] {
    const states = filter.states?.map((state) => state.toLowerCase());
    return [...this.#shards.values()]
      .filter((shard) => shard.state === 'active')
      .flatMap((shard) => shard.listings())
      .filter((g) => states === undefined || states.length === 0 || states.includes(g.state.toLowerCase()))
      .filter(
        (g) => filter.types === undefined || filter.types.length === 0 || filter.types.includes(g.groupType),
      );
  }

  describeGroup(groupId: string): GroupDetails {
    const shard = this.#shardFor(groupId);
    const offsets = shard.offsets.fetch(groupId);
    if (!shard.hasMembers(groupId) && offsets.length === 0) {
      throw new TributaryError(
        'GROUP_ID_NOT_FOUND',
        `group ${groupId} has neither members nor committed offsets`,
      );
    }
    const description = shard.groups.get(groupId)?.describe() ?? null;
    return { description, classic: shard.classicGroups.get(groupId)?.describe() ?? null, offsets };
  }

  /** Kafka's DeleteGroups: each group answered on its own (bounded by groupsPerRequestMax). */
  async deleteGroups(groupIds: readonly string[]): Promise<GroupDeletion[]> {
    if (groupIds.length > CLASSIC_GROUP_LIMITS.groupsPerRequestMax) {
      const message = `${groupIds.length} groups in one request; the limit is ${CLASSIC_GROUP_LIMITS.groupsPerRequestMax}`;
      return groupIds.map((groupId) => ({ groupId, errorCode: 'INVALID_REQUEST', errorMessage: message }));
    }
    return Promise.all(
      groupIds.map((groupId) =>
        this.deleteGroup(groupId).then(
          () => ({ groupId, errorCode: null, errorMessage: '' }),
          (error: unknown) => {
            if (!(error instanceof TributaryError)) throw error;
            return { groupId, errorCode: error.code, errorMessage: error.message };
          },
        ),
      ),
    );
  }

  /** Kafka's DeleteGroups: GROUP_NOT_EMPTY while members remain; the offsets are deleted with tombstones. */
  async deleteGroup(groupId: string): Promise<void> {
    const shard = this.#shardFor(groupId);
    if (shard.hasMembers(groupId))
      throw new TributaryError('GROUP_NOT_EMPTY', `group ${groupId} has members`);
    if (!shard.knows(groupId))
      throw new TributaryError('GROUP_ID_NOT_FOUND', `group ${groupId} does not exist`);
    const keys = shard.offsets
      .fetch(groupId)
      .map((c) => ({ group: groupId, topic: c.topic, partition: c.partition }));
    await this.#write(
      shard,
      keys.map((key) => ({ key, value: null })),
    );
    // Members that joined while the tombstones were written keep the group (with no offsets).
    if (!shard.hasMembers(groupId)) shard.dropGroup(groupId);
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
      const removals = [...shard.sweep(nowMs), ...this.classic.sweep(shard, nowMs)];
      for (const { groupId, removed } of removals) {
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

  /** Writes committed offsets (acks=all); the shard applies them once acknowledged. */
  #commit(shard: CoordinatorShard, groupId: string, commits: readonly OffsetCommitInput[]): Promise<void> {
    const commitTimestampMs = this.#options.clock.wallMs();
    return this.#write(
      shard,
      commits.map((commit) => ({
        key: { group: groupId, topic: commit.topic, partition: commit.partition },
        value: {
          offset: commit.offset,
          leaderEpoch: commit.leaderEpoch,
          metadata: commit.metadata,
          commitTimestampMs,
        },
      })),
    );
  }

  #partitionCounts(topics: readonly string[]): Map<string, number> {
    const image = this.#options.metadata.currentImage();
    const counts = new Map<string, number>();
    for (const topic of topics) counts.set(topic, image.topicByName(topic)?.partitions.size ?? 0);
    return counts;
  }

  /** Appends the records with acks=all; applies them to the shard only once acknowledged. */
  async #write(shard: CoordinatorShard, records: readonly OffsetsRecord[]): Promise<void> {
    if (records.length === 0) return;
    const produce = (request: ProduceRequest__Output) => this.#options.dataPlane.produce(request);
    const baseOffset = await appendOffsetsRecords(produce, this.#options.clock, shard.partition, records);
    // A shard replaced meanwhile reloads from the log, which now holds these records.
    if (this.#shards.get(shard.partition) !== shard || shard.state !== 'active') return;
    records.forEach((record, i) => {
      shard.offsets.apply(record.key, record.value, { recordOffset: baseOffset + i, producerId: null });
    });
  }

  /** Drops a shard and loads its partition again (same leader epoch). */
  #replaceShard(shard: CoordinatorShard): void {
    if (this.#shards.get(shard.partition) !== shard) return;
    this.#onLeadership(shard.partition, false, shard.leaderEpoch);
    this.#onLeadership(shard.partition, true, shard.leaderEpoch);
  }

  #onLeadership(partition: number, isLeader: boolean, leaderEpoch: number): void {
    if (this.#closed) return;
    const existing = this.#shards.get(partition);
    if (isLeader && existing !== undefined && existing.leaderEpoch === leaderEpoch) return;
    if (existing !== undefined) {
      existing.state = 'closed';
      this.classic.onShardClosed(existing);
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
        this.transactions.onShardLoaded(shard);
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
}
