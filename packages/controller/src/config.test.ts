import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName, flagName } from '@tributary/core/config';
import { describe, expect, it } from 'vitest';
import { CONTROLLER_CONFIG, ConfigError, parseControllerArgs, parseVoters, USAGE } from './config.js';

const base = ['--node-id', '2', '--listen', '127.0.0.1:9094', '--data-dir', '/tmp/c2'];
const voters = ['--voters', '1@127.0.0.1:9093,2@127.0.0.1:9094,3@127.0.0.1:9095'];

describe('controller flags', () => {
  it('parses the required flags and applies defaults', () => {
    const config = parseControllerArgs([...base, ...voters]);
    expect(config).toMatchObject({
      nodeId: 2,
      listen: '127.0.0.1:9094',
      dataDir: '/tmp/c2',
      tickMs: 10,
      electionTicks: 25,
      heartbeatTicks: 5,
      sessionTimeoutMs: 3000,
      heartbeatIntervalMs: 500,
      suspectAfterMs: 1_000,
      snapshotIntervalEntries: 10_000,
      logLevel: 'info',
    });
    expect(config?.voters).toEqual([
      { id: 1, address: '127.0.0.1:9093' },
      { id: 2, address: '127.0.0.1:9094' },
      { id: 3, address: '127.0.0.1:9095' },
    ]);
  });

  it('returns null for --help', () => {
    expect(parseControllerArgs(['--help'])).toBeNull();
  });

  it.each([
    [['--bogus']],
    [[...base]],
    [[...base, ...voters, '--tick-ms', 'fast']],
    [[...base, ...voters, '--log-level', 'loud']],
    [[...base, '--voters', '1@127.0.0.1:9093']],
    [[...base, '--voters', '2@host:1,2@host:2']],
    [[...base, '--voters', '2@nohostport']],
    [[...base, ...voters, '--heartbeat-ticks', '25']],
    [[...base, ...voters, 'positional']],
  ])('refuses %j with a ConfigError', (argv) => {
    expect(() => parseControllerArgs(argv)).toThrow(ConfigError);
  });

  it('reads a config file (camelCase or kebab-case keys); flags win', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-config-'));
    try {
      const file = join(dir, 'controller.json');
      await writeFile(
        file,
        JSON.stringify({
          nodeId: 2,
          listen: '127.0.0.1:1',
          'data-dir': '/tmp/x',
          voters: ['1@127.0.0.1:9093', '2@127.0.0.1:9094'],
          sessionTimeoutMs: 5000,
        }),
      );
      const config = parseControllerArgs(['--config', file, '--listen', '127.0.0.1:9094']);
      expect(config).toMatchObject({
        nodeId: 2,
        listen: '127.0.0.1:9094',
        dataDir: '/tmp/x',
        sessionTimeoutMs: 5000,
      });
      await writeFile(file, JSON.stringify({ nodeID: 2 }));
      expect(() => parseControllerArgs(['--config', file])).toThrow(/unknown key/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parses voters', () => {
    expect(parseVoters('3@[::1]:9095, 1@a:1')).toEqual([
      { id: 1, address: 'a:1' },
      { id: 3, address: '[::1]:9095' },
    ]);
  });

  it('takes flags over TRIBUTARY_* over the config file over defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-config-'));
    try {
      const file = join(dir, 'controller.json');
      await writeFile(file, JSON.stringify({ tickMs: 30, electionTicks: 40, heartbeatTicks: 6, nodeId: 2 }));
      const env = { TRIBUTARY_CONFIG: file, TRIBUTARY_TICK_MS: '20', TRIBUTARY_ELECTION_TICKS: '50' };
      const config = parseControllerArgs([...base, ...voters, '--tick-ms', '15'], env);
      expect(config).toMatchObject({
        tickMs: 15,
        electionTicks: 50,
        heartbeatTicks: 6,
        snapshotIntervalEntries: 10_000,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads --metrics-listen and derives --suspect-after-ms from the heartbeat interval', () => {
    const config = parseControllerArgs([...base, ...voters, '--heartbeat-interval-ms', '300'], {
      TRIBUTARY_METRICS_LISTEN: '127.0.0.1:9193',
    });
    expect(config).toMatchObject({ metricsListen: '127.0.0.1:9193', suspectAfterMs: 600 });
    expect(parseControllerArgs([...base, ...voters], {})).not.toHaveProperty('metricsListen');
  });

  it.each([
    [['--node-idd', '2'], {}, 'unknown flag --node-idd (did you mean --node-id?)'],
    [[...voters], { TRIBUTARY_NODE_ID: 'x' }, 'TRIBUTARY_NODE_ID: must be a non-negative integer, got "x"'],
    [
      [...base, ...voters],
      { TRIBUTARY_CONTROLLERS: 'h:1' },
      'unknown environment variable TRIBUTARY_CONTROLLERS',
    ],
    [
      [...base, '--voters', '1@127.0.0.1:9093'],
      {},
      '--node-id 2 is not one of --voters (use --join to add a controller)',
    ],
    [
      [...base, ...voters, '--join'],
      {},
      '--join: --node-id 2 must not be one of --voters (they are the quorum to join)',
    ],
    [[...base, '--voters', '2@a:1,x'], {}, '--voters: must be ID@HOST:PORT, got "x"'],
    // One node id bound with brokers (Kafka's node.id, a non-negative int32).
    [
      [...base, '--voters', '2@a:1,2147483648@b:1'],
      {},
      '--voters: must have ids in [0, 2147483647], got "2147483648@b:1"',
    ],
    [[...base, ...voters, '--metrics-listen', '9100'], {}, '--metrics-listen: must be HOST:PORT, got "9100"'],
  ])('explains %j %j in one line', (argv, env, message) => {
    expect(() => parseControllerArgs(argv, env)).toThrow(new ConfigError(message));
  });

  it('reads the automatic leader balance flags (on, 10 %, 60 s by default) and refuses a percentage above 100', () => {
    expect(parseControllerArgs([...base, ...voters])).toMatchObject({
      autoLeaderRebalance: true,
      leaderImbalancePerBrokerPercentage: 10,
      leaderImbalanceCheckIntervalMs: 60_000,
    });
    const config = parseControllerArgs([
      ...base,
      ...voters,
      '--auto-leader-rebalance=false',
      '--leader-imbalance-per-broker-percentage',
      '25',
      '--leader-imbalance-check-interval-ms',
      '5000',
    ]);
    expect(config).toMatchObject({
      autoLeaderRebalance: false,
      leaderImbalancePerBrokerPercentage: 25,
      leaderImbalanceCheckIntervalMs: 5_000,
    });
    expect(() =>
      parseControllerArgs([...base, ...voters, '--leader-imbalance-per-broker-percentage', '101']),
    ).toThrow(ConfigError);
  });

  it('lists every key in --help, with its flag and environment variable', () => {
    for (const key of Object.keys(CONTROLLER_CONFIG.options)) {
      expect(USAGE).toContain(`--${flagName(key)}`);
      expect(USAGE).toContain(envName(key));
    }
    expect(USAGE).toContain('--config FILE');
  });
});

describe('--join', () => {
  it('lets a controller outside --voters start as a non-voter waiting to be added', () => {
    const config = parseControllerArgs([...base, '--voters', '1@127.0.0.1:9093,3@127.0.0.1:9095', '--join']);
    expect(config).toMatchObject({ nodeId: 2, join: true });
    expect(parseControllerArgs([...base, ...voters])).toMatchObject({ join: false });
  });
});
