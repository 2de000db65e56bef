import { LIMITS } from '@tributary/core';
import { decodeSnapshot, encodeSnapshot, MetadataImage, type MetadataRecord } from '@tributary/metadata';
import { ACL_BINDING_FILTER_ANY, type AclBindingFilter } from '@tributary/security';
import { describe, expect, it } from 'vitest';
import { type AclIdSource, createAcls, deleteAcls, describeAcls, type NewAcl } from './acls.js';
import { commit, expectCode, replay } from './testing.js';

function counter(): AclIdSource {
  let next = 0;
  return { newAclId: () => `acl-${next++}` };
}

const READ_ORDERS: NewAcl = {
  resourceType: 'Topic',
  resourceName: 'orders',
  patternType: 'Literal',
  principal: 'User:alice',
  host: '*',
  operation: 'Read',
  permission: 'Allow',
};

/** ACLs a-e over topics orders / orders-* / *, by alice, bob and User:*. */
const STORED: readonly NewAcl[] = [
  READ_ORDERS,
  { ...READ_ORDERS, resourceName: 'orders-', patternType: 'Prefixed', operation: 'Write' },
  { ...READ_ORDERS, resourceName: '*', principal: 'User:*', operation: 'Describe' },
  { ...READ_ORDERS, principal: 'User:bob', permission: 'Deny' },
  { ...READ_ORDERS, resourceType: 'Group', resourceName: 'billing', host: '10.0.0.1' },
];

function stored(): MetadataImage {
  return commit(MetadataImage.EMPTY, createAcls(MetadataImage.EMPTY, { creations: STORED }, counter()));
}

const filter = (fields: Partial<AclBindingFilter>): AclBindingFilter => ({
  ...ACL_BINDING_FILTER_ANY,
  ...fields,
});

describe('createAcls', () => {
  it('writes one record per new ACL, with ids from the id source', () => {
    const result = createAcls(MetadataImage.EMPTY, { creations: STORED }, counter());
    expect(result.response.results.map((r) => [r.error, r.id, r.created])).toEqual(
      STORED.map((_, i) => [null, `acl-${i}`, true]),
    );
    expect(result.records[0]).toEqual({ type: 'AccessControlEntry', id: 'acl-0', ...READ_ORDERS });
    const image = commit(MetadataImage.EMPTY, result);
    expect(image.acls.size).toBe(STORED.length);
  });

  it('answers an ACL it already has (or twice in one request) with its id and writes nothing for it', () => {
    const image = stored();
    const again = createAcls(image, { creations: [READ_ORDERS, STORED[1] ?? READ_ORDERS] }, counter());
    expect(again.records).toEqual([]);
    expect(again.response.results.map((r) => r.id)).toEqual(['acl-0', 'acl-1']);
    const twice = createAcls(MetadataImage.EMPTY, { creations: [READ_ORDERS, READ_ORDERS] }, counter());
    expect(twice.records).toHaveLength(1);
    expect(twice.response.results.map((r) => [r.id, r.created])).toEqual([
      ['acl-0', true],
      ['acl-0', false],
    ]);
  });

  it.each([
    ['an empty resource name', { resourceName: '' }, 'resource name must not be empty'],
    ['a principal without a type', { principal: 'alice' }, 'not Type:name'],
    ['a host that is a name', { host: 'example.com' }, 'neither "*" nor an IP address'],
    [
      'a Cluster resource not named kafka-cluster',
      { resourceType: 'Cluster', resourceName: 'c' },
      'kafka-cluster',
    ],
    ['an operation the resource type lacks', { operation: 'IdempotentWrite' }, 'does not support operation'],
    ['a prefixed "*"', { resourceName: '*', patternType: 'Prefixed' }, 'use a literal "*"'],
  ] as const)('refuses %s alone, with INVALID_REQUEST', (_what, change, fragment) => {
    const result = createAcls(
      MetadataImage.EMPTY,
      { creations: [{ ...READ_ORDERS, ...change }, STORED[1] ?? READ_ORDERS] },
      counter(),
    );
    expect(result.response.results[0]?.error?.code).toBe('INVALID_REQUEST');
    expect(result.response.results[0]?.error?.message).toContain(fragment);
    expect(result.response.results[1]?.error).toBeNull();
    expect(result.records).toHaveLength(1);
  });

  it('accepts IPv6 hosts and a Cluster ACL on kafka-cluster', () => {
    const creations: NewAcl[] = [
      { ...READ_ORDERS, host: '::1' },
      {
        ...READ_ORDERS,
        resourceType: 'Cluster',
        resourceName: 'kafka-cluster',
        operation: 'IdempotentWrite',
      },
    ];
    const result = createAcls(MetadataImage.EMPTY, { creations }, counter());
    expect(result.response.results.every((r) => r.error === null)).toBe(true);
  });

  it('bounds the request and the number of stored ACLs', () => {
    const many = Array.from({ length: LIMITS.aclsPerRequestMax + 1 }, () => READ_ORDERS);
    expectCode(
      () => createAcls(MetadataImage.EMPTY, { creations: many }, counter()),
      'INVALID_REQUEST',
      'the limit is',
    );
    const records: MetadataRecord[] = Array.from({ length: LIMITS.aclEntriesMax }, (_, i) => ({
      type: 'AccessControlEntry',
      id: `full-${i}`,
      ...READ_ORDERS,
      resourceName: `t${i}`,
    }));
    const full = replay(MetadataImage.EMPTY, records);
    const result = createAcls(full, { creations: [{ ...READ_ORDERS, resourceName: 't7' }] }, counter());
    // An ACL the cluster already has is still answered; only a new one is refused.
    expect(result.response.results[0]).toEqual({ error: null, id: 'full-7', created: false });
    const refused = createAcls(full, { creations: [{ ...READ_ORDERS, resourceName: 'new' }] }, counter());
    expect(refused.response.results[0]?.error?.code).toBe('POLICY_VIOLATION');
    expect(refused.records).toEqual([]);
  });
});

