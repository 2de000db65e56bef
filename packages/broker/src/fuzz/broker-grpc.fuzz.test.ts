/**
 * Property-based fuzzing (issue 6 item 3) of every method of the Broker, Replication and
 * GroupCoordinator services over real gRPC: malformed, truncated, oversized and boundary-valued
 * requests, and raw bytes that are not a valid protobuf message. Each call must end before its
 * deadline with OK or a typed error; afterwards the broker still serves a valid request and every
 * batch acknowledged before the run reads back unchanged.
 */
import type * as grpc from '@grpc/grpc-js';
import {
  type BrokerClient,
  createBrokerClient,
  createControllerAdminClient,
  createGroupCoordinatorClient,
  createReplicationClient,
  type UnaryMethodName,
  type UnaryRequest,
  unary,
} from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerHandle } from '../node/broker-node.js';
import {
  assertProperty,
  expectCleanOutcome,
  FUZZ_CALL_DEADLINE_MS,
  FuzzCluster,
  isDeserializeError,
  RawClient,
  rawRequestBodies,
  waitUntil,
} from './harness.js';
import { brokerRequests } from './requests.js';

const TOPIC = 'fuzz-acked';
const ACKED_BATCHES = 5;
/** FUZZ_RUNS scales a local exploratory run up; CI keeps the default. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 200);

function call<C extends grpc.Client>(
  client: C,
  method: UnaryMethodName<C>,
  request: unknown,
): Promise<unknown> {
  return unary(client, method, request as UnaryRequest<C, typeof method>, {
    deadlineMs: FUZZ_CALL_DEADLINE_MS,
  });
}

async function produceAcked(client: BrokerClient): Promise<Buffer[]> {
  const values: Buffer[] = [];
  for (let i = 0; i < ACKED_BATCHES; i++) {
    const value = Buffer.from(`acked-${i}`);
    const records = encodeRecordBatch({ records: [{ key: null, value, timestampMs: 1_000 + i }] });
    await waitUntil(`batch ${i} to be acknowledged`, async () => {
      const response = await unary(
        client,
        'Produce',
        { acks: -1, timeoutMs: 5_000, topics: [{ name: TOPIC, partitions: [{ partition: 0, records }] }] },
        { deadlineMs: 10_000 },
      );
      return response.results[0]?.errorCode === '' && response.results[0].baseOffset === i;
    });
    values.push(value);
  }
  return values;
}

async function readAcked(client: BrokerClient): Promise<Buffer> {
  const fetched = await unary(
    client,
    'Fetch',
    {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1024 * 1024,
      topics: [
        {
          name: TOPIC,
          partitions: [
            { partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 * 1024, currentLeaderEpoch: -1 },
          ],
        },
      ],
    },
    { deadlineMs: 10_000 },
  );
  expect(fetched.results[0]?.errorCode).toBe('');
  return fetched.results[0]?.records ?? Buffer.alloc(0);
}

describe('gRPC fuzzing of the Broker, Replication and GroupCoordinator services', () => {
  let cluster: FuzzCluster;
  let broker: BrokerHandle;
  let brokerClient: BrokerClient;
  let ackedBytes: Buffer;

  beforeAll(async () => {
    cluster = await FuzzCluster.start();
    broker = await cluster.startBroker(1);
    await cluster.waitUnfenced();
    const admin = cluster.track(createControllerAdminClient(cluster.controllerAddress));
    await unary(
      admin,
      'CreateTopic',
      { name: TOPIC, partitions: 1, replicationFactor: 1 },
      { deadlineMs: 10_000 },
    );
    brokerClient = cluster.track(createBrokerClient(`127.0.0.1:${broker.port}`));
    await produceAcked(brokerClient);
    ackedBytes = await readAcked(brokerClient);
    expect(ackedBytes.length).toBeGreaterThan(0);
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  const requests = brokerRequests([TOPIC]);
  const services = [
    {
      service: 'Broker',
      methods: [
        'Produce',
        'Fetch',
        'ListOffsets',
        'Metadata',
        'InitProducerId',
        'DescribeReplicas',
        'DeleteRecords',
        'DescribeProducers',
      ],
    },
    { service: 'Replication', methods: ['ReplicaFetch'] },
    {
      service: 'GroupCoordinator',
      methods: [
        'FindCoordinator',
        'GroupHeartbeat',
        'OffsetCommit',
        'OffsetFetch',
        'ListGroups',
        'DescribeGroup',
        'DeleteGroupOffsets',
      ],
    },
  ] as const;

  for (const { service, methods } of services) {
    for (const method of methods) {
      it(`${service}.${method} ends cleanly for any request`, async () => {
        const address = `127.0.0.1:${broker.port}`;
        const arbitrary: fc.Arbitrary<unknown> = requests[method];
        const invoke = clientFor(service, address);
        let succeeded = 0;
        await assertProperty(
          fc.asyncProperty(arbitrary, async (request) => {
            const outcome = await expectCleanOutcome(`${service}.${method}`, invoke(method, request));
            if (outcome.ok) succeeded++;
          }),
          NUM_RUNS,
        );
        // The arbitraries are not so hostile that nothing gets past validation.
        if (method === 'Produce' || method === 'Fetch' || method === 'Metadata') {
          expect(succeeded).toBeGreaterThan(0);
        }
      }, 60_000);
    }
  }

  function clientFor(service: 'Broker' | 'Replication' | 'GroupCoordinator', address: string) {
    switch (service) {
      case 'Broker': {
        const client = cluster.track(createBrokerClient(address));
        return (method: string, request: unknown) =>
          call(client, method as UnaryMethodName<typeof client>, request);
      }
      case 'Replication': {
        const client = cluster.track(createReplicationClient(address));
        return (method: string, request: unknown) =>
          call(client, method as UnaryMethodName<typeof client>, request);
      }
      case 'GroupCoordinator': {
        const client = cluster.track(createGroupCoordinatorClient(address));
        return (method: string, request: unknown) =>
          call(client, method as UnaryMethodName<typeof client>, request);
      }
    }
  }

  it('every method ends cleanly for raw bytes: random, or a valid encoding truncated or with a flipped byte', async () => {
    const raw = cluster.track(new RawClient(`127.0.0.1:${broker.port}`));
    await assertProperty(
      fc.asyncProperty(rawRequestBodies(services, requests), async ({ path, bytes }) => {
        await expectCleanOutcome(path, raw.call(path, bytes), isDeserializeError);
      }),
      400,
    );
  }, 90_000);

  it('after the fuzzing the broker still serves, and every acknowledged batch reads back unchanged', async () => {
    const metadata = await unary(brokerClient, 'Metadata', { topics: [TOPIC] }, { deadlineMs: 10_000 });
    expect(metadata.topics[0]?.errorCode).toBe('');
    const after = await readAcked(brokerClient);
    // Fuzzed valid batches may have been appended after them; the acknowledged prefix is untouched.
    expect(after.subarray(0, ackedBytes.length).equals(ackedBytes)).toBe(true);
  }, 30_000);
});
