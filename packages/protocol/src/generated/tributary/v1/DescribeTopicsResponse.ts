// Original file: protos/tributary/v1/controller.proto

import type { TopicInfo as _tributary_v1_TopicInfo, TopicInfo__Output as _tributary_v1_TopicInfo__Output } from '../../tributary/v1/TopicInfo.js';

export interface DescribeTopicsResponse {
  'topics'?: (_tributary_v1_TopicInfo)[];
}

export interface DescribeTopicsResponse__Output {
  'topics': (_tributary_v1_TopicInfo__Output)[];
}
