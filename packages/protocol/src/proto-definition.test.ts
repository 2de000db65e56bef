import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import { PROTO_ROOT_JSON } from './generated/proto-json.js';
import { loadGeneratedPackage } from './proto-definition.js';
import { LOADER_OPTIONS, loadTributaryProtos, PROTO_FILES } from './protos.js';

/** What loadTributaryProtos was before proto-definition.ts: proto-loader parsing the .proto files. */
const reference = protoLoader.loadSync([...PROTO_FILES], LOADER_OPTIONS);
const referencePackage = grpc.loadPackageDefinition(reference);
const root = protobuf.Root.fromJSON(JSON.parse(PROTO_ROOT_JSON) as protobuf.INamespace);
root.resolveAll();

type MethodDefinition = protoLoader.MethodDefinition<object, object>;

const serviceNames = Object.entries(reference)
  .filter(([, entry]) => !('format' in entry))
  .map(([name]) => name);

function v1Of(pkg: grpc.GrpcObject): grpc.GrpcObject {
  return (pkg.tributary as grpc.GrpcObject).v1 as grpc.GrpcObject;
}

function methodsOf(pkg: grpc.GrpcObject, serviceName: string): Record<string, MethodDefinition> {
  const name = serviceName.split('.').at(-1) ?? serviceName;
  return (v1Of(pkg)[name] as grpc.ServiceClientConstructor).service as unknown as Record<
    string,
    MethodDefinition
  >;
}

/**
 * A value for every field of `type` (each scalar type, enums, bytes, repeated, maps, nested messages; one
 * member of each oneof), deterministic in `seed`, to `depth` levels of nested messages.
 */
function sampleOf(type: protobuf.Type, seed: number, depth: number): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  const oneofMembers = new Set<string>();
  for (const oneof of type.oneofsArray) {
    const chosen = oneof.fieldsArray[seed % oneof.fieldsArray.length];
    for (const field of oneof.fieldsArray) if (field !== chosen) oneofMembers.add(field.name);
  }
  for (const [index, field] of type.fieldsArray.entries()) {
    if (oneofMembers.has(field.name)) continue;
    field.resolve();
    const one = (n: number): unknown => scalarOf(field, seed + index + n, depth);
    if (field.map) {
      const key =
        field instanceof protobuf.MapField && field.keyType !== 'string' ? String(seed + 1) : `k${seed}`;
      value[field.name] = { [key]: one(0) };
    } else if (field.repeated) {
      value[field.name] = [one(0), one(1), one(2)].filter((v) => v !== undefined);
    } else {
      const item = one(0);
      if (item !== undefined) value[field.name] = item;
    }
  }
  return value;
}

function scalarOf(field: protobuf.Field, seed: number, depth: number): unknown {
  if (field.resolvedType instanceof protobuf.Type) {
    return depth > 0 ? sampleOf(field.resolvedType, seed, depth - 1) : undefined;
  }
  if (field.resolvedType instanceof protobuf.Enum) {
    const names = Object.keys(field.resolvedType.values);
    return names[seed % names.length];
  }
  switch (field.type) {
    case 'string':
      return `s${seed}-é`;
    case 'bytes':
      return Buffer.from([seed & 0xff, 1, 2, 3]);
    case 'bool':
      return seed % 2 === 0;
    case 'double':
    case 'float':
      return seed + 0.5;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return seed % 3 === 0 ? -seed - 1 : seed * 1_000_003;
    default:
      return seed * 1_000_003;
  }
}

