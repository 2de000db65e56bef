import { TributaryClient } from '@tributary/client';
import { type FakeCluster, startFakeCluster } from '@tributary/client/testing';
import { type FakeCoordinator, startFakeCoordinator } from '@tributary/client/testing/coordinator';
import { freePort, waitFor } from '@tributary/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatAssignment,
  formatGroupDescription,
  formatGroupList,
  formatResetOffsets,
  resetTarget,
} from './commands/groups.js';
import { EXIT_FAILURE, EXIT_USAGE, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';

async function trib(argv: string[]) {
  const captured = captureIo({});
  const code = await runCli(argv, captured.io, jsonDecoders, {
    stdin: (async function* () {})(),
    stderrIsTty: false,
  });
  return { code, out: captured.out, err: captured.err };
}

describe('groups and consume --group: argument errors are one line, exit 2', () => {
  const cases: [string, string[]][] = [
    ['describe without a group', ['groups', 'describe']],
    ['reset without a target', ['groups', 'reset-offsets', 'g', '--topic', 't']],
    [
      'reset with two targets',
      ['groups', 'reset-offsets', 'g', '--topic', 't', '--to-earliest', '--to-latest'],
    ],
    ['reset without --topic', ['groups', 'reset-offsets', 'g', '--to-earliest']],
    ['reset to a negative offset', ['groups', 'reset-offsets', 'g', '--topic', 't', '--to-offset', '-1']],
    ['reset to a non-number', ['groups', 'reset-offsets', 'g', '--topic', 't', '--to-offset', 'x']],
    [
      'bad partition list',
      ['groups', 'reset-offsets', 'g', '--topic', 't', '--to-latest', '--partitions', '1,x'],
    ],
    ['unknown groups subcommand', ['groups', 'remove', 'g']],
    ['--group with --partition', ['consume', 't', '--group', 'g', '--partition', '0']],
    ['--group with --offset', ['consume', 't', '--group', 'g', '--offset', '3']],
    ['empty --group', ['consume', 't', '--group', '']],
    ['--session-timeout-ms without --group', ['consume', 't', '--session-timeout-ms', '6000']],
  ];
  for (const [name, argv] of cases) {
    it(name, async () => {
      const { code, err, out } = await trib(argv);
      expect(code).toBe(EXIT_USAGE);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^error: /);
    });
  }
});

describe('groups commands against an unreachable broker', () => {
  it('fail with one line and exit 1', { timeout: 30_000 }, async () => {
    const port = await freePort();
    for (const argv of [
      ['groups', 'list'],
      ['groups', 'describe', 'g'],
      ['groups', 'reset-offsets', 'g', '--topic', 't', '--to-offset', '4'],
    ]) {
      const { code, err, out } = await trib([
        '--bootstrap',
        `127.0.0.1:${port}`,
        '--timeout-ms',
        '300',
        ...argv,
      ]);
      expect(code).toBe(EXIT_FAILURE);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^error: [A-Z_]+: /);
    }
  });
});

describe('groups output (pure)', () => {
  it('picks exactly one reset target', () => {
    expect(resetTarget({ toEarliest: true })).toEqual({ to: 'earliest' });
    expect(resetTarget({ toLatest: true })).toEqual({ to: 'latest' });
    expect(resetTarget({ toOffset: 0 })).toEqual({ to: 0 });
    expect(resetTarget({})).toHaveProperty('problem');
    expect(resetTarget({ toEarliest: true, toOffset: 3 })).toHaveProperty('problem');
  });

  it('formats lists, descriptions with lag, and reset results as aligned tables', () => {
    expect(
      formatAssignment([
        { topic: 'a', partitions: [0, 2] },
        { topic: 'b', partitions: [1] },
      ]),
    ).toBe('a:0,2 b:1');
    expect(formatAssignment([])).toBe('-');
    expect(
      formatGroupList([
        { groupId: 'g1', state: 'Stable', members: 2, coordinatorId: 3, groupType: 'consumer' },
        { groupId: 'k', state: 'PreparingRebalance', members: 1, coordinatorId: 1, groupType: 'classic' },
      ]),
    ).toEqual([
      'GROUP  TYPE      STATE               MEMBERS  COORDINATOR',
      'g1     consumer  Stable              2        3',
      'k      classic   PreparingRebalance  1        1',
    ]);
    const lines = formatGroupDescription({
      groupId: 'g1',
      state: 'Stable',
      groupEpoch: 7,
      assignor: 'cooperative-sticky',
      coordinatorId: 1,
      members: [
        {
          memberId: 'm-1',
          clientId: 'trib',
          memberEpoch: 7,
          subscribedTopics: ['orders'],
          assignment: [{ topic: 'orders', partitions: [0, 1] }],
          pendingRevocation: [],
        },
      ],
      partitions: [
        { topic: 'orders', partition: 0, committedOffset: 5, logEndOffset: 9, lag: 4, memberId: 'm-1' },
        { topic: 'orders', partition: 1, committedOffset: null, logEndOffset: 3, lag: null, memberId: 'm-1' },
      ],
    });
    expect(lines[0]).toBe(
      'group g1  state Stable  epoch 7  assignor cooperative-sticky  coordinator 1  members 1',
    );
    expect(lines).toContain('m-1     trib    7      orders:0,1  -');
    expect(lines.at(-2)).toBe('orders  0          5          9        4    m-1');
    expect(lines.at(-1)).toBe('orders  1          -          3        -    m-1');
    const classic = formatGroupDescription({
      groupId: 'k',
      state: 'Stable',
      groupEpoch: 3,
      assignor: 'range',
      coordinatorId: 1,
      protocolType: 'consumer',
      groupType: 'classic',
      members: [
        {
          memberId: 'i-1-abc',
          clientId: 'rdkafka',
          memberEpoch: 3,
          subscribedTopics: ['orders'],
          assignment: [{ topic: 'orders', partitions: [0] }],
          pendingRevocation: [],
          groupInstanceId: 'i-1',
          clientHost: '/127.0.0.1',
        },
      ],
      partitions: [],
    });
    expect(classic.slice(0, 3)).toEqual([
      'group k  type classic  state Stable  generation 3  protocol consumer/range  coordinator 1  members 1',
      'MEMBER   INSTANCE  CLIENT   HOST        ASSIGNMENT',
      'i-1-abc  i-1       rdkafka  /127.0.0.1  orders:0',
    ]);
    expect(formatResetOffsets('g1', [{ topic: 't', partition: 0, offset: 12 }])).toEqual([
      'reset offsets of group g1',
      'TOPIC  PARTITION  NEW OFFSET',
      't      0          12',
    ]);
  });
});

