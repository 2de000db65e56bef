/**
 * Property-based fuzzing (issue 6 item 3) of every method of the ControllerAdmin and BrokerLifecycle
 * services over real gRPC, on an in-process one-voter controller: malformed, oversized and
 * boundary-valued requests, and raw bytes that may not be a protobuf message. Each call must end
 * before its deadline with OK or a typed error, nothing may reach onFatal (which exits a real
 * process), and afterwards the controller still serves and a topic created before the run is intact.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import {
  asTributaryError,
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  createMetadataStreamClient,
  type MetadataStreamClient,
  type UnaryMethodName,
  type UnaryRequest,
  unary,
} from '@tributary/protocol';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControllerHandle, startController } from '../controller-node.js';
import { controllerRequests } from './arbitraries.js';
import {
  assertProperty,
  expectCleanOutcome,
  FUZZ_CALL_DEADLINE_MS,
  isDeserializeError,
  RawClient,
  rawRequestBodies,
} from './harness.js';

const KEPT_TOPIC = 'kept-before-fuzz';
/** FUZZ_RUNS scales a local exploratory run up; CI keeps the default. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 150);

function call<C extends grpc.Client>(
  client: C,
  method: UnaryMethodName<C>,
  request: unknown,
): Promise<unknown> {
  return unary(client, method, request as UnaryRequest<C, typeof method>, {
    deadlineMs: FUZZ_CALL_DEADLINE_MS,
  });
}

/** Reads a non-following FetchMetadata stream to its end; 'hang' when it outlives the fuzz deadline. */
function readStream(
  client: MetadataStreamClient,
  fromOffset: number,
): Promise<{ outcome: 'end' | 'error' | 'hang'; detail: string }> {
  return new Promise((resolve) => {
    const stream = client.FetchMetadata(
      { fromOffset, follow: false },
      { deadline: Date.now() + FUZZ_CALL_DEADLINE_MS },
    );
    let events = 0;
    stream.on('data', () => {
      events++;
    });
    stream.on('end', () => resolve({ outcome: 'end', detail: `${events} events` }));
    stream.on('error', (error: unknown) => {
      const tributary = asTributaryError(error);
      const outcome = tributary.code === 'REQUEST_TIMED_OUT' ? 'hang' : 'error';
      resolve({ outcome, detail: `${tributary.code}: ${tributary.message}` });
    });
  });
}

