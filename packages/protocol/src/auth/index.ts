/** Authentication on the gRPC API (DESIGN §10): options, the Auth service, the call authenticator, the client side. */
export type { Principal, RequestCaller } from '@tributary/security';
export {
  type AuthLogger,
  AuthSessions,
  type AuthSessionsOptions,
  createAuthHandlers,
  type SessionGrant,
} from './auth-service.js';
export {
  AUTHORIZATION_HEADER,
  type AuthenticatedCall,
  authenticateServer,
  BEARER_PREFIX,
  CallAuthenticator,
  type CallAuthenticatorOptions,
  callerOf,
  FORWARDED_HOST_HEADER,
  FORWARDED_PRINCIPAL_HEADER,
  forwardedCallerMetadata,
  peerHost,
  refusalStatus,
  SESSION_INVALID,
  SESSION_TRAILER,
  UNAUTHENTICATED_SERVICES,
} from './authenticator.js';
export {
  CLIENT_AUTH_LIMITS,
  type SaslCredentials,
  ScramSessionAuthentication,
  type ScramSessionAuthenticationOptions,
} from './client-auth.js';
export {
  AUTH_CONFIG_OPTIONS,
  AUTH_CONFIG_RULES,
  AUTHORIZER_KINDS,
  type AuthConfigValues,
  type AuthorizerKind,
  type AuthorizerSettings,
  DEFAULT_PROCESS_SECURITY,
  type ProcessSecurity,
  securityOf,
} from './config.js';
export {
  type InstallAuthenticationOptions,
  type InstalledAuthentication,
  installAuthentication,
  unknownUserSecretFor,
} from './install.js';
export { type CredentialLookup, ExpiringMap, type SessionCheck, SessionStore } from './session-store.js';
