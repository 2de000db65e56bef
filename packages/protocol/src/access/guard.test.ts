import type * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import { AccessControl, type AclEntry } from '@tributary/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addBrokerService,
  addControllerAdminService,
  addRaftService,
  createBrokerClient,
  createControllerAdminClient,
} from '../clients.js';
import type {
  BrokerClient,
  BrokerHandlers,
  ControllerAdminClient,
  ControllerAdminHandlers,
  FetchRequest__Output,
  FetchResponse,
  FetchStreamResponse__Output,
  ProduceRequest__Output,
  ProduceResponse,
  ProduceStreamResponse__Output,
  RaftHandlers,
} from '../generated/index.js';
import { loadTributaryProtos } from '../protos.js';
import { serveRequestStream } from '../request-stream.js';
import { bindServer, createServer } from '../server.js';
import { handleUnary, unary } from '../unary.js';
import { GRPC_METHOD_ACCESS } from './grpc-access.js';
import { guardServer, guardStreamMessage } from './guard.js';

/** ACLs for the unauthenticated caller (what an unauthenticated test client is): the table is what is tested. */
function acl(id: string, fields: Partial<AclEntry>): AclEntry {
  return {
    id,
    resourceType: 'Topic',
    resourceName: 'a',
    patternType: 'Literal',
    principal: 'User:ANONYMOUS',
    host: '*',
    operation: 'Read',
    permission: 'Allow',
    ...fields,
  };
}

const GRANTS = [
  acl('1', { operation: 'Write' }),
  acl('2', { operation: 'Read', resourceName: 'shared-', patternType: 'Prefixed' }),
  acl('3', { resourceType: 'Group', resourceName: 'g' }),
];

const seen: { method: string; request: unknown }[] = [];

function unused(): never {
  throw new TributaryError('INVALID_REQUEST', 'not used in this test');
}

function produced(request: ProduceRequest__Output): ProduceResponse {
  seen.push({ method: 'Produce', request });
  return {
    results: request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partition, baseOffset: 7 })),
    ),
  };
}

function fetched(request: FetchRequest__Output): FetchResponse {
  seen.push({ method: 'Fetch', request });
  return {
    results: request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partition })),
    ),
  };
}

const brokerHandlers: BrokerHandlers = {
  Produce: handleUnary(async (request) => produced(request)),
  // As the broker's: each request checked with Produce's rule (guardStreamMessage), answered by its id.
  ProduceStream: (call) =>
    serveRequestStream(call, {
      handle: async (message) => {
        const request = message.request;
        if (request === null) throw new TributaryError('INVALID_REQUEST', 'request is required');
        const guarded = guardStreamMessage<ProduceRequest__Output, ProduceResponse>(call, request);
        const response =
          'answer' in guarded ? guarded.answer : (guarded.finish ?? ((r) => r))(produced(guarded.request));
        return { requestId: message.requestId, errorCode: '', errorMessage: '', response };
      },
      failed: (message, error) => ({ requestId: message.requestId, ...error, response: null }),
      order: 'concurrent',
      pendingRequestsMax: 8,
    }),
  Fetch: handleUnary(async (request) => fetched(request)),
  // As the broker's: each request checked with Fetch's rule (guardStreamMessage), answered by its id.
  FetchStream: (call) =>
    serveRequestStream(call, {
      handle: async (message) => {
        const request = message.request;
        if (request === null) throw new TributaryError('INVALID_REQUEST', 'request is required');
        const guarded = guardStreamMessage<FetchRequest__Output, FetchResponse>(call, request);
        const response =
          'answer' in guarded ? guarded.answer : (guarded.finish ?? ((r) => r))(fetched(guarded.request));
        return { requestId: message.requestId, errorCode: '', errorMessage: '', response };
      },
      failed: (message, error) => ({ requestId: message.requestId, ...error, response: null }),
      order: 'concurrent',
      pendingRequestsMax: 8,
      cancellation: { isCancel: (message) => message.cancel, idOf: (message) => message.requestId },
    }),
  Metadata: handleUnary(async (request) => {
    seen.push({ method: 'Metadata', request });
    const names = request.topics.length === 0 ? ['a', 'b', 'shared-x'] : request.topics;
    return { clusterId: 'c', topics: names.map((name) => ({ topic: { name } })) };
  }),
  ListOffsets: handleUnary(async () => unused()),
  InitProducerId: handleUnary(async () => ({ producerId: 1, producerEpoch: 0 })),
  DescribeReplicas: handleUnary(async () => ({ partitions: [] })),
  DeleteRecords: handleUnary(async () => unused()),
  DescribeProducers: handleUnary(async (request) => {
    seen.push({ method: 'DescribeProducers', request });
    return {
      results: request.topics.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.name, partition: p.partition, activeProducers: [] })),
      ),
    };
  }),
};

