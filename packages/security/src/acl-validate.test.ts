import { describe, expect, it } from 'vitest';
import { operationSupported, SUPPORTED_OPERATIONS, validateAclEntry } from './acl-validate.js';
import { SECURITY_LIMITS } from './limits.js';
import { type AclEntry, OPERATIONS, RESOURCE_TYPES } from './types.js';

const GOOD: AclEntry = {
  id: 'a',
  resourceType: 'Topic',
  resourceName: 'orders',
  patternType: 'Literal',
  principal: 'User:alice',
  host: '*',
  operation: 'Read',
  permission: 'Allow',
};

function errors(fields: Partial<Record<keyof AclEntry, unknown>>): string[] {
  return validateAclEntry({ ...GOOD, ...fields } as AclEntry);
}

describe('validateAclEntry', () => {
  it('accepts well-formed entries', () => {
    expect(errors({})).toEqual([]);
    expect(errors({ resourceName: '*' })).toEqual([]);
    expect(errors({ patternType: 'Prefixed', resourceName: 'team-' })).toEqual([]);
    expect(errors({ principal: 'User:*', host: '10.1.2.3' })).toEqual([]);
    expect(errors({ principal: 'User:CN=a,O=b:c', host: 'fe80::1%eth0' })).toEqual([]);
    expect(
      errors({ resourceType: 'Cluster', resourceName: 'kafka-cluster', operation: 'IdempotentWrite' }),
    ).toEqual([]);
    expect(
      errors({
        resourceType: 'TransactionalId',
        resourceName: 'tx-',
        patternType: 'Prefixed',
        operation: 'Write',
      }),
    ).toEqual([]);
  });

  it.each([
    [{ resourceName: '' }, 'resource name must not be empty'],
    [{ resourceName: 'x'.repeat(SECURITY_LIMITS.aclResourceNameLengthMax + 1) }, 'the limit is 1024'],
    [
      { resourceType: 'Cluster', resourceName: 'prod' },
      'the Cluster resource is the literal name "kafka-cluster"',
    ],
    [
      { resourceType: 'Cluster', resourceName: 'kafka-cluster', patternType: 'Prefixed', operation: 'Alter' },
      'the Cluster resource is the literal name',
    ],
    [{ patternType: 'Prefixed', resourceName: '*' }, 'a prefixed pattern may not be "*"'],
    [{ principal: 'alice' }, 'is not Type:name (no colon'],
    [{ principal: 'User:' }, 'has an empty name'],
    [{ principal: ':alice' }, 'has an empty type'],
    [{ host: 'broker-1.example.com' }, 'is neither "*" nor an IP address'],
    [{ host: '010.0.0.1' }, 'is neither "*" nor an IP address'],
    [{ host: '' }, 'is neither "*" nor an IP address'],
    [{ resourceType: 'DelegationToken' }, 'resource type "DelegationToken" is not one of Topic, Group'],
    [{ patternType: 'Match' }, 'pattern type "Match" is not one of Literal, Prefixed'],
    [{ operation: 'Any' }, 'operation "Any" is not one of All, Read'],
    [{ permission: 'Maybe' }, 'permission "Maybe" is not one of Allow, Deny'],
    [
      { operation: 'IdempotentWrite' },
      'resource type Topic does not support operation IdempotentWrite (it supports Read,',
    ],
    [
      { operation: 'ClusterAction', resourceType: 'Group' },
      'resource type Group does not support operation ClusterAction',
    ],
    [
      { operation: 'Read', resourceType: 'TransactionalId' },
      'resource type TransactionalId does not support operation Read',
    ],
  ] as const)('refuses %j: %s', (fields, message) => {
    const found = errors(fields);
    expect(found.join('\n')).toContain(message);
  });

  it('lists every problem, not only the first', () => {
    expect(errors({ resourceName: '', principal: 'nobody', host: 'somewhere' })).toHaveLength(3);
  });

  it("follows Kafka's table: IdempotentWrite and ClusterAction only on the Cluster, All everywhere", () => {
    for (const type of RESOURCE_TYPES) {
      expect(operationSupported(type, 'All')).toBe(true);
      expect(operationSupported(type, 'IdempotentWrite')).toBe(type === 'Cluster');
      expect(operationSupported(type, 'ClusterAction')).toBe(type === 'Cluster');
      for (const op of SUPPORTED_OPERATIONS[type]) expect(OPERATIONS).toContain(op);
    }
    expect(SUPPORTED_OPERATIONS.TransactionalId).toEqual(['Describe', 'Write']);
  });
});
