// Original file: protos/tributary/v1/controller.proto


export interface DeleteTopicResponse {
  'topicId'?: (string);
}

export interface DeleteTopicResponse__Output {
  'topicId': (string);
}