const adminHandlers = Object.fromEntries(
  Object.keys(GRPC_METHOD_ACCESS)
    .filter((path) => path.startsWith('/tributary.v1.ControllerAdmin/'))
    .map((path) => [
      path.slice(path.lastIndexOf('/') + 1),
      handleUnary(async () => ({ topics: [{ name: 'a' }, { name: 'b' }] })),
    ]),
) as unknown as ControllerAdminHandlers;

const OPTIONS = { deadlineMs: 5_000 };

let server: grpc.Server;
let broker: BrokerClient;
let admin: ControllerAdminClient;
let acls = new Map(GRANTS.map((entry) => [entry.id, entry]));

beforeAll(async () => {
  server = createServer();
  const access = new AccessControl(
    { enabled: true, superUsers: new Set(['User:admin']), allowEveryoneIfNoAclFound: false },
    () => acls,
  );
  guardServer(server, { access, topicNameOfId: (id) => (id === 'id-a' ? 'a' : undefined) });
  addBrokerService(server, brokerHandlers);
  addControllerAdminService(server, adminHandlers);
  const port = await bindServer(server, '127.0.0.1:0');
  broker = createBrokerClient(`127.0.0.1:${port}`);
  admin = createControllerAdminClient(`127.0.0.1:${port}`);
});

afterAll(() => {
  broker.close();
  admin.close();
  server.forceShutdown();
});

