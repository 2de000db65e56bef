// Original file: protos/tributary/v1/controller.proto


export interface TopicListing {
  'name'?: (string);
  'topicId'?: (string);
  'partitionCount'?: (number);
  'replicationFactor'?: (number);
}

export interface TopicListing__Output {
  'name': (string);
  'topicId': (string);
  'partitionCount': (number);
  'replicationFactor': (number);
}
