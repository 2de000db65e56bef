// Original file: protos/tributary/v1/controller.proto


/**
 * One ACL: principal P is allowed or denied operation O from host H on the resources matching the
 * pattern. The enum-like fields carry Kafka's names: resource_type Topic | Group | Cluster |
 * TransactionalId, pattern_type Literal | Prefixed, operation All | Read | Write | Create | Delete |
 * Alter | Describe | ClusterAction | DescribeConfigs | AlterConfigs | IdempotentWrite, permission
 * Allow | Deny. principal is `User:NAME` (`User:*`: everyone), host an IP address or `*`.
 */
export interface AclBinding {
  /**
   * Assigned by the controller (a UUID); ignored in CreateAcls.
   */
  'id'?: (string);
  'resourceType'?: (string);
  'resourceName'?: (string);
  'patternType'?: (string);
  'principal'?: (string);
  'host'?: (string);
  'operation'?: (string);
  'permission'?: (string);
}

/**
 * One ACL: principal P is allowed or denied operation O from host H on the resources matching the
 * pattern. The enum-like fields carry Kafka's names: resource_type Topic | Group | Cluster |
 * TransactionalId, pattern_type Literal | Prefixed, operation All | Read | Write | Create | Delete |
 * Alter | Describe | ClusterAction | DescribeConfigs | AlterConfigs | IdempotentWrite, permission
 * Allow | Deny. principal is `User:NAME` (`User:*`: everyone), host an IP address or `*`.
 */
export interface AclBinding__Output {
  /**
   * Assigned by the controller (a UUID); ignored in CreateAcls.
   */
  'id': (string);
  'resourceType': (string);
  'resourceName': (string);
  'patternType': (string);
  'principal': (string);
  'host': (string);
  'operation': (string);
  'permission': (string);
}
