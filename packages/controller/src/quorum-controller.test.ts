import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  brokerEpoch,
  brokerId,
  logIndex,
  type NodeId,
  nodeId,
  SeededRandom,
  TributaryError,
} from '@tributary/core';
import { decodeRecord, MetadataDelta, MetadataImage, type MetadataRecord } from '@tributary/metadata';
import type { Message } from '@tributary/raft';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEntryBatch } from './entry-batch.js';
import { type Decision, QuorumController } from './quorum-controller.js';
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

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Settles `promise` into a state a test can look at without awaiting it. */
function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } {
  const tracked: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(
    () => {
      tracked.state = 'resolved';
    },
    (error: unknown) => {
      tracked.state = 'rejected';
      tracked.error = error;
    },
  );
  return tracked;
}

describe('QuorumController answers decisions that wrote nothing only once what they saw is committed', () => {
  interface Node {
    readonly id: NodeId;
    readonly quorum: QuorumController;
    readonly driver: RaftDriver;
  }
  const nodes: Node[] = [];
  const cut = new Set<NodeId>();
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    nodes.length = 0;
    cut.clear();
  });

  async function startThree(): Promise<void> {
    const ids = [1, 2, 3].map(nodeId);
    for (const id of ids) {
      const dir = await mkdtemp(join(tmpdir(), `trib-quorum-${id}-`));
      const storage = await LevelRaftStorage.open(dir, ids);
      const core = createRaftCore(
        {
          id,
          voters: ids,
          electionTicks: 20,
          heartbeatTicks: 2,
          random: new SeededRandom(id),
          preVote: true,
          checkQuorum: true,
        },
        storage,
      );
      const quorum = new QuorumController({
        voters: ids.map((voter) => ({ id: voter, address: `localhost:${voter}` })),
        logger,
      });
      const deliver = (message: Message): void => {
        if (cut.has(message.from) || cut.has(message.to)) return;
        setImmediate(() => nodes.find((n) => n.id === message.to)?.driver.step(message));
      };
      const driver = new RaftDriver({
        core,
        storage,
        stateMachine: quorum,
        sender: { send: (messages) => messages.forEach(deliver) },
        logger,
        tickMs: 5,
        snapshotIntervalEntries: 1_000,
        snapshotTrailingEntries: 10,
        onFatal: (error) => {
          throw error;
        },
      });
      quorum.attach(driver);
      nodes.push({ id, quorum, driver });
      cleanups.push(async () => {
        await driver.stop();
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      });
    }
    for (const node of nodes) node.driver.start();
  }

  const active = (except?: NodeId) =>
    waitFor(() => nodes.find((node) => node.id !== except && node.quorum.isActive()));

  /** Refuses when broker 1 is registered, as CreateTopic refuses a topic that exists. */
  const refuseIfRegistered = (image: MetadataImage): Decision<null> => {
    if (image.broker(brokerId(1)) !== undefined) {
      throw new TributaryError('DUPLICATE_BROKER_REGISTRATION', 'broker 1 exists');
    }
    return { records: [], response: null };
  };

  it('a refusal based on an entry in flight waits for it, and becomes NOT_CONTROLLER when it is lost', async () => {
    await startThree();
    const leader = await active();
    cut.add(leader.id); // nothing the leader appends from now on can commit
    const registering = track(leader.quorum.runCommand(() => ({ records: [register(1)], response: null })));
    const refusal = track(leader.quorum.runCommand(refuseIfRegistered));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Decided against the uncommitted registration: not answered yet.
    expect(refusal.state).toBe('pending');
    const successor = await active(leader.id);
    await waitFor(() => (refusal.state === 'pending' ? undefined : true));
    expect(refusal.state).toBe('rejected');
    expect(refusal.error).toMatchObject({ code: 'NOT_CONTROLLER' });
    expect(registering.state).not.toBe('resolved');
    // The registration never happened: the new leader decides without it.
    expect(successor.quorum.committed.broker(brokerId(1))).toBeUndefined();
    await expect(successor.quorum.runCommand(refuseIfRegistered)).resolves.toMatchObject({ response: null });
  });

  it('an answer that wrote nothing comes once the entries it was decided after have committed', async () => {
    await startThree();
    const leader = await active();
    const registering = leader.quorum.runCommand(() => ({ records: [register(1)], response: null }));
    let appliedAtAnswer = -1;
    const reading = leader.quorum
      .runCommand((image) => ({ records: [], response: image.broker(brokerId(1))?.brokerEpoch }))
      .then((result) => {
        appliedAtAnswer = leader.quorum.appliedIndex;
        return result;
      });
    const [registered, read] = await Promise.all([registering, reading]);
    expect(read.response).toBe(brokerEpoch(1));
    expect(appliedAtAnswer).toBeGreaterThanOrEqual(registered.image.offset);
  });
});
