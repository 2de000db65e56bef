/**
 * AddVoter / RemoveVoter through gRPC against real in-process controllers: a one-voter quorum grows to two
 * (controller 2 started with `join`), shrinks back when the active controller removes itself, and every
 * invalid request is answered with a status naming the problem.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@tributary/core/testing';
import {
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  unary,
} from '@tributary/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControllerHandle, startController } from '../controller-node.js';
import { CATCH_UP_ENTRIES_MAX } from './quorum-handlers.js';
import { refused, registerUnfencedBroker, startSingleController } from './testing.js';

const DEADLINE_MS = 20_000;

describe('AddVoter / RemoveVoter', () => {
  const log1: string[] = [];
  const log2: string[] = [];
  const dirs: string[] = [];
  const handles: ControllerHandle[] = [];
  let admin1: ControllerAdminClient | undefined;
  let admin2: ControllerAdminClient | undefined;
  let address1 = '';
  let address2 = '';

  async function start(
    nodeId: number,
    address: string,
    join_: boolean,
    dataDir?: string,
  ): Promise<ControllerHandle> {
    const dir = dataDir ?? (await mkdtemp(join(tmpdir(), `trib-quorum-handlers-${nodeId}-`)));
    if (dataDir === undefined) dirs.push(dir);
    const handle = await startController({
      nodeId,
      listen: address,
      dataDir: dir,
      voters: [{ id: 1, address: address1 }],
      join: join_,
      tickMs: 10,
      // Snapshots every few entries: the joiner catches up from one, and restarts from its own.
      snapshotIntervalEntries: 2,
      // Controller 1's log lines are kept: the test checks the joiner was caught up with a snapshot.
      // Controller 2's too, for diagnosing a failure (see diagnostics()).
      logger: pino({ level: 'info' }, { write: (line: string) => (nodeId === 1 ? log1 : log2).push(line) }),
      onFatal: (error) => {
        throw error;
      },
    });
    handles.push(handle);
    return handle;
  }

  /** What a failure report needs: both controllers' Raft status and captured log lines. */
  function diagnostics(): string {
    const statuses = handles.map((handle) => {
      const { progress, ...status } = handle.status();
      return JSON.stringify({ ...status, progress: progress === null ? null : Object.fromEntries(progress) });
    });
    return [
      `address1 ${address1}, address2 ${address2}`,
      ...statuses.map((s, k) => `status of handle ${k}: ${s}`),
      '--- controller 1 log:',
      ...log1.map((line) => line.trimEnd()),
      '--- controller 2 log:',
      ...log2.map((line) => line.trimEnd()),
    ].join('\n');
  }

  beforeAll(async () => {
    address1 = `127.0.0.1:${await freePort()}`;
    address2 = `127.0.0.1:${await freePort()}`;
    const first = await start(1, address1, false);
    await waitFor('activation', () => (first.isActive() ? true : undefined));
    // A few entries (a broker registering and heartbeating), so controller 1 snapshots and compacts the
    // start of its log: the joiner then has to catch up from a snapshot.
    const lifecycle = createBrokerLifecycleClient(address1);
    await registerUnfencedBroker(lifecycle, 1, DEADLINE_MS);
    lifecycle.close();
    await waitFor('controller 1 to compact its log', () =>
      first.status().snapshotIndex >= 2 ? true : undefined,
    );
    await start(2, address2, true);
    admin1 = createControllerAdminClient(address1);
    admin2 = createControllerAdminClient(address2);
  }, 30_000);

  afterAll(async () => {
    admin1?.close();
    admin2?.close();
    for (const handle of handles) await handle.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('refuses invalid requests, naming the field', async ({ onTestFailed }) => {
    onTestFailed(() => console.error(diagnostics()));
    const admin = admin1 as ControllerAdminClient;
    const call = (request: { voterId: number; address: string }) =>
      unary(admin, 'AddVoter', request, { deadlineMs: DEADLINE_MS });
    const badAddress = await refused(call({ voterId: 2, address: 'nowhere' }));
    expect(badAddress.code).toBe('INVALID_REQUEST');
    expect(badAddress.message).toMatch(/address/);
    const badPort = await refused(call({ voterId: 2, address: 'h:0' }));
    expect(badPort.message).toMatch(/address/);
    expect((await refused(call({ voterId: 1, address: address1 }))).code).toBe('DUPLICATE_VOTER');
    const remove = (voterId: number) => unary(admin, 'RemoveVoter', { voterId }, { deadlineMs: DEADLINE_MS });
    expect((await refused(remove(9))).code).toBe('VOTER_NOT_FOUND');
    const last = await refused(remove(1));
    expect(last.code).toBe('INVALID_REQUEST');
    expect(last.message).toMatch(/last voter/);
  });

  it('answers NOT_CONTROLLER on a controller that is not active', async ({ onTestFailed }) => {
    onTestFailed(() => console.error(diagnostics()));
    const refusal = await refused(
      unary(admin2 as ControllerAdminClient, 'RemoveVoter', { voterId: 1 }, { deadlineMs: DEADLINE_MS }),
    );
    expect(refusal.code).toBe('NOT_CONTROLLER');
  });

  it('does not promote a learner that has acknowledged nothing, however short the log', async ({
    onTestFailed,
  }) => {
    onTestFailed(() => console.error(diagnostics()));
    const admin = admin1 as ControllerAdminClient;
    const first = handles[0] as ControllerHandle;
    // Nothing listens on port 1, so node 3 never answers. The log is short enough that counting entries
    // alone would call node 3 caught up at once; promoting it would make the one-voter leader need two of
    // two, and check-quorum would depose it (the rare failure of the next test, when its joiner answered
    // more slowly than a check-quorum round).
    expect(first.status().lastIndex).toBeLessThanOrEqual(CATCH_UP_ENTRIES_MAX);
    const adding = refused(
      unary(admin, 'AddVoter', { voterId: 3, address: '127.0.0.1:1' }, { deadlineMs: DEADLINE_MS }),
    );
    await waitFor('node 3 to be added as a learner', () =>
      log1.some((line) => line.includes('learner added') && line.includes('"voter":3')) ? true : undefined,
    );
    expect(first.status()).toMatchObject({ role: 'leader', voters: [1], learners: [3] });
    const removed = await unary(admin, 'RemoveVoter', { voterId: 3 }, { deadlineMs: DEADLINE_MS });
    expect(removed.voters.map((v) => v.id)).toEqual([1]);
    // The waiting AddVoter notices its learner is gone.
    expect((await adding).code).toBe('RECONFIGURATION_IN_PROGRESS');
    expect(first.status()).toMatchObject({ role: 'leader', voters: [1], learners: [] });
  });

  it('adds a joining controller as a voter, then the active controller removes itself and hands over', async ({
    onTestFailed,
  }) => {
    onTestFailed(() => console.error(diagnostics()));
    const added = await unary(
      admin1 as ControllerAdminClient,
      'AddVoter',
      { voterId: 2, address: address2 },
      { deadlineMs: DEADLINE_MS },
    );
    expect(added.voters.map((v) => v.id)).toEqual([1, 2]);
    // Snapshots every 2 entries compacted what the joiner needed: it caught up from an InstallSnapshot,
    // whose meta carried the membership over the wire.
    expect(log1.some((line) => line.includes('"snapshot sent"') && line.includes('"to":2'))).toBe(true);
    const [first, second] = handles as [ControllerHandle, ControllerHandle];
    await waitFor('controller 2 to see itself as a voter', () =>
      second.status().voters.includes(second.status().id) ? true : undefined,
    );
    const removed = await unary(
      admin1 as ControllerAdminClient,
      'RemoveVoter',
      { voterId: 1 },
      { deadlineMs: DEADLINE_MS },
    );
    expect(removed.voters.map((v) => v.id)).toEqual([2]);
    await waitFor('controller 2 to become active', () => (second.isActive() ? true : undefined), 10_000);
    expect(first.status().role).toBe('follower');
    const quorum = await unary(
      admin2 as ControllerAdminClient,
      'DescribeQuorum',
      {},
      { deadlineMs: DEADLINE_MS },
    );
    expect(quorum.voters.map((v) => v.id)).toEqual([2]);
    expect(quorum.voters[0]?.address).toBe(address2);
  }, 30_000);

  it('a restarted controller takes its membership from its snapshot and log, not from --voters', async ({
    onTestFailed,
  }) => {
    onTestFailed(() => console.error(diagnostics()));
    const second = handles[1] as ControllerHandle;
    expect(second.status().snapshotIndex).toBeGreaterThan(0);
    await second.close();
    // Still started with join and --voters naming only controller 1, which is no longer a voter.
    const restarted = await start(2, address2, true, dirs[1]);
    expect(restarted.status().voters).toEqual([2]);
    await waitFor('the restarted controller 2 to become active', () =>
      restarted.isActive() ? true : undefined,
    );
    const image = restarted.committedImage();
    expect(image.offset).toBeGreaterThan(0);
  }, 30_000);
});

