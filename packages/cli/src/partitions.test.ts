import { type FakeCluster, startFakeCluster } from '@tributary/client/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseBrokerIds, parseRate } from './commands/partition-commands.js';
import {
  formatBytes,
  formatDurationMs,
  formatReassignmentLine,
  formatReassignmentTable,
} from './commands/reassignment-watch.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';
import { type FakeController, startFakeController } from './testing/fake-controller.js';

let controller: FakeController;
let brokers: FakeCluster;

beforeAll(async () => {
  controller = await startFakeController({
    nodeId: 1,
    leaderId: 1,
    term: 1,
    commitIndex: 1,
    lastIndex: 1,
    role: 'leader',
    voters: [],
    snapshotIndex: 0,
    appliedIndex: 1,
  });
  brokers = await startFakeCluster({ brokers: 2, topics: { orders: 6 } });
});

afterAll(async () => {
  await Promise.all([controller.stop(), brokers.stop()]);
});

const spare = (brokerId: number, rack = '') => ({
  brokerId,
  address: `127.0.0.1:${9100 + brokerId}`,
  rack,
  brokerEpoch: 1,
  fenced: false,
  incarnationId: `i${brokerId}`,
});

beforeEach(() => {
  const { state } = controller;
  state.topics.clear();
  state.topics.set('orders', { name: 'orders', topicId: 'id-orders', partitionCount: 6, configs: [] });
  state.partitionOverrides.clear();
  state.reassignments.clear();
  state.completeAfterLists = 1;
  state.throttleBytesPerSec = 0;
  state.decommissioned.clear();
  state.extraBrokers = [spare(3), spare(4), spare(5)];
  state.adminError = undefined;
  state.requests.length = 0;
  brokers.state.logExtents.clear();
  brokers.state.replicaProgress.clear();
});

async function trib(argv: string[], options: { tty?: boolean } = {}) {
  const captured = captureIo();
  const code = await runCli(
    ['--controllers', controller.address, '--bootstrap', brokers.bootstrap.join(','), ...argv],
    captured.io,
    jsonDecoders,
    { stdin: noInput(), stderrIsTty: false, stdoutIsTty: options.tty === true },
  );
  return { code, out: captured.out, err: captured.err };
}

async function* noInput(): AsyncGenerator<string> {}

const requestsOf = (method: string) =>
  controller.state.requests.filter((r) => r.method === method).map((r) => r.request);

describe('rate and broker list arguments', () => {
  it('parses bytes/s with 1000s and 1024s suffixes', () => {
    expect(parseRate('1048576')).toBe(1_048_576);
    expect(parseRate('10MB')).toBe(10_000_000);
    expect(parseRate('10M')).toBe(10_000_000);
    expect(parseRate('50MiB')).toBe(52_428_800);
    expect(parseRate('1.5G/s')).toBe(1_500_000_000);
    expect(parseRate('2Ki')).toBe(2048);
    expect(parseRate('3kb')).toBe(3000);
    for (const bad of ['', '10XB', '-1', '0', '0.1', 'MB', '1e6', '10 M B']) {
      expect(() => parseRate(bad), bad).toThrow(/bytes\/s|at least 1/);
    }
    expect(parseBrokerIds('4,5,6')).toEqual([4, 5, 6]);
    expect(() => parseBrokerIds('4,4')).toThrow(/twice/);
    expect(() => parseBrokerIds('4,x')).toThrow(/broker ids/);
  });

  it('formats bytes and durations for people', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatBytes(null)).toBe('?');
    expect(formatDurationMs(8_000)).toBe('8s');
    expect(formatDurationMs(125_000)).toBe('2m05s');
    expect(formatDurationMs(3_720_000)).toBe('1h02m');
  });

  it('shows rate and ETA once known, in the table and the line format', () => {
    const moving = {
      topic: 'orders',
      partition: 3,
      leader: 1,
      replicas: [1, 2, 4],
      targetReplicas: [1, 4],
      addingReplicas: [4],
      removingReplicas: [2],
      leaderLogEndOffset: 100,
      bytesPerOffset: 10,
      adding: [{ brokerId: 4, logEndOffset: 40, offsetsBehind: 60, bytesBehind: 600_000, inIsr: false }],
      bytesBehind: 600_000,
      error: null,
      bytesPerSec: 20_000,
      etaMs: 30_000,
    };
    const sample = { timestampMs: Date.UTC(2030, 0, 1), throttleBytesPerSec: null, reassignments: [moving] };
    expect(formatReassignmentTable(sample)).toEqual([
      'PARTITION  FROM  TO   ADDING  BEHIND (EST.)  RATE       ETA',
      'orders-3   1,2   1,4  4       600.0 KB       20.0 KB/s  30s',
      '1 moving; throttle none',
    ]);
    expect(formatReassignmentLine(sample)).toBe(
      '2030-01-01T00:00:00.000Z 1 moving: orders-3 +4 behind 600.0 KB eta 30s',
    );
  });

  it.each([
    [
      [
        'partitions',
        'reassign',
        '--topic',
        'orders',
        '--partition',
        '0',
        '--replicas',
        '4',
        '--throttle',
        '10XB',
      ],
    ],
    [['partitions', 'reassign', '--topic', 'orders', '--partition', '0', '--replicas', '4,4']],
    [['partitions', 'reassign', '--topic', 'orders', '--partition', '0']],
    [['partitions', 'plan', '--brokers', '1,2', '--wait']],
    [['partitions', 'cancel']],
    [['partitions', 'cancel', '--all', '--topic', 'orders']],
    [['partitions', 'elect-leaders', '--partition', '1']],
    [['brokers', 'decommission', 'x']],
    [['brokers', 'decommission', '3', '--cancel', '--wait']],
  ])('%j: one line, exit 2, nothing sent', async (argv) => {
    const { code, out, err } = await trib(argv);
    expect(code).toBe(EXIT_USAGE);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(controller.state.requests).toEqual([]);
  });
});

