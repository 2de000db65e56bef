/**
 * Audit log lines for security metadata changes (issue 13 item 7): one pino line at info level with
 * `audit: true` per change the active controller committed, saying who (the principal the call was
 * authenticated as, null until the listener authenticates callers), what (the event and the changed
 * ACL, credential or quota) — and never a secret: no password, salted password, salt or key is ever
 * given to these functions, so none can be logged.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';

/**
 * The principal a call was made by (`User:NAME`), or undefined when the call carries none. The
 * authentication work (DESIGN §10's principals) provides it; until then there is no principal.
 */
export type PrincipalOf = (call: grpc.ServerUnaryCall<unknown, unknown>) => string | undefined;

export type AuditEvent =
  | 'acl.created'
  | 'acl.deleted'
  | 'scram.upserted'
  | 'scram.deleted'
  | 'quota.altered'
  | 'scram.bootstrapped';

export interface Auditor {
  log(event: AuditEvent, fields: Readonly<Record<string, unknown>>): void;
}

/** An auditor for one request, stamping every line with its principal. */
export function auditorFor(logger: Logger, principal: string | undefined): Auditor {
  return {
    log: (event, fields) =>
      logger.info({ audit: true, principal: principal ?? null, event, ...fields }, `audit: ${event}`),
  };
}
