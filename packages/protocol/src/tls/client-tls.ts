/**
 * TLS for clients that are not cluster processes (the TypeScript client, `trib`, the test harness): static
 * credentials from PEM text, the CA always explicit so that servers are verified against it only (grpc-js
 * falls back to the system roots when none is given), and the client's certificate and key for mutual TLS.
 */
import * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { type ClientTlsFiles, loadClientTlsMaterial, type TlsReadOptions } from './material.js';

/** A client's TLS settings: PEM text or bytes (as Node's `tls.connect` takes them). */
export interface ClientTls {
  /** The CA certificate(s) servers must chain to; the system roots are never used. */
  readonly ca: string | Buffer;
  /** The client's certificate (chain), for listeners with `--tls-client-auth required`. With `key`. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

const bytes = (pem: string | Buffer): Buffer => (typeof pem === 'string' ? Buffer.from(pem) : pem);

/**
 * Channel credentials for a client: TLS verified against `tls.ca` and the target host name (the server's
 * certificate must name the host or IP the client dials), or plaintext when `tls` is undefined.
 */
export function clientCredentials(tls: ClientTls | undefined): grpc.ChannelCredentials {
  if (tls === undefined) return grpc.credentials.createInsecure();
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new TributaryError('INVALID_REQUEST', 'tls: cert and key go together');
  }
  return grpc.credentials.createSsl(
    bytes(tls.ca),
    tls.key === undefined ? null : bytes(tls.key),
    tls.cert === undefined ? null : bytes(tls.cert),
  );
}

/** Reads and checks a client's files (`trib --tls-ca/--tls-cert/--tls-key`): ConfigError on a problem. */
export function readClientTls(files: ClientTlsFiles, options: TlsReadOptions = {}): ClientTls {
  const material = loadClientTlsMaterial(files, options);
  return material.identity === undefined
    ? { ca: material.ca }
    : { ca: material.ca, cert: material.identity.cert, key: material.identity.key };
}
