/**
 * The call authenticator of every broker and controller (DESIGN §10): it wraps `server.addService` as
 * instrumentServer does, so each handler runs only after the caller is established, and handlers read it with
 * callerOf(call). For every call, in this order:
 *
 * 1. `authorization: Bearer <token>`: the SCRAM session's `User:NAME` ('scram'). A token that is unknown,
 *    expired or revoked is refused (UNAUTHENTICATED, trailer `tributary-session: invalid`), never downgraded.
 * 2. A verified client certificate: `User:` + its DN mapped by the ssl.principal.mapping.rules
 *    ('certificate'). As on Kafka's SASL_SSL listeners, a SCRAM session wins over the certificate.
 * 3. Otherwise `User:ANONYMOUS` ('none'), or UNAUTHENTICATED when authentication is required.
 *
 * A broker forwarding a ControllerAdmin call names the original caller in `tributary-forwarded-principal`
 * and `tributary-forwarded-host`. Those are honoured ('forwarded') only when the direct caller is
 * authenticated as one of `trustForwardedFrom` (the super users: the brokers' own identity); from anyone else
 * they are removed and ignored, so a client cannot claim to be someone else.
 *
 * The Auth service and the health service are reachable without authentication (a client must be able to
 * log in; orchestrators probe health without credentials).
 */
import { X509Certificate } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import {
  ANONYMOUS,
  type CertificatePrincipal,
  canonicalIpAddress,
  type PrincipalMappingRules,
  parsePrincipal,
  principalFromCertificateSubject,
  principalToString,
  type RequestCaller,
  SECURITY_LIMITS,
  userPrincipal,
} from '@tributary/security';
import { toServiceError } from '../errors.js';
import { type CallAuthContext, callPeerIdentity } from '../tls/peer.js';
import type { AuthSessions } from './auth-service.js';

export const AUTHORIZATION_HEADER = 'authorization';
export const BEARER_PREFIX = 'Bearer ';
export const FORWARDED_PRINCIPAL_HEADER = 'tributary-forwarded-principal';
export const FORWARDED_HOST_HEADER = 'tributary-forwarded-host';
/** Set to `invalid` on a refusal caused by the session token: the client authenticates again and retries. */
export const SESSION_TRAILER = 'tributary-session';
export const SESSION_INVALID = 'invalid';

/** Services every caller reaches without authentication. */
export const UNAUTHENTICATED_SERVICES: readonly string[] = ['tributary.v1.Auth', 'grpc.health.v1.Health'];

export interface CallAuthenticatorOptions {
  readonly requireAuthentication: boolean;
  readonly principalMapping: PrincipalMappingRules;
  /** The process's SCRAM sessions; without them every bearer token is refused. */
  readonly sessions?: AuthSessions;
  /** Principals (`User:node`) whose calls may name the original caller of a forwarded call. */
  readonly trustForwardedFrom?: ReadonlySet<string>;
  readonly logger?: { debug(fields: object, message: string): void };
}

/** What the authenticator reads of a server call (every grpc-js server call has these). */
export interface AuthenticatedCall {
  readonly metadata: grpc.Metadata;
  getPeer(): string;
  getAuthContext(): CallAuthContext | null;
}

const callers = new WeakMap<object, RequestCaller>();

/** The host part of grpc-js's peer string (`1.2.3.4:5678`, `[::1]:5678`), canonical as ACL hosts are. */
export function peerHost(peer: string): string {
  let host = peer;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end < 0 ? host.slice(1) : host.slice(1, end);
  } else {
    const colon = host.lastIndexOf(':');
    // One colon: host:port. More: an IPv6 address without brackets (no port to strip).
    if (colon >= 0 && host.indexOf(':') === colon) host = host.slice(0, colon);
  }
  return canonicalIpAddress(host) ?? host;
}

/**
 * The caller of a call handled on a server set up with authenticateServer. A call that did not pass an
 * authenticator (a handler invoked directly by a test) is `User:ANONYMOUS` from its peer.
 */
