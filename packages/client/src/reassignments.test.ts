import type * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import {
  addControllerAdminService,
  bindServer,
  type ControllerAdminHandlers,
  createServer,
  handleUnary,
  type PartitionInfo,
  shutdownServer,
} from '@tributary/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Admin } from './admin.js';
import { TributaryClient } from './client.js';
import { type FakeCluster, startFakeCluster } from './testing/fake-broker.js';

/** A minimal ControllerAdmin fake for the scaling-out calls: canned answers, recorded requests. */
interface FakeAdmin {
  readonly address: string;
  readonly requests: { method: string; request: unknown }[];
  /** When set, every call fails with NOT_CONTROLLER pointing here. */
  redirectTo: string | undefined;
  stop(): Promise<void>;
}

const moving: PartitionInfo = {
  partition: 0,
  leader: 1,
  leaderEpoch: 3,
  partitionEpoch: 5,
  replicas: [1, 2, 3],
  isr: [1, 2],
  addingReplicas: [3],
  removingReplicas: [2],
};

async function startFakeAdmin(): Promise<FakeAdmin> {
  const fake: FakeAdmin = {
    address: '',
    requests: [],
    redirectTo: undefined,
    stop: async () => undefined,
  };
  const record = (method: string, request: unknown) => {
    fake.requests.push({ method, request });
    if (fake.redirectTo !== undefined) {
      throw new TributaryError('NOT_CONTROLLER', 'not me', {
        leaderHint: { id: 9, address: fake.redirectTo },
      });
    }
  };
  const unbuilt = Object.fromEntries(
    ['CreateTopic', 'DeleteTopic', 'CreatePartitions', 'AlterTopicConfigs', 'ListTopics', 'DescribeTopics']
      .concat(['DescribeCluster', 'DescribeQuorum', 'AddVoter', 'RemoveVoter'])
      .map((m) => [
        m,
        handleUnary(async () => {
          throw new TributaryError('INVALID_REQUEST', 'not in this fake');
        }),
      ]),
  );
  const scaling: Pick<
    ControllerAdminHandlers,
    'AlterPartitionReassignments' | 'ListPartitionReassignments' | 'ElectLeaders' | 'DecommissionBroker'
  > = {
    AlterPartitionReassignments: handleUnary(async (request) => {
      record('AlterPartitionReassignments', request);
      return {
        results: request.targets.map((t) =>
          t.topic === 'missing'
            ? {
                topic: t.topic,
                partition: t.partition,
                errorCode: 'UNKNOWN_TOPIC_OR_PARTITION',
                errorMessage: 'no',
              }
            : { topic: t.topic, partition: t.partition, errorCode: '', partitionInfo: moving },
        ),
      };
    }),
    ListPartitionReassignments: handleUnary(async (request) => {
      record('ListPartitionReassignments', request);
      return { reassignments: [{ topic: 'orders', partition: moving }], throttleBytesPerSec: 1_000_000 };
    }),
    ElectLeaders: handleUnary(async (request) => {
      record('ElectLeaders', request);
      return {
        results: [
          { topic: 'orders', partition: 0, errorCode: '', leader: 2 },
          {
            topic: 'orders',
            partition: 1,
            errorCode: 'ELECTION_NOT_NEEDED',
            errorMessage: 'leads',
            leader: 1,
          },
          { topic: 'orders', partition: 2, errorCode: 'PREFERRED_LEADER_NOT_AVAILABLE', leader: -1 },
        ],
      };
    }),
    DecommissionBroker: handleUnary(async (request) => {
      record('DecommissionBroker', request);
      return { reassignments: request.cancel ? [] : [{ topic: 'orders', partition: moving }] };
    }),
  };
  const handlers = { ...unbuilt, ...scaling } as unknown as ControllerAdminHandlers;
  const server: grpc.Server = createServer();
  addControllerAdminService(server, handlers);
  const port = await bindServer(server, '127.0.0.1:0');
  return Object.assign(fake, { address: `127.0.0.1:${port}`, stop: () => shutdownServer(server, 100) });
}

