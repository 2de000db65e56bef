// Original file: protos/tributary/v1/controller.proto


export interface QuotaOp {
  /**
   * producer_byte_rate | consumer_byte_rate (bytes/s) | request_percentage
   */
  'key'?: (string);
  'value'?: (number | string);
  /**
   * Removes the key (value is ignored).
   */
  'remove'?: (boolean);
}

export interface QuotaOp__Output {
  /**
   * producer_byte_rate | consumer_byte_rate (bytes/s) | request_percentage
   */
  'key': (string);
  'value': (number);
  /**
   * Removes the key (value is ignored).
   */
  'remove': (boolean);
}
