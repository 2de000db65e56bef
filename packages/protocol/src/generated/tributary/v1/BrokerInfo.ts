// Original file: protos/tributary/v1/common.proto

import type { Long } from '@grpc/proto-loader';

export interface BrokerInfo {
  'brokerId'?: (number);
  'address'?: (string);
  'rack'?: (string);
  'brokerEpoch'?: (number | string | Long);
  'fenced'?: (boolean);
  'incarnationId'?: (string);
}

export interface BrokerInfo__Output {
  'brokerId': (number);
  'address': (string);
  'rack': (string);
  'brokerEpoch': (number);
  'fenced': (boolean);
  'incarnationId': (string);
}
