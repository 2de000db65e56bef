/**
 * ProcessTls: a process's TLS material for every listener and link, reloadable without a restart (SIGHUP).
 *
 * grpc-js 1.14 cannot swap the credentials of a bound server through `ServerCredentials.createSsl` (they are
 * fixed when the port is bound), but its experimental certificate-provider credentials can: the server
 * subscribes to a `CertificateProvider` and calls `setSecureContext` on its HTTP/2 server with every update,
 * and provider-backed channel credentials build each new connection's context from the provider's latest
 * material. ProcessTls is that provider. Its CA is always given explicitly, so nothing ever falls back to
 * the system roots (createSsl with a null root would).
 *
 * grpc-js's own FileWatcherCertificateProvider is not used: it polls, and when a read fails it publishes
 * "no certificates", after which the server drops every new connection. Here a reload that fails its checks
 * changes nothing: the old material stays in force and the caller logs why.
 *
 * New connections use the reloaded files; connections already open keep the context they were made with
 * (TLS has no way to change a live session's certificates), until they close.
 */
import * as grpc from '@grpc/grpc-js';
import type { TlsFiles } from './config.js';
import { loadTlsMaterial, subjectOf, type TlsMaterial, type TlsReadOptions } from './material.js';

type CertificateProvider = grpc.experimental.CertificateProvider;
type CaListener = grpc.experimental.CaCertificateUpdateListener;
type IdentityListener = grpc.experimental.IdentityCertificateUpdateListener;

/** What a reload did: the new material, or why the old one is still in force. */
export type TlsReloadOutcome =
  | { readonly ok: true; readonly material: TlsMaterial }
  | { readonly ok: false; readonly error: Error };

/** The fields of a TLS log line: which files, which identity, until when. */
export interface TlsSummary {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  readonly clientAuth: TlsFiles['clientAuth'];
  readonly subject: string;
  readonly notAfter: string;
  readonly caSubjects: readonly string[];
}

/** The options of a node's `tls.Server`/`https.Server` (the Kafka listener, /metrics) for these files. */
export interface TlsServerOptions {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly requestCert: boolean;
  readonly rejectUnauthorized: boolean;
  readonly minVersion: 'TLSv1.2';
}

export class ProcessTls implements CertificateProvider {
  #material: TlsMaterial;
  readonly #caListeners = new Set<CaListener>();
  readonly #identityListeners = new Set<IdentityListener>();
  readonly #reloadListeners = new Set<(material: TlsMaterial) => void>();
  #serverCredentials: grpc.ServerCredentials | undefined;
  #channelCredentials: grpc.ChannelCredentials | undefined;

  private constructor(
    readonly files: TlsFiles,
    material: TlsMaterial,
    private readonly readOptions: Omit<TlsReadOptions, 'nowMs'>,
  ) {
    this.#material = material;
  }

  /** Reads and checks the files; a problem is a ConfigError with one line naming the flag and file. */
  static load(files: TlsFiles, options: Omit<TlsReadOptions, 'nowMs'> = {}): ProcessTls {
    return new ProcessTls(files, loadTlsMaterial(files, options), options);
  }

  get material(): TlsMaterial {
    return this.#material;
  }

  /**
   * For every gRPC server of the process: TLS only (a plaintext client fails the handshake), a client
   * certificate verified against the CA required with `clientAuth: required`. One instance per process, so
   * that grpc-js sees the same credentials on every bind.
   */
  serverCredentials(): grpc.ServerCredentials {
    // Both roles get `this`: grpc-js 1.14's createCertificateProviderServerCredentials passes its two
    // providers to the constructor in swapped order, which does not matter when they are the same object.
    this.#serverCredentials ??= grpc.experimental.createCertificateProviderServerCredentials(
      this,
      this,
      this.files.clientAuth === 'required',
    );
    return this.#serverCredentials;
  }

  /**
   * For every link this process opens (Raft, broker→controller, replication, metadata stream): the server is
   * verified against the CA and the target host (the certificate must name it), and this process presents its
   * own certificate, so mutual TLS works. Each new connection takes the latest material.
   */
  channelCredentials(): grpc.ChannelCredentials {
    this.#channelCredentials ??= grpc.experimental.createCertificateProviderChannelCredentials(this, this);
    return this.#channelCredentials;
  }

  /** Options for a Node TLS server (Kafka listener, HTTPS /metrics) with the current material. */
  serverOptions(): TlsServerOptions {
    const required = this.files.clientAuth === 'required';
    return {
      ca: this.#material.ca,
      cert: this.#material.cert,
      key: this.#material.key,
      requestCert: required,
      rejectUnauthorized: required,
      minVersion: 'TLSv1.2',
    };
  }

  /** Called with the new material after each successful reload (servers call setSecureContext). */
  onReload(listener: (material: TlsMaterial) => void): () => void {
    this.#reloadListeners.add(listener);
    return () => this.#reloadListeners.delete(listener);
  }

  /**
   * Re-reads the files. If they pass every check, new connections of every server and link use them from now
   * on; if not, nothing changes and the outcome says why.
   */
  reload(): TlsReloadOutcome {
    let material: TlsMaterial;
    try {
      material = loadTlsMaterial(this.files, this.readOptions);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
    this.#material = material;
    const identity = { certificate: material.cert, privateKey: material.key };
    for (const listener of this.#identityListeners) listener(identity);
    for (const listener of this.#caListeners) listener({ caCertificate: material.ca });
    for (const listener of this.#reloadListeners) listener(material);
    return { ok: true, material };
  }

  summary(): TlsSummary {
    const material = this.#material;
    return {
      cert: this.files.certFile,
      key: this.files.keyFile,
      ca: this.files.caFile,
      clientAuth: this.files.clientAuth,
      subject: subjectOf(material.certificate),
      notAfter: new Date(material.certificate.validTo).toISOString(),
      caSubjects: material.caCertificates.map(subjectOf),
    };
  }

  // CertificateProvider (grpc-js calls these when a server binds or a channel connects). The current material
  // is delivered on the next tick, as grpc-js's own providers do: the server credentials subscribe to the
  // provider before they register the server's watcher, so a synchronous answer would reach nobody and the
  // server would stay without certificates.
  addCaCertificateListener(listener: CaListener): void {
    this.#caListeners.add(listener);
    process.nextTick(() => {
      if (this.#caListeners.has(listener)) listener({ caCertificate: this.#material.ca });
    });
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.#caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.add(listener);
    process.nextTick(() => {
      if (this.#identityListeners.has(listener)) {
        listener({ certificate: this.#material.cert, privateKey: this.#material.key });
      }
    });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.delete(listener);
  }
}

/** The minimal logger reloadTls needs (pino's). */
export interface TlsReloadLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * What a process does on SIGHUP: reload its TLS files and log one line, either the files and the new
 * certificate's expiry or why the old certificates stay in force. Returns whether it reloaded.
 */
export function reloadTls(tls: ProcessTls | undefined, logger: TlsReloadLogger): boolean {
  if (tls === undefined) {
    logger.info({}, 'reload: no TLS files to reload');
    return false;
  }
  const outcome = tls.reload();
  if (outcome.ok) {
    logger.info({ tls: tls.summary() }, 'TLS certificates reloaded; new connections use them');
    return true;
  }
  logger.error(
    { err: outcome.error.message, tls: tls.summary() },
    'TLS reload failed; the previous certificates stay in force',
  );
  return false;
}
