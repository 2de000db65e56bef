export { type Assignment, type TopicPartition, toTopicPartitions } from './assignment.js';
export { ASSIGNOR_NAMES, ASSIGNORS, type Assignor, type AssignorName } from './assignors.js';
export { ClassicGroupCoordinator } from './classic-coordinator.js';
export { CONSUMER_PROTOCOL_TYPE, type DescribedGroup } from './classic-describe.js';
export type * from './classic-types.js';
export { CLASSIC_GROUP_STATES } from './classic-types.js';
export {
  ConsumerGroup,
  type GroupDescription,
  type GroupState,
  type HeartbeatInput,
} from './consumer-group.js';
export {
  type CoordinatorDataPlane,
  GroupCoordinator,
  type GroupCoordinatorConfig,
  type GroupCoordinatorOptions,
  type GroupDeletion,
  type GroupDetails,
  type GroupListFilter,
  type OffsetCommitInput,
  offsetsPartitionFor,
} from './coordinator.js';
export {
  CLASSIC_GROUP_DEFAULTS,
  CLASSIC_GROUP_LIMITS,
  GROUP_DEFAULTS,
  GROUP_LIMITS,
  OFFSETS_TOPIC,
} from './limits.js';
export { createGroupCoordinatorHandlers } from './service.js';
export type { GroupListing, GroupType } from './shard.js';
