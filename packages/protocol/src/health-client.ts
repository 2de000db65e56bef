/**
 * Client side of the standard services (health.ts): a health Check and a reflection service listing,
 * each one call with a deadline. Used by tests and tools that probe a process.
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { TributaryError } from '@tributary/core';
import type * as HealthCheck from 'grpc-health-check';
import { asTributaryError } from './errors.js';

const require = createRequire(import.meta.url);

/** The Check answer: SERVING, NOT_SERVING, UNKNOWN (or SERVICE_UNKNOWN, which only Watch sends). */
export type HealthStatus = string;

interface HealthCheckClient extends grpc.Client {
  check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: grpc.requestCallback<{ status: HealthStatus }>,
  ): grpc.ClientUnaryCall;
}

interface ReflectionClient extends grpc.Client {
  serverReflectionInfo(
    options: grpc.CallOptions,
  ): grpc.ClientDuplexStream<
    { listServices: string },
    { listServicesResponse?: { service: { name: string }[] } | null }
  >;
}

/** Asks `address` for the health of `service` ('' = the whole server). Rejects with a TributaryError. */
export function checkHealth(address: string, service: string, deadlineMs: number): Promise<HealthStatus> {
  // Loaded here, not at import: the module parses its proto when loaded (health.ts says why that matters).
  const { service: healthService } = require('grpc-health-check') as typeof HealthCheck;
  const Client = grpc.makeGenericClientConstructor(
    healthService as unknown as grpc.ServiceDefinition,
    'Health',
  );
  const client = new Client(address, grpc.credentials.createInsecure()) as unknown as HealthCheckClient;
  return new Promise<HealthStatus>((resolvePromise, reject) => {
    client.check({ service }, { deadline: Date.now() + deadlineMs }, (error, response) => {
      client.close();
      if (error !== null) reject(asTributaryError(error));
      else if (response === undefined) reject(new TributaryError('UNKNOWN', 'empty health response'));
      else resolvePromise(response.status);
    });
  });
}

let reflectionConstructor: grpc.ServiceClientConstructor | undefined;

function reflectionClient(address: string): ReflectionClient {
  if (reflectionConstructor === undefined) {
    // The reflection package ships its protos next to its build output.
    const main = require.resolve('@grpc/reflection');
    const protoDir = resolve(dirname(main), '../proto');
    const loader = require('@grpc/proto-loader') as typeof protoLoader;
    const definition = loader.loadSync('grpc/reflection/v1/reflection.proto', {
      includeDirs: [protoDir],
      keepCase: false,
      defaults: true,
      oneofs: true,
    });
    const service = definition['grpc.reflection.v1.ServerReflection'] as grpc.ServiceDefinition;
    reflectionConstructor = grpc.makeGenericClientConstructor(service, 'ServerReflection');
  }
  return new reflectionConstructor(address, grpc.credentials.createInsecure()) as unknown as ReflectionClient;
}

/** The full names of the services `address` offers, from server reflection (v1). */
export function listReflectedServices(address: string, deadlineMs: number): Promise<string[]> {
  const client = reflectionClient(address);
  return new Promise<string[]>((resolvePromise, reject) => {
    const call = client.serverReflectionInfo({ deadline: Date.now() + deadlineMs });
    let settled = false;
    const finish = (outcome: { names: string[] } | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      call.cancel();
      client.close();
      if ('names' in outcome) resolvePromise(outcome.names);
      else reject(asTributaryError(outcome.error));
    };
    call.on('data', (response: { listServicesResponse?: { service: { name: string }[] } | null }) => {
      const services = response.listServicesResponse?.service ?? [];
      finish({ names: services.map((entry) => entry.name) });
    });
    call.on('error', (error) => finish({ error }));
    call.on('end', () => finish({ error: new TributaryError('UNKNOWN', 'reflection stream ended early') }));
    call.write({ listServices: '' });
  });
}
