// Original file: protos/tributary/v1/controller.proto


export interface ScramCredentialDeletion {
  'user'?: (string);
  /**
   * SCRAM-SHA-256 | SCRAM-SHA-512
   */
  'mechanism'?: (string);
}

export interface ScramCredentialDeletion__Output {
  'user': (string);
  /**
   * SCRAM-SHA-256 | SCRAM-SHA-512
   */
  'mechanism': (string);
}
