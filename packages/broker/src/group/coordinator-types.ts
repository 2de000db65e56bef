/**
 * The types of the group coordinator shell's API (coordinator.ts): its dependencies, its configuration,
 * and what describe, list and commit take and give. A leaf file, so the classic shell can use them
 * without importing the coordinator.
 */
import type { Clock, ErrorCode } from '@tributary/core';
import type { ProducePartitionResult, ProduceRequest__Output } from '@tributary/protocol';
import type { Logger } from 'pino';
import type { LeadershipListener } from '../replica/replica-manager.js';
import type { ImageSource } from '../services/auto-create.js';
import type { TopicPartition } from './assignment.js';
import type { ClassicGroupConfig, ClassicGroupDescription } from './classic-types.js';
import type { GroupDescription } from './group-types.js';
import type { ReadLocalLog } from './loader.js';
import type { CommittedOffset } from './offset-store.js';
import type { GroupType } from './shard.js';

export interface CoordinatorDataPlane {
  produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]>;
  /** Produce as the broker's coordinator (origin 'coordinator'): transactional offset commits. */
  produceAsCoordinator(request: ProduceRequest__Output): Promise<ProducePartitionResult[]>;
  onLeadershipChange(listener: LeadershipListener): () => void;
  readLocalLog: ReadLocalLog;
}

export interface GroupCoordinatorConfig {
  readonly offsetsTopicPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly offsetsRetentionMs: number;
  readonly defaultSessionTimeoutMs: number;
  /** The classic protocol's settings (group.initial.rebalance.delay.ms, ...); CLASSIC_GROUP_DEFAULTS otherwise. */
  readonly classic?: Partial<ClassicGroupConfig>;
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
  /** Tributary's own group, if it uses the id. */
  readonly description: GroupDescription | null;
  /** The classic group, if it uses the id. */
  readonly classic: ClassicGroupDescription | null;
  readonly offsets: readonly CommittedOffset[];
}

/** ListGroups filters (KIP-518 states, KIP-848 types); states match case-insensitively, as Kafka's. */
export interface GroupListFilter {
  readonly states?: readonly string[];
  readonly types?: readonly GroupType[];
}

/** One group's outcome in DeleteGroups (null = deleted). */
export interface GroupDeletion {
  readonly groupId: string;
  readonly errorCode: ErrorCode | null;
  readonly errorMessage: string;
}
