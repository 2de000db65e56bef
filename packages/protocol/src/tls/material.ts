/**
 * Reads and checks a process's TLS files (certificate chain, private key, CA bundle) before anything uses them,
 * so that a mistake is one line naming the flag and the file (a ConfigError, exit 2 at start-up; a logged
 * refusal on SIGHUP, the old material kept) rather than a handshake failure on some later connection.
 */

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '@tributary/core/config';
import type { TlsFiles } from './config.js';

/** The bytes given to TLS, and the parsed certificates for checks and log lines. */
export interface TlsMaterial {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** The first certificate of --tls-cert: the one this process presents. */
  readonly certificate: X509Certificate;
  readonly caCertificates: readonly X509Certificate[];
}

/** A client's TLS material: the CA always (servers are verified against it only), its identity optionally. */
export interface ClientTlsMaterial {
  readonly ca: Buffer;
  readonly identity?: { readonly cert: Buffer; readonly key: Buffer; readonly certificate: X509Certificate };
}

export interface TlsReadOptions {
  readonly readFile?: (path: string) => Buffer;
  /** For the validity checks; default Date.now(). */
  readonly nowMs?: number;
}

/** Certificates in a PEM bundle, at most this many (a CA bundle during a rotation has two or three). */
const PEM_CERTIFICATES_MAX = 64;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

function readOrFail(flag: string, path: string, readFile: (path: string) => Buffer): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${flag} ${path}: cannot read it (${code ?? String(error)})`);
  }
}

/** Every certificate of a PEM file, each checked for its validity period. */
function certificatesIn(flag: string, path: string, pem: Buffer, nowMs: number): X509Certificate[] {
  const blocks = pem.toString('utf8').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${flag} ${path}: no PEM certificate in it`);
  if (blocks.length > PEM_CERTIFICATES_MAX) {
    throw new ConfigError(`${flag} ${path}: more than ${PEM_CERTIFICATES_MAX} certificates`);
  }
  return blocks.map((block) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch (error) {
      throw new ConfigError(`${flag} ${path}: not a valid certificate (${(error as Error).message})`);
    }
    if (Date.parse(certificate.validTo) < nowMs) {
      throw new ConfigError(`${flag} ${path}: ${subjectOf(certificate)} expired on ${certificate.validTo}`);
    }
    if (Date.parse(certificate.validFrom) > nowMs) {
      throw new ConfigError(
        `${flag} ${path}: ${subjectOf(certificate)} is not valid before ${certificate.validFrom}`,
      );
    }
    return certificate;
  });
}

function privateKeyIn(flag: string, path: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new ConfigError(
      `${flag} ${path}: not an unencrypted PEM private key (${(error as Error).message})`,
    );
  }
}

/** "CN=node" (or the whole subject when it has no CN), for messages and log lines. */
export function subjectOf(certificate: X509Certificate): string {
  const cn = certificate.subject.split('\n').find((part) => part.startsWith('CN='));
  return cn ?? certificate.subject.replaceAll('\n', ', ');
}

function readIdentity(
  files: { readonly certFile: string; readonly keyFile: string },
  readFile: (path: string) => Buffer,
  nowMs: number,
): { cert: Buffer; key: Buffer; certificate: X509Certificate } {
  const cert = readOrFail('--tls-cert', files.certFile, readFile);
  const key = readOrFail('--tls-key', files.keyFile, readFile);
  const [certificate] = certificatesIn('--tls-cert', files.certFile, cert, nowMs);
  if (certificate === undefined)
    throw new ConfigError(`--tls-cert ${files.certFile}: no PEM certificate in it`);
  const privateKey = privateKeyIn('--tls-key', files.keyFile, key);
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError(
      `--tls-key ${files.keyFile} does not match the certificate in --tls-cert ${files.certFile}`,
    );
  }
  return { cert, key, certificate };
}

function readCa(
  path: string,
  readFile: (path: string) => Buffer,
  nowMs: number,
): {
  ca: Buffer;
  caCertificates: X509Certificate[];
} {
  const ca = readOrFail('--tls-ca', path, readFile);
  const caCertificates = certificatesIn('--tls-ca', path, ca, nowMs);
  const notCa = caCertificates.find((certificate) => !certificate.ca);
  if (notCa !== undefined) {
    throw new ConfigError(`--tls-ca ${path}: ${subjectOf(notCa)} is not a CA certificate`);
  }
  return { ca, caCertificates };
}

/** Node's own last word: whatever it would refuse when building a context (e.g. an unsupported key). */
function checkSecureContext(flag: string, options: { ca: Buffer; cert?: Buffer; key?: Buffer }): void {
  try {
    createSecureContext(options);
  } catch (error) {
    throw new ConfigError(`${flag}: TLS refuses these files (${(error as Error).message})`);
  }
}

const defaultRead = (path: string): Buffer => readFileSync(path);

/** A process's material: certificate and key that match, a CA bundle of CA certificates, all valid now. */
export function loadTlsMaterial(files: TlsFiles, options: TlsReadOptions = {}): TlsMaterial {
  const readFile = options.readFile ?? defaultRead;
  const nowMs = options.nowMs ?? Date.now();
  const identity = readIdentity(files, readFile, nowMs);
  const { ca, caCertificates } = readCa(files.caFile, readFile, nowMs);
  checkSecureContext('--tls-cert/--tls-key/--tls-ca', { ca, cert: identity.cert, key: identity.key });
  return { ...identity, ca, caCertificates };
}

/** What a client (trib, the harness) names: the CA file, and its certificate and key for mutual TLS. */
export interface ClientTlsFiles {
  readonly caFile: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** A client's material; the certificate and key go together. Messages name trib's flags. */
export function loadClientTlsMaterial(
  files: ClientTlsFiles,
  options: TlsReadOptions = {},
): ClientTlsMaterial {
  const readFile = options.readFile ?? defaultRead;
  const nowMs = options.nowMs ?? Date.now();
  const { certFile, keyFile } = files;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError(
      `--tls-cert and --tls-key go together: ${certFile === undefined ? '--tls-cert' : '--tls-key'} missing`,
    );
  }
  const { ca } = readCa(files.caFile, readFile, nowMs);
  if (certFile === undefined || keyFile === undefined) {
    checkSecureContext('--tls-ca', { ca });
    return { ca };
  }
  const identity = readIdentity({ certFile, keyFile }, readFile, nowMs);
  checkSecureContext('--tls-cert/--tls-key/--tls-ca', { ca, cert: identity.cert, key: identity.key });
  return { ca, identity };
}
