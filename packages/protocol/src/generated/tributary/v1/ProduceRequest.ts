// Original file: protos/tributary/v1/broker.proto

import type { ProduceTopicData as _tributary_v1_ProduceTopicData, ProduceTopicData__Output as _tributary_v1_ProduceTopicData__Output } from '../../tributary/v1/ProduceTopicData.js';

export interface ProduceRequest {
  /**
   * -1 = all in-sync replicas, 1 = the leader, 0 = no acknowledgement.
   */
  'acks'?: (number);
  'timeoutMs'?: (number);
  'topics'?: (_tributary_v1_ProduceTopicData)[];
  /**
   * The producer's transactional id when the batches are transactional (transactions.proto): a partition
   * leader asks its coordinator whether the partition is in the producer's ongoing transaction before the
   * first transactional write of a transaction to it (KIP-890 part 1). Empty for other producers.
   */
  'transactionalId'?: (string);
}

export interface ProduceRequest__Output {
  /**
   * -1 = all in-sync replicas, 1 = the leader, 0 = no acknowledgement.
   */
  'acks': (number);
  'timeoutMs': (number);
  'topics': (_tributary_v1_ProduceTopicData__Output)[];
  /**
   * The producer's transactional id when the batches are transactional (transactions.proto): a partition
   * leader asks its coordinator whether the partition is in the producer's ongoing transaction before the
   * first transactional write of a transaction to it (KIP-890 part 1). Empty for other producers.
   */
  'transactionalId': (string);
}
