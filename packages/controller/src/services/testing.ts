/**
 * For tests only: helpers shared by the gRPC handler tests in this folder (*.test.ts) — a real one-voter
 * controller in this process on 127.0.0.1, brokers registered against it (registrations only, nobody
 * replicates), and the error a refused call answers. Nothing outside tests imports this module, and the
 * package index does not export it. Every wait is bounded (waitFor).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import { type BrokerLifecycleClient, unary } from '@tributary/protocol';
import { pino } from 'pino';
import { type ControllerHandle, type ControllerOptions, startController } from '../controller-node.js';

/** Deadline of one unary call in these tests. */
export const DEADLINE_MS = 5_000;

export interface SingleController {
  /** host:port of its gRPC server. */
  readonly address: string;
  readonly handle: ControllerHandle;
  /** Stops the controller and deletes its data directory. */
  close(): Promise<void>;
}

/** What a test may set; the node id, listen address, data directory and voters are the helper's. */
export type SingleControllerOptions = Omit<
  ControllerOptions,
  'nodeId' | 'listen' | 'dataDir' | 'voters' | 'join'
>;

/**
 * Starts controller 1 as the only voter on a free port, in a new temporary directory whose name starts with
 * `trib-<name>-`, and waits until it is active. Defaults: tickMs 10, a silent logger, and onFatal throws
 * (a test must not exit the process); `options` override them.
 */
export async function startSingleController(
  name: string,
  options: SingleControllerOptions = {},
): Promise<SingleController> {
  const dataDir = await mkdtemp(join(tmpdir(), `trib-${name}-`));
  const address = `127.0.0.1:${await freePort()}`;
  const handle = await startController({
    nodeId: 1,
    listen: address,
    dataDir,
    voters: [{ id: 1, address }],
    tickMs: 10,
    logger: pino({ level: 'silent' }),
    onFatal: (error) => {
      throw error;
    },
    ...options,
  });
  const close = async (): Promise<void> => {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor('activation', () => (handle.isActive() ? true : undefined));
  } catch (error) {
    await close();
    throw error;
  }
  return { address, handle, close };
}

/**
 * Registers broker `id` (address 127.0.0.1:<id>; nothing listens there) and sends one heartbeat that is
 * caught up (metadata offset = its broker epoch), so the controller unfences it. Returns its broker epoch.
 */
export async function registerUnfencedBroker(
  lifecycle: BrokerLifecycleClient,
  id: number,
  deadlineMs = DEADLINE_MS,
): Promise<number> {
  const { brokerEpoch } = await unary(
    lifecycle,
    'RegisterBroker',
    { brokerId: id, incarnationId: `inc-${id}`, address: `127.0.0.1:${id}`, rack: '' },
    { deadlineMs },
  );
  await unary(
    lifecycle,
    'BrokerHeartbeat',
    { brokerId: id, brokerEpoch, metadataOffset: brokerEpoch, wantFence: false, wantShutdown: false },
    { deadlineMs },
  );
  return brokerEpoch;
}

/** The TributaryError `call` was refused with (the gRPC status mapped back); other errors propagate. */
export async function refused(call: Promise<unknown>): Promise<TributaryError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TributaryError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused, it succeeded');
}
