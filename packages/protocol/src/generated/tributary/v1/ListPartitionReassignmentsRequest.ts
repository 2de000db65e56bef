// Original file: protos/tributary/v1/controller.proto


export interface ListPartitionReassignmentsRequest {
  /**
   * Empty: every topic.
   */
  'topics'?: (string)[];
}

export interface ListPartitionReassignmentsRequest__Output {
  /**
   * Empty: every topic.
   */
  'topics': (string)[];
}
