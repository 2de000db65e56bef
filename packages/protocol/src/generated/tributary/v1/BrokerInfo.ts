// Original file: protos/tributary/v1/common.proto

import type { Long } from '@grpc/proto-loader';

export interface BrokerInfo {
  'brokerId'?: (number);
  'address'?: (string);
  'rack'?: (string);
  'brokerEpoch'?: (number | string | Long);
  'fenced'?: (boolean);
  'incarnationId'?: (string);
  /**
   * host:port of the broker's Kafka listener (DESIGN §9); empty when it serves none.
   */
  'kafkaAddress'?: (string);
}

export interface BrokerInfo__Output {
  'brokerId': (number);
  'address': (string);
  'rack': (string);
  'brokerEpoch': (number);
  'fenced': (boolean);
  'incarnationId': (string);
  /**
   * host:port of the broker's Kafka listener (DESIGN §9); empty when it serves none.
   */
  'kafkaAddress': (string);
}
