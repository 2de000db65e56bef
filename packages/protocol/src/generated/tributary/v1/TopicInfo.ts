// Original file: protos/tributary/v1/common.proto

import type { PartitionInfo as _tributary_v1_PartitionInfo, PartitionInfo__Output as _tributary_v1_PartitionInfo__Output } from '../../tributary/v1/PartitionInfo.js';
import type { TopicConfigEntry as _tributary_v1_TopicConfigEntry, TopicConfigEntry__Output as _tributary_v1_TopicConfigEntry__Output } from '../../tributary/v1/TopicConfigEntry.js';

export interface TopicInfo {
  'name'?: (string);
  'topicId'?: (string);
  'partitions'?: (_tributary_v1_PartitionInfo)[];
  'configs'?: (_tributary_v1_TopicConfigEntry)[];
}

export interface TopicInfo__Output {
  'name': (string);
  'topicId': (string);
  'partitions': (_tributary_v1_PartitionInfo__Output)[];
  'configs': (_tributary_v1_TopicConfigEntry__Output)[];
}
