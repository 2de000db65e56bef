// Original file: protos/tributary/v1/broker.proto


export interface InitProducerIdRequest {
  /**
   * Reserved for transactions; must be empty.
   */
  'transactionalId'?: (string);
}

export interface InitProducerIdRequest__Output {
  /**
   * Reserved for transactions; must be empty.
   */
  'transactionalId': (string);
}
