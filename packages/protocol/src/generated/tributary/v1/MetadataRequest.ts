// Original file: protos/tributary/v1/broker.proto


export interface MetadataRequest {
  /**
   * Empty: every topic.
   */
  'topics'?: (string)[];
  /**
   * Create missing topics when the broker's auto.create.topics.enable is on.
   */
  'allowAutoTopicCreation'?: (boolean);
}

export interface MetadataRequest__Output {
  /**
   * Empty: every topic.
   */
  'topics': (string)[];
  /**
   * Create missing topics when the broker's auto.create.topics.enable is on.
   */
  'allowAutoTopicCreation': (boolean);
}
