export { type Assignment, type TopicPartition, toTopicPartitions } from './assignment.js';
export { ASSIGNOR_NAMES, ASSIGNORS, type Assignor, type AssignorName } from './assignors.js';
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
  offsetsPartitionFor,
} from './coordinator.js';
export { GROUP_DEFAULTS, GROUP_LIMITS, OFFSETS_TOPIC } from './limits.js';
export { createGroupCoordinatorHandlers } from './service.js';
