/**
 * Server reflection (grpc.reflection.v1 and v1alpha, via @grpc/reflection), built on its first call rather
 * than when a server starts. Building it means loading Tributary's protos a second time (with the health
 * proto, so reflection lists the health service too) and decoding every file descriptor, per server:
 * ≈ 120 ms of CPU for the load and ≈ 300 ms (controller) and ≈ 140 ms (broker) for the descriptors on this
 * 2-core machine, about half of `tributary dev`'s start-up CPU, and the decoded descriptors stay in the heap
 * (issue 15, measured with npm run bench:startup --profile). A process nobody reflects on never needs it;
 * grpcurl's first call pays once per process instead.
 *
 * The service is registered at start with hand-made method definitions: their path and streaming shape are
 * fixed by the reflection protocol, and their (de)serializers load the reflection proto on first use,
 * with @grpc/reflection's own loader options, so the messages are exactly what its implementation expects.
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type * as Reflection from '@grpc/reflection';

const REFLECTION_VERSIONS = ['v1', 'v1alpha'] as const;
type ReflectionVersion = (typeof REFLECTION_VERSIONS)[number];

const METHOD_NAME = 'ServerReflectionInfo';

/** @grpc/reflection's own loader options (its implementations/common/constants.js, PROTO_LOADER_OPTS). */
const REFLECTION_LOADER_OPTIONS: protoLoader.Options = {
  longs: String,
  enums: String,
  bytes: Array,
  defaults: true,
  oneofs: true,
};

const require = createRequire(import.meta.url);

function servicePath(version: ReflectionVersion): string {
  return `/grpc.reflection.${version}.ServerReflection/${METHOD_NAME}`;
}

const loadedMethods = new Map<ReflectionVersion, grpc.MethodDefinition<object, object>>();

/** The reflection proto's own method definition, loaded on the first message of that version. */
function loadedMethod(version: ReflectionVersion): grpc.MethodDefinition<object, object> {
  let method = loadedMethods.get(version);
  if (method === undefined) {
    // The package ships its protos next to its build output (build/src/index.js → build/proto).
    const protoDir = resolve(dirname(require.resolve('@grpc/reflection')), '../proto');
    const loader = require('@grpc/proto-loader') as typeof protoLoader;
    const definition = loader.loadSync(`grpc/reflection/${version}/reflection.proto`, {
      ...REFLECTION_LOADER_OPTIONS,
      includeDirs: [protoDir],
    });
    const service = definition[`grpc.reflection.${version}.ServerReflection`] as grpc.ServiceDefinition;
    const loaded = service[METHOD_NAME] as grpc.MethodDefinition<object, object> | undefined;
    if (loaded === undefined || loaded.path !== servicePath(version)) {
      throw new Error(`@grpc/reflection's ${version} proto has no ${servicePath(version)}`);
    }
    method = loaded;
    loadedMethods.set(version, method);
  }
  return method;
}

/** ServerReflectionInfo as grpc-js registers it: a bidi stream whose codecs load on first use. */
function lazyServiceDefinition(version: ReflectionVersion): grpc.ServiceDefinition {
  const method: grpc.MethodDefinition<object, object> = {
    path: servicePath(version),
    requestStream: true,
    responseStream: true,
    originalName: 'serverReflectionInfo',
    requestSerialize: (value) => loadedMethod(version).requestSerialize(value),
    requestDeserialize: (bytes) => loadedMethod(version).requestDeserialize(bytes),
    responseSerialize: (value) => loadedMethod(version).responseSerialize(value),
    responseDeserialize: (bytes) => loadedMethod(version).responseDeserialize(bytes),
  };
  return { [METHOD_NAME]: method };
}

type StreamHandler = grpc.handleBidiStreamingCall<object, object>;

/**
 * Creates the handlers of every server of the process: one ReflectionService over `packageDefinition()`,
 * built on the first reflection call of any of them (the definition does not depend on the server).
 */
export class LazyReflection {
  private handlers: Map<string, StreamHandler> | undefined;

  constructor(private readonly packageDefinition: () => protoLoader.PackageDefinition) {}

  /** Adds both reflection versions to `server` (before it is bound); nothing is loaded yet. */
  addToServer(server: Pick<grpc.Server, 'addService'>): void {
    for (const version of REFLECTION_VERSIONS) {
      const path = servicePath(version);
      const handler: StreamHandler = (call) => {
        let real: StreamHandler | undefined;
        try {
          real = this.realHandlers().get(path);
        } catch (error) {
          call.destroy(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (real === undefined) call.destroy(new Error(`no reflection handler for ${path}`));
        else real(call);
      };
      server.addService(lazyServiceDefinition(version), { [METHOD_NAME]: handler });
    }
  }

  /** The library's own handlers, captured from its addToServer into a recording server. */
  private realHandlers(): Map<string, StreamHandler> {
    if (this.handlers === undefined) {
      const { ReflectionService } = require('@grpc/reflection') as typeof Reflection;
      const handlers = new Map<string, StreamHandler>();
      new ReflectionService(this.packageDefinition()).addToServer({
        addService: (service, implementation) => {
          for (const [name, method] of Object.entries(service)) {
            const handler = implementation[name] ?? implementation[method.originalName ?? ''];
            if (handler !== undefined) handlers.set(method.path, handler as StreamHandler);
          }
        },
      });
      this.handlers = handlers;
    }
    return this.handlers;
  }
}