async function waitUntil(what: string, condition: () => boolean): Promise<void> {
  const endMs = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > endMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('gRPC fuzzing of the ControllerAdmin and BrokerLifecycle services', () => {
  let dir: string;
  let controller: ControllerHandle;
  let admin: ControllerAdminClient;
  const fatalErrors: unknown[] = [];
  const clients: Array<{ close(): void }> = [];
  let keptTopicId = '';
  let heartbeats: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-controller-fuzz-'));
    controller = await startController({
      nodeId: 1,
      listen: '127.0.0.1:0',
      dataDir: join(dir, 'controller'),
      voters: [{ id: 1, address: '127.0.0.1:0' }],
      logger: pino({ level: 'silent' }),
      sessionTimeoutMs: 3_000,
      onFatal: (error) => fatalErrors.push(error),
    });
    await waitUntil('the controller to become active', () => controller.isActive());
    const address = `127.0.0.1:${controller.port}`;
    admin = createControllerAdminClient(address);
    clients.push(admin);
    // A live broker so that topics can be placed, then a topic that must survive the run.
    const lifecycle = createBrokerLifecycleClient(address);
    clients.push(lifecycle);
    const { brokerEpoch } = await unary(
      lifecycle,
      'RegisterBroker',
      { brokerId: 1, incarnationId: 'fuzz', address: '127.0.0.1:1', rack: '' },
      { deadlineMs: 10_000 },
    );
    await unary(
      lifecycle,
      'BrokerHeartbeat',
      { brokerId: 1, brokerEpoch, metadataOffset: Number.MAX_SAFE_INTEGER, wantFence: false },
      { deadlineMs: 10_000 },
    );
    // Keep broker 1 unfenced for the whole run, so that valid CreateTopic requests succeed.
    heartbeats = setInterval(() => {
      unary(
        lifecycle,
        'BrokerHeartbeat',
        { brokerId: 1, brokerEpoch, metadataOffset: Number.MAX_SAFE_INTEGER },
        { deadlineMs: 2_000 },
      ).catch(() => undefined);
    }, 300);
    const created = await unary(
      admin,
      'CreateTopic',
      { name: KEPT_TOPIC, partitions: 2, replicationFactor: 1 },
      { deadlineMs: 10_000 },
    );
    keptTopicId = created.topic?.topicId ?? '';
    expect(keptTopicId).not.toBe('');
  }, 60_000);

  afterAll(async () => {
    clearInterval(heartbeats);
    for (const client of clients) client.close();
    await controller?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  const requests = controllerRequests(['fuzz-topic']);
  const services = [
    {
      service: 'ControllerAdmin',
      methods: [
        'CreateTopic',
        'DeleteTopic',
        'CreatePartitions',
        'AlterTopicConfigs',
        'ListTopics',
        'DescribeTopics',
        'DescribeCluster',
        'DescribeQuorum',
        'AlterPartitionReassignments',
        'ListPartitionReassignments',
        'ElectLeaders',
        'DecommissionBroker',
        'RemoveVoter',
      ],
    },
    {
      service: 'BrokerLifecycle',
      methods: ['RegisterBroker', 'BrokerHeartbeat', 'AlterPartition', 'AllocateProducerIds'],
    },
  ] as const;

  function invokerFor(service: 'ControllerAdmin' | 'BrokerLifecycle') {
    const address = `127.0.0.1:${controller.port}`;
    if (service === 'ControllerAdmin') {
      const client = createControllerAdminClient(address);
      clients.push(client);
      return (method: string, request: unknown) =>
        call(client, method as UnaryMethodName<typeof client>, request);
    }
    const client = createBrokerLifecycleClient(address);
    clients.push(client);
    return (method: string, request: unknown) =>
      call(client, method as UnaryMethodName<typeof client>, request);
  }

  for (const { service, methods } of services) {
    for (const method of methods) {
      it(`${service}.${method} ends cleanly for any request`, async () => {
        const invoke = invokerFor(service);
        const arbitrary: fc.Arbitrary<unknown> = requests[method];
        let succeeded = 0;
        await assertProperty(
          fc.asyncProperty(arbitrary, async (request) => {
            if ((await expectCleanOutcome(`${service}.${method}`, invoke(method, request))).ok) succeeded++;
          }),
          NUM_RUNS,
        );
        expect(fatalErrors).toEqual([]);
        // The arbitraries are not so hostile that nothing valid gets through to the state machine.
        if (method === 'CreateTopic' || method === 'DescribeTopics') expect(succeeded).toBeGreaterThan(0);
      }, 90_000);
    }
  }

  it('every method ends cleanly for raw bytes: random, or a valid encoding truncated or with a flipped byte', async () => {
    const raw = new RawClient(`127.0.0.1:${controller.port}`);
    clients.push(raw);
    await assertProperty(
      fc.asyncProperty(rawRequestBodies(services, requests), async ({ path, bytes }) => {
        await expectCleanOutcome(path, raw.call(path, bytes), isDeserializeError);
      }),
      400,
    );
    expect(fatalErrors).toEqual([]);
  }, 90_000);

  it('MetadataStream.FetchMetadata without follow ends cleanly from any offset', async () => {
    const client = createMetadataStreamClient(`127.0.0.1:${controller.port}`);
    clients.push(client);
    const fromOffset = fc.oneof(
      fc.constantFrom(0, 1, 2 ** 32, Number.MAX_SAFE_INTEGER),
      fc.nat(200),
      fc.maxSafeNat(),
    );
    await assertProperty(
      fc.asyncProperty(fromOffset, async (offset) => {
        const events = await readStream(client, offset);
        expect(events.outcome, `fromOffset ${offset}: ${events.detail}`).not.toBe('hang');
        expect(events.outcome === 'error' && events.detail.startsWith('UNKNOWN'), events.detail).toBe(false);
      }),
      NUM_RUNS,
    );
    expect(fatalErrors).toEqual([]);
  }, 60_000);

  it('after the fuzzing the controller is still active and serving, and the topic created before is intact', async () => {
    expect(controller.isActive()).toBe(true);
    const described = await unary(admin, 'DescribeTopics', { names: [KEPT_TOPIC] }, { deadlineMs: 10_000 });
    expect(described.topics[0]).toMatchObject({ name: KEPT_TOPIC, topicId: keptTopicId });
    expect(described.topics[0]?.partitions).toHaveLength(2);
    expect(fatalErrors).toEqual([]);
  }, 30_000);
});
