// Original file: protos/tributary/v1/common.proto


export interface TopicPartitionRef {
  'topic'?: (string);
  'partition'?: (number);
}

export interface TopicPartitionRef__Output {
  'topic': (string);
  'partition': (number);
}
