/**
 * Audit log lines for security metadata changes (issue 13 item 7): one pino line at info level with
 * `audit: true` per change the active controller committed, saying who (the principal the call was
 * authenticated as; for a call a broker forwarded, its original caller), what (the event and the changed
 * ACL, credential or quota) — and never a secret: no password, salted password, salt or key is ever
 * given to these functions, so none can be logged.
 */
import type { Logger } from 'pino';

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
