/** TLS for every listener and link (DESIGN §10): options, material, reloadable credentials, peers. */
export { type ClientTls, clientCredentials, readClientTls } from './client-tls.js';
export {
  METRICS_TLS_OPTIONS,
  METRICS_TLS_RULES,
  TLS_CLIENT_AUTH_MODES,
  TLS_CONFIG_OPTIONS,
  TLS_CONFIG_RULES,
  type TlsClientAuth,
  type TlsConfigValues,
  type TlsFiles,
  tlsFilesOf,
} from './config.js';
export {
  type ClientTlsFiles,
  type ClientTlsMaterial,
  loadClientTlsMaterial,
  loadTlsMaterial,
  subjectOf,
  type TlsMaterial,
  type TlsReadOptions,
} from './material.js';
export { type CallAuthContext, callPeerIdentity, type PeerIdentity, socketPeerIdentity } from './peer.js';
export {
  ProcessTls,
  reloadTls,
  type TlsReloadLogger,
  type TlsReloadOutcome,
  type TlsServerOptions,
  type TlsSummary,
} from './process-tls.js';
