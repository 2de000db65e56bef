import type * as grpc from '@grpc/grpc-js';
import { type LeaderHint, TributaryError } from '@tributary/core';
import {
  addControllerAdminService,
  bindServer,
  type ControllerAdminHandlers,
  createServer,
  handleUnary,
  shutdownServer,
} from '@tributary/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { LeaderFollowingClient } from './leader-client.js';
import { freePorts } from './ports.js';

/** An in-process ControllerAdmin: a standby that refuses with NOT_CONTROLLER (and a hint), or a leader. */
function handlers(
  role: { leader: true } | { leader: false; hint: LeaderHint | undefined },
): ControllerAdminHandlers {
  const refuse = async (): Promise<never> => {
    if (role.leader) throw new Error('unreachable');
    throw new TributaryError(
      'NOT_CONTROLLER',
      'standby',
      role.hint === undefined ? {} : { leaderHint: role.hint },
    );
  };
  const answer = <T>(value: T) => handleUnary(async () => (role.leader ? value : refuse()));
  return {
    CreateTopic: handleUnary(async (request: { name?: string }) => {
      if (!role.leader) return refuse();
      if (request.name === '') throw new TributaryError('INVALID_TOPIC', 'topic name is empty');
      return { topic: { name: request.name ?? '', topicId: 't1', partitions: [], configs: [] } };
    }),
    DeleteTopic: answer({ topicId: 't1' }),
    CreatePartitions: answer({}),
    AlterTopicConfigs: answer({}),
    ListTopics: answer({ topics: [] }),
    DescribeTopics: answer({ topics: [] }),
    DescribeCluster: answer({ clusterId: 'c', controllerId: 2, brokers: [], metadataOffset: 0 }),
    DescribeQuorum: answer({ nodeId: 2, leaderId: 2, term: 1, role: 'leader' }),
    AlterPartitionReassignments: answer({ results: [] }),
    ListPartitionReassignments: answer({ reassignments: [] }),
    ElectLeaders: answer({ results: [] }),
    DecommissionBroker: answer({ reassignments: [] }),
    AddVoter: answer({ voters: [] }),
    RemoveVoter: answer({ voters: [] }),
    CreateAcls: answer({ results: [] }),
    DeleteAcls: answer({ results: [] }),
    DescribeAcls: answer({ acls: [] }),
    AlterUserScramCredentials: answer({ results: [] }),
    DescribeUserScramCredentials: answer({ results: [] }),
    AlterClientQuotas: answer({ results: [] }),
    DescribeClientQuotas: answer({ entries: [] }),
  };
}

const servers: grpc.Server[] = [];

async function serve(implementation: ControllerAdminHandlers, port: number): Promise<string> {
  const server = createServer();
  addControllerAdminService(server, implementation);
  servers.push(server);
  await bindServer(server, `127.0.0.1:${port}`);
  return `127.0.0.1:${port}`;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => shutdownServer(server, 100)));
});

describe('LeaderFollowingClient', () => {
  it('skips a dead node, follows the NOT_CONTROLLER hint, and sticks to the leader', async () => {
    const [deadPort, standbyPort, leaderPort] = await freePorts(3);
    const dead = `127.0.0.1:${deadPort}`;
    const leader = await serve(handlers({ leader: true }), leaderPort ?? 0);
    const standby = await serve(
      handlers({ leader: false, hint: { id: 2, address: leader } }),
      standbyPort ?? 0,
    );
    const client = new LeaderFollowingClient({ addresses: [dead, standby, leader] });
    try {
      const created = await client.admin('CreateTopic', { name: 'a', partitions: 1, replicationFactor: 1 });
      expect(created.topic?.name).toBe('a');
      expect(client.leaderAddress).toBe(leader);
      await expect(
        client.admin('CreateTopic', { name: '', partitions: 1, replicationFactor: 1 }),
      ).rejects.toMatchObject({ code: 'INVALID_TOPIC' });
    } finally {
      client.close();
    }
  });

  it('gives up within its time bound when no controller leads', async () => {
    const [port] = await freePorts(1);
    const standby = await serve(handlers({ leader: false, hint: undefined }), port ?? 0);
    const client = new LeaderFollowingClient({ addresses: [standby] });
    const started = performance.now();
    try {
      await expect(client.admin('ListTopics', {}, { timeoutMs: 300 })).rejects.toMatchObject({
        code: 'NOT_CONTROLLER',
      });
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      client.close();
    }
  });
});
