import { describe, expect, it } from 'vitest';
import {
  fromKafkaCode,
  KAFKA_OPERATION_CODES,
  KAFKA_PATTERN_TYPE_CODES,
  KAFKA_PERMISSION_CODES,
  KAFKA_RESOURCE_TYPE_CODES,
  parseOperation,
  parsePatternType,
  parsePatternTypeFilter,
  parsePermission,
  parseResourceType,
} from './acl-names.js';
import { OPERATIONS } from './types.js';

describe('ACL names', () => {
  it("parse as kafka-acls.sh does: any case, Kafka's enum spelling too", () => {
    expect(parseOperation('IdempotentWrite')).toBe('IdempotentWrite');
    expect(parseOperation('IDEMPOTENT_WRITE')).toBe('IdempotentWrite');
    expect(parseOperation('describeconfigs')).toBe('DescribeConfigs');
    expect(parseOperation('Any')).toBeUndefined();
    expect(parseResourceType('transactional-id')).toBe('TransactionalId');
    expect(parseResourceType('TOPIC')).toBe('Topic');
    expect(parseResourceType('DelegationToken')).toBeUndefined();
    expect(parsePatternType('prefixed')).toBe('Prefixed');
    expect(parsePatternType('match')).toBeUndefined();
    expect(parsePatternTypeFilter('match')).toBe('Match');
    expect(parsePatternTypeFilter('ANY')).toBe('Any');
    expect(parsePermission('deny')).toBe('Deny');
  });

  it("carry Kafka's wire codes, both ways", () => {
    expect(KAFKA_OPERATION_CODES.IdempotentWrite).toBe(12);
    expect(KAFKA_RESOURCE_TYPE_CODES.TransactionalId).toBe(5);
    expect(KAFKA_PATTERN_TYPE_CODES.Prefixed).toBe(4);
    expect(KAFKA_PERMISSION_CODES.Allow).toBe(3);
    for (const op of OPERATIONS)
      expect(fromKafkaCode(KAFKA_OPERATION_CODES, KAFKA_OPERATION_CODES[op])).toBe(op);
    expect(fromKafkaCode(KAFKA_RESOURCE_TYPE_CODES, 6)).toBeUndefined();
    expect(fromKafkaCode(KAFKA_PERMISSION_CODES, 0)).toBeUndefined();
  });
});
