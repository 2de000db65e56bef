// Original file: protos/tributary/v1/broker.proto

import type { ProducePartitionResult as _tributary_v1_ProducePartitionResult, ProducePartitionResult__Output as _tributary_v1_ProducePartitionResult__Output } from '../../tributary/v1/ProducePartitionResult.js';

export interface ProduceResponse {
  'results'?: (_tributary_v1_ProducePartitionResult)[];
  /**
   * KIP-219: how long the client must wait before its next request to this broker (a client quota was
   * exceeded); the broker holds back its requests until then. 0 = not throttled. The client id quotas are
   * resolved for travels as the call's `tributary-client-id` metadata (Kafka's request header field).
   */
  'throttleTimeMs'?: (number);
}

export interface ProduceResponse__Output {
  'results': (_tributary_v1_ProducePartitionResult__Output)[];
  /**
   * KIP-219: how long the client must wait before its next request to this broker (a client quota was
   * exceeded); the broker holds back its requests until then. 0 = not throttled. The client id quotas are
   * resolved for travels as the call's `tributary-client-id` metadata (Kafka's request header field).
   */
  'throttleTimeMs': (number);
}
