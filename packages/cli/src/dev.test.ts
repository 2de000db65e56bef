import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrokerClient, createControllerAdminClient, unary } from '@tributary/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type DevCluster, devBanner, startDevCluster } from './dev.js';

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const endMs = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > endMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tributary dev', () => {
  let cluster: DevCluster | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await cluster?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('starts a one-voter quorum and a broker that registers, is unfenced and answers Metadata', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-dev-'));
    cluster = await startDevCluster({
      dataDir: dir,
      controllerListen: '127.0.0.1:0',
      brokerListen: '127.0.0.1:0',
      kafkaListen: '127.0.0.1:0',
      logger: pino({ level: 'silent' }),
    });
    const admin = createControllerAdminClient(`127.0.0.1:${cluster.controller.port}`);
    const broker = createBrokerClient(`127.0.0.1:${cluster.broker.port}`);
    try {
      await waitUntil('the controller to lead', async () => {
        const quorum = await unary(admin, 'describeQuorum', {}, { deadlineMs: 2_000 });
        return quorum.leaderId === 1 && quorum.role === 'leader';
      });
      await waitUntil('the broker to be unfenced', async () => {
        const described = await unary(admin, 'describeCluster', {}, { deadlineMs: 2_000 });
        return described.brokers.some((b) => b.brokerId === 1 && !b.fenced);
      });
      // The broker registered its Kafka listener's address (DESIGN §9).
      const registered = await unary(admin, 'describeCluster', {}, { deadlineMs: 2_000 });
      expect(cluster.broker.kafkaPort).not.toBeNull();
      expect(registered.brokers[0]?.kafkaAddress).toBe(`127.0.0.1:${cluster.broker.kafkaPort}`);
      const metadata = await unary(broker, 'metadata', { topics: [] }, { deadlineMs: 2_000 });
      expect(metadata.brokers.map((b) => [b.brokerId, b.address, b.fenced])).toEqual([
        [1, `127.0.0.1:${cluster.broker.port}`, false],
      ]);
    } finally {
      admin.close();
      broker.close();
    }
  });

  it('passes --log-cleaner-enable to the broker: off, there is no cleaner; by default there is one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-dev-'));
    const common = {
      controllerListen: '127.0.0.1:0',
      brokerListen: '127.0.0.1:0',
      kafkaListen: 'off',
      logger: pino({ level: 'silent' }),
    };
    cluster = await startDevCluster({ ...common, dataDir: join(dir, 'off'), logCleanerEnable: false });
    expect(cluster.broker.replicaManager.logCleanerStats?.()).toBeUndefined();
    await cluster.close();
    cluster = await startDevCluster({
      ...common,
      dataDir: join(dir, 'on'),
      logCleanerThreads: 2,
      logCleanerIoMaxBytesPerSecond: 1_048_576,
      logCleanerBackoffMs: 500,
    });
    expect(cluster.broker.replicaManager.logCleanerStats?.()).toMatchObject({ cleansTotal: 0 });
  });

  it('prints where it listens and what to try next', () => {
    const lines = devBanner({
      controllerAddress: '127.0.0.1:9093',
      brokerAddress: '127.0.0.1:9092',
      kafkaAddress: '127.0.0.1:9094',
      dataDir: './data',
    });
    const text = lines.join('\n');
    expect(text).toContain('127.0.0.1:9093');
    expect(text).toContain('127.0.0.1:9092');
    expect(text).toContain('kcat -b 127.0.0.1:9094 -L');
    expect(lines.some((l) => l.includes('trib produce'))).toBe(true);
    expect(lines.some((l) => l.includes('trib consume'))).toBe(true);
  });
});
