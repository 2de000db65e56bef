// Original file: protos/tributary/v1/controller.proto


export interface ScramUserResult {
  'user'?: (string);
  /**
   * Empty on success; else UNACCEPTABLE_CREDENTIAL, UNSUPPORTED_SASL_MECHANISM, RESOURCE_NOT_FOUND,
   * DUPLICATE_RESOURCE or POLICY_VIOLATION. A user's changes apply together or not at all.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
}

export interface ScramUserResult__Output {
  'user': (string);
  /**
   * Empty on success; else UNACCEPTABLE_CREDENTIAL, UNSUPPORTED_SASL_MECHANISM, RESOURCE_NOT_FOUND,
   * DUPLICATE_RESOURCE or POLICY_VIOLATION. A user's changes apply together or not at all.
   */
  'errorCode': (string);
  'errorMessage': (string);
}
