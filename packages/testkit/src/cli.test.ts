/**
 * `trib` (the real CLI bin) against a real controller quorum: the JSON contracts of DESIGN §7 and the
 * issue (quorum describe with dead controllers, --watch through an election, topics describe), and one-line
 * errors with a non-zero exit for bad arguments and server refusals.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControllerQuorum, startControllerQuorum } from './controller-quorum.js';
import { FakeBrokerFleet } from './fake-brokers.js';
import { type Run, run, TRIB_BIN } from './kafka/tools.js';
import { freePorts } from './ports.js';
import { sleep, waitFor } from './wait.js';

const COMMAND_TIMEOUT_MS = 20_000;
const WATCH_TIMEOUT_MS = 20_000;

/** `trib ARGS` (the shared runner: bounded in time); the bin must have been built. */
function trib(args: readonly string[]): Promise<Run> {
  if (!existsSync(TRIB_BIN)) throw new Error(`trib not built at ${TRIB_BIN}: build packages/cli first`);
  return run(process.execPath, [TRIB_BIN, ...args], { timeoutMs: COMMAND_TIMEOUT_MS });
}

interface QuorumJson {
  readonly leaderId: number | null;
  readonly term: number;
  readonly commitIndex: number;
  readonly voters: readonly { id: number; matchIndex: number | null; reachable: boolean }[];
  readonly timestamp: number;
}

let quorum: ControllerQuorum | undefined;
let fleet: FakeBrokerFleet | undefined;
let watcher: ChildProcess | undefined;
afterEach(async () => {
  watcher?.kill('SIGKILL');
  watcher = undefined;
  await fleet?.stop();
  fleet = undefined;
  await quorum?.stop();
  quorum = undefined;
});

describe('trib against a real quorum', () => {
  it('describes the quorum while a controller is dead, and the listed-but-unreachable one too', async () => {
    quorum = await startControllerQuorum({ size: 3 });
    const { leaderId } = await quorum.waitForLeader({ timeoutMs: 15_000 });
    const follower = quorum.nodes.find((node) => node.nodeId !== leaderId);
    if (follower === undefined) throw new Error('no follower');
    await follower.kill('SIGKILL');
    const [unusedPort] = await freePorts(1);
    const controllers = [...quorum.nodes.map((n) => n.address), `127.0.0.1:${unusedPort}`].join(',');

    const run = await trib(['quorum', 'describe', '--json', '--controllers', controllers]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as QuorumJson;
    expect(answer.leaderId).toBe(leaderId);
    expect(answer.term).toBeGreaterThan(0);
    expect(answer.commitIndex).toBeGreaterThan(0);
    expect(answer.voters.map((v) => v.id).sort()).toEqual([1, 2, 3]);
    expect(answer.voters.find((v) => v.id === follower.nodeId)?.reachable).toBe(false);
    expect(typeof answer.timestamp).toBe('number');
  });

  it('--watch prints one JSON line per poll and shows the election after the leader is SIGKILLed', async () => {
    quorum = await startControllerQuorum({ size: 3 });
    const first = await quorum.waitForLeader({ timeoutMs: 15_000 });
    const controllers = quorum.nodes.map((n) => n.address).join(',');
    const lines: QuorumJson[] = [];
    let buffered = '';
    watcher = spawn(
      process.execPath,
      [
        TRIB_BIN,
        'quorum',
        'describe',
        '--watch',
        '--interval-ms',
        '100',
        '--json',
        '--controllers',
        controllers,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    watcher.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) if (line.trim() !== '') lines.push(JSON.parse(line) as QuorumJson);
    });
    await waitFor(
      'a watched leader',
      async () => lines.some((l) => l.leaderId === first.leaderId) || undefined,
      {
        timeoutMs: WATCH_TIMEOUT_MS,
      },
    );
    await first.leader.kill('SIGKILL');
    const next = await waitFor(
      'a new leader in the watch output',
      async () =>
        lines.find((l) => l.leaderId !== null && l.leaderId !== first.leaderId && l.term > first.term),
      { timeoutMs: WATCH_TIMEOUT_MS },
    );
    expect(next.term).toBeGreaterThan(first.term);
    const timestamps = lines.map((l) => l.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
  });

  it('exits 0 without a stack trace when its reader goes away (`trib ... | head`)', async () => {
    quorum = await startControllerQuorum({ size: 3 });
    await quorum.waitForLeader({ timeoutMs: 15_000 });
    const controllers = quorum.nodes.map((n) => n.address).join(',');
    const args = [
      'quorum',
      'describe',
      '--watch',
      '--interval-ms',
      '20',
      '--json',
      '--controllers',
      controllers,
    ];
    const child = spawn(process.execPath, [TRIB_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    watcher = child;
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    // What `head` does after its first lines: close the read end of the pipe.
    child.stdout?.destroy();
    const code = await Promise.race([exited, sleep(WATCH_TIMEOUT_MS).then(() => 'timeout' as const)]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('creates and describes topics, and refuses bad input with one line and a non-zero exit', async () => {
    quorum = await startControllerQuorum({ size: 3 });
    await quorum.waitForLeader({ timeoutMs: 15_000 });
    fleet = new FakeBrokerFleet(quorum.admin(), { count: 3 });
    fleet.start();
    await fleet.waitUnfenced();
    const c = ['--controllers', quorum.nodes.map((n) => n.address).join(',')];

    const created = await trib([
      'topics',
      'create',
      'orders',
      '--partitions',
      '3',
      '--replication-factor',
      '3',
      ...c,
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const described = await trib(['topics', 'describe', 'orders', '--json', ...c]);
    expect(described.code).toBe(0);
    const topic = JSON.parse(described.stdout) as {
      name: string;
      id: string;
      partitions: {
        partition: number;
        leader: number;
        leaderEpoch: number;
        replicas: number[];
        isr: number[];
      }[];
    };
    expect(topic.name).toBe('orders');
    expect(topic.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(topic.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of topic.partitions) {
      expect([...p.replicas].sort()).toEqual([1, 2, 3]);
      expect(p.leader).toBe(p.replicas[0]);
      expect(p.isr.length).toBe(3);
    }
    // Preferred leaders are spread: no broker leads more than its share of three partitions.
    expect(new Set(topic.partitions.map((p) => p.leader)).size).toBe(3);

    const duplicate = await trib([
      'topics',
      'create',
      'orders',
      '--partitions',
      '1',
      '--replication-factor',
      '1',
      ...c,
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr.trim().split('\n')).toHaveLength(1);
    expect(duplicate.stderr).toContain('TOPIC_ALREADY_EXISTS');

    const badName = await trib([
      'topics',
      'create',
      'no/slash',
      '--partitions',
      '1',
      '--replication-factor',
      '1',
      ...c,
    ]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('INVALID_TOPIC');

    const tooMany = await trib([
      'topics',
      'create',
      'wide',
      '--partitions',
      '1',
      '--replication-factor',
      '4',
      ...c,
    ]);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('INVALID_REPLICATION_FACTOR');

    const badArgs = await trib(['topics', 'create', 'x', '--partitions', 'many', ...c]);
    expect(badArgs.code).toBe(2);
    expect(badArgs.stderr.trim().split('\n')).toHaveLength(1);

    const log = await trib(['metadata', 'log', '--json', ...c]);
    expect(log.code).toBe(0);
    const types = log.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types).toContain('RegisterBroker');
    expect(types.filter((t) => t === 'Partition')).toHaveLength(3);
  });
});
