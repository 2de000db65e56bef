// Original file: protos/tributary/v1/broker.proto

import type { FetchTopic as _tributary_v1_FetchTopic, FetchTopic__Output as _tributary_v1_FetchTopic__Output } from '../../tributary/v1/FetchTopic.js';

export interface FetchRequest {
  'maxWaitMs'?: (number);
  'minBytes'?: (number);
  'maxBytes'?: (number);
  'topics'?: (_tributary_v1_FetchTopic)[];
  /**
   * Kafka's isolation level: 0 = read_uncommitted (up to the high watermark), 1 = read_committed (up to
   * the last stable offset, with the aborted transactions in the range returned for the client to drop).
   */
  'isolationLevel'?: (number);
  '_isolationLevel'?: "isolationLevel";
}

export interface FetchRequest__Output {
  'maxWaitMs': (number);
  'minBytes': (number);
  'maxBytes': (number);
  'topics': (_tributary_v1_FetchTopic__Output)[];
  /**
   * Kafka's isolation level: 0 = read_uncommitted (up to the high watermark), 1 = read_committed (up to
   * the last stable offset, with the aborted transactions in the range returned for the client to drop).
   */
  'isolationLevel'?: (number);
  '_isolationLevel'?: "isolationLevel";
}
