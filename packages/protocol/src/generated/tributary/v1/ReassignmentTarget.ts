// Original file: protos/tributary/v1/controller.proto


export interface ReassignmentTarget {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * The target replica list, preferred leader first; ignored with cancel.
   */
  'replicas'?: (number)[];
  /**
   * Cancels the running reassignment of this partition: back to the original replicas.
   */
  'cancel'?: (boolean);
}

export interface ReassignmentTarget__Output {
  'topic': (string);
  'partition': (number);
  /**
   * The target replica list, preferred leader first; ignored with cancel.
   */
  'replicas': (number)[];
  /**
   * Cancels the running reassignment of this partition: back to the original replicas.
   */
  'cancel': (boolean);
}
