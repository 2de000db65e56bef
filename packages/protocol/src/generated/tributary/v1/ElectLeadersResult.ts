// Original file: protos/tributary/v1/controller.proto


export interface ElectLeadersResult {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * Empty when leadership moved to the preferred leader; ELECTION_NOT_NEEDED when it already led;
   * PREFERRED_LEADER_NOT_AVAILABLE when it is fenced or out of the ISR; UNKNOWN_TOPIC_OR_PARTITION.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * The leader once this request's records apply.
   */
  'leader'?: (number);
}

export interface ElectLeadersResult__Output {
  'topic': (string);
  'partition': (number);
  /**
   * Empty when leadership moved to the preferred leader; ELECTION_NOT_NEEDED when it already led;
   * PREFERRED_LEADER_NOT_AVAILABLE when it is fenced or out of the ISR; UNKNOWN_TOPIC_OR_PARTITION.
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * The leader once this request's records apply.
   */
  'leader': (number);
}
