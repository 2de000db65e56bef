import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AclIndex, canonicalHost } from './acl-index.js';
import {
  type AuthorizeRequest,
  type AuthorizeResult,
  type AuthorizerConfig,
  aclOperationApplies,
  authorize,
  visibleResources,
} from './authorizer.js';
import { type AclEntry, OPERATIONS, type Operation, RESOURCE_TYPES } from './types.js';

const NO_SUPER: AuthorizerConfig = { superUsers: new Set(), allowEveryoneIfNoAclFound: false };

function acl(fields: Partial<AclEntry> & Pick<AclEntry, 'resourceName'>): AclEntry {
  return {
    id: `id-${fields.resourceName}-${fields.principal ?? 'User:alice'}`,
    resourceType: 'Topic',
    patternType: 'Literal',
    principal: 'User:alice',
    host: '*',
    operation: 'Read',
    permission: 'Allow',
    ...fields,
  };
}

function request(name: string, fields: Partial<Omit<AuthorizeRequest, 'resource'>> = {}): AuthorizeRequest {
  return {
    principal: 'User:alice',
    host: '10.0.0.1',
    operation: 'Read',
    resource: { type: 'Topic', name },
    ...fields,
  };
}

/**
 * The reference: a linear scan over every entry with Kafka's rules written out independently of the
 * index and of aclOperationApplies.
 */
function naiveAuthorize(
  entries: readonly AclEntry[],
  req: AuthorizeRequest,
  config: AuthorizerConfig,
): AuthorizeResult {
  if (config.superUsers.has(req.principal)) return { allowed: true, reason: 'super-user' };
  const { type, name } = req.resource;
  const onResource = entries.filter(
    (e) =>
      e.resourceType === type &&
      (e.patternType === 'Literal'
        ? e.resourceName === name || e.resourceName === '*'
        : name.startsWith(e.resourceName)),
  );
  const op = req.operation;
  const matching = onResource.filter((e) => {
    const principalMatches = e.principal === req.principal || e.principal === 'User:*';
    const hostMatches = e.host === '*' || canonicalHost(e.host) === canonicalHost(req.host);
    const implied =
      e.permission === 'Allow' &&
      ((op === 'Describe' && ['Read', 'Write', 'Delete', 'Alter'].includes(e.operation)) ||
        (op === 'DescribeConfigs' && e.operation === 'AlterConfigs'));
    return principalMatches && hostMatches && (e.operation === 'All' || e.operation === op || implied);
  });
  const deny = matching.find((e) => e.permission === 'Deny');
  if (deny) return { allowed: false, reason: 'deny-acl', matched: deny };
  const allow = matching.find((e) => e.permission === 'Allow');
  if (allow) return { allowed: true, reason: 'allow-acl', matched: allow };
  if (onResource.length === 0) return { allowed: config.allowEveryoneIfNoAclFound, reason: 'no-acl-found' };
  return { allowed: false, reason: 'no-matching-allow' };
}

describe('authorize', () => {
  it('lets an unlisted principal in only where the resource has no ACL at all (KAFKA-14435)', () => {
    const index = AclIndex.build([acl({ resourceName: 'orders' })]);
    const config = { superUsers: new Set<string>(), allowEveryoneIfNoAclFound: true };
    expect(authorize(index, request('orders', { principal: 'User:mallory' }), config)).toEqual({
      allowed: false,
      reason: 'no-matching-allow',
    });
    expect(authorize(index, request('other', { principal: 'User:mallory' }), config)).toEqual({
      allowed: true,
      reason: 'no-acl-found',
    });
  });

  it('reports the deciding ACL', () => {
    const deny = acl({ resourceName: 'orders', permission: 'Deny', operation: 'Write' });
    const allow = acl({ resourceName: 'ord', patternType: 'Prefixed', operation: 'All' });
    const index = AclIndex.build([allow, deny]);
    expect(authorize(index, request('orders', { operation: 'Write' }), NO_SUPER)).toEqual({
      allowed: false,
      reason: 'deny-acl',
      matched: deny,
    });
    expect(authorize(index, request('orders', { operation: 'Read' }), NO_SUPER)).toEqual({
      allowed: true,
      reason: 'allow-acl',
      matched: allow,
    });
  });

  it('refuses a request for the All operation as a bug in the caller', () => {
    const bad = request('orders', { operation: 'All' as 'Read' });
    expect(() => authorize(AclIndex.EMPTY, bad, NO_SUPER)).toThrow(/concrete operation/);
  });

  it("applies Kafka's implication table for Allow and only the exact operation for Deny", () => {
    for (const op of ['Read', 'Write', 'Delete', 'Alter', 'Describe', 'All'] as const) {
      expect(aclOperationApplies(op, 'Allow', 'Describe')).toBe(true);
    }
    for (const op of [
      'Create',
      'ClusterAction',
      'DescribeConfigs',
      'AlterConfigs',
      'IdempotentWrite',
    ] as const) {
      expect(aclOperationApplies(op, 'Allow', 'Describe')).toBe(false);
    }
    expect(aclOperationApplies('AlterConfigs', 'Allow', 'DescribeConfigs')).toBe(true);
    expect(aclOperationApplies('Read', 'Deny', 'Describe')).toBe(false);
    expect(aclOperationApplies('AlterConfigs', 'Deny', 'DescribeConfigs')).toBe(false);
    expect(aclOperationApplies('All', 'Deny', 'Describe')).toBe(true);
    expect(aclOperationApplies('Describe', 'Allow', 'Read')).toBe(false);
  });

  it('looks only at the buckets of the resource, not at every ACL', () => {
    const entries: AclEntry[] = [];
    for (let i = 0; i < 20_000; i++) {
      entries.push(
        acl({ resourceName: `topic-${i}` }),
        acl({ resourceName: `p-${i}-`, patternType: 'Prefixed' }),
      );
    }
    const index = AclIndex.build(entries);
    expect(index.size).toBe(40_000);
    expect(index.matchingBuckets('Topic', 'topic-7')).toHaveLength(1);
    expect(index.matchingBuckets('Topic', 'p-7-x')).toHaveLength(1);
    expect(index.matchingBuckets('Group', 'topic-7')).toHaveLength(0);
    expect(authorize(index, request('topic-19999'), NO_SUPER).reason).toBe('allow-acl');
  });
});

