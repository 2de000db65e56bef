import { describe, expect, it } from 'vitest';
import { AccessControl, type AccessControlConfig, type Denial } from './access-control.js';
import type { AclEntry, RequestCaller } from './types.js';

const alice: RequestCaller = {
  principal: { type: 'User', name: 'alice' },
  host: '127.0.0.1',
  authenticatedBy: 'scram',
};
const admin: RequestCaller = { ...alice, principal: { type: 'User', name: 'admin' } };

const ON: AccessControlConfig = {
  enabled: true,
  superUsers: new Set(['User:admin']),
  allowEveryoneIfNoAclFound: false,
};

function acl(fields: Partial<AclEntry> & Pick<AclEntry, 'id'>): AclEntry {
  return {
    resourceType: 'Topic',
    resourceName: 'a',
    patternType: 'Literal',
    principal: 'User:alice',
    host: '*',
    operation: 'Read',
    permission: 'Allow',
    ...fields,
  };
}

function control(entries: AclEntry[], config: AccessControlConfig = ON) {
  let current = new Map(entries.map((entry) => [entry.id, entry]));
  const denials: Denial[] = [];
  const access = new AccessControl(
    config,
    () => current,
    (denial) => denials.push(denial),
  );
  return {
    access,
    denials,
    set(next: AclEntry[]) {
      current = new Map(next.map((entry) => [entry.id, entry]));
    },
  };
}

describe('AccessControl', () => {
  it('lets everything through when the authorizer is off', () => {
    const { access, denials } = control([], { ...ON, enabled: false });
    expect(access.allowed(alice, 'Write', 'Topic', 'a')).toBe(true);
    expect(access.mayWriteIdempotently(alice)).toBe(true);
    expect(denials).toEqual([]);
  });

  it('denies by default, reports the denial and throws the code of the resource type', () => {
    const { access, denials } = control([]);
    expect(() => access.requireAllowed(alice, 'Write', 'Topic', 'a')).toThrow(
      expect.objectContaining({
        code: 'TOPIC_AUTHORIZATION_FAILED',
        message: 'User:alice may not Write Topic "a"',
      }),
    );
    expect(() => access.requireAllowed(alice, 'Read', 'Group', 'g')).toThrow(
      expect.objectContaining({ code: 'GROUP_AUTHORIZATION_FAILED' }),
    );
    expect(() => access.requireCluster(alice, 'Alter')).toThrow(
      expect.objectContaining({
        code: 'CLUSTER_AUTHORIZATION_FAILED',
        message: 'User:alice may not Alter the cluster',
      }),
    );
    expect(denials.map((d) => [d.operation, d.resourceType, d.reason])).toEqual([
      ['Write', 'Topic', 'no-acl-found'],
      ['Read', 'Group', 'no-acl-found'],
      ['Alter', 'Cluster', 'no-acl-found'],
    ]);
  });

  it('super users pass; visible() reports nothing', () => {
    const { access, denials } = control([]);
    expect(access.allowed(admin, 'Delete', 'Topic', 'a')).toBe(true);
    expect(access.isSuperUser(admin)).toBe(true);
    expect(access.visible(alice, 'Describe', 'Topic', 'a')).toBe(false);
    expect(denials).toEqual([]);
  });

  it('follows the ACL source: a grant and a revoke take effect on the next decision', () => {
    const source = control([]);
    expect(source.access.allowed(alice, 'Read', 'Topic', 'a')).toBe(false);
    source.set([acl({ id: '1' })]);
    expect(source.access.allowed(alice, 'Read', 'Topic', 'a')).toBe(true);
    expect(source.access.allowed(alice, 'Describe', 'Topic', 'a')).toBe(true);
    expect(source.access.allowed(alice, 'Read', 'Topic', 'b')).toBe(false);
    source.set([acl({ id: '1' }), acl({ id: '2', permission: 'Deny', host: '127.0.0.1' })]);
    expect(source.access.allowed(alice, 'Read', 'Topic', 'a')).toBe(false);
  });

  it('idempotent writes: IdempotentWrite on the cluster, or Write on some topic, unless every topic is denied', () => {
    expect(control([]).access.mayWriteIdempotently(alice)).toBe(false);
    const cluster = acl({
      id: 'c',
      resourceType: 'Cluster',
      resourceName: 'kafka-cluster',
      operation: 'IdempotentWrite',
    });
    expect(control([cluster]).access.mayWriteIdempotently(alice)).toBe(true);
    const prefixed = acl({ id: 'p', patternType: 'Prefixed', resourceName: 'orders-', operation: 'Write' });
    expect(control([prefixed]).access.mayWriteIdempotently(alice)).toBe(true);
    expect(control([{ ...prefixed, host: '10.0.0.1' }]).access.mayWriteIdempotently(alice)).toBe(false);
    expect(control([{ ...prefixed, operation: 'Read' }]).access.mayWriteIdempotently(alice)).toBe(false);
    const denyAll = acl({ id: 'd', resourceName: '*', operation: 'Write', permission: 'Deny' });
    const denied = control([prefixed, denyAll]);
    expect(denied.access.mayWriteIdempotently(alice)).toBe(false);
    expect(denied.denials.map((d) => d.operation)).toEqual(['IdempotentWrite']);
  });
});
