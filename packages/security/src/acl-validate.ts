/**
 * Validation of an ACL entry before the controller stores it (CreateAcls, `trib acls create`). Kafka's
 * rules: KRaft's AclControlManager.validateNewAcl (known type, pattern, operation and permission; a
 * non-empty name; a principal with a colon) and the table of operations each resource type supports
 * (server's AclEntry.supportedOperations, which kafka-acls.sh enforces). Tributary adds what Kafka leaves
 * to chance: the Cluster resource is the literal `kafka-cluster`, a prefixed pattern may not be `*` (it
 * would match only names starting with a star, never "everything"), and a host is `*` or an IP address.
 */
import { canonicalIpAddress } from './ip-address.js';
import { SECURITY_LIMITS } from './limits.js';
import { parsePrincipal } from './principal.js';
import {
  type AclEntry,
  CLUSTER_RESOURCE_NAME,
  OPERATIONS,
  type Operation,
  PATTERN_TYPES,
  PERMISSIONS,
  RESOURCE_TYPES,
  type ResourceType,
  WILDCARD,
} from './types.js';

/** Operations each resource type supports besides All (Kafka's AclEntry.supportedOperations). */
export const SUPPORTED_OPERATIONS: Readonly<Record<ResourceType, readonly Operation[]>> = {
  Topic: ['Read', 'Write', 'Create', 'Describe', 'Delete', 'Alter', 'DescribeConfigs', 'AlterConfigs'],
  Group: ['Read', 'Describe', 'Delete', 'DescribeConfigs', 'AlterConfigs'],
  Cluster: [
    'Create',
    'ClusterAction',
    'DescribeConfigs',
    'AlterConfigs',
    'IdempotentWrite',
    'Alter',
    'Describe',
  ],
  TransactionalId: ['Describe', 'Write'],
};

export function operationSupported(type: ResourceType, operation: Operation): boolean {
  return operation === 'All' || SUPPORTED_OPERATIONS[type].includes(operation);
}

function oneOf(values: readonly string[], value: unknown): boolean {
  return typeof value === 'string' && values.includes(value);
}

/**
 * Every problem with the entry, each a sentence naming the field; empty when the entry may be stored.
 * The entry's id is not checked: the controller assigns it.
 */
export function validateAclEntry(entry: AclEntry): string[] {
  const errors: string[] = [];
  // Enum fields are checked at run time too: entries come from JSON and the Kafka wire.
  if (!oneOf(RESOURCE_TYPES, entry.resourceType)) {
    errors.push(
      `resource type ${JSON.stringify(entry.resourceType)} is not one of ${RESOURCE_TYPES.join(', ')}`,
    );
  }
  if (!oneOf(PATTERN_TYPES, entry.patternType)) {
    errors.push(
      `pattern type ${JSON.stringify(entry.patternType)} is not one of ${PATTERN_TYPES.join(', ')}`,
    );
  }
  if (!oneOf(OPERATIONS, entry.operation)) {
    errors.push(`operation ${JSON.stringify(entry.operation)} is not one of ${OPERATIONS.join(', ')}`);
  }
  if (!oneOf(PERMISSIONS, entry.permission)) {
    errors.push(`permission ${JSON.stringify(entry.permission)} is not one of ${PERMISSIONS.join(', ')}`);
  }
  errors.push(...resourceErrors(entry), ...principalErrors(entry.principal), ...hostErrors(entry.host));
  if (oneOf(RESOURCE_TYPES, entry.resourceType) && oneOf(OPERATIONS, entry.operation)) {
    if (!operationSupported(entry.resourceType, entry.operation)) {
      const supported = [...SUPPORTED_OPERATIONS[entry.resourceType], 'All'].join(', ');
      errors.push(
        `resource type ${entry.resourceType} does not support operation ${entry.operation} (it supports ${supported})`,
      );
    }
  }
  return errors;
}

function resourceErrors(entry: AclEntry): string[] {
  const name = entry.resourceName;
  if (typeof name !== 'string' || name === '') return ['resource name must not be empty'];
  if (name.length > SECURITY_LIMITS.aclResourceNameLengthMax) {
    return [
      `resource name is ${name.length} characters; the limit is ${SECURITY_LIMITS.aclResourceNameLengthMax}`,
    ];
  }
  const errors: string[] = [];
  if (
    entry.resourceType === 'Cluster' &&
    (name !== CLUSTER_RESOURCE_NAME || entry.patternType !== 'Literal')
  ) {
    errors.push(`the Cluster resource is the literal name ${JSON.stringify(CLUSTER_RESOURCE_NAME)}`);
  }
  if (entry.patternType === 'Prefixed' && name === WILDCARD) {
    errors.push('a prefixed pattern may not be "*": use a literal "*" to match every resource');
  }
  return errors;
}

function principalErrors(principal: string): string[] {
  if (typeof principal !== 'string') return ['principal must be a string'];
  const parsed = parsePrincipal(principal);
  return parsed.ok ? [] : [parsed.error];
}

function hostErrors(host: string): string[] {
  if (typeof host !== 'string') return ['host must be a string'];
  if (host === WILDCARD) return [];
  if (host.length > SECURITY_LIMITS.aclHostLengthMax || canonicalIpAddress(host) === undefined) {
    return [`host ${JSON.stringify(host.slice(0, 64))} is neither "*" nor an IP address`];
  }
  return [];
}
