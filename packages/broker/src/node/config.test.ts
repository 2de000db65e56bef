import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName, flagName } from '@tributary/core/config';
import { DEFAULT_PROCESS_SECURITY } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { BROKER_CONFIG, ConfigError, classicGroupSettings, parseBrokerArgs, USAGE } from './config.js';

const BASE = [
  '--node-id',
  '1',
  '--listen',
  '127.0.0.1:9092',
  '--data-dir',
  '/tmp/x',
  '--controllers',
  'h:9093',
];

describe('broker config: consumer group flags', () => {
  it('defaults the group flags', () => {
    const config = parseBrokerArgs(BASE);
    expect(config?.offsetsTopicPartitions).toBe(16);
    expect(config?.offsetsTopicReplicationFactor).toBe(3);
    expect(config?.offsetsRetentionMs).toBe(7 * 24 * 60 * 60 * 1000);
    expect(config?.groupSessionTimeoutMs).toBe(45_000);
  });

  it('reads the group flags', () => {
    const config = parseBrokerArgs([
      ...BASE,
      '--offsets-topic-partitions',
      '4',
      '--offsets-topic-replication-factor',
      '1',
      '--offsets-retention-ms',
      '60000',
      '--group-session-timeout-ms',
      '10000',
    ]);
    expect(config).toMatchObject({
      offsetsTopicPartitions: 4,
      offsetsTopicReplicationFactor: 1,
      offsetsRetentionMs: 60_000,
      groupSessionTimeoutMs: 10_000,
    });
  });

  it('refuses a group session timeout outside [1000, 300000]', () => {
    expect(() => parseBrokerArgs([...BASE, '--group-session-timeout-ms', '999'])).toThrow(ConfigError);
    expect(() => parseBrokerArgs([...BASE, '--offsets-topic-partitions', '0'])).toThrow(ConfigError);
  });
});

describe('broker config: classic group flags (Kafka clients)', () => {
  it("reads Kafka's group.* settings into the coordinator's classic settings", () => {
    const config = parseBrokerArgs([
      ...BASE,
      '--group-initial-rebalance-delay-ms',
      '0',
      '--group-min-session-timeout-ms',
      '1000',
      '--group-max-session-timeout-ms',
      '60000',
      '--group-max-size',
      '5',
    ]);
    expect(config === null ? null : classicGroupSettings(config)).toEqual({
      initialRebalanceDelayMs: 0,
      minSessionTimeoutMs: 1_000,
      maxSessionTimeoutMs: 60_000,
      maxSize: 5,
    });
  });

  it("defaults to Kafka's values when options leave them out", () => {
    expect(classicGroupSettings({})).toEqual({
      initialRebalanceDelayMs: 3_000,
      minSessionTimeoutMs: 6_000,
      maxSessionTimeoutMs: 1_800_000,
      maxSize: 1_000,
    });
  });

  it.each([
    [
      ['--group-min-session-timeout-ms', '10000', '--group-max-session-timeout-ms', '9000'],
      '--group-min-session-timeout-ms (10000) must not exceed --group-max-session-timeout-ms (9000)',
    ],
    [['--group-max-size', '0'], '--group-max-size: must be an integer in [1, 1000], got "0"'],
    [['--group-max-size', '1001'], '--group-max-size: must be an integer in [1, 1000], got "1001"'],
  ])('refuses %j', (flags, message) => {
    expect(() => parseBrokerArgs([...BASE, ...flags], {})).toThrow(new ConfigError(message));
  });

  it('refuses settings a classic group would assert on, also from programmatic options', () => {
    expect(() => classicGroupSettings({ groupMaxSize: 0 })).toThrow(ConfigError);
    expect(() => classicGroupSettings({ groupInitialRebalanceDelayMs: -1 })).toThrow(ConfigError);
    expect(() => classicGroupSettings({ groupMinSessionTimeoutMs: 2, groupMaxSessionTimeoutMs: 1 })).toThrow(
      ConfigError,
    );
  });
});

