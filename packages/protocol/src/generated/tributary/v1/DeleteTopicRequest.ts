// Original file: protos/tributary/v1/controller.proto


export interface DeleteTopicRequest {
  'name'?: (string);
  /**
   * When set, the topic named must have this id, else UNKNOWN_TOPIC_ID: a delete by id (Kafka's
   * DeleteTopics v6) resolved to a name never removes a topic that was deleted and created again.
   */
  'topicId'?: (string);
}

export interface DeleteTopicRequest__Output {
  'name': (string);
  /**
   * When set, the topic named must have this id, else UNKNOWN_TOPIC_ID: a delete by id (Kafka's
   * DeleteTopics v6) resolved to a name never removes a topic that was deleted and created again.
   */
  'topicId': (string);
}
