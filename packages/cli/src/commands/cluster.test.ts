import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, runCli } from '../program.js';
import { captureIo, jsonDecoders } from '../testing/capture.js';
import { type FakeController, startFakeController } from '../testing/fake-controller.js';
import { summarizeStatus } from './cluster.js';

const voters = [
  { id: 1, address: 'c1', matchIndex: 20, lag: 0, lastContactMsAgo: 0 },
  { id: 2, address: 'c2', matchIndex: 17, lag: 3, lastContactMsAgo: 40 },
];

let controller: FakeController;

beforeAll(async () => {
  controller = await startFakeController({
    nodeId: 1,
    leaderId: 1,
    term: 4,
    commitIndex: 20,
    lastIndex: 20,
    role: 'leader',
    voters,
    snapshotIndex: 0,
    appliedIndex: 20,
  });
});

afterAll(async () => {
  await controller.stop();
});

async function trib(argv: string[], controllers = controller.address) {
  const captured = captureIo();
  const code = await runCli(
    ['--controllers', controllers, '--timeout-ms', '3000', ...argv],
    captured.io,
    jsonDecoders,
  );
  return { code, out: captured.out, err: captured.err };
}

describe('trib cluster status', () => {
  it('reports quorum, brokers and the offline / under-replicated partitions as one JSON object', async () => {
    controller.state.topics.clear();
    // The fake gives partition 0 of every topic no leader and an empty ISR; the others are healthy.
    expect(
      (await trib(['topics', 'create', 'orders', '--partitions', '3', '--replication-factor', '3'])).code,
    ).toBe(EXIT_OK);
    const { code, out, err } = await trib(['cluster', 'status', '--json']);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT_OK);
    expect(out).toHaveLength(1);
    const status = JSON.parse(out[0] ?? '');
    expect(status.quorum).toMatchObject({ leaderId: 1, term: 4, commitIndex: 20 });
    expect(status.quorum.voters.map((v: { id: number; lag: number }) => [v.id, v.lag])).toEqual([
      [1, 0],
      [2, 3],
    ]);
    expect(status.cluster.brokers.map((b: { id: number; fenced: boolean }) => [b.id, b.fenced])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(status).toMatchObject({
      topicCount: 1,
      partitionCount: 3,
      offlineCount: 1,
      underReplicatedCount: 1,
      healthy: false,
    });
    expect(status.offline).toEqual([
      { topic: 'orders', partition: 0, leader: null, replicas: [1, 2, 3], isr: [] },
    ]);
  });

  it('prints the sections as tables without --json', async () => {
    controller.state.topics.clear();
    await trib(['topics', 'create', 'orders', '--partitions', '2', '--replication-factor', '3']);
    const { code, out } = await trib(['cluster', 'status']);
    expect(code).toBe(EXIT_OK);
    const text = out.join('\n');
    expect(text).toContain('NEEDS ATTENTION');
    expect(text).toMatch(/leader 1\s+term 4\s+commit index 20/);
    expect(text).toContain('BROKERS  2 registered, 1 fenced');
    expect(text).toContain('PARTITIONS  2 in 1 topics, 1 under-replicated, 1 offline');
    expect(text).toContain('OFFLINE (no leader)');
  });

  it('tolerates a dead controller in the list', async () => {
    controller.state.topics.clear();
    const { code, out } = await trib(['cluster', 'status', '--json'], `127.0.0.1:1,${controller.address}`);
    expect(code).toBe(EXIT_OK);
    const status = JSON.parse(out[0] ?? '');
    expect(status.quorum.voters.find((v: { id: number }) => v.id === 1)).toBeDefined();
    expect(status.partitionCount).toBe(0);
  });

  it('fails with one line when no controller is reachable', async () => {
    const { code, err } = await trib(['cluster', 'status'], '127.0.0.1:1');
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toHaveLength(1);
  });
});

describe('summarizeStatus', () => {
  it('is healthy only with a leader, no fenced broker and no problem partition', () => {
    const cluster = {
      clusterId: 'c',
      controllerId: 1,
      metadataOffset: 3,
      brokers: [{ id: 1, address: 'b1', kafkaAddress: null, rack: null, fenced: false, epoch: 2 }],
    };
    const quorum = {
      leaderId: 1,
      term: 2,
      commitIndex: 3,
      lastIndex: 3,
      voters: [],
      observers: [],
      timestamp: 0,
    };
    const partition = { partition: 0, leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1], isr: [1] };
    const topic = { name: 't', topicId: 'x', partitions: [partition], configs: [] };
    expect(summarizeStatus(quorum, cluster, [topic as never]).healthy).toBe(true);
    expect(summarizeStatus({ ...quorum, leaderId: null }, cluster, [topic as never]).healthy).toBe(false);
    expect(summarizeStatus(null, cluster, [topic as never]).healthy).toBe(false);
    const shrunk = { ...topic, partitions: [{ ...partition, replicas: [1, 2], isr: [1] }] };
    const status = summarizeStatus(quorum, cluster, [shrunk as never]);
    expect([status.healthy, status.underReplicatedCount, status.offlineCount]).toEqual([false, 1, 0]);
  });
});