describe('AddVoter catch-up deadline', () => {
  it('answers REQUEST_TIMED_OUT naming the lag, keeps the node a learner, and a retry resumes', async () => {
    const controller = await startSingleController('quorum-timeout', { addVoterCatchUpMs: 300 });
    const admin = createControllerAdminClient(controller.address);
    try {
      const addDead = () =>
        refused(unary(admin, 'AddVoter', { voterId: 3, address: '127.0.0.1:1' }, { deadlineMs: 10_000 }));
      const timedOut = await addDead();
      expect(timedOut.code).toBe('REQUEST_TIMED_OUT');
      expect(timedOut.message).toMatch(/node 3 did not catch up within 300 ms: .*stays a learner/);
      expect(controller.handle.status()).toMatchObject({ role: 'leader', voters: [1], learners: [3] });
      // A retry does not add it twice: it waits again (and times out again, nothing listens there).
      expect((await addDead()).code).toBe('REQUEST_TIMED_OUT');
      const removed = await unary(admin, 'RemoveVoter', { voterId: 3 }, { deadlineMs: 10_000 });
      expect(removed.voters.map((v) => v.id)).toEqual([1]);
      expect(controller.handle.status()).toMatchObject({ role: 'leader', voters: [1], learners: [] });
    } finally {
      admin.close();
      await controller.close();
    }
  });
});
