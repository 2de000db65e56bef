import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeId, nodeId, SeededRandom, TributaryError } from '@tributary/core';
import type { Entry, Message, Snapshot } from '@tributary/raft';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RaftDriver, type SnapshotWork, type StateMachine } from './driver.js';
import { LevelRaftStorage } from './level-storage.js';
import { createRaftCore } from './raft-core.js';

const logger = pino({ level: 'silent' });

class RecordingStateMachine implements StateMachine {
  readonly applied: Entry[] = [];
  apply(entry: Entry): void {
    this.applied.push(entry);
  }
  restore(_snapshot: Snapshot): void {}
  snapshotData(): Uint8Array {
    return new Uint8Array(0);
  }
}

interface TestNode {
  readonly id: NodeId;
  readonly driver: RaftDriver;
  readonly storage: LevelRaftStorage;
  readonly machine: RecordingStateMachine;
  readonly events: string[];
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RaftDriver over an in-memory network', () => {
  const dirs: string[] = [];
  const nodes: TestNode[] = [];
  const partitioned = new Set<NodeId>();
  /** Nodes whose storage fails every persist (a full or failing disk under the Raft log). */
  const failingDisks = new Set<NodeId>();
  const fatalErrors = new Map<NodeId, unknown>();

  afterEach(async () => {
    for (const node of nodes) await node.driver.stop();
    for (const node of nodes) await node.storage.close();
    nodes.length = 0;
    partitioned.clear();
    failingDisks.clear();
    fatalErrors.clear();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function startNodes(count: number): Promise<void> {
    const ids = Array.from({ length: count }, (_, i) => nodeId(i + 1));
    for (const id of ids) {
      const dir = await mkdtemp(join(tmpdir(), `trib-driver-${id}-`));
      dirs.push(dir);
      const storage = await LevelRaftStorage.open(dir, ids);
      const events: string[] = [];
      const persist = storage.persist.bind(storage);
      storage.persist = async (ready) => {
        events.push('persist-start');
        if (failingDisks.has(id)) {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        await persist(ready);
        events.push('persist-end');
      };
      const core = createRaftCore(
        {
          id,
          voters: ids,
          electionTicks: 50,
          heartbeatTicks: 5,
          random: new SeededRandom(id),
          preVote: true,
          checkQuorum: true,
        },
        storage,
      );
      const machine = new RecordingStateMachine();
      const deliver = (message: Message): void => {
        if (partitioned.has(message.from) || partitioned.has(message.to)) return;
        setImmediate(() => nodes.find((n) => n.id === message.to)?.driver.step(message));
      };
      const driver = new RaftDriver({
        core,
        storage,
        stateMachine: machine,
        sender: {
          send: (messages) => {
            events.push('send');
            messages.forEach(deliver);
          },
        },
        logger,
        tickMs: 10,
        snapshotIntervalEntries: 1_000,
        snapshotTrailingEntries: 10,
        onFatal: (error) => {
          if (!failingDisks.has(id)) throw error;
          fatalErrors.set(id, error);
        },
      });
      nodes.push({ id, driver, storage, machine, events });
    }
    for (const node of nodes) node.driver.start();
  }

  const leader = () => waitFor(() => nodes.find((n) => n.driver.isLeader()));

  it('elects a leader, commits proposals everywhere, and persists before sending', async () => {
    await startNodes(3);
    const first = await leader();
    const latenciesMs: number[] = [];
    first.driver.onCommitLatency((latencyMs) => latenciesMs.push(latencyMs));
    const proposals = Array.from({ length: 20 }, (_, i) => first.driver.propose(Uint8Array.of(i)));
    const indexes = await Promise.all(proposals.map((p) => p.committed));
    expect(indexes).toEqual(proposals.map((p) => p.index));
    // One commit latency per proposal of this node (the leader's own no-op entry is not one).
    expect(latenciesMs).toHaveLength(20);
    expect(latenciesMs.every((ms) => ms >= 0)).toBe(true);
    for (const node of nodes) {
      await waitFor(() => (node.machine.applied.length >= 21 ? true : undefined));
      expect(node.machine.applied.filter((e) => e.type === 'normal').map((e) => e.data[0])).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
      // A send never happens while a persist is in flight.
      let persisting = false;
      for (const event of node.events) {
        if (event === 'persist-start') persisting = true;
        if (event === 'persist-end') persisting = false;
        expect(event === 'send' && persisting).toBe(false);
      }
    }
  });

  it('a leader that cannot persist stops (no vote, no message), acknowledges nothing, and the rest go on', async () => {
    await startNodes(3);
    const first = await leader();
    await first.driver.propose(Uint8Array.of(1)).committed;
    failingDisks.add(first.id);
    const { committed } = first.driver.propose(Uint8Array.of(99));
    await expect(committed).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    // The process is told to exit (the controller bin does), and the driver sends nothing more.
    expect(fatalErrors.get(first.id)).toMatchObject({ code: 'ENOSPC' });
    const sendsAtFailure = first.events.filter((event) => event === 'send').length;
    const next = await waitFor(() => nodes.find((n) => n !== first && n.driver.isLeader()), 10_000);
    await next.driver.propose(Uint8Array.of(2)).committed;
    expect(first.events.filter((event) => event === 'send').length).toBe(sendsAtFailure);
    // What the failed leader could not persist was never sent, so it is nowhere.
    for (const node of nodes.filter((n) => n !== first)) {
      await waitFor(() => (node.machine.applied.some((e) => e.data[0] === 2) ? true : undefined));
      expect(node.machine.applied.some((e) => e.type === 'normal' && e.data[0] === 99)).toBe(false);
    }
  });

  it('refuses proposals on a follower and rejects pending ones when leadership is lost', async () => {
    await startNodes(3);
    const first = await leader();
    const follower = nodes.find((n) => n !== first);
    expect(() => follower?.driver.propose(Uint8Array.of(1))).toThrow(TributaryError);
    partitioned.add(first.id);
    const latenciesMs: number[] = [];
    first.driver.onCommitLatency((latencyMs) => latenciesMs.push(latencyMs));
    const { committed } = first.driver.propose(Uint8Array.of(2));
    await expect(committed).rejects.toMatchObject({ code: 'NOT_CONTROLLER' });
    expect(latenciesMs).toEqual([]);
    const next = await waitFor(() => nodes.find((n) => n !== first && n.driver.isLeader()));
    expect(next.id).not.toBe(first.id);
  });
});

/** Applies nothing; its snapshot encoding takes steps until the test releases it. */
class SlowSnapshotMachine extends RecordingStateMachine {
  steps = 0;
  released = false;
  /** The applied index when each encoding began. */
  readonly begunAt: number[] = [];
  snapshotWork(): SnapshotWork {
    this.begunAt.push(this.applied.at(-1)?.index ?? 0);
    return {
      step: () => {
        this.steps++;
        return this.released;
      },
      finish: () => Uint8Array.of(7),
    };
  }
}

describe('RaftDriver background snapshots', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('keeps committing while a snapshot encodes, then stores it and compacts the log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-driver-snap-'));
    const id = nodeId(1);
    const storage = await LevelRaftStorage.open(dir, [id]);
    const core = createRaftCore(
      {
        id,
        voters: [id],
        electionTicks: 10,
        heartbeatTicks: 2,
        random: new SeededRandom(1),
        preVote: true,
        checkQuorum: true,
      },
      storage,
    );
    const machine = new SlowSnapshotMachine();
    const driver = new RaftDriver({
      core,
      storage,
      stateMachine: machine,
      sender: { send: () => {} },
      logger,
      tickMs: 5,
      snapshotIntervalEntries: 5,
      snapshotTrailingEntries: 2,
      startTicks: 20,
      onFatal: (error) => {
        throw error;
      },
    });
    cleanup = async () => {
      await driver.stop();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    };
    driver.start();
    await waitFor(() => (driver.isLeader() ? true : undefined));
    for (let i = 0; i < 6; i++) await driver.propose(Uint8Array.of(i)).committed;
    await waitFor(() => (machine.steps > 3 ? true : undefined));
    const begunAt = machine.begunAt[0] ?? 0;
    expect(begunAt).toBeGreaterThanOrEqual(5);
    // The encoding is still going: proposals commit meanwhile, and nothing is stored yet.
    for (let i = 0; i < 6; i++) await driver.propose(Uint8Array.of(10 + i)).committed;
    expect(storage.snapshot().meta.index).toBe(0);
    expect(machine.begunAt).toHaveLength(1);
    machine.released = true;
    await waitFor(() => (storage.snapshot().meta.index > 0 ? true : undefined));
    // Stored at the index it was taken at (not the later ones), with the log compacted behind it.
    expect(storage.snapshot().meta.index).toBe(begunAt);
    expect(storage.snapshot().data).toEqual(Uint8Array.of(7));
    expect(storage.firstIndex()).toBe(begunAt - 2 + 1);
  });
});