describe('deleteAcls and describeAcls (Kafka filter semantics)', () => {
  it.each([
    ['everything', {}, ['acl-0', 'acl-1', 'acl-2', 'acl-3', 'acl-4']],
    [
      'a literal name: equal names of that pattern type only',
      { resourceName: 'orders', patternType: 'Literal' },
      ['acl-0', 'acl-3'],
    ],
    [
      'Any pattern type: equal names, literal or prefixed',
      { resourceName: 'orders-', patternType: 'Any' },
      ['acl-1'],
    ],
    [
      'Match: every pattern that would match the resource',
      { resourceType: 'Topic', resourceName: 'orders-eu', patternType: 'Match' },
      ['acl-1', 'acl-2'],
    ],
    [
      'Match on an exact name',
      { resourceType: 'Topic', resourceName: 'orders', patternType: 'Match' },
      ['acl-0', 'acl-2', 'acl-3'],
    ],
    ['a principal, exactly (User:* is not alice)', { principal: 'User:alice' }, ['acl-0', 'acl-1', 'acl-4']],
    ['a host, exactly', { host: '10.0.0.1' }, ['acl-4']],
    ['an operation', { operation: 'Write' }, ['acl-1']],
    ['a permission', { permission: 'Deny' }, ['acl-3']],
    ['a resource type', { resourceType: 'Group' }, ['acl-4']],
    ['nothing', { resourceName: 'payments', patternType: 'Literal' }, []],
  ] as const)('match %s', (_what, fields, ids) => {
    const image = stored();
    expect(
      describeAcls(image, filter(fields))
        .map((acl) => acl.id)
        .sort(),
    ).toEqual(ids);
    const result = deleteAcls(image, { filters: [filter(fields)] });
    expect(result.records).toEqual(ids.map((id) => ({ type: 'RemoveAccessControlEntry', id })));
    const after = commit(image, result);
    expect(after.acls.size).toBe(STORED.length - ids.length);
    expect(describeAcls(after, filter(fields))).toEqual([]);
  });

  it('removes an entry two filters match once, under the first filter', () => {
    const image = stored();
    const result = deleteAcls(image, {
      filters: [filter({ principal: 'User:alice' }), filter({ operation: 'Read' })],
    });
    expect(result.response.results.map((r) => r.deleted.map((acl) => acl.id))).toEqual([
      ['acl-4', 'acl-0', 'acl-1'],
      ['acl-3'],
    ]);
    expect(result.records).toHaveLength(4);
    expect(commit(image, result).acls.size).toBe(1);
  });

  it('answers a filter with an oversized field alone; bounds the filter count', () => {
    const image = stored();
    const long = filter({ principal: `User:${'x'.repeat(LIMITS.aclPrincipalLengthMax)}` });
    const result = deleteAcls(image, { filters: [long, filter({ permission: 'Deny' })] });
    expect(result.response.results[0]?.error?.code).toBe('INVALID_REQUEST');
    expect(result.response.results[1]?.deleted.map((acl) => acl.id)).toEqual(['acl-3']);
    expectCode(() => describeAcls(image, long), 'INVALID_REQUEST', 'principal');
    const filters = Array.from({ length: LIMITS.aclFiltersPerRequestMax + 1 }, () => ACL_BINDING_FILTER_ANY);
    expectCode(() => deleteAcls(image, { filters }), 'INVALID_REQUEST', 'filters in one request');
  });

  it('describes in resource, principal, host, operation, permission order', () => {
    const described = describeAcls(stored(), ACL_BINDING_FILTER_ANY);
    expect(described.map((acl) => `${acl.resourceType}:${acl.resourceName}:${acl.principal}`)).toEqual([
      'Group:billing:User:alice',
      'Topic:*:User:*',
      'Topic:orders:User:alice',
      'Topic:orders:User:bob',
      'Topic:orders-:User:alice',
    ]);
  });
});

describe('ACL commands and snapshots', () => {
  it('an image built by the commands round-trips through a snapshot', () => {
    let image = stored();
    image = commit(image, deleteAcls(image, { filters: [filter({ permission: 'Deny' })] }));
    image = commit(
      image,
      createAcls(image, { creations: [{ ...READ_ORDERS, host: '192.168.0.7' }] }, { newAclId: () => 'late' }),
    );
    expect(decodeSnapshot(encodeSnapshot(image))).toEqual(image);
    expect([...image.acls.byId.keys()]).toEqual(['acl-0', 'acl-1', 'acl-2', 'acl-4', 'late']);
  });
});