export function callerOf(call: { getPeer(): string }): RequestCaller {
  return (
    callers.get(call) ?? { principal: ANONYMOUS, host: peerHost(safePeer(call)), authenticatedBy: 'none' }
  );
}

function safePeer(call: { getPeer(): string }): string {
  try {
    return call.getPeer();
  } catch {
    return 'unknown';
  }
}

class AuthenticationRefused extends TributaryError {
  constructor(
    message: string,
    readonly sessionInvalid: boolean,
  ) {
    super('SASL_AUTHENTICATION_FAILED', message);
  }
}

/** Certificate principals by fingerprint: parsing a certificate on every call would cost more than the call. */
class CertificatePrincipals {
  readonly #cache = new Map<string, CertificatePrincipal>();

  constructor(private readonly rules: PrincipalMappingRules) {}

  of(fingerprint: string, raw: Buffer): CertificatePrincipal {
    const cached = this.#cache.get(fingerprint);
    if (cached !== undefined) return cached;
    const mapped = principalFromCertificateSubject(this.rules, new X509Certificate(raw).subject);
    if (this.#cache.size >= SECURITY_LIMITS.certificatePrincipalsCachedMax) this.#cache.clear();
    this.#cache.set(fingerprint, mapped);
    return mapped;
  }
}

/** The stateful part of authentication: one per server. */
export class CallAuthenticator {
  readonly #certificates: CertificatePrincipals;

  constructor(private readonly options: CallAuthenticatorOptions) {
    this.#certificates = new CertificatePrincipals(options.principalMapping);
  }

  /** The caller of `call`, or a thrown TributaryError (SASL_AUTHENTICATION_FAILED). */
  authenticate(call: AuthenticatedCall): RequestCaller {
    const host = peerHost(safePeer(call));
    const direct = this.#direct(call, host);
    return this.#forwarded(call.metadata, direct) ?? direct;
  }

  #direct(call: AuthenticatedCall, host: string): RequestCaller {
    const authorization = call.metadata.get(AUTHORIZATION_HEADER);
    if (authorization.length > 0) return this.#bearer(authorization, host);
    const identity = callPeerIdentity(call);
    if (identity !== null && identity.certificate.raw !== undefined) {
      const mapped = this.#certificates.of(identity.fingerprint256, identity.certificate.raw);
      if (!mapped.ok) {
        throw new AuthenticationRefused(
          `the client certificate maps to no principal: ${mapped.error}`,
          false,
        );
      }
      return { principal: mapped.principal, host, authenticatedBy: 'certificate' };
    }
    if (this.options.requireAuthentication) {
      throw new AuthenticationRefused(
        'authentication is required: log in with SCRAM (trib --user NAME --password P) or present a client certificate',
        false,
      );
    }
    return { principal: ANONYMOUS, host, authenticatedBy: 'none' };
  }

  #bearer(values: readonly grpc.MetadataValue[], host: string): RequestCaller {
    const [value] = values;
    if (values.length !== 1 || typeof value !== 'string' || !value.startsWith(BEARER_PREFIX)) {
      throw new AuthenticationRefused(
        'the authorization metadata must be one `Bearer <session token>`',
        true,
      );
    }
    const sessions = this.options.sessions;
    const checked = sessions?.check(value.slice(BEARER_PREFIX.length).trim());
    if (checked === undefined || !checked.ok) {
      const why = checked?.reason === 'revoked' ? 'its user or password changed' : 'it is unknown or expired';
      throw new AuthenticationRefused(`the session is no longer valid (${why}): authenticate again`, true);
    }
    return { principal: userPrincipal(checked.session.user), host, authenticatedBy: 'scram' };
  }

  /** The original caller named by a trusted broker, or undefined (the headers are removed either way). */
  #forwarded(metadata: grpc.Metadata, direct: RequestCaller): RequestCaller | undefined {
    const [principalText] = metadata.get(FORWARDED_PRINCIPAL_HEADER);
    const [hostText] = metadata.get(FORWARDED_HOST_HEADER);
    metadata.remove(FORWARDED_PRINCIPAL_HEADER);
    metadata.remove(FORWARDED_HOST_HEADER);
    if (principalText === undefined) return undefined;
    const trusted =
      direct.authenticatedBy !== 'none' &&
      this.options.trustForwardedFrom?.has(principalToString(direct.principal)) === true;
    if (!trusted) {
      this.options.logger?.debug(
        { principal: principalToString(direct.principal), host: direct.host },
        'ignored a forwarded principal from a caller that is not a super user',
      );
      return undefined;
    }
    const parsed = typeof principalText === 'string' ? parsePrincipal(principalText) : undefined;
    if (parsed === undefined || !parsed.ok) {
      throw new TributaryError('INVALID_REQUEST', 'the forwarded principal is not Type:name');
    }
    const host =
      typeof hostText === 'string' && hostText.length <= SECURITY_LIMITS.aclHostLengthMax
        ? (canonicalIpAddress(hostText) ?? hostText)
        : direct.host;
    return { principal: parsed.principal, host, authenticatedBy: 'forwarded' };
  }
}