describe('the gRPC guard', () => {
  it('answers a topic the caller may not write TOPIC_AUTHORIZATION_FAILED and passes the rest on', async () => {
    seen.length = 0;
    const response = await unary(
      broker,
      'produce',
      {
        acks: -1,
        topics: [
          { name: 'a', partitions: [{ partition: 0, records: Buffer.alloc(0) }] },
          { name: 'b', partitions: [{ partition: 0 }, { partition: 1 }] },
        ],
      },
      OPTIONS,
    );
    expect(seen).toHaveLength(1);
    const handed = seen[0]?.request as { topics: { name: string }[] } | undefined;
    expect(handed?.topics.map((t) => t.name)).toEqual(['a']);
    expect(response.results.map((r) => [r.topic, r.partition, r.errorCode, String(r.baseOffset)])).toEqual([
      ['a', 0, '', '7'],
      ['b', 0, 'TOPIC_AUTHORIZATION_FAILED', '-1'],
      ['b', 1, 'TOPIC_AUTHORIZATION_FAILED', '-1'],
    ]);
  });

  it("checks every request on a ProduceStream with Produce's rule; a refused one leaves the stream open", async () => {
    seen.length = 0;
    const stream = broker.produceStream();
    const answers: ProduceStreamResponse__Output[] = [];
    const twoAnswers = new Promise<void>((resolve) => {
      stream.on('data', (answer: ProduceStreamResponse__Output) => {
        answers.push(answer);
        if (answers.length === 2) resolve();
      });
    });
    const ended = new Promise<void>((resolve) => stream.on('end', resolve));
    const part = { partition: 0, records: Buffer.alloc(0) };
    stream.write({ requestId: 1, request: { acks: -1, topics: [{ name: 'b', partitions: [part] }] } });
    stream.write({
      requestId: 2,
      request: {
        acks: -1,
        topics: [
          { name: 'a', partitions: [part] },
          { name: 'b', partitions: [part] },
        ],
      },
    });
    await twoAnswers;
    stream.end();
    await ended;
    const byId = new Map(answers.map((answer) => [answer.requestId, answer]));
    expect(byId.get(1)?.response?.results.map((r) => [r.topic, r.errorCode])).toEqual([
      ['b', 'TOPIC_AUTHORIZATION_FAILED'],
    ]);
    expect(byId.get(2)?.response?.results.map((r) => [r.topic, r.errorCode])).toEqual([
      ['a', ''],
      ['b', 'TOPIC_AUTHORIZATION_FAILED'],
    ]);
    const handed = seen.map((s) => (s.request as { topics: { name: string }[] }).topics.map((t) => t.name));
    expect(handed).toEqual([['a']]);
  });

  it("checks every request on a FetchStream with Fetch's rule; a refused one leaves the stream open", async () => {
    seen.length = 0;
    const stream = broker.fetchStream();
    const answers: FetchStreamResponse__Output[] = [];
    const twoAnswers = new Promise<void>((resolve) => {
      stream.on('data', (answer: FetchStreamResponse__Output) => {
        answers.push(answer);
        if (answers.length === 2) resolve();
      });
    });
    const ended = new Promise<void>((resolve) => stream.on('end', resolve));
    const partitions = [{ partition: 0, fetchOffset: 0 }];
    stream.write({ requestId: 1, request: { topics: [{ name: 'a', partitions }] } });
    stream.write({
      requestId: 2,
      request: {
        topics: [
          { name: 'shared-x', partitions },
          { name: 'a', partitions },
        ],
      },
    });
    await twoAnswers;
    stream.end();
    await ended;
    const byId = new Map(answers.map((answer) => [answer.requestId, answer]));
    expect(byId.get(1)?.response?.results.map((r) => [r.topic, r.errorCode])).toEqual([
      ['a', 'TOPIC_AUTHORIZATION_FAILED'],
    ]);
    expect(byId.get(2)?.response?.results.map((r) => [r.topic, r.errorCode])).toEqual([
      ['shared-x', ''],
      ['a', 'TOPIC_AUTHORIZATION_FAILED'],
    ]);
    // Only the allowed topic reached the handler (Read on "a" is not granted, only Write).
    const handed = seen.map((s) => (s.request as { topics: { name: string }[] }).topics.map((t) => t.name));
    expect(handed).toEqual([['shared-x']]);
  });

  it('answers without the handler when nothing is allowed', async () => {
    seen.length = 0;
    const response = await unary(
      broker,
      'fetch',
      {
        topics: [{ name: 'a', partitions: [{ partition: 0 }] }],
      },
      OPTIONS,
    );
    expect(seen).toHaveLength(0);
    expect(response.results[0]?.errorCode).toBe('TOPIC_AUTHORIZATION_FAILED');
    const prefixed = await unary(
      broker,
      'fetch',
      {
        topics: [{ name: 'shared-x', partitions: [{ partition: 0 }] }],
      },
      OPTIONS,
    );
    expect(prefixed.results[0]?.errorCode).toBe('');
  });

  it('describes producers only of topics the caller may Read (Kafka: Read, not Describe)', async () => {
    seen.length = 0;
    const response = await unary(
      broker,
      'describeProducers',
      {
        topics: [
          { name: 'shared-x', partitions: [{ partition: 0 }] },
          { name: 'a', partitions: [{ partition: 1 }] },
        ],
      },
      OPTIONS,
    );
    const handed = seen[0]?.request as { topics: { name: string }[] } | undefined;
    expect(handed?.topics.map((t) => t.name)).toEqual(['shared-x']);
    expect(response.results.map((r) => [r.topic, r.partition, r.errorCode])).toEqual([
      ['shared-x', 0, ''],
      ['a', 1, 'TOPIC_AUTHORIZATION_FAILED'],
    ]);
  });

  it('shows in metadata only the topics the caller may describe; names it may not are refused', async () => {
    const all = await unary(broker, 'metadata', { topics: [] }, OPTIONS);
    expect(all.topics.map((t) => t.topic?.name)).toEqual(['a', 'shared-x']);
    const named = await unary(
      broker,
      'metadata',
      { topics: ['b', 'a'], allowAutoTopicCreation: true },
      OPTIONS,
    );
    expect(named.topics.map((t) => [t.topic?.name, t.errorCode])).toEqual([
      ['a', ''],
      ['b', 'TOPIC_AUTHORIZATION_FAILED'],
    ]);
    const request = seen.at(-1)?.request as { allowAutoTopicCreation: boolean };
    expect(request.allowAutoTopicCreation).toBe(false);
  });

  it('lets a topic Write stand for IdempotentWrite (KIP-679); cluster methods need the cluster operation', async () => {
    await expect(unary(broker, 'initProducerId', {}, OPTIONS)).resolves.toMatchObject({ producerId: 1 });
    await expect(unary(broker, 'describeReplicas', {}, OPTIONS)).rejects.toMatchObject({
      code: 'CLUSTER_AUTHORIZATION_FAILED',
    });
  });

  it('filters ListTopics, refuses topic admin by name or id, and follows ACL changes at once', async () => {
    const listed = await unary(admin, 'listTopics', {}, OPTIONS);
    expect(listed.topics.map((t) => t.name)).toEqual(['a']);
    await expect(unary(admin, 'deleteTopic', { topicId: 'id-a' }, OPTIONS)).rejects.toMatchObject({
      code: 'TOPIC_AUTHORIZATION_FAILED',
    });
    await expect(unary(admin, 'createAcls', {}, OPTIONS)).rejects.toMatchObject({
      code: 'CLUSTER_AUTHORIZATION_FAILED',
    });
    acls = new Map([...acls, ['4', acl('4', { operation: 'Delete' })]]);
    await expect(unary(admin, 'deleteTopic', { topicId: 'id-a' }, OPTIONS)).resolves.toBeDefined();
    acls = new Map(GRANTS.map((entry) => [entry.id, entry]));
    await expect(unary(admin, 'deleteTopic', { name: 'a' }, OPTIONS)).rejects.toMatchObject({
      code: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });
});

describe('GRPC_METHOD_ACCESS', () => {
  it('names every method of every service a process serves, and nothing else', () => {
    const protos = loadTributaryProtos();
    const served = new Set<string>([
      '/grpc.health.v1.Health/Check',
      '/grpc.health.v1.Health/Watch',
      '/grpc.health.v1.Health/List',
      '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
    ]);
    for (const service of Object.values(protos)) {
      if (typeof service !== 'function' || !('service' in service)) continue;
      for (const definition of Object.values((service as unknown as grpc.ServiceClientConstructor).service)) {
        served.add(definition.path);
      }
    }
    expect(new Set(Object.keys(GRPC_METHOD_ACCESS))).toEqual(served);
  });

  it('refuses to serve a method the table does not name', () => {
    const bare = createServer();
    guardServer(bare, {
      access: new AccessControl(
        { enabled: true, superUsers: new Set(), allowEveryoneIfNoAclFound: false },
        () => new Map(),
      ),
      topicNameOfId: () => undefined,
      methods: {},
    });
    expect(() => addRaftService(bare, {} as RaftHandlers)).toThrow(/no entry in GRPC_METHOD_ACCESS/);
    bare.forceShutdown();
  });
});
