/**
 * The Prometheus endpoint of a process: a tiny HTTP server answering GET /metrics from a prom-client
 * registry. Every other path is 404; a failing collector is a 500 for that scrape, never a crashed
 * process. Also the pieces every process's metrics share: the registry and the RPC latency histogram.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { RpcCallEnd } from './rpc-observer.js';
import type { ProcessTls } from './tls/process-tls.js';

export const METRICS_PATH = '/metrics';
/** A scrape that cannot be answered in this time gets its socket closed (bounded work per request). */
export const METRICS_REQUEST_TIMEOUT_MS = 10_000;

export interface MetricsServerOptions {
  /** HOST:PORT; port 0 picks a free port (see handle.port). */
  readonly listen: string;
  readonly registry: Registry;
  /** Told about failed scrapes. */
  readonly onError?: (error: unknown) => void;
  /**
   * Serve HTTPS with the process's TLS files (`--metrics-tls`; client certificates as `--tls-client-auth`),
   * reloaded with them. Unset: plain HTTP, the default, since most scrapers are set up without TLS and the
   * endpoint carries counters, never records.
   */
  readonly tls?: ProcessTls;
}

export interface MetricsServerHandle {
  readonly port: number;
  close(): Promise<void>;
}

/** Splits HOST:PORT (IPv6 hosts in brackets); throws INVALID_REQUEST naming the bad value. */
export function parseListenAddress(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const rawHost = listen.slice(0, colon);
  const port = Number(listen.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65_535 || listen.slice(colon + 1) === '') {
    throw new TributaryError('INVALID_REQUEST', `metrics listen address must be HOST:PORT, got '${listen}'`);
  }
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  return { host: host === '' ? '0.0.0.0' : host, port };
}

function answer(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function handle(request: IncomingMessage, response: ServerResponse, options: MetricsServerOptions): void {
  const path = (request.url ?? '/').split('?')[0];
  if (path !== METRICS_PATH) {
    answer(response, 404, 'text/plain; charset=utf-8', 'not found; try /metrics\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    answer(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  options.registry.metrics().then(
    (body) => answer(response, 200, options.registry.contentType, body),
    (error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent)
        answer(response, 500, 'text/plain; charset=utf-8', 'metrics collection failed\n');
    },
  );
}

/** Starts the endpoint; resolves once it listens. */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServerHandle> {
  const { host, port } = parseListenAddress(options.listen);
  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    try {
      handle(request, response, options);
    } catch (error) {
      options.onError?.(error);
      if (!response.headersSent) answer(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
    }
  };
  const tls = options.tls;
  let server: Server;
  let stopReloads: (() => void) | undefined;
  if (tls === undefined) {
    server = createServer(serve);
  } else {
    const secure = createHttpsServer(tls.serverOptions(), serve);
    // A SIGHUP reload reaches new scrapes' handshakes.
    stopReloads = tls.onReload(() => secure.setSecureContext(tls.serverOptions()));
    server = secure;
  }
  server.requestTimeout = METRICS_REQUEST_TIMEOUT_MS;
  // A broken client socket is that client's problem, not the process's.
  server.on('clientError', (_error, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (error) => options.onError?.(error));
      const address = server.address();
      const boundPort = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        port: boundPort,
        close: () =>
          new Promise<void>((done) => {
            stopReloads?.();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Latency buckets for request durations, in seconds: 0.5 ms (a cached read) to 10 s (a long poll). */
export const RPC_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * A registry for one process role (controller or broker) with Node's process metrics and a node_id
 * label on every series. One per node: `tributary dev` runs a controller and a broker in one process,
 * each with its own endpoint.
 */
export function createMetricsRegistry(labels: { readonly nodeId: number }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ node_id: String(labels.nodeId) });
  collectDefaultMetrics({ register: registry, prefix: 'tributary_' });
  return registry;
}

/**
 * `tributary_rpc_duration_seconds{service,method,code}`: the latency of every unary RPC this process
 * served (fed by instrumentServer's onCallEnd). Labels are bounded by the protos and the status codes.
 */
export function createRpcDurationRecorder(registry: Registry): (event: RpcCallEnd) => void {
  const histogram = new Histogram({
    name: 'tributary_rpc_duration_seconds',
    help: 'Time to answer a unary gRPC request, by service, method and gRPC status code',
    labelNames: ['service', 'method', 'code'] as const,
    buckets: [...RPC_DURATION_BUCKETS_SECONDS],
    registers: [registry],
  });
  return (event) => {
    histogram.observe(
      { service: event.service, method: event.method, code: grpc.status[event.code] ?? String(event.code) },
      event.durationSeconds,
    );
  };
}