describe('visibleResources', () => {
  it('keeps the names the principal may Describe, in order', () => {
    const index = AclIndex.build([
      acl({ resourceName: 'b', operation: 'Write' }),
      acl({ resourceName: 'c', operation: 'Create' }),
      acl({ resourceName: 'a', patternType: 'Prefixed', operation: 'Describe' }),
    ]);
    const query = {
      principal: 'User:alice',
      host: '10.0.0.1',
      operation: 'Describe',
      resourceType: 'Topic',
      names: ['c', 'b', 'ab', 'a', 'z'],
    } as const;
    expect(visibleResources(index, query, NO_SUPER)).toEqual(['b', 'ab', 'a']);
  });
});

const NAMES = ['a', 'ab', 'abc', 'b', 'ba', '*', 'kafka-cluster'];
const aclArbitrary: fc.Arbitrary<AclEntry> = fc.record({
  id: fc.constant('x'),
  resourceType: fc.constantFrom(...RESOURCE_TYPES),
  patternType: fc.constantFrom('Literal' as const, 'Prefixed' as const),
  resourceName: fc.constantFrom(...NAMES),
  principal: fc.constantFrom('User:alice', 'User:bob', 'User:*'),
  host: fc.constantFrom('*', '10.0.0.1', '10.0.0.2', '::ffff:10.0.0.1', '2001:db8::1'),
  operation: fc.constantFrom(...OPERATIONS),
  permission: fc.constantFrom('Allow' as const, 'Deny' as const),
});
const requestArbitrary: fc.Arbitrary<AuthorizeRequest> = fc.record({
  principal: fc.constantFrom('User:alice', 'User:bob', 'User:carol', 'User:admin'),
  host: fc.constantFrom('10.0.0.1', '10.0.0.2', '::ffff:10.0.0.2', '2001:DB8::0:1'),
  operation: fc.constantFrom(...OPERATIONS.filter((op): op is Exclude<Operation, 'All'> => op !== 'All')),
  resource: fc.record({
    type: fc.constantFrom(...RESOURCE_TYPES),
    name: fc.constantFrom('a', 'ab', 'abc', 'abcd', 'b', 'bab', '*', 'kafka-cluster', 'x'),
  }),
});

describe('authorize against a naive reference', () => {
  it('decides as a linear scan with the rules written out', () => {
    fc.assert(
      fc.property(
        fc.array(aclArbitrary, { maxLength: 25 }),
        fc.array(requestArbitrary, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        fc.boolean(),
        (entries, requests, allowEveryone, adminIsSuper) => {
          const config = {
            superUsers: new Set(adminIsSuper ? ['User:admin'] : []),
            allowEveryoneIfNoAclFound: allowEveryone,
          };
          const index = AclIndex.build(entries);
          for (const req of requests) {
            const actual = authorize(index, req, config);
            const expected = naiveAuthorize(entries, req, config);
            expect({ allowed: actual.allowed, reason: actual.reason }).toEqual({
              allowed: expected.allowed,
              reason: expected.reason,
            });
            if (actual.matched !== undefined) {
              // Which of several matching ACLs is reported may differ; it must match and carry the verdict.
              expect(entries).toContain(actual.matched);
              expect(actual.matched.permission).toBe(actual.allowed ? 'Allow' : 'Deny');
              expect(naiveAuthorize([actual.matched], req, config).reason).toBe(actual.reason);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
