// Original file: protos/tributary/v1/broker.proto


export interface DescribeProducersPartition {
  'partition'?: (number);
}

export interface DescribeProducersPartition__Output {
  'partition': (number);
}
