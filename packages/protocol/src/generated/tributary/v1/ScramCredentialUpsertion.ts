// Original file: protos/tributary/v1/controller.proto


export interface ScramCredentialUpsertion {
  'user'?: (string);
  'mechanism'?: (string);
  /**
   * 4096 to 16384, as Kafka accepts.
   */
  'iterations'?: (number);
  'salt'?: (Buffer | Uint8Array | string);
  /**
   * Hi(password, salt, iterations) of RFC 5802 (PBKDF2 with the mechanism's HMAC), as long as its hash.
   */
  'saltedPassword'?: (Buffer | Uint8Array | string);
}

export interface ScramCredentialUpsertion__Output {
  'user': (string);
  'mechanism': (string);
  /**
   * 4096 to 16384, as Kafka accepts.
   */
  'iterations': (number);
  'salt': (Buffer);
  /**
   * Hi(password, salt, iterations) of RFC 5802 (PBKDF2 with the mechanism's HMAC), as long as its hash.
   */
  'saltedPassword': (Buffer);
}
