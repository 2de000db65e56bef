// Original file: protos/tributary/v1/controller.proto

import type { TopicConfigEntry as _tributary_v1_TopicConfigEntry, TopicConfigEntry__Output as _tributary_v1_TopicConfigEntry__Output } from '../../tributary/v1/TopicConfigEntry.js';

export interface AlterTopicConfigsRequest {
  'name'?: (string);
  'set'?: (_tributary_v1_TopicConfigEntry)[];
  /**
   * Config names to remove (back to the broker default).
   */
  'remove'?: (string)[];
  'validateOnly'?: (boolean);
}

export interface AlterTopicConfigsRequest__Output {
  'name': (string);
  'set': (_tributary_v1_TopicConfigEntry__Output)[];
  /**
   * Config names to remove (back to the broker default).
   */
  'remove': (string)[];
  'validateOnly': (boolean);
}
