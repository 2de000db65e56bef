import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createControllerAdminClient, unary } from '@tributary/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type DevCluster, devBanner, startDevCluster } from './dev.js';

describe('tributary dev', () => {
  let cluster: DevCluster | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await cluster?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('starts a one-voter quorum that elects itself and answers DescribeQuorum', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-dev-'));
    cluster = await startDevCluster({
      dataDir: dir,
      controllerListen: '127.0.0.1:0',
      logger: pino({ level: 'silent' }),
    });
    const client = createControllerAdminClient(`127.0.0.1:${cluster.controller.port}`);
    try {
      let quorum = await unary(client, 'describeQuorum', {}, { deadlineMs: 2_000 });
      for (let attempt = 0; attempt < 100 && quorum.leaderId !== 1; attempt++) {
        await new Promise((r) => setTimeout(r, 20));
        quorum = await unary(client, 'describeQuorum', {}, { deadlineMs: 2_000 });
      }
      expect(quorum.leaderId).toBe(1);
      expect(quorum.role).toBe('leader');
    } finally {
      client.close();
    }
  });

  it('prints where it listens and what to try next', () => {
    const lines = devBanner({ controllerAddress: '127.0.0.1:9093', dataDir: './data' });
    expect(lines.join('\n')).toContain('127.0.0.1:9093');
    expect(lines.some((l) => l.includes('trib quorum describe'))).toBe(true);
  });
});
