/**
 * The Kafka listener of a broker (DESIGN §9): a TCP server on --kafka-listen whose connections speak
 * Kafka's binary protocol to the handlers in a KafkaApiRegistry. Connections beyond the bound are
 * refused at accept; close() stops accepting, lets connections answer what they have read (bounded by
 * a grace period), then ends them.
 *
 * With the broker's TLS files it is a `tls.Server` (Kafka's SSL listener: `security.protocol=ssl` in
 * librdkafka): only TLS 1.2+, the CA given explicitly, a client certificate required with
 * `--tls-client-auth required`; a plaintext client fails the handshake and is dropped. A connection is
 * handed to KafkaConnection only once its handshake succeeded, so `socketPeerIdentity(socket)` from
 * @tributary/protocol gives its verified client certificate (the principal, for the authorization work).
 * SIGHUP reloads reach new handshakes through setSecureContext.
 *
 * Authentication (security/authentication.ts): each connection's caller is its certificate's principal or
 * anonymous until SASL names a user; `authentication.required` closes connections that ask anything but
 * ApiVersions and SASL before authenticating.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { ProcessTls } from '@tributary/protocol';
import type { Logger } from 'pino';
import { DEFAULT_CONNECTION_LIMITS, KafkaConnection, type KafkaConnectionLimits } from './connection.js';
import { KAFKA_LISTENER_LIMITS } from './limits.js';
import type { KafkaApiRegistry } from './registry.js';
import { DEFAULT_PRINCIPAL_MAPPING, type KafkaAuthenticationOptions } from './security/authentication.js';

export interface KafkaListenerOptions {
  /** host:port; port 0 picks a free port (see KafkaListener.port). */
  readonly listen: string;
  readonly registry: KafkaApiRegistry;
  readonly logger: Logger;
  readonly limits?: KafkaConnectionLimits;
  readonly connectionsMax?: number;
  /** Connections accepted before this resolves wait, unread, until it does (default: serve at once). */
  readonly ready?: Promise<void>;
  /** Serve TLS with these files (and their reloads); unset = plaintext. */
  readonly tls?: ProcessTls;
  /** How connections authenticate; unset = nobody must, certificates map to User:CN, no SASL user exists. */
  readonly authentication?: KafkaAuthenticationOptions;
}

/** Bytes of the per-process unknown-user secret used when none is given. */
const UNKNOWN_USER_SECRET_BYTES = 32;

/** Safe defaults: authentication not required, the default certificate mapping, no SCRAM user. */
export function defaultAuthentication(): KafkaAuthenticationOptions {
  return {
    required: false,
    principalMapping: DEFAULT_PRINCIPAL_MAPPING,
    credential: () => undefined,
    unknownUserSecret: randomBytes(UNKNOWN_USER_SECRET_BYTES),
  };
}

export interface KafkaListener {
  readonly port: number;
  readonly connectionCount: () => number;
  close(): Promise<void>;
}

/** "host:port" or "[v6]:port" → parts; the config layer has already checked the form. */
export function splitHostPort(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(listen.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`Kafka listen address must be HOST:PORT, got "${listen}"`);
  }
  return { host, port };
}

export async function startKafkaListener(options: KafkaListenerOptions): Promise<KafkaListener> {
  const logger = options.logger.child({ subsystem: 'kafka-listener' });
  const { host, port } = splitHostPort(options.listen);
  const connections = new Set<KafkaConnection>();
  const connectionsMax = options.connectionsMax ?? KAFKA_LISTENER_LIMITS.connectionsMax;
  let nextConnectionId = 0;
  const authentication = options.authentication ?? defaultAuthentication();
  const accept = (socket: Socket): void => {
    if (connections.size >= connectionsMax) {
      logger.warn({ connectionsMax }, 'refusing a Kafka connection: too many open');
      socket.destroy();
      return;
    }
    if (!ready) socket.pause();
    const connection = new KafkaConnection({
      id: `k${nextConnectionId++}`,
      socket,
      registry: options.registry,
      logger,
      limits: options.limits ?? DEFAULT_CONNECTION_LIMITS,
      authentication,
      tls: options.tls !== undefined,
    });
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
    if (!ready) held.push(socket);
  };
  const tls = options.tls;
  let stopReloads: (() => void) | undefined;
  let server: Server;
  if (tls === undefined) {
    server = createServer(accept);
  } else {
    const secure = createTlsServer(
      { ...tls.serverOptions(), handshakeTimeout: KAFKA_LISTENER_LIMITS.tlsHandshakeTimeoutMs },
      accept,
    );
    // A failed handshake (plaintext client, no or a foreign client certificate) only concerns that client.
    secure.on('tlsClientError', (error) =>
      logger.debug({ err: error.message }, 'Kafka TLS handshake failed'),
    );
    stopReloads = tls.onReload(() => secure.setSecureContext(tls.serverOptions()));
    server = secure;
  }
  let ready = options.ready === undefined;
  const held: Socket[] = [];
  options.ready?.then(
    () => {
      ready = true;
      for (const socket of held.splice(0)) if (!socket.destroyed) socket.resume();
    },
    () => {},
  );
  server.on('error', (error) => logger.error({ err: error }, 'Kafka listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  logger.info(
    {
      listen: options.listen,
      port: boundPort,
      tls: tls !== undefined,
      authenticationRequired: authentication.required,
    },
    'Kafka listener ready',
  );
  // One timer for every connection's idle check (not one per connection).
  const idleMs = (options.limits ?? DEFAULT_CONNECTION_LIMITS).idleMs;
  const sweep = setInterval(
    () => {
      const nowMs = performance.now();
      for (const connection of connections) connection.closeIfIdle(nowMs);
    },
    Math.max(10, Math.floor(idleMs / 4)),
  );
  sweep.unref();
  let closing: Promise<void> | undefined;
  return {
    port: boundPort,
    connectionCount: () => connections.size,
    close: () => {
      closing ??= (async () => {
        stopReloads?.();
        clearInterval(sweep);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.close(KAFKA_LISTENER_LIMITS.closeGraceMs)));
        await stopped;
      })();
      return closing;
    },
  };
}
