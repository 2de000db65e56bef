// Original file: protos/tributary/v1/common.proto


export interface PartitionInfo {
  'partition'?: (number);
  /**
   * -1 when the partition has no leader.
   */
  'leader'?: (number);
  'leaderEpoch'?: (number);
  'partitionEpoch'?: (number);
  'replicas'?: (number)[];
  'isr'?: (number)[];
}

export interface PartitionInfo__Output {
  'partition': (number);
  /**
   * -1 when the partition has no leader.
   */
  'leader': (number);
  'leaderEpoch': (number);
  'partitionEpoch': (number);
  'replicas': (number)[];
  'isr': (number)[];
}
