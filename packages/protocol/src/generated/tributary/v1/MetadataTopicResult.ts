// Original file: protos/tributary/v1/broker.proto

import type { TopicInfo as _tributary_v1_TopicInfo, TopicInfo__Output as _tributary_v1_TopicInfo__Output } from '../../tributary/v1/TopicInfo.js';

export interface MetadataTopicResult {
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'topic'?: (_tributary_v1_TopicInfo | null);
}

export interface MetadataTopicResult__Output {
  'errorCode': (string);
  'errorMessage': (string);
  'topic': (_tributary_v1_TopicInfo__Output | null);
}