describe('broker config: data directories', () => {
  it('takes --data-dir repeated or as a comma list, and TRIBUTARY_DATA_DIR as a comma list', () => {
    expect(parseBrokerArgs([...BASE, '--data-dir', '/disk2/t'], {})?.dataDir).toEqual(['/tmp/x', '/disk2/t']);
    expect(
      parseBrokerArgs([...BASE.slice(0, 4), '--data-dir', '/a,/b', ...BASE.slice(6)], {})?.dataDir,
    ).toEqual(['/a', '/b']);
    const withoutFlag = [...BASE.slice(0, 4), ...BASE.slice(6)];
    expect(parseBrokerArgs(withoutFlag, { TRIBUTARY_DATA_DIR: '/a, /b' })?.dataDir).toEqual(['/a', '/b']);
  });
});

describe('broker config: sources and errors', () => {
  it('refuses --require-authentication without TLS: the processes name each other by certificate', () => {
    expect(() => parseBrokerArgs([...BASE, '--require-authentication'], {})).toThrow(
      /--require-authentication needs TLS/,
    );
  });

  it('parses the required flags and applies the defaults', () => {
    expect(parseBrokerArgs(BASE, {})).toEqual({
      nodeId: 1,
      listen: '127.0.0.1:9092',
      dataDir: ['/tmp/x'],
      controllers: ['h:9093'],
      logLevel: 'info',
      autoCreateTopics: false,
      defaultPartitions: 1,
      defaultReplicationFactor: 1,
      offsetsTopicPartitions: 16,
      offsetsTopicReplicationFactor: 3,
      offsetsRetentionMs: 604_800_000,
      groupSessionTimeoutMs: 45_000,
      groupInitialRebalanceDelayMs: 3_000,
      groupMinSessionTimeoutMs: 6_000,
      groupMaxSessionTimeoutMs: 1_800_000,
      groupMaxSize: 1_000,
      kafkaConnectionsMaxIdleMs: 600_000,
      logCleanerEnable: true,
      logCleanerThreads: 1,
      logCleanerBackoffMs: 15_000,
      durability: 'fsync',
      logRetentionCheckIntervalMs: 30_000,
      quotaWindowNum: 11,
      quotaWindowSizeMs: 1_000,
      tlsClientAuth: 'none',
      metricsTls: false,
      requireAuthentication: false,
      authorizer: 'none',
      allowEveryoneIfNoAclFound: false,
      sessionLifetimeMs: 3_600_000,
      transactionAbortTimedOutTransactionCleanupIntervalMs: 10_000,
      transactionMaxTimeoutMs: 900_000,
      transactionStateLogNumPartitions: 16,
      transactionStateLogReplicationFactor: 3,
      transactionalIdExpirationMs: 604_800_000,
      security: DEFAULT_PROCESS_SECURITY,
    });
  });

  it('reads --durability from a flag, TRIBUTARY_DURABILITY and the config file, and refuses other modes', async () => {
    expect(parseBrokerArgs([...BASE, '--durability', 'fsync'], {})?.durability).toBe('fsync');
    expect(parseBrokerArgs(BASE, { TRIBUTARY_DURABILITY: 'fsync' })?.durability).toBe('fsync');
    const dir = await mkdtemp(join(tmpdir(), 'broker-durability-'));
    try {
      const file = join(dir, 'broker.json');
      await writeFile(file, JSON.stringify({ durability: 'fsync' }));
      expect(parseBrokerArgs([...BASE, '--config', file], {})?.durability).toBe('fsync');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(() => parseBrokerArgs([...BASE, '--durability', 'disk'], {})).toThrow(ConfigError);
    expect(() => parseBrokerArgs([...BASE, '--durability', 'disk'], {})).toThrow(
      /durability.*must be one of replication, fsync/,
    );
  });

  it("reads Kafka's log.cleaner.* settings", () => {
    const flags = [
      ...BASE,
      '--log-cleaner-enable=false',
      '--log-cleaner-threads',
      '2',
      '--log-cleaner-io-max-bytes-per-second',
      '10485760',
      '--log-cleaner-backoff-ms',
      '1000',
    ];
    expect(parseBrokerArgs(flags, {})).toMatchObject({
      logCleanerEnable: false,
      logCleanerThreads: 2,
      logCleanerIoMaxBytesPerSecond: 10_485_760,
      logCleanerBackoffMs: 1_000,
    });
    expect(() => parseBrokerArgs([...BASE, '--log-cleaner-io-max-bytes-per-second', '10'], {})).toThrow(
      ConfigError,
    );
    expect(() => parseBrokerArgs([...BASE, '--log-cleaner-threads', '0'], {})).toThrow(ConfigError);
  });

  it("parses --log-retention-check-interval-ms (Kafka's log.retention.check.interval.ms), refusing a busy loop", () => {
    expect(parseBrokerArgs([...BASE, '--log-retention-check-interval-ms', '500'], {})).toMatchObject({
      logRetentionCheckIntervalMs: 500,
    });
    expect(() => parseBrokerArgs([...BASE, '--log-retention-check-interval-ms', '10'], {})).toThrow(
      ConfigError,
    );
  });

  it('reads the --tls-* files at parse time: a bad one is a one-line ConfigError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-broker-tls-'));
    try {
      const bad = join(dir, 'bad.pem');
      await writeFile(bad, 'not PEM');
      const flags = [...BASE, '--tls-cert', bad, '--tls-key', bad, '--tls-ca', bad];
      expect(() => parseBrokerArgs(flags, {})).toThrow(
        new ConfigError(`--tls-cert ${bad}: no PEM certificate in it`),
      );
      expect(() => parseBrokerArgs([...BASE, '--tls-ca', bad], {})).toThrow(
        new ConfigError('--tls-cert, --tls-key and --tls-ca go together: --tls-cert and --tls-key missing'),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes flags over TRIBUTARY_* over the config file over defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-broker-config-'));
    try {
      const file = join(dir, 'broker.json');
      await writeFile(
        file,
        JSON.stringify({
          'default-partitions': 3,
          defaultReplicationFactor: 2,
          autoCreateTopics: true,
          controllers: ['a:1', 'b:2'],
        }),
      );
      const env = { TRIBUTARY_DEFAULT_PARTITIONS: '5', TRIBUTARY_METRICS_LISTEN: '0.0.0.0:9192' };
      const argv = ['--node-id', '4', '--listen', 'h:1', '--data-dir', '/d', '--config', file];
      const config = parseBrokerArgs([...argv, '--default-replication-factor', '3'], env);
      expect(config).toMatchObject({
        controllers: ['a:1', 'b:2'],
        autoCreateTopics: true,
        defaultPartitions: 5,
        defaultReplicationFactor: 3,
        metricsListen: '0.0.0.0:9192',
      });
      await writeFile(file, JSON.stringify({ listn: 'h:1' }));
      expect(() => parseBrokerArgs(argv, {})).toThrow(
        new ConfigError(`config file ${file}: unknown key "listn" (did you mean "listen"?)`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      [...BASE, '--auto-create-topic'],
      {},
      'unknown flag --auto-create-topic (did you mean --auto-create-topics?)',
    ],
    [
      BASE,
      { TRIBUTARY_NODE_ID: '1', TRIBUTARY_VOTERS: '1@h:1' },
      'unknown environment variable TRIBUTARY_VOTERS',
    ],
    [[...BASE, '--controllers', 'a:1,b'], {}, '--controllers: must be HOST:PORT, got "b"'],
    [[...BASE, '--advertised-address', 'x'], {}, '--advertised-address: must be HOST:PORT, got "x"'],
    [
      BASE.slice(2),
      { TRIBUTARY_NODE_ID: '-1' },
      'TRIBUTARY_NODE_ID: must be a non-negative integer, got "-1"',
    ],
  ])('explains %j %j in one line', (argv, env, message) => {
    expect(() => parseBrokerArgs(argv, env)).toThrow(new ConfigError(message));
  });

  it('lists every key in --help, with its flag and environment variable', () => {
    for (const key of Object.keys(BROKER_CONFIG.options)) {
      expect(USAGE).toContain(`--${flagName(key)}`);
      expect(USAGE).toContain(envName(key));
    }
  });
});
