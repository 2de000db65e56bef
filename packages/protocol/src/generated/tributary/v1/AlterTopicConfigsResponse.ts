// Original file: protos/tributary/v1/controller.proto

import type { TopicInfo as _tributary_v1_TopicInfo, TopicInfo__Output as _tributary_v1_TopicInfo__Output } from '../../tributary/v1/TopicInfo.js';

export interface AlterTopicConfigsResponse {
  /**
   * The topic with its configs after the change (as it would be, with validate_only).
   */
  'topic'?: (_tributary_v1_TopicInfo | null);
}

export interface AlterTopicConfigsResponse__Output {
  /**
   * The topic with its configs after the change (as it would be, with validate_only).
   */
  'topic': (_tributary_v1_TopicInfo__Output | null);
}
