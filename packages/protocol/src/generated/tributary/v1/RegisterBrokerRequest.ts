// Original file: protos/tributary/v1/controller.proto


export interface RegisterBrokerRequest {
  'brokerId'?: (number);
  /**
   * A fresh id per process start: tells a restart apart from a duplicate broker id.
   */
  'incarnationId'?: (string);
  'address'?: (string);
  'rack'?: (string);
  /**
   * host:port of the broker's Kafka listener (DESIGN §9); empty when it serves none.
   */
  'kafkaAddress'?: (string);
}

export interface RegisterBrokerRequest__Output {
  'brokerId': (number);
  /**
   * A fresh id per process start: tells a restart apart from a duplicate broker id.
   */
  'incarnationId': (string);
  'address': (string);
  'rack': (string);
  /**
   * host:port of the broker's Kafka listener (DESIGN §9); empty when it serves none.
   */
  'kafkaAddress': (string);
}
