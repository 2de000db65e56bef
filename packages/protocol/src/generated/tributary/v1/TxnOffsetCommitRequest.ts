// Original file: protos/tributary/v1/transactions.proto

import type { TxnOffsetCommitTopic as _tributary_v1_TxnOffsetCommitTopic, TxnOffsetCommitTopic__Output as _tributary_v1_TxnOffsetCommitTopic__Output } from '../../tributary/v1/TxnOffsetCommitTopic.js';
import type { Long } from '@grpc/proto-loader';

export interface TxnOffsetCommitRequest {
  'transactionalId'?: (string);
  'groupId'?: (string);
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
  /**
   * KIP-447: the consumer's group generation and member id, so a zombie member's commit is fenced;
   * -1 and empty to skip the check.
   */
  'generationId'?: (number);
  'memberId'?: (string);
  'topics'?: (_tributary_v1_TxnOffsetCommitTopic)[];
}

export interface TxnOffsetCommitRequest__Output {
  'transactionalId': (string);
  'groupId': (string);
  'producerId': (number);
  'producerEpoch': (number);
  /**
   * KIP-447: the consumer's group generation and member id, so a zombie member's commit is fenced;
   * -1 and empty to skip the check.
   */
  'generationId': (number);
  'memberId': (string);
  'topics': (_tributary_v1_TxnOffsetCommitTopic__Output)[];
}
