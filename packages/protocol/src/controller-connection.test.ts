import type * as grpc from '@grpc/grpc-js';
import { SeededRandom, TributaryError } from '@tributary/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addControllerAdminService } from './clients.js';
import { ControllerConnection } from './controller-connection.js';
import type { ControllerAdminHandlers } from './generated/tributary/v1/ControllerAdmin.js';
import { bindServer, createServer, shutdownServer } from './server.js';
import { handleUnary } from './unary.js';

interface FakeController {
  readonly address: string;
  readonly calls: string[];
  /** What ListTopics does: answer with a topic naming this node, or throw. */
  behaviour: () => Promise<never> | 'answer';
}

const servers: grpc.Server[] = [];
const connections: ControllerConnection[] = [];

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  await Promise.all(servers.splice(0).map((server) => shutdownServer(server)));
});

function unused(): never {
  throw new TributaryError('INVALID_REQUEST', 'not used in this test');
}

async function startFake(name: string): Promise<FakeController> {
  const server = createServer();
  servers.push(server);
  const fake: FakeController = { address: '', calls: [], behaviour: () => 'answer' };
  const handlers: ControllerAdminHandlers = {
    ListTopics: handleUnary(async () => {
      fake.calls.push('ListTopics');
      const outcome = fake.behaviour();
      if (outcome !== 'answer') return outcome;
      return { topics: [{ name: `from-${name}`, topicId: name, partitionCount: 1, replicationFactor: 1 }] };
    }),
    CreateTopic: handleUnary(async () => unused()),
    DeleteTopic: handleUnary(async () => unused()),
    CreatePartitions: handleUnary(async () => unused()),
    AlterTopicConfigs: handleUnary(async () => unused()),
    DescribeTopics: handleUnary(async () => unused()),
    DescribeCluster: handleUnary(async () => unused()),
    DescribeQuorum: handleUnary(async () => unused()),
    AlterPartitionReassignments: handleUnary(async () => unused()),
    ListPartitionReassignments: handleUnary(async () => unused()),
    ElectLeaders: handleUnary(async () => unused()),
    DecommissionBroker: handleUnary(async () => unused()),
    AddVoter: handleUnary(async () => unused()),
    RemoveVoter: handleUnary(async () => unused()),
    CreateAcls: handleUnary(async () => unused()),
    DeleteAcls: handleUnary(async () => unused()),
    DescribeAcls: handleUnary(async () => unused()),
    AlterUserScramCredentials: handleUnary(async () => unused()),
    DescribeUserScramCredentials: handleUnary(async () => unused()),
    AlterClientQuotas: handleUnary(async () => unused()),
    DescribeClientQuotas: handleUnary(async () => unused()),
  };
  addControllerAdminService(server, handlers);
  const port = await bindServer(server, '127.0.0.1:0');
  return Object.assign(fake, { address: `127.0.0.1:${port}` });
}

function connect(addresses: string[]): ControllerConnection {
  const connection = new ControllerConnection({
    addresses,
    random: new SeededRandom(1),
    backoff: { baseMs: 10, maxMs: 40 },
  });
  connections.push(connection);
  return connection;
}

const notController = (leader: FakeController) => async (): Promise<never> => {
  throw new TributaryError('NOT_CONTROLLER', 'not me', { leaderHint: { id: 2, address: leader.address } });
};

describe('ControllerConnection', () => {
  it('follows a NOT_CONTROLLER hint to the active controller and remembers it', async () => {
    const standby = await startFake('standby');
    const active = await startFake('active');
    standby.behaviour = notController(active);
    // Only the standby is configured: the active controller is reached through the hint alone.
    const connection = connect([standby.address]);

    const first = await connection.admin('listTopics', {}, { deadlineMs: 5_000 });
    expect(first.topics[0]?.name).toBe('from-active');
    expect(standby.calls).toHaveLength(1);
    expect(connection.activeControllerAddress).toBe(active.address);

    await connection.admin('listTopics', {}, { deadlineMs: 5_000 });
    expect(standby.calls).toHaveLength(1);
    expect(active.calls).toHaveLength(2);
  });

  it('rotates past an unreachable controller', async () => {
    const active = await startFake('active');
    const connection = connect(['127.0.0.1:1', active.address]);
    const response = await connection.admin('listTopics', {}, { deadlineMs: 5_000 });
    expect(response.topics[0]?.name).toBe('from-active');
  });

  it('moves on when the remembered leader stops being the controller', async () => {
    const a = await startFake('a');
    const b = await startFake('b');
    const connection = connect([a.address, b.address]);
    await connection.admin('listTopics', {}, { deadlineMs: 5_000 });
    expect(connection.activeControllerAddress).toBe(a.address);
    a.behaviour = notController(b);
    const response = await connection.admin('listTopics', {}, { deadlineMs: 5_000 });
    expect(response.topics[0]?.name).toBe('from-b');
    expect(connection.activeControllerAddress).toBe(b.address);
  });

  it('keeps the remembered leader after a non-retriable error from it', async () => {
    const a = await startFake('a');
    const b = await startFake('b');
    const connection = connect([a.address, b.address]);
    b.behaviour = notController(a);
    await connection.admin('listTopics', {}, { deadlineMs: 5_000 });
    a.behaviour = async () => {
      throw new TributaryError('UNKNOWN_TOPIC', 'no such topic');
    };
    await expect(connection.admin('listTopics', {}, { deadlineMs: 5_000 })).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
    });
    expect(connection.activeControllerAddress).toBe(a.address);
    expect(b.calls).toHaveLength(0);
  });

  it('fails at once with a non-retriable error', async () => {
    const a = await startFake('a');
    a.behaviour = async () => {
      throw new TributaryError('UNKNOWN_TOPIC', 'no such topic');
    };
    const connection = connect([a.address]);
    await expect(connection.admin('listTopics', {}, { deadlineMs: 5_000 })).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
    });
    expect(a.calls).toHaveLength(1);
  });

  it('gives up after its attempts with a typed error when no controller leads', async () => {
    const a = await startFake('a');
    const b = await startFake('b');
    a.behaviour = async () => {
      throw new TributaryError('NOT_CONTROLLER', 'election in progress');
    };
    b.behaviour = a.behaviour;
    const connection = connect([a.address, b.address]);
    const error = await connection.admin('listTopics', {}, { deadlineMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({ code: 'NOT_CONTROLLER' });
    expect(a.calls.length + b.calls.length).toBe(10);
  });

  it('respects the overall deadline', async () => {
    const connection = new ControllerConnection({
      addresses: ['127.0.0.1:1'],
      backoff: { baseMs: 200, maxMs: 200 },
      attemptsMax: 50,
    });
    connections.push(connection);
    const startMs = performance.now();
    const error = await connection.admin('listTopics', {}, { deadlineMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    // Well under the 50 attempts × 200 ms that ignoring the deadline would take; loose for loaded CI machines.
    expect(performance.now() - startMs).toBeLessThan(5_000);
  });
});
