/**
 * Where admin commands send their calls (docs/cli.md): through the bootstrap brokers unless controllers
 * were named (--controllers or TRIB_CONTROLLERS). A fake controller stands in for a broker here: a real
 * broker serves the same ControllerAdmin service by forwarding it (packages/broker admin-forwarding.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';
import { type FakeController, startFakeController } from './testing/fake-controller.js';

/** Nothing listens here. */
const DEAD = '127.0.0.1:1';

let viaBroker: FakeController;

beforeAll(async () => {
  viaBroker = await startFakeController({
    nodeId: 1,
    leaderId: 1,
    term: 3,
    commitIndex: 12,
    lastIndex: 12,
    role: 'leader',
    voters: [
      { id: 1, address: 'c1', matchIndex: 12, lag: 0, lastContactMsAgo: 0 },
      { id: 2, address: 'c2', matchIndex: 12, lag: 0, lastContactMsAgo: 40 },
      { id: 3, address: 'c3', matchIndex: 2, lag: 10, lastContactMsAgo: 9_000 },
    ],
    snapshotIndex: 0,
    appliedIndex: 12,
  });
});

afterAll(async () => {
  await viaBroker.stop();
});

beforeEach(() => {
  viaBroker.state.topics.clear();
  viaBroker.state.requests.length = 0;
});

async function trib(argv: string[], env: Record<string, string> = {}) {
  const captured = captureIo(env);
  const code = await runCli(['--timeout-ms', '2000', ...argv], captured.io, jsonDecoders);
  return { code, out: captured.out, err: captured.err };
}

describe('admin commands with brokers alone', () => {
  it('topics and brokers list go through --bootstrap, past a dead broker, with no controllers named', async () => {
    const bootstrap = ['--bootstrap', `${DEAD},${viaBroker.address}`];
    const created = await trib([
      ...bootstrap,
      'topics',
      'create',
      'orders',
      '--partitions',
      '2',
      '--replication-factor',
      '1',
    ]);
    expect(created.err).toEqual([]);
    expect(created.code).toBe(EXIT_OK);
    const listed = await trib([...bootstrap, '--json', 'topics', 'list']);
    expect(JSON.parse(listed.out[0] ?? '').topics.map((t: { name: string }) => t.name)).toEqual(['orders']);
    const brokers = await trib([...bootstrap, '--json', 'brokers', 'list']);
    expect(brokers.code).toBe(EXIT_OK);
    expect(viaBroker.state.requests.map((r) => r.method)).toEqual([
      'CreateTopic',
      'ListTopics',
      'DescribeCluster',
    ]);
  });

  it('cluster status shows the quorum as the leader relayed it: reachable means recently heard from', async () => {
    const { code, out, err } = await trib(['--bootstrap', viaBroker.address, '--json', 'cluster', 'status']);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT_OK);
    const status = JSON.parse(out[0] ?? '');
    expect(status.quorum.leaderId).toBe(1);
    expect(status.quorum.voters.map((v: { id: number; reachable: boolean }) => [v.id, v.reachable])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it('named controllers win over --bootstrap, from the flag or TRIB_CONTROLLERS', async () => {
    const fromFlag = await trib(['--bootstrap', DEAD, '--controllers', viaBroker.address, 'topics', 'list']);
    expect(fromFlag.code).toBe(EXIT_OK);
    const fromEnv = await trib(['--bootstrap', DEAD, 'topics', 'list'], {
      TRIB_CONTROLLERS: viaBroker.address,
    });
    expect(fromEnv.code).toBe(EXIT_OK);
    // And the other way round: a dead named controller is not bypassed through the brokers.
    const dead = await trib(['--bootstrap', viaBroker.address, '--controllers', DEAD, 'topics', 'list']);
    expect(dead.code).toBe(EXIT_FAILURE);
    expect(dead.err).toHaveLength(1);
  });

  it('fails with one line and a non-zero exit when no broker answers', async () => {
    const { code, err } = await trib(['--bootstrap', DEAD, 'topics', 'describe', 'orders']);
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: [A-Z_]+: through brokers: .*127\.0\.0\.1:1/);
  });
});
