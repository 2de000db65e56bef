// Original file: protos/tributary/v1/broker.proto

import type { FetchTopic as _tributary_v1_FetchTopic, FetchTopic__Output as _tributary_v1_FetchTopic__Output } from '../../tributary/v1/FetchTopic.js';

export interface FetchRequest {
  'maxWaitMs'?: (number);
  'minBytes'?: (number);
  'maxBytes'?: (number);
  'topics'?: (_tributary_v1_FetchTopic)[];
}

export interface FetchRequest__Output {
  'maxWaitMs': (number);
  'minBytes': (number);
  'maxBytes': (number);
  'topics': (_tributary_v1_FetchTopic__Output)[];
}
