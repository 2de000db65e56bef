/** The data the consumer group state machine (consumer-group.ts) takes and gives. */
import type { Assignment, TopicPartition } from './assignment.js';
import type { AssignorName } from './assignors.js';

export type GroupState = 'Empty' | 'Stable' | 'Reconciling';

export interface HeartbeatInput {
  readonly memberId: string;
  /** 0 = join, -1 = leave, otherwise the epoch the coordinator last gave the member. */
  readonly memberEpoch: number;
  readonly clientId: string;
  readonly subscribedTopics: readonly string[];
  /** Empty = the group's current assignor. */
  readonly assignor: string;
  /** 0 = the default. */
  readonly rebalanceTimeoutMs: number;
  /** 0 = the coordinator's default. */
  readonly sessionTimeoutMs: number;
  readonly ownedPartitions: readonly TopicPartition[];
}

export interface HeartbeatResult {
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  readonly assignment: Assignment;
}

export interface MemberDescription {
  readonly memberId: string;
  readonly clientId: string;
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly subscribedTopics: readonly string[];
  readonly assignment: Assignment;
  readonly pendingRevocation: Assignment;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupState;
  readonly groupEpoch: number;
  readonly targetEpoch: number;
  readonly assignor: AssignorName;
  readonly members: readonly MemberDescription[];
}
