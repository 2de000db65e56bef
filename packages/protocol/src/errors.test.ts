import type * as grpc from '@grpc/grpc-js';
import { AssertionError, TributaryError } from '@tributary/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addControllerAdminService, createControllerAdminClient } from './clients.js';
import { fromServiceError, toServiceError } from './errors.js';
import type {
  ControllerAdminClient,
  ControllerAdminHandlers,
} from './generated/tributary/v1/ControllerAdmin.js';
import { bindServer, createServer, shutdownServer } from './server.js';
import { handleUnary, unary } from './unary.js';

function notImplemented(): never {
  throw new TributaryError('INVALID_REQUEST', 'not used in this test');
}

/** A ControllerAdmin whose handlers throw what the topic name asks for. */
function throwingAdmin(unexpected: unknown[]): ControllerAdminHandlers {
  const onUnexpectedError = (error: unknown) => unexpected.push(error);
  return {
    CreateTopic: handleUnary(
      async (request) => {
        switch (request.name) {
          case 'not-controller':
            throw new TributaryError('NOT_CONTROLLER', 'ask node 2', {
              leaderHint: { id: 2, address: '10.0.0.2:9093' },
            });
          case 'exists':
            throw new TributaryError('TOPIC_ALREADY_EXISTS', 'topic "exists" already exists');
          case 'assert':
            throw new AssertionError('commit index passed log end');
          case 'sync-throw':
            throw 'a string';
          case 'hang':
            return new Promise(() => {});
          default:
            return { topic: { name: request.name, topicId: 'id-1', partitions: [], configs: [] } };
        }
      },
      { onUnexpectedError },
    ),
    DeleteTopic: handleUnary(async () => notImplemented()),
    CreatePartitions: handleUnary(async () => notImplemented()),
    AlterTopicConfigs: handleUnary(async () => notImplemented()),
    ListTopics: handleUnary(async () => ({ topics: [] })),
    DescribeTopics: handleUnary(async () => notImplemented()),
    DescribeCluster: handleUnary(async () => notImplemented()),
    DescribeQuorum: handleUnary(async () => notImplemented()),
    AlterPartitionReassignments: handleUnary(async () => notImplemented()),
    ListPartitionReassignments: handleUnary(async () => notImplemented()),
    ElectLeaders: handleUnary(async () => notImplemented()),
    DecommissionBroker: handleUnary(async () => notImplemented()),
    AddVoter: handleUnary(async () => notImplemented()),
    RemoveVoter: handleUnary(async () => notImplemented()),
    CreateAcls: handleUnary(async () => notImplemented()),
    DeleteAcls: handleUnary(async () => notImplemented()),
    DescribeAcls: handleUnary(async () => notImplemented()),
    AlterUserScramCredentials: handleUnary(async () => notImplemented()),
    DescribeUserScramCredentials: handleUnary(async () => notImplemented()),
    AlterClientQuotas: handleUnary(async () => notImplemented()),
    DescribeClientQuotas: handleUnary(async () => notImplemented()),
  };
}

describe('errors across a real gRPC server', () => {
  let server: grpc.Server;
  let client: ControllerAdminClient;
  const unexpected: unknown[] = [];

  beforeAll(async () => {
    server = createServer();
    addControllerAdminService(server, throwingAdmin(unexpected));
    const port = await bindServer(server, '127.0.0.1:0');
    client = createControllerAdminClient(`127.0.0.1:${port}`);
  });

  afterAll(async () => {
    client.close();
    await shutdownServer(server);
  });

  const create = (name: string, deadlineMs = 5_000) =>
    unary(client, 'createTopic', { name, partitions: 1, replicationFactor: 1 }, { deadlineMs });

  it('returns the response of a successful call', async () => {
    const response = await create('orders');
    expect(response.topic?.name).toBe('orders');
    expect(response.topic?.partitions).toEqual([]);
  });

  it('carries the code, message and leader hint of a TributaryError', async () => {
    const error = await create('not-controller').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({
      code: 'NOT_CONTROLLER',
      message: 'ask node 2',
      retriable: true,
      leaderHint: { id: 2, address: '10.0.0.2:9093' },
    });
  });

  it('keeps non-retriable codes non-retriable', async () => {
    const error = await create('exists').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOPIC_ALREADY_EXISTS', retriable: false, leaderHint: undefined });
  });

  it('sends bugs as INTERNAL/UNKNOWN with a one-line message and no stack', async () => {
    const error = await create('assert').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNKNOWN', message: 'AssertionError: commit index passed log end' });
    const thrown = await create('sync-throw').catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: 'UNKNOWN', message: 'thrown: a string' });
    expect(unexpected).toHaveLength(2);
    expect(unexpected[0]).toBeInstanceOf(AssertionError);
  });

  it('rejects with REQUEST_TIMED_OUT when the deadline passes', async () => {
    const startMs = performance.now();
    const error = await create('hang', 150).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REQUEST_TIMED_OUT', retriable: true });
    // Without the deadline the call would hang until the test times out; loose for loaded CI machines.
    expect(performance.now() - startMs).toBeLessThan(10_000);
  });

  it('cancels a call when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = unary(
      client,
      'createTopic',
      { name: 'hang' },
      { deadlineMs: 10_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(TributaryError);
  });

  it('classifies an unreachable server as retriable LEADER_NOT_AVAILABLE', async () => {
    const nowhere = createControllerAdminClient('127.0.0.1:1');
    try {
      const error = await unary(nowhere, 'listTopics', {}, { deadlineMs: 5_000 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LEADER_NOT_AVAILABLE', retriable: true });
    } finally {
      nowhere.close();
    }
  });
});

describe('toServiceError / fromServiceError', () => {
  it('round-trip every field without a network', () => {
    const original = new TributaryError('NOT_LEADER', 'moved', { leaderHint: { id: 7, address: 'b7:9092' } });
    const status = toServiceError(original);
    expect(status.code).toBe(14); // UNAVAILABLE
    const decoded = fromServiceError(status);
    expect(decoded).toMatchObject({
      code: 'NOT_LEADER',
      message: 'moved',
      leaderHint: { id: 7, address: 'b7:9092' },
    });
  });

  it('ignores an unknown code in the trailer and falls back to the status', () => {
    const status = toServiceError(new TributaryError('UNKNOWN_TOPIC', 'gone'));
    status.metadata.set('tributary-error-code', 'NOT_A_CODE');
    expect(fromServiceError(status).code).toBe('UNKNOWN');
    expect(fromServiceError({ code: 4, details: 'late' })).toMatchObject({
      code: 'REQUEST_TIMED_OUT',
      message: 'DEADLINE_EXCEEDED: late',
    });
  });
});
