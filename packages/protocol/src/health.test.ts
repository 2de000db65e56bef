import * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { service as healthService } from 'grpc-health-check';
import { afterEach, describe, expect, it } from 'vitest';
import { addBrokerService } from './clients.js';
import type { BrokerHandlers } from './generated/tributary/v1/Broker.js';
import {
  addStandardServices,
  HEALTH_SERVICE_NAME,
  lazyHealthDefinition,
  type StandardServices,
} from './health.js';
import { checkHealth, listReflectedServices } from './health-client.js';
import { bindServer, createServer, shutdownServer } from './server.js';
import { handleUnary } from './unary.js';

const DEADLINE_MS = 5_000;
const servers: grpc.Server[] = [];
const standards: StandardServices[] = [];

afterEach(async () => {
  for (const standard of standards.splice(0)) standard.close();
  await Promise.all(servers.splice(0).map((server) => shutdownServer(server)));
});

function unused(): never {
  throw new TributaryError('INVALID_REQUEST', 'not used in this test');
}

const brokerHandlers: BrokerHandlers = {
  Produce: handleUnary(async () => unused()),
  Fetch: handleUnary(async () => unused()),
  ListOffsets: handleUnary(async () => unused()),
  Metadata: handleUnary(async () => unused()),
  InitProducerId: handleUnary(async () => unused()),
  DescribeReplicas: handleUnary(async () => unused()),
  DeleteRecords: handleUnary(async () => unused()),
  DescribeProducers: handleUnary(async () => unused()),
  ProduceStream: (call) => call.end(),
  FetchStream: (call) => call.end(),
};

async function start(serving: () => boolean): Promise<{ address: string; standard: StandardServices }> {
  const server = createServer();
  servers.push(server);
  addBrokerService(server, brokerHandlers);
  const standard = addStandardServices(server, { serving, services: ['tributary.v1.Broker'] });
  standards.push(standard);
  const port = await bindServer(server, '127.0.0.1:0');
  return { address: `127.0.0.1:${port}`, standard };
}

describe('addStandardServices', () => {
  it('answers Check from serving() as it is at the time of the call', async () => {
    let ready = false;
    const { address } = await start(() => ready);
    expect(await checkHealth(address, '', DEADLINE_MS)).toBe('NOT_SERVING');
    ready = true;
    expect(await checkHealth(address, '', DEADLINE_MS)).toBe('SERVING');
    expect(await checkHealth(address, 'tributary.v1.Broker', DEADLINE_MS)).toBe('SERVING');
    expect(await checkHealth(address, HEALTH_SERVICE_NAME, DEADLINE_MS)).toBe('SERVING');
  });

  it('answers NOT_FOUND for a service the server does not carry', async () => {
    const { address } = await start(() => true);
    await expect(checkHealth(address, 'tributary.v1.Nope', DEADLINE_MS)).rejects.toThrow(
      /unknown for service/,
    );
  });

  it('reports NOT_SERVING after shutdown() even when serving() is true', async () => {
    const { address, standard } = await start(() => true);
    expect(await checkHealth(address, '', DEADLINE_MS)).toBe('SERVING');
    standard.shutdown();
    expect(await checkHealth(address, '', DEADLINE_MS)).toBe('NOT_SERVING');
  });

  it('treats a throwing readiness probe as NOT_SERVING', async () => {
    const { address } = await start(() => {
      throw new Error('probe broke');
    });
    expect(await checkHealth(address, '', DEADLINE_MS)).toBe('NOT_SERVING');
  });

  it('lists our services, health and reflection through server reflection', async () => {
    const { address } = await start(() => true);
    const names = await listReflectedServices(address, DEADLINE_MS);
    expect(names).toContain('tributary.v1.Broker');
    expect(names).toContain('tributary.v1.ControllerAdmin');
    expect(names).toContain(HEALTH_SERVICE_NAME);
  });

  it('streams the status now and every change to Watch, and SERVICE_UNKNOWN for an unknown name', async () => {
    let ready = false;
    const { address, standard } = await start(() => ready);
    const client = healthClient(address);
    try {
      const seen: string[] = [];
      const call = client.watch({ service: 'tributary.v1.Broker' });
      call.on('data', (response: { status: string }) => seen.push(response.status));
      call.on('error', () => {});
      await until(() => seen.length === 1);
      ready = true;
      standard.refresh();
      await until(() => seen.length === 2);
      standard.shutdown();
      await until(() => seen.length === 3);
      expect(seen).toEqual(['NOT_SERVING', 'SERVING', 'NOT_SERVING']);
      call.cancel();

      const unknown: string[] = [];
      const other = client.watch({ service: 'tributary.v1.Nope' });
      other.on('data', (response: { status: string }) => unknown.push(response.status));
      other.on('error', () => {});
      await until(() => unknown.length === 1);
      expect(unknown).toEqual(['SERVICE_UNKNOWN']);
      other.cancel();
    } finally {
      client.close();
    }
  });

  it('lists every name it answers for, with the status of the last refresh', async () => {
    const { address } = await start(() => true);
    const client = healthClient(address);
    try {
      const listed = await new Promise<{ statuses: Record<string, { status: string }> }>(
        (resolve, reject) => {
          client.list(
            {},
            (
              error: grpc.ServiceError | null,
              response?: { statuses: Record<string, { status: string }> },
            ) => {
              if (error !== null || response === undefined) reject(error);
              else resolve(response);
            },
          );
        },
      );
      expect(listed.statuses).toEqual({
        '': { status: 'SERVING' },
        [HEALTH_SERVICE_NAME]: { status: 'SERVING' },
        'tributary.v1.Broker': { status: 'SERVING' },
      });
    } finally {
      client.close();
    }
  });

  it("registers grpc-health-check's paths and shapes, without loading it until the first call", () => {
    const lazy = lazyHealthDefinition();
    const real = healthService as unknown as grpc.ServiceDefinition;
    expect(Object.keys(lazy).sort()).toEqual(Object.keys(real).sort());
    for (const [name, method] of Object.entries(real)) {
      const { path, requestStream, responseStream, originalName } = lazy[name] as grpc.MethodDefinition<
        object,
        object
      >;
      expect({ path, requestStream, responseStream, originalName }).toEqual({
        path: method.path,
        requestStream: method.requestStream,
        responseStream: method.responseStream,
        originalName: method.originalName,
      });
    }
  });
});

interface HealthClient extends grpc.Client {
  watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
  list(
    request: object,
    callback: (
      error: grpc.ServiceError | null,
      response?: { statuses: Record<string, { status: string }> },
    ) => void,
  ): grpc.ClientUnaryCall;
}

/** A client of grpc-health-check's own definition (as grpc_health_probe would speak it). */
function healthClient(address: string): HealthClient {
  const Client = grpc.makeGenericClientConstructor(
    healthService as unknown as grpc.ServiceDefinition,
    'Health',
  );
  return new Client(address, grpc.credentials.createInsecure()) as unknown as HealthClient;
}

async function until(condition: () => boolean): Promise<void> {
  const giveUpAt = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
