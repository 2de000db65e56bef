import * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addBrokerService, createBrokerClient } from './clients.js';
import type { BrokerClient, BrokerHandlers } from './generated/tributary/v1/Broker.js';
import { instrumentServer, REQUEST_ID_HEADER, type RpcCallEnd, requestIdOf } from './rpc-observer.js';
import { bindServer, createServer, shutdownServer } from './server.js';
import { handleUnary, unary } from './unary.js';

const servers: grpc.Server[] = [];
const clients: BrokerClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => shutdownServer(server)));
});

interface Logged {
  readonly level: 'error' | 'debug';
  readonly fields: Record<string, unknown>;
}

async function start(): Promise<{
  client: BrokerClient;
  ends: RpcCallEnd[];
  logged: Logged[];
  seenIds: string[];
}> {
  const ends: RpcCallEnd[] = [];
  const logged: Logged[] = [];
  const seenIds: string[] = [];
  const server = createServer();
  servers.push(server);
  instrumentServer(server, {
    onCallEnd: (event) => ends.push(event),
    logger: {
      error: (fields) => logged.push({ level: 'error', fields: { ...fields } }),
      debug: (fields) => logged.push({ level: 'debug', fields: { ...fields } }),
    },
  });
  const handlers: BrokerHandlers = {
    ProduceStream: (call) => call.end(),
    FetchStream: (call) => call.end(),
    Produce: handleUnary(async () => {
      throw new TributaryError('NOT_LEADER', 'not the leader here');
    }),
    Fetch: handleUnary(async () => {
      throw new Error('a bug');
    }),
    ListOffsets: handleUnary(async (_request, call) => {
      seenIds.push(requestIdOf(call) ?? 'none');
      return { results: [] };
    }),
    Metadata: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'unused');
    }),
    InitProducerId: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'unused');
    }),
    DescribeReplicas: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'unused');
    }),
    DeleteRecords: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'unused');
    }),
    DescribeProducers: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'unused');
    }),
  };
  addBrokerService(server, handlers);
  const port = await bindServer(server, '127.0.0.1:0');
  const client = createBrokerClient(`127.0.0.1:${port}`);
  clients.push(client);
  return { client, ends, logged, seenIds };
}

describe('instrumentServer', () => {
  it('reports each unary call with its method, status and a non-negative duration', async () => {
    const { client, ends } = await start();
    await unary(client, 'ListOffsets', { topics: [] }, { deadlineMs: 5_000 });
    await expect(unary(client, 'Produce', {}, { deadlineMs: 5_000 })).rejects.toThrow(/not the leader/);
    expect(ends.map((end) => [end.service, end.method])).toEqual([
      ['tributary.v1.Broker', 'ListOffsets'],
      ['tributary.v1.Broker', 'Produce'],
    ]);
    expect(ends[0]?.code).toBe(grpc.status.OK);
    expect(ends[1]?.code).not.toBe(grpc.status.OK);
    for (const end of ends) expect(end.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it("keeps the client's x-request-id and makes one up otherwise", async () => {
    const { client, seenIds } = await start();
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_HEADER, 'client-chosen-1');
    await unary(client, 'ListOffsets', { topics: [] }, { deadlineMs: 5_000, metadata });
    await unary(client, 'ListOffsets', { topics: [] }, { deadlineMs: 5_000 });
    await unary(client, 'ListOffsets', { topics: [] }, { deadlineMs: 5_000 });
    expect(seenIds[0]).toBe('client-chosen-1');
    expect(seenIds[1]).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(seenIds[2]).not.toBe(seenIds[1]);
  });

  it('logs failed calls with their request id: internal errors at error level, the rest at debug', async () => {
    const { client, logged } = await start();
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_HEADER, 'trace-me');
    await expect(unary(client, 'Fetch', {}, { deadlineMs: 5_000, metadata })).rejects.toThrow();
    await expect(unary(client, 'Produce', {}, { deadlineMs: 5_000 })).rejects.toThrow();
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ level: 'error', fields: { method: 'Fetch', requestId: 'trace-me' } });
    expect(logged[1]).toMatchObject({ level: 'debug', fields: { method: 'Produce' } });
  });
});
