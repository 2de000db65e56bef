/**
 * The verified certificate of the peer of a gRPC call or of a Kafka connection, for the authentication work
 * (DESIGN §10: a client certificate's CN becomes the principal `User:CN`). Only a certificate that verified
 * against the CA is returned: with `--tls-client-auth none` a listener may still see an unverified one, which
 * must never name a principal.
 */
import type { Socket } from 'node:net';
import { type PeerCertificate, TLSSocket } from 'node:tls';

export interface PeerIdentity {
  /** The subject's CN, or null when it has none. */
  readonly commonName: string | null;
  /** SHA-256 fingerprint, `AA:BB:...`, for log lines and pinning. */
  readonly fingerprint256: string;
  readonly certificate: PeerCertificate;
}

/** grpc-js's AuthContext (1.14 does not re-export the type). */
export interface CallAuthContext {
  readonly transportSecurityType?: string;
  readonly sslPeerCertificate?: PeerCertificate;
}

function identityOf(certificate: PeerCertificate | undefined): PeerIdentity | null {
  // Node returns an empty object when the peer sent no certificate.
  if (certificate === undefined || certificate.raw === undefined) return null;
  const cn = certificate.subject?.CN;
  return {
    commonName: typeof cn === 'string' ? cn : Array.isArray(cn) ? (cn[0] ?? null) : null,
    fingerprint256: certificate.fingerprint256,
    certificate,
  };
}

/**
 * The verified client certificate of a gRPC call (any server call or interceptor call: they all have
 * `getAuthContext()` since grpc-js 1.14). grpc-js reports a certificate only for an authorized TLS socket.
 */
export function callPeerIdentity(call: { getAuthContext(): CallAuthContext | null }): PeerIdentity | null {
  const context = call.getAuthContext();
  if (context === null || context.transportSecurityType !== 'ssl') return null;
  return identityOf(context.sslPeerCertificate);
}

/** The verified client certificate of a socket (a Kafka listener connection); null on plaintext. */
export function socketPeerIdentity(socket: Socket): PeerIdentity | null {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return null;
  return identityOf(socket.getPeerCertificate());
}
