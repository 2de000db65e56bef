/**
 * One process's AccessControl (DESIGN §10): the authorizer settings of its `security`, the ACLs of the image
 * it has replayed, and what a denial leaves behind — a counter on /metrics and a log line naming the
 * principal, host, operation and resource (never a credential). Log lines are capped per second so that a
 * client hammering a forbidden topic cannot flood the log; the counter counts every denial.
 */
import { AccessControl, type AclEntry, type Denial, principalToString } from '@tributary/security';
import { Counter, type Registry } from 'prom-client';
import type { ProcessSecurity } from '../auth/config.js';

/** Denial log lines per second at most; the rest are summed into the next line. */
export const DENIAL_LOG_LINES_PER_SECOND_MAX = 20;

export interface DenialLogger {
  info(fields: object, message: string): void;
}

export interface ProcessAccessOptions {
  readonly security: ProcessSecurity;
  /** The ACL entries of the image the process has replayed (the same map until they change). */
  readonly acls: () => ReadonlyMap<string, AclEntry>;
  readonly logger: DenialLogger;
  readonly registry?: Registry;
  /** Monotonic milliseconds, for the log cap. */
  readonly nowMs: () => number;
}

export function processAccessControl(options: ProcessAccessOptions): AccessControl {
  const { authorizer } = options.security;
  const counter =
    options.registry === undefined
      ? undefined
      : new Counter({
          name: 'tributary_authorization_denials_total',
          help: 'Requests (or parts of requests) refused by the authorizer, by operation and resource type',
          labelNames: ['operation', 'resource_type'] as const,
          registers: [options.registry],
        });
  let windowStartMs = Number.NEGATIVE_INFINITY;
  let loggedInWindow = 0;
  let suppressed = 0;
  const onDenied = (denial: Denial): void => {
    counter?.inc({ operation: denial.operation, resource_type: denial.resourceType });
    const now = options.nowMs();
    if (now - windowStartMs >= 1_000) {
      windowStartMs = now;
      loggedInWindow = 0;
    }
    if (loggedInWindow >= DENIAL_LOG_LINES_PER_SECOND_MAX) {
      suppressed++;
      return;
    }
    loggedInWindow++;
    options.logger.info(
      {
        principal: principalToString(denial.caller.principal),
        host: denial.caller.host,
        authenticatedBy: denial.caller.authenticatedBy,
        operation: denial.operation,
        resourceType: denial.resourceType,
        resourceName: denial.resourceName,
        reason: denial.reason,
        ...(suppressed > 0 ? { suppressedBefore: suppressed } : {}),
      },
      'authorization denied',
    );
    suppressed = 0;
  };
  return new AccessControl(
    {
      enabled: authorizer.enabled,
      superUsers: authorizer.superUsers,
      allowEveryoneIfNoAclFound: authorizer.allowEveryoneIfNoAclFound,
    },
    options.acls,
    onDenied,
  );
}
