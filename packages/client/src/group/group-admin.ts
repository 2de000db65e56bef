/**
 * Consumer-group administration against the brokers (group coordinators), not the controllers:
 * listing groups (every broker is asked and the answers merged), describing one with its committed
 * offsets and lag, resetting and deleting committed offsets. Admin exposes these; see admin.ts.
 */
import { type Clock, type Random, systemClock, systemRandom, TributaryError } from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF, unary } from '@tributary/protocol';
import type { BrokerConnections } from '../connections.js';
import { Consumer } from '../consumer.js';
import { CLIENT_LIMITS } from '../limits.js';
import { type MetadataCache, viewFromMetadata } from '../metadata-cache.js';
import { sleep, toError } from '../retry.js';
import { CommitManager, type TopicPartitionOffset } from './commit-manager.js';
import { GROUP_LIMITS } from './config.js';
import { type CoordinatorConnections, CoordinatorLookup, responseError } from './coordinator.js';
import { requireValidGroupId } from './membership.js';
import {
  comparePartitions,
  flattenPartitions,
  groupPartitions,
  type TopicPartitionList,
} from './reconcile.js';

export interface GroupAdminDeps {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
  readonly coordinators: CoordinatorConnections;
  /** Brokers to ask FindCoordinator and (by default) the broker list. */
  readonly lookupAddresses: () => readonly string[];
  /** Where listGroups asks; default: every broker named in a Metadata answer. */
  readonly listAddresses?: () => Promise<readonly string[]>;
  readonly clock?: Clock;
  readonly random?: Random;
}

export interface GroupCallOptions {
  /** Overall deadline of the call, retries included (default ADMIN_DEFAULTS-like 10 s). */
  readonly deadlineMs?: number;
}

export interface GroupListing {
  readonly groupId: string;
  /** Empty, Stable or Reconciling; Kafka's names (PreparingRebalance, ...) for classic groups. */
  readonly state: string;
  readonly members: number;
  readonly coordinatorId: number;
  /** "consumer" for Tributary's groups and Kafka consumers; '' for a group with offsets only. */
  readonly protocolType?: string;
  /** "consumer" (Tributary's protocol) or "classic" (Kafka clients' JoinGroup/SyncGroup). */
  readonly groupType?: string;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly clientId: string;
  readonly memberEpoch: number;
  readonly subscribedTopics: string[];
  readonly assignment: TopicPartitionList[];
  readonly pendingRevocation: TopicPartitionList[];
  /** Classic members: a static member's group.instance.id ('' for dynamic ones) and the client's address. */
  readonly groupInstanceId?: string;
  readonly clientHost?: string;
}

export interface GroupPartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** null when the group has committed nothing for the partition. */
  readonly committedOffset: number | null;
  /** The latest offset (high watermark); null when it could not be read. */
  readonly logEndOffset: number | null;
  /** logEndOffset - committedOffset; null when either is unknown. */
  readonly lag: number | null;
  /** The member that owns the partition now, if any. */
  readonly memberId: string | null;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly groupEpoch: number;
  readonly assignor: string;
  readonly coordinatorId: number;
  /** As in GroupListing; for a classic group groupEpoch is its generation and assignor its protocol. */
  readonly protocolType?: string;
  readonly groupType?: string;
  readonly members: GroupMemberDescription[];
  readonly partitions: GroupPartitionLag[];
}

export type OffsetResetTarget = 'earliest' | 'latest' | number;

const DEFAULT_DEADLINE_MS = 10_000;

export class GroupAdmin {
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly offsets: Consumer;

