// Original file: protos/tributary/v1/controller.proto

import type { BrokerInfo as _tributary_v1_BrokerInfo, BrokerInfo__Output as _tributary_v1_BrokerInfo__Output } from '../../tributary/v1/BrokerInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface DescribeClusterResponse {
  'clusterId'?: (string);
  /**
   * -1 when there is no active controller.
   */
  'controllerId'?: (number);
  'brokers'?: (_tributary_v1_BrokerInfo)[];
  'metadataOffset'?: (number | string | Long);
}

export interface DescribeClusterResponse__Output {
  'clusterId': (string);
  /**
   * -1 when there is no active controller.
   */
  'controllerId': (number);
  'brokers': (_tributary_v1_BrokerInfo__Output)[];
  'metadataOffset': (number);
}
