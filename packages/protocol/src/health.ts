/**
 * The standard services every Tributary gRPC server carries besides its own: gRPC health checking
 * (grpc.health.v1.Health, as grpc-health-check defines it) and server reflection (grpc.reflection.v1 and
 * v1alpha, via @grpc/reflection), so that grpcurl, grpc_health_probe and load balancers work against
 * any process without our protos. Neither loads anything at start: reflection is built on its first call
 * (lazy-reflection.ts says why), and the health service is registered with hand-made method definitions
 * whose codecs load grpc-health-check's own on the first health call. Importing grpc-health-check parses
 * its proto with @grpc/proto-loader (≈ 25–40 ms of CPU and the loader's modules, in every process, on the
 * 2-core bench machine; issue 15), so its service logic (Check, Watch, List) is done here instead.
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { assert } from '@tributary/core';
import type * as HealthCheck from 'grpc-health-check';
import { LazyReflection } from './lazy-reflection.js';
import { LOADER_OPTIONS, PROTO_FILES, PROTO_ROOT } from './protos.js';

const require = createRequire(import.meta.url);

/** A health status as the health proto spells it (grpc-health-check's ServingStatus). */
type ServingStatus = HealthCheck.ServingStatus;

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
    const { protoPath: healthProtoPath } = require('grpc-health-check') as typeof HealthCheck;
    // healthProtoPath is <package>/proto/health/v1/health.proto; its import root is two levels up.
    const healthRoot = resolve(dirname(healthProtoPath), '../..');
    const loader = require('@grpc/proto-loader') as typeof protoLoader;
    reflectionDefinition = loader.loadSync([...PROTO_FILES, 'health/v1/health.proto'], {
      ...LOADER_OPTIONS,
      includeDirs: [PROTO_ROOT, healthRoot],
    });
  }
  return reflectionDefinition;
}

/** grpc.health.v1.Health's methods: their shapes as grpc-health-check's proto defines them. */
const HEALTH_METHODS = {
  Check: { responseStream: false, originalName: 'check' },
  Watch: { responseStream: true, originalName: 'watch' },
  List: { responseStream: false, originalName: 'list' },
} as const;
type HealthMethod = keyof typeof HEALTH_METHODS;

/** grpc-health-check lists at most this many statuses (its RESOURCE_EXHAUSTION_LIMIT). */
const HEALTH_LIST_MAX = 100;

let healthService: grpc.ServiceDefinition | undefined;

/** grpc-health-check's definition of `name` (its module loads its proto), on the first health message. */
function loadedHealthMethod(name: HealthMethod): grpc.MethodDefinition<object, object> {
  // Its definition is made by its own copy of proto-loader, typed by that copy.
  healthService ??= (require('grpc-health-check') as typeof HealthCheck)
    .service as unknown as grpc.ServiceDefinition;
  const method = healthService[name];
  if (method === undefined) throw new Error(`grpc-health-check defines no ${name}`);
  return method as grpc.MethodDefinition<object, object>;
}

/** The health service as grpc-js registers it: paths and shapes now, codecs loaded on first use. */
export function lazyHealthDefinition(): grpc.ServiceDefinition {
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const [name, shape] of Object.entries(HEALTH_METHODS) as [
    HealthMethod,
    (typeof HEALTH_METHODS)[HealthMethod],
  ][]) {
    definition[name] = {
      path: `/${HEALTH_SERVICE_NAME}/${name}`,
      requestStream: false,
      responseStream: shape.responseStream,
      originalName: shape.originalName,
      requestSerialize: (value) => loadedHealthMethod(name).requestSerialize(value),
      requestDeserialize: (bytes) => loadedHealthMethod(name).requestDeserialize(bytes),
      responseSerialize: (value) => loadedHealthMethod(name).responseSerialize(value),
      responseDeserialize: (bytes) => loadedHealthMethod(name).responseDeserialize(bytes),
    };
  }
  return definition;
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
  /** Watch streams of each of `names` (the health proto's Watch: the status now, then every change). */
  const watchers = new Map<string, Set<(status: ServingStatus) => void>>();
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
    // Every name has the one status, so a change wakes every watcher.
    for (const set of watchers.values()) for (const watcher of set) watcher(next);
  };
  // Check is answered from serving() evaluated now; Watch and List from the last refresh, as
  // grpc-health-check's implementation answers from its status map (this is its logic, without its module).
  const check: grpc.handleUnaryCall<{ service?: string }, { status: ServingStatus }> = (call, callback) => {
    refresh();
    const name = call.request.service ?? '';
    if (names.includes(name)) callback(null, { status: current });
    else callback({ code: grpc.status.NOT_FOUND, details: `health status unknown for service ${name}` });
  };
  const watch: grpc.handleServerStreamingCall<{ service?: string }, { status: string }> = (call) => {
    const name = call.request.service ?? '';
    if (!names.includes(name)) {
      // As grpc-health-check: SERVICE_UNKNOWN, and the stream stays open (this name never gets a status).
      call.write({ status: 'SERVICE_UNKNOWN' });
      return;
    }
    const watcher = (status: ServingStatus): void => {
      call.write({ status });
    };
    let set = watchers.get(name);
    if (set === undefined) {
      set = new Set();
      watchers.set(name, set);
    }
    set.add(watcher);
    call.on('cancelled', () => set.delete(watcher));
    call.write({ status: current });
  };
  const list: grpc.handleUnaryCall<object, { statuses: Record<string, { status: ServingStatus }> }> = (
    _call,
    callback,
  ) => {
    if (names.length > HEALTH_LIST_MAX) {
      callback({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'Too many services to list.' });
      return;
    }
    callback(null, { statuses: Object.fromEntries(names.map((name) => [name, { status: current }])) });
  };
  server.addService(lazyHealthDefinition(), { check, watch, list });
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
