/**
 * The ACL model's names and Kafka wire codes, defined once for the CLI, the gRPC services and the Kafka
 * listener (CreateAcls/DescribeAcls/DeleteAcls carry the codes). Names parse as Kafka's SecurityUtils
 * parses them for kafka-acls.sh: case does not matter, and the enum spelling (IDEMPOTENT_WRITE) is
 * accepted beside the camel-case one (IdempotentWrite); `-` is treated as `_` (`--resource-pattern-type`).
 */
import type { PatternTypeFilter } from './acl-filter.js';
import {
  OPERATIONS,
  type Operation,
  PATTERN_TYPES,
  type PatternType,
  PERMISSIONS,
  type Permission,
  RESOURCE_TYPES,
  type ResourceType,
} from './types.js';

/** Kafka's ResourceType codes (ANY = 1 in filters). */
export const KAFKA_RESOURCE_TYPE_CODES: Readonly<Record<ResourceType | 'Any', number>> = {
  Any: 1,
  Topic: 2,
  Group: 3,
  Cluster: 4,
  TransactionalId: 5,
};

/** Kafka's PatternType codes (ANY = 1 and MATCH = 2 in filters). */
export const KAFKA_PATTERN_TYPE_CODES: Readonly<Record<PatternTypeFilter, number>> = {
  Any: 1,
  Match: 2,
  Literal: 3,
  Prefixed: 4,
};

/** Kafka's AclOperation codes (ANY = 1 in filters). */
export const KAFKA_OPERATION_CODES: Readonly<Record<Operation | 'Any', number>> = {
  Any: 1,
  All: 2,
  Read: 3,
  Write: 4,
  Create: 5,
  Delete: 6,
  Alter: 7,
  Describe: 8,
  ClusterAction: 9,
  DescribeConfigs: 10,
  AlterConfigs: 11,
  IdempotentWrite: 12,
};

/** Kafka's AclPermissionType codes (ANY = 1 in filters). */
export const KAFKA_PERMISSION_CODES: Readonly<Record<Permission | 'Any', number>> = {
  Any: 1,
  Deny: 2,
  Allow: 3,
};

/** The name whose Kafka code is `code`, or undefined (UNKNOWN, or a type Tributary does not enforce). */
export function fromKafkaCode<T extends string>(
  codes: Readonly<Record<T, number>>,
  code: number,
): T | undefined {
  for (const [name, value] of Object.entries(codes) as [T, number][]) if (value === code) return name;
  return undefined;
}

function key(text: string): string {
  return text.trim().toLowerCase().replaceAll(/[_-]/g, '');
}

function lookup<T extends string>(names: readonly T[], text: string): T | undefined {
  const wanted = key(text);
  return names.find((name) => key(name) === wanted);
}

export function parseResourceType(text: string): ResourceType | undefined {
  return lookup(RESOURCE_TYPES, text);
}

export function parseOperation(text: string): Operation | undefined {
  return lookup(OPERATIONS, text);
}

export function parsePatternType(text: string): PatternType | undefined {
  return lookup(PATTERN_TYPES, text);
}

/** A pattern type as a filter takes it: literal, prefixed, any or match. */
export function parsePatternTypeFilter(text: string): PatternTypeFilter | undefined {
  return lookup<PatternTypeFilter>([...PATTERN_TYPES, 'Any', 'Match'], text);
}

export function parsePermission(text: string): Permission | undefined {
  return lookup(PERMISSIONS, text);
}