describe('consume --group and groups commands against fake brokers and a fake coordinator', () => {
  let cluster: FakeCluster;
  let coordinator: FakeCoordinator;
  let bootstrap: string;

  beforeAll(async () => {
    cluster = await startFakeCluster({ brokers: 2, topics: { logs: 2 } });
    coordinator = await startFakeCoordinator({
      topics: { logs: 2 },
      heartbeatIntervalMs: 30,
      forwardBrokerTo: cluster.bootstrap[0] ?? '',
    });
    bootstrap = coordinator.addresses[0] ?? '';
    const client = new TributaryClient({ bootstrap: cluster.bootstrap });
    try {
      const records = [0, 1].flatMap((partition) =>
        [0, 1, 2].map((i) => ({ key: null, value: `p${partition}-${i}`, partition })),
      );
      await client.producer().send('logs', records);
    } finally {
      client.close();
    }
  });

  afterAll(async () => {
    await coordinator.stop();
    await cluster.stop();
  });

  it('consumes as a group, commits what it printed, leaves; then describe, list and reset', {
    timeout: 60_000,
  }, async () => {
    const first = await trib([
      '--bootstrap',
      bootstrap,
      'consume',
      'logs',
      '--group',
      'g1',
      '--from-beginning',
      '--max-messages',
      '6',
    ]);
    expect(first.code).toBe(0);
    expect([...first.out].sort()).toEqual(['p0-0', 'p0-1', 'p0-2', 'p1-0', 'p1-1', 'p1-2']);
    expect([coordinator.committed('g1', 'logs', 0), coordinator.committed('g1', 'logs', 1)]).toEqual([3, 3]);
    expect(coordinator.groups.get('g1')?.members.size).toBe(0);

    // Nothing new: the committed offsets hold, so it prints nothing and stops after the idle timeout.
    const idle = await trib([
      '--bootstrap',
      bootstrap,
      '--timeout-ms',
      '1500',
      'consume',
      'logs',
      '--group',
      'g1',
    ]);
    expect(idle).toMatchObject({ code: 0, out: [], err: [] });

    const described = await trib(['--bootstrap', bootstrap, '--json', 'groups', 'describe', 'g1']);
    expect(described.code).toBe(0);
    const group = JSON.parse(described.out[0] ?? '{}') as { state: string; partitions: { lag: number }[] };
    expect(group.state).toBe('Empty');
    expect(group.partitions.map((p) => p.lag)).toEqual([0, 0]);

    const listed = await trib(['--bootstrap', bootstrap, 'groups', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.out.some((line) => line.startsWith('g1 '))).toBe(true);

    const reset = await trib([
      '--bootstrap',
      bootstrap,
      'groups',
      'reset-offsets',
      'g1',
      '--topic',
      'logs',
      '--to-offset',
      '1',
      '--partitions',
      '1',
    ]);
    expect(reset.code).toBe(0);
    expect(reset.out).toEqual([
      'reset offsets of group g1',
      'TOPIC  PARTITION  NEW OFFSET',
      'logs   1          1',
    ]);
    const again = await trib([
      '--bootstrap',
      bootstrap,
      '--timeout-ms',
      '1500',
      'consume',
      'logs',
      '--group',
      'g1',
    ]);
    expect(again.out).toEqual(['p1-1', 'p1-2']);
  });

  it('Ctrl-C leaves the group cleanly and exits 0', { timeout: 30_000 }, async () => {
    const captured = captureIo({});
    const running = runCli(
      ['--bootstrap', bootstrap, 'consume', 'logs', '--group', 'g2', '--from-beginning'],
      captured.io,
      jsonDecoders,
      {
        stdin: (async function* () {})(),
        stderrIsTty: false,
      },
    );
    await waitFor('records printed', () => captured.out.length >= 6);
    captured.interrupt();
    await expect(running).resolves.toBe(0);
    expect(coordinator.groups.get('g2')?.members.size).toBe(0);
    expect([coordinator.committed('g2', 'logs', 0), coordinator.committed('g2', 'logs', 1)]).toEqual([3, 3]);
  });
});
