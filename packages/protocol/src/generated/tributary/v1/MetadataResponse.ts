// Original file: protos/tributary/v1/broker.proto

import type { BrokerInfo as _tributary_v1_BrokerInfo, BrokerInfo__Output as _tributary_v1_BrokerInfo__Output } from '../../tributary/v1/BrokerInfo.js';
import type { MetadataTopicResult as _tributary_v1_MetadataTopicResult, MetadataTopicResult__Output as _tributary_v1_MetadataTopicResult__Output } from '../../tributary/v1/MetadataTopicResult.js';
import type { Long } from '@grpc/proto-loader';

export interface MetadataResponse {
  'clusterId'?: (string);
  /**
   * -1 when unknown.
   */
  'controllerId'?: (number);
  'brokers'?: (_tributary_v1_BrokerInfo)[];
  'topics'?: (_tributary_v1_MetadataTopicResult)[];
  /**
   * The metadata offset of the image that answered.
   */
  'metadataOffset'?: (number | string | Long);
}

export interface MetadataResponse__Output {
  'clusterId': (string);
  /**
   * -1 when unknown.
   */
  'controllerId': (number);
  'brokers': (_tributary_v1_BrokerInfo__Output)[];
  'topics': (_tributary_v1_MetadataTopicResult__Output)[];
  /**
   * The metadata offset of the image that answered.
   */
  'metadataOffset': (number);
}