  constructor(private readonly deps: GroupAdminDeps) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? systemRandom;
    this.offsets = new Consumer({ metadata: deps.metadata, connections: deps.connections, timeoutMs: 5_000 });
  }

  /** Every group of every broker (each broker lists the groups it coordinates). */
  async listGroups(options: GroupCallOptions = {}): Promise<GroupListing[]> {
    const deadlineMs = this.deadline(options);
    const listed = await (this.deps.listAddresses?.() ?? this.brokerAddresses(deadlineMs));
    const addresses = [...new Set(listed)].slice(0, GROUP_LIMITS.brokersMax);
    const settled = await Promise.allSettled(
      addresses.map((address) =>
        unary(this.deps.coordinators.get(address), 'ListGroups', {}, { deadlineMs: this.callMs(deadlineMs) }),
      ),
    );
    const groups = new Map<string, GroupListing>();
    let lastError: TributaryError | undefined;
    let answered = 0;
    for (const outcome of settled) {
      const error =
        outcome.status === 'rejected' ? toError(outcome.reason) : responseError(outcome.value, 'ListGroups');
      if (error !== undefined || outcome.status === 'rejected') {
        lastError = error;
        continue;
      }
      answered++;
      for (const g of outcome.value.groups) {
        groups.set(g.groupId, {
          groupId: g.groupId,
          state: g.state,
          members: g.members,
          coordinatorId: g.coordinatorId,
          protocolType: g.protocolType,
          groupType: g.groupType,
        });
      }
    }
    if (answered === 0 && lastError !== undefined) {
      throw new TributaryError(lastError.code, `ListGroups: no broker answered: ${lastError.message}`, {
        cause: lastError,
      });
    }
    return [...groups.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** State, members with their assignments, and per partition the committed offset, log end and lag. */
  async describeGroup(groupId: string, options: GroupCallOptions = {}): Promise<GroupDescription> {
    requireValidGroupId(groupId);
    const deadlineMs = this.deadline(options);
    const response = await this.withCoordinator(groupId, deadlineMs, (lookup) =>
      lookup.call('DescribeGroup', { groupId }, { deadlineMs: this.callMs(deadlineMs) }),
    );
    const members = response.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      memberEpoch: m.memberEpoch,
      subscribedTopics: [...m.subscribedTopics],
      assignment: groupPartitions(flattenPartitions(m.assignment)),
      pendingRevocation: groupPartitions(flattenPartitions(m.pendingRevocation)),
      groupInstanceId: m.groupInstanceId,
      clientHost: m.clientHost,
    }));
    const owners = new Map<string, string>();
    for (const m of members) {
      for (const tp of flattenPartitions([...m.assignment, ...m.pendingRevocation])) {
        owners.set(`${tp.topic}\u0000${tp.partition}`, m.memberId);
      }
    }
    const committed = new Map<string, number>();
    for (const o of response.offsets)
      if (o.offset >= 0) committed.set(`${o.topic}\u0000${o.partition}`, o.offset);
    const partitions = flattenPartitions([
      ...groupPartitions(response.offsets),
      ...members.flatMap((m) => m.assignment),
    ]);
    const logEnds = await this.logEndOffsets(groupPartitions(partitions));
    return {
      groupId: response.groupId === '' ? groupId : response.groupId,
      state: response.state,
      groupEpoch: response.groupEpoch,
      assignor: response.assignor,
      coordinatorId: response.coordinatorId,
      protocolType: response.protocolType,
      groupType: response.groupType,
      members,
      partitions: partitions.map((tp) => {
        const key = `${tp.topic}\u0000${tp.partition}`;
        const committedOffset = committed.get(key) ?? null;
        const logEndOffset = logEnds.get(key) ?? null;
        return {
          ...tp,
          committedOffset,
          logEndOffset,
          lag:
            committedOffset === null || logEndOffset === null
              ? null
              : Math.max(0, logEndOffset - committedOffset),
          memberId: owners.get(key) ?? null,
        };
      }),
    };
  }

  /**
   * Commits new offsets for `topic` (every partition, or `partitions`) outside any membership. The
   * coordinator refuses with GROUP_NOT_EMPTY while the group has members: stop its consumers first.
   */
  async resetGroupOffsets(
    groupId: string,
    topic: string,
    target: { readonly to: OffsetResetTarget },
    partitions?: readonly number[],
    options: GroupCallOptions = {},
  ): Promise<TopicPartitionOffset[]> {
    requireValidGroupId(groupId);
    const { to } = target;
    if (typeof to === 'number' && (!Number.isSafeInteger(to) || to < 0)) {
      throw new TributaryError('INVALID_REQUEST', `offset must be a non-negative integer, got ${to}`);
    }
    const metadata = await this.deps.metadata.requireTopic(topic, 5_000);
    const chosen =
      partitions === undefined ? metadata.partitions.map((p) => p.partition) : [...new Set(partitions)];
    for (const p of chosen) {
      if (!Number.isInteger(p) || p < 0 || p >= metadata.partitions.length) {
        throw new TributaryError(
          'UNKNOWN_TOPIC_OR_PARTITION',
          `partition ${p} is outside [0, ${metadata.partitions.length}) of "${topic}"`,
        );
      }
    }
    const found =
      typeof to === 'number'
        ? new Map(chosen.map((p) => [p, to]))
        : await this.offsets.listOffsets(topic, chosen, to);
    const offsets = chosen.map((partition) => ({ topic, partition, offset: found.get(partition) ?? 0 }));
    const deadlineMs = this.deadline(options);
    await this.withCoordinator(groupId, deadlineMs, async (lookup) => {
      const commits = new CommitManager({
        lookup,
        random: this.random,
        member: () => ({ memberId: '', memberEpoch: -1 }),
      });
      try {
        await commits.commit(offsets);
      } catch (error) {
        const failure = toError(error);
        if (failure.code !== 'GROUP_NOT_EMPTY') throw failure;
        throw new TributaryError(
          'GROUP_NOT_EMPTY',
          `group "${groupId}" has active members: stop its consumers before resetting offsets (${failure.message})`,
          { cause: failure },
        );
      }
    });
    return offsets.sort(comparePartitions);
  }

  /** Removes committed offsets (all of the group's, or the named partitions'); resolves to how many. */
  async deleteGroupOffsets(
    groupId: string,
    topics: readonly TopicPartitionList[] = [],
    options: GroupCallOptions = {},
  ): Promise<number> {
    requireValidGroupId(groupId);
    const deadlineMs = this.deadline(options);
    const response = await this.withCoordinator(groupId, deadlineMs, (lookup) =>
      lookup.call(
        'DeleteGroupOffsets',
        { groupId, topics: groupPartitions(flattenPartitions(topics)) },
        { deadlineMs: this.callMs(deadlineMs) },
      ),
    );
    return response.deleted;
  }

  /** Latest offsets per partition key; partitions whose lookup fails are left out (lag unknown). */
  private async logEndOffsets(lists: readonly TopicPartitionList[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    await Promise.all(
      lists.map(async ({ topic, partitions }) => {
        try {
          const found = await this.offsets.listOffsets(topic, partitions, 'latest');
          for (const [partition, offset] of found) result.set(`${topic}\u0000${partition}`, offset);
        } catch {
          // A deleted topic or an unreachable leader: the lag of these partitions shows as unknown.
        }
      }),
    );
    return result;
  }

  private async brokerAddresses(deadlineMs: number): Promise<string[]> {
    let lastError: unknown = new TributaryError('LEADER_NOT_AVAILABLE', 'no bootstrap broker given');
    for (const address of this.deps.lookupAddresses()) {
      try {
        const response = await unary(
          this.deps.connections.get(address),
          'Metadata',
          { topics: ['__consumer_offsets'], allowAutoTopicCreation: false },
          { deadlineMs: Math.min(this.callMs(deadlineMs), CLIENT_LIMITS.metadataCallTimeoutMs) },
        );
        // The address that answered is a broker too (it may be named differently in the metadata).
        return [...viewFromMetadata(response).brokers.values(), address];
      } catch (error) {
        lastError = error;
      }
    }
    throw toError(lastError);
  }

  /** Runs `attempt` with the group's coordinator, re-finding it and backing off until the deadline. */
  private async withCoordinator<T>(
    groupId: string,
    deadlineMs: number,
    attempt: (lookup: CoordinatorLookup) => Promise<T>,
  ): Promise<T> {
    const lookup = new CoordinatorLookup({
      groupId,
      connections: this.deps.coordinators,
      lookupAddresses: this.deps.lookupAddresses,
    });
    for (let round = 0; ; round++) {
      try {
        return await attempt(lookup);
      } catch (error) {
        const failure = toError(error);
        const remainingMs = deadlineMs - this.clock.nowMs();
        if (!failure.retriable || remainingMs <= 0 || round + 1 >= GROUP_LIMITS.adminAttemptsMax)
          throw failure;
        await sleep(Math.min(remainingMs, backoffDelayMs(round, DEFAULT_BACKOFF, this.random)));
      }
    }
  }

  private deadline(options: GroupCallOptions): number {
    const ms = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    if (!(Number.isFinite(ms) && ms > 0)) {
      throw new TributaryError('INVALID_REQUEST', `deadlineMs must be positive, got ${ms}`);
    }
    return this.clock.nowMs() + ms;
  }

  private callMs(deadlineMs: number): number {
    return Math.max(1, Math.min(GROUP_LIMITS.coordinatorCallTimeoutMs, deadlineMs - this.clock.nowMs()));
  }
}
