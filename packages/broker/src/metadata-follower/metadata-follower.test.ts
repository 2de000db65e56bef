import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, type ControllerOptions, startController } from '@tributary/controller';
import { brokerId } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import type { MetadataChanges } from '@tributary/metadata';
import { createBrokerLifecycleClient, createControllerAdminClient, unary } from '@tributary/protocol';
import { type Logger, pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MetadataFollower, type MetadataFollowerOptions } from './metadata-follower.js';
import { SNAPSHOT_FILE_NAME } from './snapshot-file.js';

const DEADLINE_MS = 5_000;
const TEST_MS = 25_000;

/** A logger that keeps its messages, to see which path the follower took. */
function capturingLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed)
          messages.push(String(parsed.msg));
      },
    },
  );
  return { logger, messages };
}

describe('MetadataFollower against a real controller', () => {
  const dirs: string[] = [];
  const controllers: ControllerHandle[] = [];
  const followers: MetadataFollower[] = [];

  afterEach(async () => {
    await Promise.all(followers.splice(0).map((follower) => follower.close()));
    await Promise.all(controllers.splice(0).map((handle) => handle.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  }

  async function startSingle(extra: Partial<ControllerOptions> = {}): Promise<ControllerOptions> {
    const address = `127.0.0.1:${await freePort()}`;
    const options: ControllerOptions = {
      nodeId: 1,
      listen: address,
      dataDir: await tempDir('trib-mf-controller-'),
      voters: [{ id: 1, address }],
      tickMs: 10,
      sessionTimeoutMs: 20_000,
      logger: pino({ level: 'silent' }),
      onFatal: (error) => {
        throw error;
      },
      ...extra,
    };
    const handle = await startController(options);
    controllers.push(handle);
    await waitFor('an active controller', () => handle.isActive());
    await registerUnfencedBroker(address, 1);
    return options;
  }

  async function registerUnfencedBroker(address: string, brokerId: number): Promise<void> {
    const client = createBrokerLifecycleClient(address);
    try {
      const { brokerEpoch } = await unary(
        client,
        'RegisterBroker',
        { brokerId, incarnationId: `inc-${brokerId}`, address: `127.0.0.1:${9000 + brokerId}`, rack: '' },
        { deadlineMs: DEADLINE_MS },
      );
      await unary(
        client,
        'BrokerHeartbeat',
        { brokerId, brokerEpoch, metadataOffset: brokerEpoch, wantFence: false, wantShutdown: false },
        { deadlineMs: DEADLINE_MS },
      );
    } finally {
      client.close();
    }
  }

  async function createTopics(address: string, names: readonly string[]): Promise<void> {
    const client = createControllerAdminClient(address);
    try {
      for (const name of names) {
        await unary(
          client,
          'CreateTopic',
          { name, partitions: 1, replicationFactor: 1 },
          { deadlineMs: DEADLINE_MS },
        );
      }
    } finally {
      client.close();
    }
  }

  async function startFollower(options: Partial<MetadataFollowerOptions> & { controllers: string[] }) {
    const follower = await MetadataFollower.start({
      dataDir: await tempDir('trib-mf-follower-'),
      logger: pino({ level: 'silent' }),
      backoff: { baseMs: 20, maxMs: 200 },
      ...options,
    });
    followers.push(follower);
    return follower;
  }

  const topicNames = (follower: MetadataFollower): string[] =>
    [...follower.currentImage().topicsByName.keys()].sort();

  it(
    'sees topics created before and after it starts, publishing each image with its changes',
    async () => {
      const { listen: address } = await startSingle();
      await createTopics(address, ['before']);
      // The first address refuses connections: the follower rotates to the live one.
      const deadAddress = `127.0.0.1:${await freePort()}`;
      const follower = await startFollower({ controllers: [deadAddress, address] });
      const published: MetadataChanges[] = [];
      follower.onImage((_image, changes) => published.push(changes));
      await waitFor('the first topic', () => follower.currentImage().topicsByName.has('before'));
      await createTopics(address, ['after']);
      await waitFor('the second topic', () => follower.currentImage().topicsByName.has('after'));
      expect(topicNames(follower)).toEqual(['after', 'before']);
      const afterId = follower.currentImage().topicsByName.get('after')?.topicId;
      expect(published.some((changes) => afterId !== undefined && changes.createdTopics.has(afterId))).toBe(
        true,
      );
      expect(follower.highWatermark()).toBeGreaterThanOrEqual(follower.appliedOffset());
      const image = await follower.waitForOffset(follower.appliedOffset(), { timeoutMs: 1_000 });
      expect(image.offset).toBe(follower.appliedOffset());
      await expect(
        follower.waitForOffset(follower.appliedOffset() + 1_000, { timeoutMs: 50 }),
      ).rejects.toMatchObject({ code: 'REQUEST_TIMED_OUT' });
    },
    TEST_MS,
  );

  it(
    'loads the controller snapshot when its log is compacted, then the entries after it',
    async () => {
      const { listen: address } = await startSingle({ snapshotIntervalEntries: 5 });
      const names = Array.from({ length: 8 }, (_, i) => `t${i}`);
      await createTopics(address, names);
      const { logger, messages } = capturingLogger();
      const follower = await startFollower({ controllers: [address], logger });
      await waitFor('every topic', () => follower.currentImage().topicsByName.size === names.length);
      expect(messages).toContain('loaded a metadata snapshot');
      await createTopics(address, ['later']);
      await waitFor('a topic after the snapshot', () => follower.currentImage().topicsByName.has('later'));
      expect(follower.currentImage().brokers.get(brokerId(1))?.fenced).toBe(false);
    },
    TEST_MS,
  );

  it(
    'persists its image and resumes from it after a restart',
    async () => {
      const { listen: address } = await startSingle();
      await createTopics(address, ['a', 'b']);
      const dataDir = await tempDir('trib-mf-persist-');
      const first = await MetadataFollower.start({
        controllers: [address],
        dataDir,
        logger: pino({ level: 'silent' }),
        persistIntervalOffsets: 2,
      });
      await waitFor('both topics', () => first.currentImage().topicsByName.size === 2);
      const offset = first.appliedOffset();
      await first.close();
      expect(await readdir(dataDir)).toEqual([SNAPSHOT_FILE_NAME]);

      const { logger, messages } = capturingLogger();
      const second = await MetadataFollower.start({ controllers: [address], dataDir, logger });
      followers.push(second);
      // The persisted image is there before any event from the controller.
      expect(second.appliedOffset()).toBe(offset);
      expect(topicNames(second)).toEqual(['a', 'b']);
      expect(messages).toContain('loaded the persisted metadata image');
      const offsets: number[] = [];
      second.onImage((image) => offsets.push(image.offset));
      await createTopics(address, ['c']);
      await waitFor('the new topic', () => second.currentImage().topicsByName.has('c'));
      // Resumed after its position: no image at or before it was published again.
      expect(offsets.every((o) => o > offset)).toBe(true);
    },
    TEST_MS,
  );

  it(
    'reconnects and catches up when the controller restarts',
    async () => {
      const options = await startSingle();
      const address = options.listen;
      await createTopics(address, ['first']);
      const follower = await startFollower({ controllers: [address] });
      await waitFor('the first topic', () => follower.currentImage().topicsByName.has('first'));
      const handle = controllers.pop();
      await handle?.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const restarted = await startController(options);
      controllers.push(restarted);
      await waitFor('an active controller again', () => restarted.isActive());
      await createTopics(address, ['second']);
      await waitFor('the topic created after the restart', () =>
        follower.currentImage().topicsByName.has('second'),
      );
      expect(topicNames(follower)).toEqual(['first', 'second']);
    },
    TEST_MS,
  );
});