describe('the generated tributary.v1 package', () => {
  it('has every service and every message and enum type proto-loader defines', () => {
    const ours = loadTributaryProtos() as unknown as grpc.GrpcObject;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(v1Of(referencePackage)).sort());
    expect(Object.keys(loadGeneratedPackage(grpc, LOADER_OPTIONS, () => PROTO_FILES))).toEqual(['tributary']);
    expect(serviceNames.length).toBeGreaterThan(5);
  });

  it("gives every method proto-loader's path, streaming, name and options", () => {
    const ours = { tributary: { v1: loadTributaryProtos() } } as unknown as grpc.GrpcObject;
    for (const serviceName of serviceNames) {
      const expected = methodsOf(referencePackage, serviceName);
      const actual = methodsOf(ours, serviceName);
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
      for (const [name, method] of Object.entries(expected)) {
        const { path, requestStream, responseStream, originalName, options } = actual[
          name
        ] as MethodDefinition;
        expect(
          { path, requestStream, responseStream, originalName, options },
          `${serviceName}.${name}`,
        ).toEqual({
          path: method.path,
          requestStream: method.requestStream,
          responseStream: method.responseStream,
          originalName: method.originalName,
          options: method.options,
        });
      }
    }
  });

  it("encodes and decodes every request and response exactly as proto-loader's (de)serializers", () => {
    const ours = { tributary: { v1: loadTributaryProtos() } } as unknown as grpc.GrpcObject;
    let checked = 0;
    for (const serviceName of serviceNames) {
      const expected = methodsOf(referencePackage, serviceName);
      const actual = methodsOf(ours, serviceName);
      const service = root.lookupService(serviceName);
      for (const [name, method] of Object.entries(expected)) {
        const mine = actual[name] as MethodDefinition;
        const protoMethod = service.methods[name];
        if (protoMethod === undefined) throw new Error(`no ${serviceName}.${name} in the root`);
        protoMethod.resolve();
        const sides = [
          [
            protoMethod.resolvedRequestType,
            method.requestSerialize,
            mine.requestSerialize,
            method.requestDeserialize,
            mine.requestDeserialize,
          ],
          [
            protoMethod.resolvedResponseType,
            method.responseSerialize,
            mine.responseSerialize,
            method.responseDeserialize,
            mine.responseDeserialize,
          ],
        ] as const;
        for (const [type, serialize, mySerialize, deserialize, myDeserialize] of sides) {
          if (type === null) throw new Error(`${serviceName}.${name} is not resolved`);
          for (const seed of [0, 1, 2, 7]) {
            const sample = sampleOf(type, seed, 3);
            const bytes = serialize(sample);
            expect(Buffer.compare(mySerialize(sample), bytes), `${serviceName}.${name} ${type.name}`).toBe(0);
            expect(myDeserialize(bytes)).toEqual(deserialize(bytes));
            checked += 1;
          }
          // Empty messages decode to the loader's defaults.
          expect(myDeserialize(Buffer.alloc(0))).toEqual(deserialize(Buffer.alloc(0)));
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('rejects an array as a message, as proto-loader does', () => {
    const produce = methodsOf(
      loadGeneratedPackage(grpc, LOADER_OPTIONS, () => PROTO_FILES),
      'tributary.v1.Broker',
    ).Produce;
    expect(() => produce?.requestSerialize([] as unknown as object)).toThrow(/got array instead/);
  });

  it("loads the message type definitions (reflection's descriptors) from proto-loader on first use", () => {
    let files = 0;
    const pkg = loadGeneratedPackage(grpc, LOADER_OPTIONS, () => {
      files += 1;
      return PROTO_FILES;
    });
    const methods = methodsOf(pkg, 'tributary.v1.Broker');
    expect(files).toBe(0);
    const produce = methods.Produce as MethodDefinition;
    // The descriptor parts (the (de)serializer functions are equal in behaviour, not identity).
    const descriptorOf = (definition: unknown) => {
      const { format, type, fileDescriptorProtos } = definition as protoLoader.MessageTypeDefinition<
        object,
        object
      >;
      return { format, type, fileDescriptorProtos };
    };
    const expected = reference['tributary.v1.ProduceRequest'];
    expect(descriptorOf(produce.requestType)).toEqual(descriptorOf(expected));
    expect(descriptorOf(v1Of(pkg).ProduceRequest)).toEqual(descriptorOf(expected));
    expect(files).toBe(1);
  });
});
