/**
 * The standard services every Tributary gRPC server carries besides its own: gRPC health checking
 * (grpc.health.v1.Health, via grpc-health-check) and server reflection (grpc.reflection.v1 and
 * v1alpha, via @grpc/reflection), so that grpcurl, grpc_health_probe and load balancers work against
 * any process without our protos. Reflection is built on its first call (lazy-reflection.ts says why).
 */
import { dirname, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { assert } from '@tributary/core';
import { HealthImplementation, protoPath as healthProtoPath, type ServingStatus } from 'grpc-health-check';
import { LazyReflection } from './lazy-reflection.js';
import { LOADER_OPTIONS, PROTO_FILES, PROTO_ROOT } from './protos.js';

/** The health service's own name; its status is the process-wide one (the empty name is too). */
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';
/** How often the serving predicate is re-evaluated for Watch streams (Check evaluates it on every call). */
export const HEALTH_REFRESH_INTERVAL_MS = 500;

export interface StandardServicesOptions {
  /** Whether the process is ready for traffic (controller: started; broker: registered and unfenced). */
  readonly serving: () => boolean;
  /** Full names of the services this server carries, e.g. 'tributary.v1.Broker'; each gets a status. */
  readonly services: readonly string[];
  readonly refreshIntervalMs?: number;
}

export interface StandardServices {
  /** Re-evaluates `serving()` now; Watch streams hear of a change at once. */
  refresh(): void;
  /** Reports NOT_SERVING from now on, whatever `serving()` says (the process is shutting down). */
  shutdown(): void;
  /** Stops the refresh timer (call once the server is shut down). */
  close(): void;
}

let reflectionDefinition: protoLoader.PackageDefinition | undefined;

/**
 * Tributary's protos plus the health proto, loaded once per process: reflection describes every
 * service of the package definition it gets, so the health service is listed alongside ours.
 */
function reflectionPackageDefinition(): protoLoader.PackageDefinition {
  if (reflectionDefinition === undefined) {
    // healthProtoPath is <package>/proto/health/v1/health.proto; its import root is two levels up.
    const healthRoot = resolve(dirname(healthProtoPath), '../..');
    reflectionDefinition = protoLoader.loadSync([...PROTO_FILES, 'health/v1/health.proto'], {
      ...LOADER_OPTIONS,
      includeDirs: [PROTO_ROOT, healthRoot],
    });
  }
  return reflectionDefinition;
}

/** One reflection service for every server of the process (a controller and a broker in `tributary dev`). */
const reflection = new LazyReflection(reflectionPackageDefinition);

/**
 * Adds grpc.health.v1.Health and server reflection to `server` (before it is bound). Health answers
 * SERVING for the empty name, the health service and every name in `services` while `serving()` is
 * true and shutdown() has not been called, NOT_SERVING otherwise, NOT_FOUND for other names.
 */
export function addStandardServices(server: grpc.Server, options: StandardServicesOptions): StandardServices {
  const refreshIntervalMs = options.refreshIntervalMs ?? HEALTH_REFRESH_INTERVAL_MS;
  assert(refreshIntervalMs > 0, 'refreshIntervalMs must be positive');
  const names = ['', HEALTH_SERVICE_NAME, ...options.services];
  let shuttingDown = false;
  let current: ServingStatus = 'NOT_SERVING';
  const health = new HealthImplementation(Object.fromEntries(names.map((name) => [name, current])));
  const refresh = (): void => {
    let next: ServingStatus;
    try {
      next = !shuttingDown && options.serving() ? 'SERVING' : 'NOT_SERVING';
    } catch {
      // A readiness probe that throws means "not ready", never a crashed health service.
      next = 'NOT_SERVING';
    }
    if (next === current) return;
    current = next;
    // setStatus wakes every watcher of that name, so it is called only on a change.
    for (const name of names) health.setStatus(name, next);
  };
  const check: grpc.handleUnaryCall<{ service?: string }, { status: ServingStatus }> = (call, callback) => {
    refresh();
    const name = call.request.service ?? '';
    if (names.includes(name)) callback(null, { status: current });
    else callback({ code: grpc.status.NOT_FOUND, details: `health status unknown for service ${name}` });
  };
  // Check is answered from serving() evaluated now rather than from the last refresh; Watch and List
  // are grpc-health-check's own.
  health.addToServer({
    addService: (service, implementation) => server.addService(service, { ...implementation, check }),
  });
  reflection.addToServer(server);

  const timer = setInterval(refresh, refreshIntervalMs);
  timer.unref();
  refresh();
  return {
    refresh,
    shutdown: () => {
      shuttingDown = true;
      refresh();
    },
    close: () => clearInterval(timer),
  };
}
