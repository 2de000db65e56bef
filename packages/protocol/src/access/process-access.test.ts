import type { RequestCaller } from '@tributary/security';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCESS_SECURITY } from '../auth/config.js';
import { DENIAL_LOG_LINES_PER_SECOND_MAX, processAccessControl } from './process-access.js';

const alice: RequestCaller = {
  principal: { type: 'User', name: 'alice' },
  host: '10.0.0.1',
  authenticatedBy: 'scram',
};

describe('processAccessControl', () => {
  it('counts every denial, logs them without secrets, at most N lines a second', async () => {
    const lines: object[] = [];
    const registry = new Registry();
    let now = 0;
    const access = processAccessControl({
      security: {
        ...DEFAULT_PROCESS_SECURITY,
        authorizer: { enabled: true, superUsers: new Set(['User:admin']), allowEveryoneIfNoAclFound: false },
      },
      acls: () => new Map(),
      logger: { info: (fields) => lines.push(fields) },
      registry,
      nowMs: () => now,
    });
    for (let i = 0; i < DENIAL_LOG_LINES_PER_SECOND_MAX + 5; i++) {
      expect(access.allowed(alice, 'Write', 'Topic', 'orders')).toBe(false);
    }
    expect(lines).toHaveLength(DENIAL_LOG_LINES_PER_SECOND_MAX);
    expect(lines[0]).toEqual({
      principal: 'User:alice',
      host: '10.0.0.1',
      authenticatedBy: 'scram',
      operation: 'Write',
      resourceType: 'Topic',
      resourceName: 'orders',
      reason: 'no-acl-found',
    });
    now = 1_000;
    access.allowed(alice, 'Read', 'Group', 'g');
    expect(lines.at(-1)).toMatchObject({ operation: 'Read', suppressedBefore: 5 });
    const metrics = await registry.getSingleMetricAsString('tributary_authorization_denials_total');
    expect(metrics).toContain('operation="Write",resource_type="Topic"} 25');
  });

  it('is off with the default security', () => {
    const access = processAccessControl({
      security: DEFAULT_PROCESS_SECURITY,
      acls: () => new Map(),
      logger: { info: () => {} },
      nowMs: () => 0,
    });
    expect(access.enabled).toBe(false);
    expect(access.allowed(alice, 'Alter', 'Cluster', 'kafka-cluster')).toBe(true);
  });
});
