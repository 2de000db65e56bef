/**
 * gRPC fuzzing of the Raft service (issue 6, "every gRPC method"): a controller configured with three voters,
 * of which only node 1 runs, receives seeded random Raft messages "from" nodes 2 and 3 — every message type,
 * small and huge terms and indexes, contiguous and broken entry runs, no-op entries — plus random InstallSnapshot
 * streams. Every call must end cleanly (OK or a typed error), the controller must never reach onFatal (a real
 * process exits there), and it must still answer afterwards.
 *
 * Entries carry no metadata records: Raft peers are trusted (they hold the voter list); a forged leader that
 * appends well-formed but meaningless records can corrupt any Raft state machine, which mutual TLS between
 * controllers is for (docs/decisions.md). What must hold is that malformed or out-of-place messages never crash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tributary/core/testing';
import {
  createControllerAdminClient,
  createRaftClient,
  type RaftClient,
  type RaftEntry,
  type RaftMessage,
  type RaftSnapshotChunk,
  unary,
} from '@tributary/protocol';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControllerHandle, startController } from '../controller-node.js';
import { assertProperty, expectCleanOutcome } from './harness.js';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const TYPES = [
  'RAFT_MESSAGE_TYPE_UNSPECIFIED',
  'RAFT_MESSAGE_TYPE_VOTE',
  'RAFT_MESSAGE_TYPE_VOTE_RESPONSE',
  'RAFT_MESSAGE_TYPE_PRE_VOTE',
  'RAFT_MESSAGE_TYPE_PRE_VOTE_RESPONSE',
  'RAFT_MESSAGE_TYPE_APPEND',
  'RAFT_MESSAGE_TYPE_APPEND_RESPONSE',
  'RAFT_MESSAGE_TYPE_HEARTBEAT',
  'RAFT_MESSAGE_TYPE_HEARTBEAT_RESPONSE',
  'RAFT_MESSAGE_TYPE_SNAPSHOT',
  'RAFT_MESSAGE_TYPE_TIMEOUT_NOW',
] as const;

/** Mostly small values (where the interesting cases are), sometimes huge ones. */
const counter = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 2 ** 32 - 1, Number.MAX_SAFE_INTEGER) },
);

const entries: fc.Arbitrary<RaftEntry[]> = fc.oneof(
  fc.constant<RaftEntry[]>([]),
  // A contiguous run of no-op entries with non-decreasing terms (what a leader sends).
  fc
    .tuple(counter, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 12 }))
    .map(([start, count, firstTerm]) =>
      Array.from({ length: count }, (_, i) => ({
        index: start + 1 + i,
        term: firstTerm,
        type: 'RAFT_ENTRY_TYPE_LEADER_CHANGE' as const,
        data: Buffer.alloc(0),
      })),
    ),
  // Anything: gaps, terms going down, unknown types.
  fc.array(
    fc.record({
      index: counter,
      term: counter,
      type: fc.constantFrom('RAFT_ENTRY_TYPE_LEADER_CHANGE', 'RAFT_ENTRY_TYPE_NORMAL'),
      data: fc.constant(Buffer.alloc(0)),
    }),
    { maxLength: 4 },
  ),
);

const message: fc.Arbitrary<RaftMessage> = fc.record({
  type: fc.constantFrom(...TYPES),
  from: fc.constantFrom(2, 3, 1, 9),
  to: fc.constantFrom(1, 1, 1, 2),
  term: counter,
  logTerm: counter,
  index: counter,
  entries,
  commit: counter,
  reject: fc.boolean(),
  rejectHintIndex: counter,
  rejectHintTerm: counter,
  snapshot: fc.option(fc.record({ index: counter, term: counter, voters: fc.constant([1, 2, 3]) }), {
    nil: null,
  }),
  transfer: fc.boolean(),
  context: fc.constant(Buffer.alloc(0)),
});

describe('gRPC fuzzing of the Raft service', () => {
  let dir = '';
  let controller: ControllerHandle | undefined;
  let raft: RaftClient | undefined;
  const fatalErrors: unknown[] = [];
  let address = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-raft-fuzz-'));
    address = `127.0.0.1:${await freePort()}`;
    // Nodes 2 and 3 never run: node 1 takes the messages the fuzzer sends in their name.
    const unused = [await freePort(), await freePort()];
    controller = await startController({
      nodeId: 1,
      listen: address,
      dataDir: join(dir, 'controller'),
      voters: [
        { id: 1, address },
        { id: 2, address: `127.0.0.1:${unused[0]}` },
        { id: 3, address: `127.0.0.1:${unused[1]}` },
      ],
      logger: pino({ level: 'silent' }),
      onFatal: (error) => fatalErrors.push(error),
    });
    raft = createRaftClient(address);
  }, 30_000);

  afterAll(async () => {
    raft?.close();
    await controller?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  }, 30_000);

  const client = (): RaftClient => {
    if (raft === undefined) throw new Error('not started');
    return raft;
  };

  it('Raft.Step ends cleanly for any batch of messages and never stops the controller', async () => {
    await assertProperty(
      fc.asyncProperty(fc.array(message, { maxLength: 4 }), async (messages) => {
        await expectCleanOutcome('Raft.Step', unary(client(), 'Step', { messages }, { deadlineMs: 5_000 }));
      }),
      NUM_RUNS,
    );
    expect(fatalErrors).toEqual([]);
  }, 120_000);

  it('Raft.InstallSnapshot ends cleanly for random chunk streams', async () => {
    const chunk: fc.Arbitrary<RaftSnapshotChunk> = fc
      .tuple(
        fc.option(message, { nil: undefined }),
        fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
        fc.boolean(),
      )
      .map(([first, data, last]) => (first === undefined ? { data, last } : { message: first, data, last }));
    await assertProperty(
      fc.asyncProperty(fc.array(chunk, { maxLength: 4 }), async (chunks) => {
        const outcome = new Promise<void>((resolve, reject) => {
          const call = client().InstallSnapshot({ deadline: Date.now() + 5_000 }, (error) => {
            if (error === null) resolve();
            else reject(error);
          });
          for (const piece of chunks) call.write(piece);
          call.end();
        });
        // A stream-level failure arrives as a grpc ServiceError; the clean ones carry a Tributary code.
        await outcome.catch((error: { code?: number; details?: string }) => {
          if (typeof error.code !== 'number' || error.code === 2 || error.code === 4) {
            throw new Error(`InstallSnapshot ended uncleanly: ${error.code} ${error.details}`);
          }
        });
      }),
      Math.min(NUM_RUNS, 150),
    );
    expect(fatalErrors).toEqual([]);
  }, 120_000);

  it('afterwards the controller still answers', async () => {
    const admin = createControllerAdminClient(address);
    try {
      const quorum = await unary(admin, 'DescribeQuorum', {}, { deadlineMs: 5_000 });
      expect(quorum.nodeId).toBe(1);
    } finally {
      admin.close();
    }
    expect(fatalErrors).toEqual([]);
  }, 30_000);
});
