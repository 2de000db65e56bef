/**
 * serveRequestStream and guardStreamMessage on a real grpc-js server on 127.0.0.1 (the Replication
 * service's ReplicaFetchStream): a refused or failed request is answered with its code and the stream stays
 * open; the access rule is applied to every message (an ACL removed mid-stream refuses the next request);
 * a client with more requests pending than the stream admits has the stream ended RESOURCE_EXHAUSTED.
 */
import type * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { AccessControl, type AclEntry } from '@tributary/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardServer, guardStreamMessage } from './access/guard.js';
import { addReplicationService, createReplicationClient } from './clients.js';
import { asTributaryError } from './errors.js';
import type {
  ReplicaFetchRequest,
  ReplicaFetchRequest__Output,
  ReplicaFetchResponse,
  ReplicaFetchStreamResponse__Output,
  ReplicationClient,
} from './generated/index.js';
import { serveRequestStream } from './request-stream.js';
import { bindServer, createServer } from './server.js';
import { handleUnary } from './unary.js';

const CLUSTER_ACTION: AclEntry = {
  id: '1',
  resourceType: 'Cluster',
  resourceName: 'kafka-cluster',
  patternType: 'Literal',
  principal: 'User:ANONYMOUS',
  host: '*',
  operation: 'ClusterAction',
  permission: 'Allow',
};

let acls = new Map<string, AclEntry>();
let server: grpc.Server;
let client: ReplicationClient;
/** Requests parked by the handler (max_wait_ms 1 means "park"), released by the test. */
const parked: (() => void)[] = [];

beforeAll(async () => {
  server = createServer();
  const access = new AccessControl(
    { enabled: true, superUsers: new Set(), allowEveryoneIfNoAclFound: false },
    () => acls,
  );
  guardServer(server, { access, topicNameOfId: () => undefined });
  addReplicationService(server, {
    ReplicaFetch: handleUnary(async () => ({ results: [] })),
    ReplicaFetchStream: (call) =>
      serveRequestStream(call, {
        handle: async (request: ReplicaFetchRequest__Output) => {
          const guarded = guardStreamMessage<ReplicaFetchRequest__Output, ReplicaFetchResponse>(
            call,
            request,
          );
          if ('answer' in guarded) throw new Error('a cluster rule never answers');
          if (request.replicaId === 0) throw new TributaryError('NOT_LEADER', 'refused');
          if (request.maxWaitMs === 1) await new Promise<void>((resolve) => parked.push(resolve));
          return { errorCode: '', errorMessage: '', response: { results: [] } };
        },
        failed: (_request, error) => ({ ...error, response: null }),
        order: 'serial',
        pendingRequestsMax: 2,
      }),
  });
  const port = await bindServer(server, '127.0.0.1:0');
  client = createReplicationClient(`127.0.0.1:${port}`);
});

afterAll(() => {
  for (const release of parked.splice(0)) release();
  client.close();
  server.forceShutdown();
});

/** A stream whose answers and end are collected in order. */
function openStream(): {
  call: grpc.ClientDuplexStream<ReplicaFetchRequest, ReplicaFetchStreamResponse__Output>;
  next: () => Promise<ReplicaFetchStreamResponse__Output>;
  ended: Promise<TributaryError | null>;
} {
  const call = client.replicaFetchStream();
  const answers: ReplicaFetchStreamResponse__Output[] = [];
  const waiting: ((answer: ReplicaFetchStreamResponse__Output) => void)[] = [];
  call.on('data', (answer: ReplicaFetchStreamResponse__Output) => {
    const take = waiting.shift();
    if (take === undefined) answers.push(answer);
    else take(answer);
  });
  const ended = new Promise<TributaryError | null>((resolve) => {
    call.on('error', (error) => resolve(asTributaryError(error)));
    call.on('end', () => resolve(null));
  });
  const next = () => {
    const answer = answers.shift();
    if (answer !== undefined) return Promise.resolve(answer);
    return new Promise<ReplicaFetchStreamResponse__Output>((resolve) => waiting.push(resolve));
  };
  return { call, next, ended };
}

function request(replicaId: number, maxWaitMs = 0): ReplicaFetchRequest {
  return { replicaId, brokerEpoch: 1, maxWaitMs, minBytes: 1, maxBytes: 1024, partitions: [] };
}

describe('serveRequestStream', () => {
  it('answers a failed request with its code and keeps the stream open', async () => {
    acls = new Map([['1', CLUSTER_ACTION]]);
    const stream = openStream();
    stream.call.write(request(0));
    const refused = await stream.next();
    expect(refused.errorCode).toBe('NOT_LEADER');
    expect(refused.response).toBeNull();
    stream.call.write(request(2));
    const answered = await stream.next();
    expect(answered.errorCode).toBe('');
    expect(answered.response).toEqual({ results: [] });
    stream.call.end();
    expect(await stream.ended).toBeNull();
  });

  it('checks every message: an ACL removed while the stream is open refuses the next request', async () => {
    acls = new Map([['1', CLUSTER_ACTION]]);
    const stream = openStream();
    stream.call.write(request(2));
    expect((await stream.next()).errorCode).toBe('');
    acls = new Map();
    stream.call.write(request(2));
    expect((await stream.next()).errorCode).toBe('CLUSTER_AUTHORIZATION_FAILED');
    acls = new Map([['1', CLUSTER_ACTION]]);
    stream.call.write(request(2));
    expect((await stream.next()).errorCode).toBe('');
    stream.call.end();
    expect(await stream.ended).toBeNull();
  });

  it('refuses to open the stream for a caller without the cluster permission', async () => {
    acls = new Map();
    const stream = openStream();
    stream.call.write(request(2));
    expect((await stream.ended)?.code).toBe('CLUSTER_AUTHORIZATION_FAILED');
  });

  it('ends a stream that has more requests pending than it admits', async () => {
    acls = new Map([['1', CLUSTER_ACTION]]);
    const stream = openStream();
    for (let i = 0; i < 3; i += 1) stream.call.write(request(2, 1));
    expect((await stream.ended)?.code).toBe('RESOURCE_EXHAUSTED');
    for (const release of parked.splice(0)) release();
  });
});
