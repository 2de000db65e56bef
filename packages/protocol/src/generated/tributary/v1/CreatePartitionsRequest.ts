// Original file: protos/tributary/v1/controller.proto


export interface CreatePartitionsRequest {
  'name'?: (string);
  /**
   * The new total partition count (as Kafka's CreatePartitions); must exceed the current count.
   */
  'totalCount'?: (number);
  /**
   * Check everything and answer with the topic as it is, but add nothing.
   */
  'validateOnly'?: (boolean);
}

export interface CreatePartitionsRequest__Output {
  'name': (string);
  /**
   * The new total partition count (as Kafka's CreatePartitions); must exceed the current count.
   */
  'totalCount': (number);
  /**
   * Check everything and answer with the topic as it is, but add nothing.
   */
  'validateOnly': (boolean);
}
