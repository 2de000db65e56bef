/**
 * What a broker or controller does to authenticate its gRPC API (DESIGN §10), in one call: the call
 * authenticator around every service added afterwards, and the Auth service over the process's sessions.
 * Call it after instrumentServer (refusals are then counted and logged with their request id) and before
 * adding any other service.
 */
import { createHash } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { Clock } from '@tributary/core';
import { addAuthService } from '../clients.js';
import { type AuthLogger, AuthSessions, createAuthHandlers } from './auth-service.js';
import { authenticateServer, type CallAuthenticator } from './authenticator.js';
import type { ProcessSecurity } from './config.js';
import type { CredentialLookup } from './session-store.js';

export interface InstallAuthenticationOptions {
  readonly security: ProcessSecurity;
  /** SCRAM credentials in the process's current metadata image. */
  readonly credential: CredentialLookup;
  /**
   * The cluster id when known: the fake SCRAM challenges for unknown users derive from it, so every process
   * of the cluster answers an unknown name alike.
   */
  readonly clusterId?: string;
  readonly clock?: Clock;
  readonly logger?: AuthLogger & {
    debug(fields: object, message: string): void;
    error(fields: object, message: string): void;
  };
}

export interface InstalledAuthentication {
  readonly sessions: AuthSessions;
  readonly authenticator: CallAuthenticator;
}

/**
 * The secret fake challenges derive from. Derived from the cluster id, it is the same on every process and
 * across restarts; it is not secret from someone who knows the cluster id, so it hides which users exist from
 * casual probing only (Kafka itself answers an unknown user differently at the first message).
 */
export function unknownUserSecretFor(clusterId: string | undefined): Uint8Array {
  return createHash('sha256')
    .update(`tributary-scram-unknown-user\u0000${clusterId ?? ''}`)
    .digest();
}

export function installAuthentication(
  server: grpc.Server,
  options: InstallAuthenticationOptions,
): InstalledAuthentication {
  const { security, logger } = options;
  const sessions = new AuthSessions({
    credential: options.credential,
    sessionLifetimeMs: security.sessionLifetimeMs,
    unknownUserSecret: unknownUserSecretFor(options.clusterId),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(logger === undefined ? {} : { logger }),
  });
  const authenticator = authenticateServer(server, {
    requireAuthentication: security.requireAuthentication,
    principalMapping: security.principalMapping,
    sessions,
    // Brokers forward admin calls as themselves; their identities are super users (DESIGN §10).
    trustForwardedFrom: security.authorizer.superUsers,
    ...(logger === undefined ? {} : { logger }),
  });
  addAuthService(server, createAuthHandlers(sessions, logger));
  return { sessions, authenticator };
}
