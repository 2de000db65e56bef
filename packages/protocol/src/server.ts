/** Promise shells for grpc-js server start and stop. */
import * as grpc from '@grpc/grpc-js';
import { SERVER_CHANNEL_OPTIONS } from './channel.js';

/** A grpc.Server with Tributary's channel options (message size limits, keepalive policy). */
export function createServer(options: grpc.ServerOptions = {}): grpc.Server {
  return new grpc.Server({ ...SERVER_CHANNEL_OPTIONS, ...options });
}

/**
 * Binds `address` (host:port; port 0 picks a free one) with insecure credentials and resolves with
 * the bound port. grpc-js starts serving once bound.
 */
export function bindServer(
  server: grpc.Server,
  address: string,
  credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure(),
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => {
      if (error === null) resolve(port);
      else reject(error);
    });
  });
}

/**
 * Stops a server: lets calls in flight finish for up to `graceMs`, then cancels what is left
 * (long-lived streams would otherwise hold a graceful shutdown open for ever).
 */
export function shutdownServer(server: grpc.Server, graceMs = 1_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
