import type * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addBrokerService } from './clients.js';
import type { BrokerHandlers } from './generated/tributary/v1/Broker.js';
import { addStandardServices, HEALTH_SERVICE_NAME, type StandardServices } from './health.js';
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
});
