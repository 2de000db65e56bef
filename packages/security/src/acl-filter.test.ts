import { describe, expect, it } from 'vitest';
import { ACL_BINDING_FILTER_ANY, type AclBindingFilter, aclMatchesFilter, filterAcls } from './acl-filter.js';
import type { AclEntry } from './types.js';

function acl(id: string, fields: Partial<AclEntry>): AclEntry {
  return {
    id,
    resourceType: 'Topic',
    resourceName: 'orders',
    patternType: 'Literal',
    principal: 'User:alice',
    host: '*',
    operation: 'Read',
    permission: 'Allow',
    ...fields,
  };
}

const ENTRIES: AclEntry[] = [
  acl('literal', {}),
  acl('wildcard', { resourceName: '*' }),
  acl('prefix-ord', { resourceName: 'ord', patternType: 'Prefixed' }),
  acl('prefix-orders', { resourceName: 'orders', patternType: 'Prefixed' }),
  acl('prefix-other', { resourceName: 'inv', patternType: 'Prefixed' }),
  acl('group', { resourceType: 'Group', resourceName: 'orders' }),
  acl('bob-deny', { principal: 'User:bob', permission: 'Deny', operation: 'Write', host: '10.0.0.1' }),
  acl('everyone', { principal: 'User:*' }),
];

function ids(filter: Partial<AclBindingFilter>): string[] {
  return filterAcls(ENTRIES, { ...ACL_BINDING_FILTER_ANY, ...filter }).map((e) => e.id);
}

describe("ACL binding filters (Kafka's AclBindingFilter)", () => {
  it('ANY matches every entry', () => {
    expect(ids({})).toEqual(ENTRIES.map((e) => e.id));
    for (const entry of ENTRIES) expect(aclMatchesFilter(entry, ACL_BINDING_FILTER_ANY)).toBe(true);
  });

  it('pattern type Any matches literal and prefixed patterns with exactly that name', () => {
    expect(ids({ resourceType: 'Topic', resourceName: 'orders' })).toEqual([
      'literal',
      'prefix-orders',
      'bob-deny',
      'everyone',
    ]);
  });

  it('a specific pattern type matches only that type, by exact name', () => {
    expect(ids({ resourceName: 'orders', patternType: 'Prefixed' })).toEqual(['prefix-orders']);
    expect(ids({ resourceName: '*', patternType: 'Literal' })).toEqual(['wildcard']);
    expect(ids({ resourceName: 'ord', patternType: 'Literal' })).toEqual([]);
  });

  it('Match selects every pattern that applies to the name: literal, `*` and prefixes', () => {
    expect(ids({ resourceType: 'Topic', resourceName: 'orders', patternType: 'Match' })).toEqual([
      'literal',
      'wildcard',
      'prefix-ord',
      'prefix-orders',
      'bob-deny',
      'everyone',
    ]);
    expect(ids({ resourceType: 'Topic', resourceName: 'invoices', patternType: 'Match' })).toEqual([
      'wildcard',
      'prefix-other',
    ]);
    expect(ids({ resourceType: 'Group', patternType: 'Match' })).toEqual(['group']);
  });

  it('compares principal and host exactly (User:* is not expanded), operation and permission by value', () => {
    expect(ids({ principal: 'User:bob' })).toEqual(['bob-deny']);
    expect(ids({ principal: 'User:*' })).toEqual(['everyone']);
    expect(ids({ host: '10.0.0.1' })).toEqual(['bob-deny']);
    expect(ids({ operation: 'Write' })).toEqual(['bob-deny']);
    expect(ids({ permission: 'Deny' })).toEqual(['bob-deny']);
    expect(ids({ permission: 'Allow', resourceType: 'Group' })).toEqual(['group']);
  });
});
