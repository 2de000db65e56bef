// Original file: protos/tributary/v1/controller.proto

import type { TopicConfigEntry as _tributary_v1_TopicConfigEntry, TopicConfigEntry__Output as _tributary_v1_TopicConfigEntry__Output } from '../../tributary/v1/TopicConfigEntry.js';

export interface CreateTopicRequest {
  'name'?: (string);
  'partitions'?: (number);
  'replicationFactor'?: (number);
  'configs'?: (_tributary_v1_TopicConfigEntry)[];
  'validateOnly'?: (boolean);
}

export interface CreateTopicRequest__Output {
  'name': (string);
  'partitions': (number);
  'replicationFactor': (number);
  'configs': (_tributary_v1_TopicConfigEntry__Output)[];
  'validateOnly': (boolean);
}
