import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerEpoch, brokerId, logIndex, nodeId, SeededRandom } from '@tributary/core';
import { decodeRecord, MetadataDelta, MetadataImage, type MetadataRecord } from '@tributary/metadata';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEntryBatch } from './entry-batch.js';
import { QuorumController } from './quorum-controller.js';
import { RaftDriver } from './raft-host/driver.js';
import { LevelRaftStorage } from './raft-host/level-storage.js';
import { createRaftCore } from './raft-host/raft-core.js';

const logger = pino({ level: 'silent' });

function register(id: number): MetadataRecord {
  return {
    type: 'RegisterBroker',
    brokerId: brokerId(id),
    brokerEpoch: brokerEpoch(id),
    incarnationId: `inc-${id}`,
    address: `host${id}:9092`,
    rack: null,
    fenced: false,
  };
}

/** The committed image rebuilt the standby's way: every entry in the log decoded and replayed. */
function replayLog(storage: LevelRaftStorage): MetadataImage {
  const delta = new MetadataDelta(MetadataImage.EMPTY);
  for (const entry of storage.entries(
    storage.firstIndex(),
    logIndex(storage.lastIndex() + 1),
    Number.MAX_SAFE_INTEGER,
  )) {
    if (entry.type === 'normal') {
      for (const bytes of decodeEntryBatch(entry.data)) delta.replay(decodeRecord(bytes), entry.index);
    }
    delta.advanceTo(entry.index);
  }
  return delta.apply();
}

describe('QuorumController on a single voter', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(): Promise<{ quorum: QuorumController; storage: LevelRaftStorage }> {
    const dir = await mkdtemp(join(tmpdir(), 'trib-quorum-'));
    const voters = [nodeId(1)];
    const storage = await LevelRaftStorage.open(dir, voters);
    const core = createRaftCore(
      {
        id: nodeId(1),
        voters,
        electionTicks: 10,
        heartbeatTicks: 2,
        random: new SeededRandom(1),
        preVote: true,
        checkQuorum: true,
      },
      storage,
    );
    const quorum = new QuorumController({ voters: [{ id: 1, address: 'localhost:1' }], logger });
    const driver = new RaftDriver({
      core,
      storage,
      stateMachine: quorum,
      sender: { send: () => {} },
      logger,
      tickMs: 5,
      snapshotIntervalEntries: 1_000,
      snapshotTrailingEntries: 10,
      startTicks: 20,
      onFatal: (error) => {
        throw error;
      },
    });
    quorum.attach(driver);
    const active = new Promise<void>((resolve) => quorum.onActivation((on) => on && resolve()));
    driver.start();
    cleanups.push(async () => {
      await driver.stop();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    });
    await active;
    return { quorum, storage };
  }

  it('commits its own proposals as the images it built, equal to replaying the log', async () => {
    const { quorum, storage } = await start();
    const results = await Promise.all(
      [1, 2, 3].map((id) => quorum.runCommand(() => ({ records: [register(id)], response: id }))),
    );
    expect(results.map((result) => result.response)).toEqual([1, 2, 3]);
    const last = results[2];
    // The committed image is the very object the last command built (no second decode and replay) ...
    expect(quorum.committed).toBe(last?.image);
    expect(quorum.committed.offset).toBe(quorum.appliedIndex);
    // ... and equal to what a standby builds from the log.
    expect(quorum.committed).toEqual(replayLog(storage));
    expect(quorum.committed.brokerIds()).toEqual([1, 2, 3].map(brokerId));
  });
});
