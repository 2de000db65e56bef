// Original file: protos/tributary/v1/controller.proto


/**
 * Kafka's AclBindingFilter. An empty field matches anything ("Any"); pattern_type may also be Match:
 * every pattern that would match a resource named resource_name (that literal, the literal `*`, and each
 * prefixed pattern that is a prefix of it). principal and host compare exactly (`User:alice` does not
 * select `User:*` entries).
 */
export interface AclFilter {
  'resourceType'?: (string);
  'resourceName'?: (string);
  'patternType'?: (string);
  'principal'?: (string);
  'host'?: (string);
  'operation'?: (string);
  'permission'?: (string);
}

/**
 * Kafka's AclBindingFilter. An empty field matches anything ("Any"); pattern_type may also be Match:
 * every pattern that would match a resource named resource_name (that literal, the literal `*`, and each
 * prefixed pattern that is a prefix of it). principal and host compare exactly (`User:alice` does not
 * select `User:*` entries).
 */
export interface AclFilter__Output {
  'resourceType': (string);
  'resourceName': (string);
  'patternType': (string);
  'principal': (string);
  'host': (string);
  'operation': (string);
  'permission': (string);
}
