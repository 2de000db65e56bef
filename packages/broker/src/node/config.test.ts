import { describe, expect, it } from 'vitest';
import { ConfigError, parseBrokerArgs } from './config.js';

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
