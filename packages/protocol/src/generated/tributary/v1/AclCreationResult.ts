// Original file: protos/tributary/v1/controller.proto


export interface AclCreationResult {
  /**
   * Empty on success; else INVALID_REQUEST (the binding is not valid) or POLICY_VIOLATION (too many ACLs).
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * The new ACL's id, or the id of the identical ACL that already existed.
   */
  'id'?: (string);
}

export interface AclCreationResult__Output {
  /**
   * Empty on success; else INVALID_REQUEST (the binding is not valid) or POLICY_VIOLATION (too many ACLs).
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * The new ACL's id, or the id of the identical ACL that already existed.
   */
  'id': (string);
}