/** The status a refused call ends with; session refusals say so in a trailer. */
export function refusalStatus(error: unknown): grpc.ServerErrorResponse {
  const status = toServiceError(error);
  if (error instanceof AuthenticationRefused && error.sessionInvalid) {
    status.metadata.set(SESSION_TRAILER, SESSION_INVALID);
  }
  return status;
}

/** Metadata naming `caller` for a call forwarded on its behalf (the receiving authenticator decides on trust). */
export function forwardedCallerMetadata(caller: RequestCaller, metadata: grpc.Metadata): grpc.Metadata {
  metadata.set(FORWARDED_PRINCIPAL_HEADER, principalToString(caller.principal));
  metadata.set(FORWARDED_HOST_HEADER, caller.host);
  return metadata;
}

type AnyHandler = (call: AuthenticatedCall, ...rest: unknown[]) => void;

/**
 * Makes every service added to `server` from now on authenticate its calls. Call after instrumentServer
 * (so refused calls are counted and logged with their request id) and before adding services.
 */
export function authenticateServer(
  server: grpc.Server,
  options: CallAuthenticatorOptions,
): CallAuthenticator {
  const authenticator = new CallAuthenticator(options);
  const addService = server.addService.bind(server);
  server.addService = (service, implementation) => {
    addService(service, authenticateImplementation(service, implementation, authenticator));
  };
  return authenticator;
}

function authenticateImplementation(
  service: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  authenticator: CallAuthenticator,
): grpc.UntypedServiceImplementation {
  const wrapped: grpc.UntypedServiceImplementation = {};
  for (const [key, definition] of Object.entries(service)) {
    const slash = definition.path.lastIndexOf('/');
    if (UNAUTHENTICATED_SERVICES.includes(definition.path.slice(1, slash))) continue;
    const handlerKey = key in implementation ? key : definition.originalName;
    const handler = handlerKey === undefined ? undefined : implementation[handlerKey];
    if (handlerKey === undefined || handler === undefined) continue;
    const kind = definition.requestStream
      ? definition.responseStream
        ? 'bidi'
        : 'clientStream'
      : definition.responseStream
        ? 'serverStream'
        : 'unary';
    const guarded: AnyHandler = (call, ...rest) => {
      let caller: RequestCaller;
      try {
        caller = authenticator.authenticate(call);
      } catch (error) {
        refuse(kind, call, rest, refusalStatus(error));
        return;
      }
      callers.set(call, caller);
      (handler as AnyHandler)(call, ...rest);
    };
    wrapped[handlerKey] = guarded as grpc.UntypedHandleCall;
  }
  return { ...implementation, ...wrapped };
}

function refuse(
  kind: 'unary' | 'clientStream' | 'serverStream' | 'bidi',
  call: AuthenticatedCall,
  rest: unknown[],
  status: grpc.ServerErrorResponse,
): void {
  if (kind === 'unary' || kind === 'clientStream') {
    const callback = rest[0] as grpc.sendUnaryData<unknown>;
    callback(status);
    return;
  }
  (call as unknown as { emit(event: 'error', error: unknown): void }).emit('error', status);
}