describe('trib partitions reassign', () => {
  it('starts a move with a throttle and prints it', async () => {
    const { code, out, err } = await trib([
      'partitions',
      'reassign',
      '--topic',
      'orders',
      '--partition',
      '1',
      '--replicas',
      '4,5,1',
      '--throttle',
      '50MiB',
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT_OK);
    expect(out).toEqual(['reassigning orders-1: 1,2,3 → 1,4,5']);
    expect(requestsOf('AlterPartitionReassignments')).toEqual([
      {
        targets: [{ topic: 'orders', partition: 1, replicas: [4, 5, 1], cancel: false }],
        throttleBytesPerSec: 52_428_800,
        removeThrottle: false,
        validateOnly: false,
      },
    ]);
    expect(controller.state.throttleBytesPerSec).toBe(52_428_800);
  });

  it('--json prints the outcome; a refused partition is one error line and exit 1', async () => {
    const json = await trib([
      '--json',
      'partitions',
      'reassign',
      '--topic',
      'orders',
      '--partition',
      '2',
      '--replicas',
      '4',
    ]);
    expect(json.code).toBe(EXIT_OK);
    expect(JSON.parse(json.out[0] ?? '')).toMatchObject({
      results: [
        {
          topic: 'orders',
          partition: 2,
          error: null,
          state: { addingReplicas: [4], removingReplicas: [1, 2, 3] },
        },
      ],
    });
    const refused = await trib([
      'partitions',
      'reassign',
      '--topic',
      'orders',
      '--partition',
      '9',
      '--replicas',
      '4',
    ]);
    expect(refused.code).toBe(EXIT_FAILURE);
    expect(refused.out).toEqual([]);
    expect(refused.err).toEqual(['error: UNKNOWN_TOPIC_OR_PARTITION: orders-9: no orders-9']);
  });

  it('--validate-only starts nothing', async () => {
    const { out } = await trib([
      'partitions',
      'reassign',
      '--topic',
      'orders',
      '--partition',
      '1',
      '--replicas',
      '4,5,6',
      '--validate-only',
    ]);
    expect(out).toEqual(['would reassign orders-1: 1,2,3 → 1,2,3']);
    expect(controller.state.reassignments.size).toBe(0);
  });

  it('--wait prints a line per poll (not a terminal) and ends when the move is done', async () => {
    controller.state.completeAfterLists = 2;
    const { code, out } = await trib([
      'partitions',
      'reassign',
      '--topic',
      'orders',
      '--partition',
      '1',
      '--replicas',
      '4,5,6',
      '--wait',
      '--interval-ms',
      '5',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(out[0]).toBe('reassigning orders-1: 1,2,3 → 4,5,6');
    expect(out.slice(1, 3).every((line) => line.includes('1 moving: orders-1 +4,5,6'))).toBe(true);
    expect(out.at(-1)).toMatch(/no reassignments in progress$/);
    expect(out).toHaveLength(4);
    expect(requestsOf('ListPartitionReassignments')).toHaveLength(3);
  });
});

describe('trib partitions reassignments', () => {
  async function startMove(completeAfterLists: number | null): Promise<void> {
    controller.state.completeAfterLists = completeAfterLists;
    await trib(['partitions', 'reassign', '--topic', 'orders', '--partition', '1', '--replicas', '4,5,6']);
    // orders-1 is led by fake broker 2: 1,000 offsets in 100 kB; broker 4 is half way, 5 and 6 not started.
    brokers.state.logExtents.set('orders-1', { logStartOffset: 0, logEndOffset: 1_000, sizeBytes: 100_000 });
    brokers.state.replicaProgress.set('orders-1', [
      { brokerId: 2, logEndOffset: 1_000, inIsr: true, caughtUpMsAgo: 0 },
      { brokerId: 4, logEndOffset: 500, inIsr: false, caughtUpMsAgo: -1 },
    ]);
  }

  it('shows adding replicas, estimated bytes behind and the throttle', async () => {
    await startMove(null);
    controller.state.throttleBytesPerSec = 10_000_000;
    const { code, out } = await trib(['partitions', 'reassignments']);
    expect(code).toBe(EXIT_OK);
    expect(out).toEqual([
      'PARTITION  FROM   TO     ADDING  BEHIND (EST.)  RATE  ETA',
      'orders-1   1,2,3  4,5,6  4,5,6   250.0 KB       ?     ?',
      '1 moving; throttle 10.0 MB/s per broker',
    ]);
    const json = await trib(['--json', 'partitions', 'reassignments']);
    const sample = JSON.parse(json.out[0] ?? '');
    expect(sample).toMatchObject({
      throttleBytesPerSec: 10_000_000,
      reassignments: [
        {
          topic: 'orders',
          partition: 1,
          bytesPerOffset: 100,
          bytesBehind: 250_000,
          adding: [
            { brokerId: 4, offsetsBehind: 500, bytesBehind: 50_000, inIsr: false },
            { brokerId: 5, logEndOffset: null, offsetsBehind: 1_000, bytesBehind: 100_000 },
            { brokerId: 6, logEndOffset: null, offsetsBehind: 1_000, bytesBehind: 100_000 },
          ],
          bytesPerSec: null,
          etaMs: null,
        },
      ],
    });
  });

  it('--watch --json prints one object per poll and ends when the fake reports none', async () => {
    await startMove(3);
    const { code, out } = await trib([
      '--json',
      'partitions',
      'reassignments',
      '--watch',
      '--interval-ms',
      '5',
    ]);
    expect(code).toBe(EXIT_OK);
    const samples = out.map((line) => JSON.parse(line) as { reassignments: unknown[] });
    expect(samples.map((s) => s.reassignments.length)).toEqual([1, 1, 1, 0]);
  });

  it('--watch on a terminal redraws the table in place', async () => {
    await startMove(2);
    const { code, out } = await trib(['partitions', 'reassignments', '--watch', '--interval-ms', '5'], {
      tty: true,
    });
    expect(code).toBe(EXIT_OK);
    // Three-line frames: the second and third start by moving the cursor up over the previous one.
    expect(out[0]).toMatch(/^PARTITION/);
    expect(out[3]).toBe('\u001b[3A\u001b[JPARTITION  FROM   TO     ADDING  BEHIND (EST.)  RATE  ETA');
    expect(out.at(-1)).toBe('\u001b[3A\u001b[Jno reassignments in progress');
  });

  it('--watch fails with REQUEST_TIMED_OUT when moves outlast --timeout-ms', async () => {
    await startMove(null);
    const { code, err } = await trib([
      '--timeout-ms',
      '200',
      'partitions',
      'reassignments',
      '--watch',
      '--interval-ms',
      '20',
    ]);
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toEqual(['error: REQUEST_TIMED_OUT: 1 reassignment(s) still running after 200 ms']);
  });

  it('reports no moves, and a controller error as one line', async () => {
    expect((await trib(['partitions', 'reassignments'])).out).toEqual(['no reassignments in progress']);
    controller.state.adminError = new (await import('@tributary/core')).TributaryError('UNKNOWN', 'boom');
    const failed = await trib(['partitions', 'reassignments']);
    expect(failed.code).toBe(EXIT_FAILURE);
    expect(failed.err).toEqual(['error: UNKNOWN: boom']);
  });
});

describe('trib partitions cancel', () => {
  it('cancels one move, or all, and says when nothing runs', async () => {
    controller.state.completeAfterLists = null;
    await trib(['partitions', 'reassign', '--topic', 'orders', '--partition', '1', '--replicas', '4,5,6']);
    await trib(['partitions', 'reassign', '--topic', 'orders', '--partition', '2', '--replicas', '1,2,4']);
    const one = await trib(['partitions', 'cancel', '--topic', 'orders', '--partition', '1']);
    expect(one.code).toBe(EXIT_OK);
    expect(one.out).toEqual(['cancelled orders-1: 1,2,3 → 1,2,3']);
    const all = await trib(['--json', 'partitions', 'cancel', '--all']);
    expect(JSON.parse(all.out[0] ?? '')).toMatchObject({
      results: [{ topic: 'orders', partition: 2, error: null }],
    });
    expect(controller.state.reassignments.size).toBe(0);
    expect((await trib(['partitions', 'cancel', '--all'])).out).toEqual(['no reassignments in progress']);
    const none = await trib(['partitions', 'cancel', '--topic', 'orders', '--partition', '3']);
    expect(none.code).toBe(EXIT_FAILURE);
    expect(none.err).toEqual(['error: NO_REASSIGNMENT_IN_PROGRESS: orders-3: nothing to cancel']);
  });
});

describe('trib partitions elect-leaders', () => {
  it('exits 0 when every result is success or ELECTION_NOT_NEEDED', async () => {
    const info = {
      partition: 2,
      leader: 2,
      leaderEpoch: 1,
      partitionEpoch: 1,
      replicas: [1, 2, 3],
      isr: [1, 2, 3],
    };
    controller.state.partitionOverrides.set('orders-2', info);
    const two = await trib(['partitions', 'elect-leaders', '--topic', 'orders', '--partition', '2']);
    expect(two.code).toBe(EXIT_OK);
    expect(two.out).toEqual(['PARTITION  RESULT   LEADER', 'orders-2   elected  1']);
    const again = await trib([
      '--json',
      'partitions',
      'elect-leaders',
      '--topic',
      'orders',
      '--partition',
      '2',
    ]);
    expect(again.code).toBe(EXIT_OK);
    expect(JSON.parse(again.out[0] ?? '')).toEqual({
      results: [
        {
          topic: 'orders',
          partition: 2,
          error: { code: 'ELECTION_NOT_NEEDED', message: 'already leads' },
          leader: 1,
        },
      ],
    });
  });

  it('prints every outcome, then fails with one line when a preferred leader is not available', async () => {
    const { code, out, err } = await trib(['partitions', 'elect-leaders', '--topic', 'orders']);
    expect(code).toBe(EXIT_FAILURE);
    // The canned partition 0 has no leader and an empty ISR.
    expect(out).toHaveLength(7);
    expect(out[1]).toBe('orders-0   PREFERRED_LEADER_NOT_AVAILABLE  -');
    expect(out[2]).toBe('orders-1   ELECTION_NOT_NEEDED             1');
    expect(err).toEqual([
      'error: PREFERRED_LEADER_NOT_AVAILABLE: 1 of 6 election(s) failed; first orders-0: broker 1 is not in the ISR',
    ]);
    expect(requestsOf('ElectLeaders')).toHaveLength(1);
    const all = await trib(['partitions', 'elect-leaders']);
    expect(requestsOf('ElectLeaders').at(-1)).toEqual({ partitions: [] });
    expect(all.code).toBe(EXIT_FAILURE);
  });
});

describe('trib partitions plan', () => {
  it('prints the moves and per-broker counts for 3 -> 5 brokers without submitting', async () => {
    const { code, out } = await trib(['partitions', 'plan', '--brokers', '1,2,3,4,5']);
    expect(code).toBe(EXIT_OK);
    const moves = out.filter((line) => line.startsWith('orders-'));
    expect(moves.length).toBeGreaterThan(0);
    for (const move of moves) expect(move).toMatch(/^orders-\d: 1,2,3 → \d,\d,\d$/);
    const table = out.slice(out.indexOf('BROKER  REPLICAS  PREFERRED LEADERS'));
    // 18 replicas over 5 brokers: 3 or 4 each; 6 leaders: 1 or 2 each.
    expect(table.slice(1, 6).map((line) => line.split(/\s+/)[0])).toEqual(['1', '2', '3', '4', '5']);
    for (const line of table.slice(1, 6)) expect(line).toMatch(/^\d\s+(6|0) → (3|4)\s+(6|0) → (1|2)$/);
    expect(out.at(-1)).toMatch(
      /^\d partition\(s\) change, 6 replica\(s\) move, \d preferred leader\(s\) change$/,
    );
    expect(requestsOf('AlterPartitionReassignments')).toEqual([]);
  });

  it('--json, --execute --wait submits the moves and waits for them', async () => {
    const json = await trib(['--json', 'partitions', 'plan', '--brokers', '1,2,3,4,5', '--topics', 'orders']);
    const plan = JSON.parse(json.out[0] ?? '') as { moves: unknown[]; replicasMoved: number };
    expect(plan.replicasMoved).toBe(6);
    const executed = await trib([
      'partitions',
      'plan',
      '--brokers',
      '1,2,3,4,5',
      '--execute',
      '--throttle',
      '10MB',
      '--wait',
      '--interval-ms',
      '5',
    ]);
    expect(executed.code).toBe(EXIT_OK);
    expect(requestsOf('AlterPartitionReassignments')).toHaveLength(1);
    expect(executed.out.at(-1)).toMatch(/no reassignments in progress$/);
    // Planning the result again moves nothing.
    const again = await trib(['partitions', 'plan', '--brokers', '1,2,3,4,5']);
    expect(again.out[0]).toBe('the partitions are balanced over these brokers: nothing to move');
  });

  it('refuses unregistered brokers and unknown topics', async () => {
    const broker = await trib(['partitions', 'plan', '--brokers', '1,9']);
    expect(broker.code).toBe(EXIT_FAILURE);
    expect(broker.err).toEqual(['error: UNKNOWN_BROKER: broker(s) 9 are not registered']);
    const topic = await trib(['partitions', 'plan', '--brokers', '1,2,3', '--topics', 'nope']);
    expect(topic.err).toEqual(['error: UNKNOWN_TOPIC: topic(s) nope do not exist']);
  });
});

describe('trib brokers decommission', () => {
  it('starts moving every replica off the broker and can wait for it', async () => {
    controller.state.extraBrokers = [spare(4)];
    const { code, out } = await trib(['brokers', 'decommission', '3', '--throttle', '1MiB']);
    expect(code).toBe(EXIT_OK);
    expect(out[0]).toBe('decommissioning broker 3: 6 partition(s) moving off it');
    expect(out[1]).toBe('orders-0: 1,2,3 → 1,2,4');
    expect(requestsOf('DecommissionBroker')).toEqual([
      { brokerId: 3, throttleBytesPerSec: 1_048_576, cancel: false },
    ]);
    const back = await trib(['--json', 'brokers', 'decommission', '3', '--cancel']);
    expect(JSON.parse(back.out[0] ?? '')).toEqual({ brokerId: 3, cancel: true, reassignments: [] });
  });

  it('--wait ends when the moves are done', async () => {
    controller.state.extraBrokers = [spare(4)];
    const { code, out } = await trib(['brokers', 'decommission', '3', '--wait', '--interval-ms', '5']);
    expect(code).toBe(EXIT_OK);
    expect(out.at(-1)).toMatch(/no reassignments in progress$/);
  });

  it('fails with one line when no broker can take the replicas', async () => {
    controller.state.extraBrokers = [];
    const { code, err } = await trib(['brokers', 'decommission', '3']);
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toEqual(['error: INVALID_REPLICA_ASSIGNMENT: no broker can take orders-0']);
  });
});

describe('trib topics add-partitions', () => {
  it('names the new partitions and notes that keys may map elsewhere', async () => {
    const { code, out } = await trib(['topics', 'add-partitions', 'orders', '--partitions', '8']);
    expect(code).toBe(EXIT_OK);
    expect(out).toContain('new partition 6: replicas 1,2,3 (preferred leader 1)');
    expect(out).toContain('new partition 7: replicas 1,2,3 (preferred leader 1)');
    expect(out.at(-1)).toMatch(/^note: keyed records may now map to different partitions/);
    const json = await trib(['--json', 'topics', 'add-partitions', 'orders', '--partitions', '9']);
    expect(JSON.parse(json.out[0] ?? '')).toMatchObject({ newPartitions: [{ partition: 8 }] });
  });
});
