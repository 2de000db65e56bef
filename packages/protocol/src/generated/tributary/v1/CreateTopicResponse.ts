// Original file: protos/tributary/v1/controller.proto

import type { TopicInfo as _tributary_v1_TopicInfo, TopicInfo__Output as _tributary_v1_TopicInfo__Output } from '../../tributary/v1/TopicInfo.js';

export interface CreateTopicResponse {
  'topic'?: (_tributary_v1_TopicInfo | null);
}

export interface CreateTopicResponse__Output {
  'topic': (_tributary_v1_TopicInfo__Output | null);
}
