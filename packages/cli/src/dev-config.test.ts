import { ConfigError, envName, flagName } from '@tributary/core/config';
import { DEFAULT_PROCESS_SECURITY } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { DEV_CONFIG, DEV_USAGE, parseDevArgs } from './dev-config.js';

describe('tributary dev flags', () => {
  it('keeps the defaults of the embedded cluster', () => {
    expect(parseDevArgs([], {})).toEqual({
      dataDir: './data',
      controllerListen: '127.0.0.1:9093',
      brokerListen: '127.0.0.1:9092',
      kafkaListen: '127.0.0.1:9094',
      defaultPartitions: 1,
      logLevel: 'info',
      logCleanerEnable: true,
      logCleanerThreads: 1,
      logCleanerBackoffMs: 15_000,
      tlsClientAuth: 'none',
      requireAuthentication: false,
      authorizer: 'none',
      allowEveryoneIfNoAclFound: false,
      sessionLifetimeMs: 3_600_000,
      security: DEFAULT_PROCESS_SECURITY,
    });
  });

  it('reads flags over TRIBUTARY_* variables', () => {
    const env = { TRIBUTARY_DATA_DIR: '/env', TRIBUTARY_LOG_LEVEL: 'debug' };
    expect(parseDevArgs(['--data-dir', '/flag', '--default-partitions', '4'], env)).toMatchObject({
      dataDir: '/flag',
      defaultPartitions: 4,
      logLevel: 'debug',
    });
  });

  it("takes the broker's log cleaner flags", () => {
    const argv = [
      ...['--log-cleaner-enable=false', '--log-cleaner-threads', '2'],
      ...['--log-cleaner-io-max-bytes-per-second', '1048576', '--log-cleaner-backoff-ms', '500'],
    ];
    expect(parseDevArgs(argv, {})).toMatchObject({
      logCleanerEnable: false,
      logCleanerThreads: 2,
      logCleanerIoMaxBytesPerSecond: 1_048_576,
      logCleanerBackoffMs: 500,
    });
    expect(parseDevArgs([], {})).not.toHaveProperty('logCleanerIoMaxBytesPerSecond');
  });

  it.each([
    [['--log-cleaner-threads', '0'], /^--log-cleaner-threads: must be an integer in \[1, \d+\], got "0"$/],
    [['--log-cleaner-backoff-ms', 'x'], /^--log-cleaner-backoff-ms: /],
    [['--log-cleaner-io-max-bytes-per-second', '-5'], /^--log-cleaner-io-max-bytes-per-second: /],
  ])('refuses the cleaner flags %j', (argv, message) => {
    expect(() => parseDevArgs(argv, {})).toThrow(message);
  });

  it.each([
    [['--broker-listen', 'x'], '--broker-listen: must be HOST:PORT, got "x"'],
    [['--default-partitions', '0'], '--default-partitions: must be an integer in [1, 100000], got "0"'],
    [['--data-dri', 'x'], 'unknown flag --data-dri (did you mean --data-dir?)'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseDevArgs(argv, {})).toThrow(new ConfigError(message));
  });

  it('returns null for --help, whose text lists every key', () => {
    expect(parseDevArgs(['--help'], {})).toBeNull();
    for (const key of Object.keys(DEV_CONFIG.options)) {
      expect(DEV_USAGE).toContain(`--${flagName(key)}`);
      expect(DEV_USAGE).toContain(envName(key));
    }
  });
});
