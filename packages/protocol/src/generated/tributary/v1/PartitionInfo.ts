// Original file: protos/tributary/v1/common.proto


export interface PartitionInfo {
  'partition'?: (number);
  /**
   * -1 when the partition has no leader.
   */
  'leader'?: (number);
  'leaderEpoch'?: (number);
  'partitionEpoch'?: (number);
  /**
   * While a reassignment runs, `replicas` is the union of the old and the target replicas.
   */
  'replicas'?: (number)[];
  'isr'?: (number)[];
  /**
   * Only while a reassignment runs: the replicas catching up, and those to drop once they are in the ISR.
   */
  'addingReplicas'?: (number)[];
  'removingReplicas'?: (number)[];
}

export interface PartitionInfo__Output {
  'partition': (number);
  /**
   * -1 when the partition has no leader.
   */
  'leader': (number);
  'leaderEpoch': (number);
  'partitionEpoch': (number);
  /**
   * While a reassignment runs, `replicas` is the union of the old and the target replicas.
   */
  'replicas': (number)[];
  'isr': (number)[];
  /**
   * Only while a reassignment runs: the replicas catching up, and those to drop once they are in the ISR.
   */
  'addingReplicas': (number)[];
  'removingReplicas': (number)[];
}