let controller: FakeAdmin;
let standby: FakeAdmin;
let admin: Admin;

beforeAll(async () => {
  controller = await startFakeAdmin();
  standby = await startFakeAdmin();
  standby.redirectTo = controller.address;
  admin = new Admin({ controllers: [standby.address], deadlineMs: 3_000 });
});

afterAll(async () => {
  admin.close();
  await Promise.all([controller.stop(), standby.stop()]);
});

beforeEach(() => {
  controller.requests.length = 0;
  standby.requests.length = 0;
});

describe('Admin reassignment calls (following NOT_CONTROLLER from a standby)', () => {
  it('alterPartitionReassignments sends targets and throttle, and returns per-partition outcomes', async () => {
    const outcomes = await admin.alterPartitionReassignments(
      [
        { topic: 'orders', partition: 0, replicas: [3, 1] },
        { topic: 'missing', partition: 0, replicas: [1] },
      ],
      { throttleBytesPerSec: 50 * 1024 * 1024, validateOnly: true },
    );
    expect(controller.requests[0]).toEqual({
      method: 'AlterPartitionReassignments',
      request: {
        targets: [
          { topic: 'orders', partition: 0, replicas: [3, 1], cancel: false },
          { topic: 'missing', partition: 0, replicas: [1], cancel: false },
        ],
        throttleBytesPerSec: 52_428_800,
        removeThrottle: false,
        validateOnly: true,
      },
    });
    expect(outcomes).toEqual([
      {
        topic: 'orders',
        partition: 0,
        error: null,
        state: {
          partition: 0,
          leader: 1,
          leaderEpoch: 3,
          replicas: [1, 2, 3],
          isr: [1, 2],
          addingReplicas: [3],
          removingReplicas: [2],
        },
      },
      {
        topic: 'missing',
        partition: 0,
        error: { code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'no' },
        state: null,
      },
    ]);
  });

  it('refuses bad targets before sending anything', async () => {
    const cases: [unknown[], RegExp][] = [
      [[{ topic: 't', partition: 0, replicas: [] }], /1 to 64 replicas/],
      [[{ topic: 't', partition: 0, replicas: [1, 1] }], /listed twice/],
      [[{ topic: 't', partition: -1, replicas: [1] }], /bad partition/],
      [
        [
          { topic: 't', partition: 0, replicas: [1] },
          { topic: 't', partition: 0, replicas: [2] },
        ],
        /named twice/,
      ],
    ];
    for (const [targets, message] of cases) {
      await expect(
        admin.alterPartitionReassignments(
          targets as { topic: string; partition: number; replicas: number[] }[],
        ),
      ).rejects.toThrow(message);
    }
    await expect(admin.alterPartitionReassignments([], { throttleBytesPerSec: -1 })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(controller.requests).toEqual([]);
  });

  it('cancelPartitionReassignments sends cancel targets', async () => {
    await admin.cancelPartitionReassignments([{ topic: 'orders', partition: 0 }]);
    expect(controller.requests[0]?.request).toMatchObject({
      targets: [{ topic: 'orders', partition: 0, replicas: [], cancel: true }],
    });
  });

  it('listPartitionReassignments returns the moves and the throttle', async () => {
    const listing = await admin.listPartitionReassignments(['orders']);
    expect(controller.requests[0]?.request).toEqual({ topics: ['orders'] });
    expect(listing.throttleBytesPerSec).toBe(1_000_000);
    expect(listing.reassignments).toEqual([
      { topic: 'orders', partition: expect.objectContaining({ addingReplicas: [3], removingReplicas: [2] }) },
    ]);
  });

  it('electLeaders returns one outcome per partition', async () => {
    const outcomes = await admin.electLeaders([{ topic: 'orders', partition: 0 }]);
    expect(controller.requests[0]?.request).toEqual({ partitions: [{ topic: 'orders', partition: 0 }] });
    expect(outcomes.map((o) => [o.partition, o.error?.code ?? null, o.leader])).toEqual([
      [0, null, 2],
      [1, 'ELECTION_NOT_NEEDED', 1],
      [2, 'PREFERRED_LEADER_NOT_AVAILABLE', null],
    ]);
  });

  it('decommissionBroker sends the id, throttle and cancel flag', async () => {
    const started = await admin.decommissionBroker(4, { throttleBytesPerSec: 1000 });
    expect(started).toHaveLength(1);
    expect(await admin.decommissionBroker(4, { cancel: true })).toEqual([]);
    expect(controller.requests.map((r) => r.request)).toEqual([
      { brokerId: 4, throttleBytesPerSec: 1000, cancel: false },
      { brokerId: 4, throttleBytesPerSec: 0, cancel: true },
    ]);
    await expect(admin.decommissionBroker(-1)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('describeReplicas needs the broker side', async () => {
    await expect(admin.describeReplicas([{ topic: 'orders', partition: 0 }])).rejects.toThrow(
      /TributaryClient.admin/,
    );
  });
});

describe('Admin.describeReplicas against fake brokers', () => {
  let cluster: FakeCluster;
  let client: TributaryClient;

  beforeAll(async () => {
    cluster = await startFakeCluster({ brokers: 2, topics: { orders: 3 } });
    client = new TributaryClient({ bootstrap: cluster.bootstrap, controllers: [controller.address] });
  });

  afterAll(async () => {
    client.close();
    await cluster.stop();
  });

  it("asks each partition's leader once and reports its replicas' progress", async () => {
    cluster.state.logExtents.set('orders-0', { logStartOffset: 10, logEndOffset: 110, sizeBytes: 5_000 });
    cluster.state.replicaProgress.set('orders-0', [
      { brokerId: 1, logEndOffset: 110, inIsr: true, caughtUpMsAgo: 0 },
      { brokerId: 3, logEndOffset: 60, inIsr: false, caughtUpMsAgo: -1 },
    ]);
    const described = await client.admin().describeReplicas([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
      { topic: 'orders', partition: 2 },
    ]);
    // Leaders are round-robin: partitions 0 and 2 on broker 1, partition 1 on broker 2.
    const asked = cluster.state.requests.filter((r) => r.method === 'DescribeReplicas');
    expect(asked.map((r) => r.brokerId).sort()).toEqual([1, 2]);
    expect(described.map((d) => [d.partition, d.leaderId, d.error])).toEqual([
      [0, 1, null],
      [1, 2, null],
      [2, 1, null],
    ]);
    expect(described[0]).toMatchObject({
      logStartOffset: 10,
      logEndOffset: 110,
      sizeBytes: 5_000,
      replicas: [
        { brokerId: 1, logEndOffset: 110, inIsr: true, caughtUpMsAgo: 0 },
        { brokerId: 3, logEndOffset: 60, inIsr: false, caughtUpMsAgo: null },
      ],
    });
  });

  it('reports a stale leader as a per-partition error rather than failing the call', async () => {
    await client.admin().describeReplicas([{ topic: 'orders', partition: 1 }]);
    // The fake moves leadership without telling the client's cached metadata... but describeReplicas
    // refreshes first, so it finds the new leader; an unknown partition is an entry with an error.
    cluster.moveLeader('orders', 1, 1);
    const [moved] = await client.admin().describeReplicas([{ topic: 'orders', partition: 1 }]);
    expect(moved).toMatchObject({ leaderId: 1, error: null });
    const [unknown] = await client.admin().describeReplicas([{ topic: 'orders', partition: 9 }]);
    expect(unknown).toMatchObject({ error: { code: 'LEADER_NOT_AVAILABLE' } });
  });
});
