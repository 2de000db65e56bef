import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { LazyReflection } from './lazy-reflection.js';
import { LOADER_OPTIONS, PROTO_FILES } from './protos.js';
import { bindServer, createServer, shutdownServer } from './server.js';

const DEADLINE_MS = 5_000;
const servers: grpc.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => shutdownServer(server)));
});

interface ReflectionResponse {
  readonly listServicesResponse?: { service: { name: string }[] } | null;
  readonly fileDescriptorResponse?: { fileDescriptorProto: unknown[] } | null;
  readonly errorResponse?: { errorCode: number } | null;
}

interface ReflectionClient extends grpc.Client {
  serverReflectionInfo(options: grpc.CallOptions): grpc.ClientDuplexStream<object, ReflectionResponse>;
}

/** A client of one reflection version, from the package's own proto (as grpcurl would speak it). */
function reflectionClient(version: 'v1' | 'v1alpha', address: string): ReflectionClient {
  const protoDir = resolve(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '../proto');
  const definition = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, {
    includeDirs: [protoDir],
    defaults: true,
    oneofs: true,
  });
  const service = definition[`grpc.reflection.${version}.ServerReflection`] as grpc.ServiceDefinition;
  const Client = grpc.makeGenericClientConstructor(service, 'ServerReflection');
  return new Client(address, grpc.credentials.createInsecure()) as unknown as ReflectionClient;
}

/** Sends one request on a reflection stream and returns the first answer. */
function ask(client: ReflectionClient, request: object): Promise<ReflectionResponse> {
  return new Promise((resolvePromise, reject) => {
    const call = client.serverReflectionInfo({ deadline: Date.now() + DEADLINE_MS });
    call.once('data', (response: ReflectionResponse) => {
      call.cancel();
      resolvePromise(response);
    });
    call.once('error', (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.CANCELLED) reject(error);
    });
    call.write(request);
  });
}

describe('LazyReflection', () => {
  it('loads nothing until the first call, then answers both versions from one build', async () => {
    let builds = 0;
    const reflection = new LazyReflection(() => {
      builds++;
      return protoLoader.loadSync([...PROTO_FILES], LOADER_OPTIONS);
    });
    const addresses: string[] = [];
    for (let index = 0; index < 2; index++) {
      const server = createServer();
      servers.push(server);
      reflection.addToServer(server);
      addresses.push(`127.0.0.1:${await bindServer(server, '127.0.0.1:0')}`);
    }
    expect(builds).toBe(0);

    for (const [index, version] of (['v1', 'v1alpha'] as const).entries()) {
      const client = reflectionClient(version, addresses[index] ?? '');
      try {
        const listed = await ask(client, { listServices: '' });
        expect(listed.listServicesResponse?.service.map((s) => s.name)).toContain('tributary.v1.Broker');
        const file = await ask(client, { fileContainingSymbol: 'tributary.v1.ProduceRequest' });
        expect(file.fileDescriptorResponse?.fileDescriptorProto.length).toBeGreaterThan(0);
        const unknown = await ask(client, { fileContainingSymbol: 'no.such.Symbol' });
        expect(unknown.errorResponse?.errorCode).toBe(grpc.status.NOT_FOUND);
      } finally {
        client.close();
      }
    }
    expect(builds).toBe(1);
  });
});
