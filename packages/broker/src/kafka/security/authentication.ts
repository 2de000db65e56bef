/**
 * How the Kafka listener authenticates its connections (DESIGN §10), as Kafka's SASL_SSL / SSL / SASL_PLAINTEXT
 * listeners do:
 * - a verified client certificate (mutual TLS) names the connection's principal through
 *   ssl.principal.mapping.rules (default `User:CN`), authenticated by 'certificate';
 * - SASL (SaslHandshake v1 + SaslAuthenticate) with SCRAM-SHA-256/512 on every listener, and PLAIN only on a
 *   TLS listener (PLAIN sends the password itself), replaces it with `User:NAME` (DESIGN §10: the SCRAM user
 *   wins over a certificate, as on Kafka's SASL_SSL listeners);
 * - otherwise the connection is User:ANONYMOUS ('none'). With `required`, such a connection may only ask
 *   ApiVersions, SaslHandshake and SaslAuthenticate; anything else closes it (Kafka's SaslServerAuthenticator
 *   does the same with a request before authentication).
 */
import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { socketPeerIdentity } from '@tributary/protocol';
import {
  ANONYMOUS,
  type PrincipalMappingRules,
  parsePrincipalMappingRules,
  principalFromCertificateSubject,
  type RequestCaller,
  type ScramCredential,
  type ScramMechanism,
  TRIBUTARY_PRINCIPAL_MAPPING_RULES,
} from '@tributary/security';
import type { Logger } from 'pino';

/** What SASL failures and successes are counted by (a Prometheus counter in the broker; a no-op in tests). */
export interface SaslMetrics {
  authenticated(mechanism: string): void;
  failed(mechanism: string, reason: string): void;
}

export interface KafkaAuthenticationOptions {
  /** Only ApiVersions and SASL are served to a connection that has neither SASL nor a verified certificate. */
  readonly required: boolean;
  /** ssl.principal.mapping.rules for client certificates. */
  readonly principalMapping: PrincipalMappingRules;
  /** The user's SCRAM credential for a mechanism, from the broker's current metadata image. */
  readonly credential: (user: string, mechanism: ScramMechanism) => ScramCredential | undefined;
  /**
   * The secret unknown users' fake SCRAM challenges are derived from (ScramServerOptions): the same on every
   * broker and across restarts, or a prober comparing answers could tell fake users from real ones.
   */
  readonly unknownUserSecret: Uint8Array;
  readonly metrics?: SaslMetrics;
  /** How long authentication may take (SASL_LIMITS.authenticationTimeoutMs by default; tests shorten it). */
  readonly authenticationTimeoutMs?: number;
}

function defaultRules(): PrincipalMappingRules {
  const parsed = parsePrincipalMappingRules(TRIBUTARY_PRINCIPAL_MAPPING_RULES);
  if (!parsed.ok) throw new Error(`the default principal mapping rules do not parse: ${parsed.error}`);
  return parsed.rules;
}

/** The default principal mapping (User:CN), parsed once. */
export const DEFAULT_PRINCIPAL_MAPPING: PrincipalMappingRules = defaultRules();

export const NO_SASL_METRICS: SaslMetrics = { authenticated: () => {}, failed: () => {} };

/** API keys a connection that must still authenticate may send (Kafka's SaslServerAuthenticator). */
export const PRE_AUTHENTICATION_API_KEYS: ReadonlySet<number> = new Set([
  18, // ApiVersions
  17, // SaslHandshake
  36, // SaslAuthenticate
]);

/**
 * The caller of a new connection: its verified client certificate's principal, or ANONYMOUS. A certificate
 * that maps to no usable name leaves the connection anonymous (logged), as if it had sent none.
 */
export function connectionCaller(
  socket: Socket,
  rules: PrincipalMappingRules,
  logger: Logger,
): RequestCaller {
  const host = socket.remoteAddress ?? 'unknown';
  const anonymous: RequestCaller = { principal: ANONYMOUS, host, authenticatedBy: 'none' };
  const peer = socketPeerIdentity(socket);
  if (peer === null) return anonymous;
  let subject: string;
  try {
    subject = new X509Certificate(peer.certificate.raw).subject;
  } catch (error) {
    logger.warn(
      { err: error },
      'the verified client certificate could not be read; the connection is anonymous',
    );
    return anonymous;
  }
  const mapped = principalFromCertificateSubject(rules, subject);
  if (!mapped.ok) {
    logger.warn(
      { fingerprint: peer.fingerprint256, reason: mapped.error },
      'client certificate names no principal',
    );
    return anonymous;
  }
  return { principal: mapped.principal, host, authenticatedBy: 'certificate' };
}
