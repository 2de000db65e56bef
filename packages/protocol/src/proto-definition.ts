/**
 * The tributary.v1 package as grpc-js objects, built from the generated data of src/generated/proto-json.ts
 * instead of by @grpc/proto-loader from the .proto text (issue 15, start-up): every process used to parse
 * the .proto files (≈ 40 ms of CPU on the 2-core bench machine), then have proto-loader build a descriptor
 * for every message type and encode every file descriptor (≈ 50 ms), which only server reflection reads,
 * and load proto-loader, its protobufjs descriptor extension and lodash (≈ 25 ms). Here the root comes from
 * Root#toJSON data (scripts/gen-types.mjs writes it with the same parse options), and each method's
 * definition is proto-loader's own, less the (de)serializers, which are made here exactly as proto-loader
 * makes them (fromObject + encode; decode + toObject with the loader options). Message and enum types are
 * still reachable on the package object (v1.SomeMessage), from proto-loader itself, on first access.
 * proto-definition.test.ts checks all of it against proto-loader's loadSync of the .proto files.
 */
import { createRequire } from 'node:module';
import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs/light.js';
import { PROTO_ROOT_JSON, PROTO_SERVICES_JSON } from './generated/proto-json.js';

/** One method's definition as proto-loader makes it, without its functions and message type definitions. */
interface StaticMethod {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly originalName: string;
  readonly options: protoLoader.MethodDefinition<object, object>['options'];
  /** Full names, e.g. tributary.v1.ProduceRequest. */
  readonly requestType: string;
  readonly responseType: string;
}

type StaticServices = Readonly<Record<string, Readonly<Record<string, StaticMethod>>>>;

const require = createRequire(import.meta.url);

/** proto-loader's createSerializer. */
function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => {
    if (Array.isArray(value)) {
      throw new Error(
        `Failed to serialize message: expected object with ${type.name} structure, got array instead`,
      );
    }
    // protobufjs's writer makes a Buffer under Node (its BufferWriter).
    return type.encode(type.fromObject(value)).finish() as Buffer;
  };
}

/** proto-loader's createDeserializer. */
function deserializer(type: protobuf.Type, options: protoLoader.Options): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), options);
}

/**
 * The package definition proto-loader makes from the .proto files, loaded on first use: the source of the
 * message type definitions (descriptors for reflection), which nothing on a process's start-up path reads.
 */
function lazyLoaderDefinition(
  files: () => readonly string[],
  options: protoLoader.Options,
): () => protoLoader.PackageDefinition {
  let loaded: protoLoader.PackageDefinition | undefined;
  return () => {
    if (loaded === undefined) {
      const loader = require('@grpc/proto-loader') as typeof protoLoader;
      loaded = loader.loadSync([...files()], options);
    }
    return loaded;
  };
}

/**
 * The grpc-js package object of the generated protos (what grpc.loadPackageDefinition(protoLoader.loadSync(
 * files, options)) returns): client constructors (with `.service`) for the services, and getters for the
 * message and enum types that load them through proto-loader from `files()` on first access.
 */
export function loadGeneratedPackage(
  grpcModule: Pick<typeof grpc, 'makeClientConstructor'>,
  options: protoLoader.Options,
  files: () => readonly string[],
): grpc.GrpcObject {
  const root = protobuf.Root.fromJSON(JSON.parse(PROTO_ROOT_JSON) as protobuf.INamespace);
  root.resolveAll();
  const services = JSON.parse(PROTO_SERVICES_JSON) as StaticServices;
  const types = new Map<string, protobuf.Type>();
  const typeOf = (name: string): protobuf.Type => {
    let type = types.get(name);
    if (type === undefined) {
      type = root.lookupType(name);
      types.set(name, type);
    }
    return type;
  };
  const loaderDefinition = lazyLoaderDefinition(files, options);
  const result: grpc.GrpcObject = {};
  const namespaceOf = (fullName: string): [grpc.GrpcObject, string] => {
    const parts = fullName.split('.');
    let current = result;
    for (const part of parts.slice(0, -1)) {
      current[part] ??= {};
      current = current[part] as grpc.GrpcObject;
    }
    return [current, parts[parts.length - 1] ?? fullName];
  };
  for (const [serviceName, methods] of Object.entries(services)) {
    const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
    for (const [methodName, method] of Object.entries(methods)) {
      const requestType = typeOf(method.requestType);
      const responseType = typeOf(method.responseType);
      const full = {
        path: method.path,
        requestStream: method.requestStream,
        responseStream: method.responseStream,
        requestSerialize: serializer(requestType),
        requestDeserialize: deserializer(requestType, options),
        responseSerialize: serializer(responseType),
        responseDeserialize: deserializer(responseType, options),
        originalName: method.originalName,
        options: method.options,
      } as protoLoader.MethodDefinition<object, object>;
      // The message type definitions (descriptors, read by reflection only) as getters that load them from
      // proto-loader; not enumerable, so that grpc-js's Object.assign of a method's attributes onto the
      // client's method does not load them at start.
      for (const key of ['requestType', 'responseType'] as const) {
        Object.defineProperty(full, key, {
          enumerable: false,
          configurable: true,
          get: () => methodDefinitionOf(loaderDefinition(), serviceName, methodName)[key],
        });
      }
      definition[methodName] = full;
    }
    const [namespace, name] = namespaceOf(serviceName);
    namespace[name] = grpcModule.makeClientConstructor(definition, name, {});
  }
  for (const type of typeNames(root)) {
    const [namespace, name] = namespaceOf(type);
    Object.defineProperty(namespace, name, {
      enumerable: true,
      configurable: true,
      get: () => loaderDefinition()[type],
    });
  }
  return result;
}

function methodDefinitionOf(
  definition: protoLoader.PackageDefinition,
  serviceName: string,
  methodName: string,
): protoLoader.MethodDefinition<object, object> {
  const method = (definition[serviceName] as protoLoader.ServiceDefinition | undefined)?.[methodName];
  if (method === undefined) throw new Error(`proto-loader has no method ${serviceName}.${methodName}`);
  return method;
}

/**
 * Full names of the message and enum types under `namespace`, as proto-loader lists them: those of
 * packages, not the types nested in a message (proto-loader does not descend into a type).
 */
function typeNames(namespace: protobuf.NamespaceBase): string[] {
  const names: string[] = [];
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum)
      names.push(nested.fullName.slice(1));
    else if (nested instanceof protobuf.Namespace) names.push(...typeNames(nested));
  }
  return names;
}
