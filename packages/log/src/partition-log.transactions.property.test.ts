/**
 * Transactions in the partition log against a naive reference: random interleavings of transactional
 * batches from several producers, COMMIT and ABORT markers (some bumping the producer or the coordinator
 * epoch, some from an older producer or coordinator epoch and refused), plain and idempotent batches, refused writes, truncations and clean and unclean reopens. After every step
 * the log's first unstable offset, its aborted transactions for random ranges and the records a
 * read_committed consumer keeps (filtering as Kafka's clients do) must equal what a replay of the model's
 * batches says. `TXN_PROPERTY_SEED=n` replays a run; the seed is printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { decodeRecordBatch, encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import { PartitionLog } from './partition-log.js';
import { splitBatches } from './test-batches.js';
import type { AbortedTransaction } from './txn-index.js';

const PRODUCERS = [100, 200, 300] as const;

interface ModelBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly producerId: number;
  readonly epoch: number;
  readonly kind: 'plain' | 'idempotent' | 'txn' | 'commit' | 'abort';
  /** Record ids (data batches). */
  readonly ids: readonly string[];
  readonly lastSequence: number;
  /** A marker's coordinator epoch; -1 for data batches. */
  readonly coordinatorEpoch: number;
}

/** What the log's producer state holds for a producer, by the model. */
interface ModelProducer {
  readonly epoch: number;
  readonly nextSequence: number;
  /** The coordinator epoch of the last marker (-1: none). */
  readonly coordinatorEpoch: number;
}

interface Replay {
  /** producer -> first offset of its open transaction. */
  readonly open: Map<number, number>;
  readonly aborted: AbortedTransaction[];
  /** The marker closing each transactional batch (by base offset), when there is one. */
  readonly outcome: Map<number, 'commit' | 'abort'>;
  /** producer -> epoch, next sequence and coordinator epoch as the log's producer state has them. */
  readonly producers: Map<number, ModelProducer>;
}

/** The naive replay: what the batches in the log say, with no index and no snapshot. */
function replay(batches: readonly ModelBatch[]): Replay {
  const open = new Map<number, number>();
  const members = new Map<number, number[]>();
  const aborted: AbortedTransaction[] = [];
  const outcome = new Map<number, 'commit' | 'abort'>();
  const producers = new Map<number, ModelProducer>();
  for (const batch of batches) {
    if (batch.kind === 'plain') continue;
    const known = producers.get(batch.producerId);
    if (known !== undefined && batch.epoch < known.epoch) continue;
    const sameEpoch = known !== undefined && known.epoch === batch.epoch;
    if (batch.kind === 'commit' || batch.kind === 'abort') {
      // The marker's coordinator epoch, as written: the leader made sure it never went back.
      producers.set(batch.producerId, {
        epoch: batch.epoch,
        nextSequence: sameEpoch ? known.nextSequence : 0,
        coordinatorEpoch: batch.coordinatorEpoch,
      });
      const first = open.get(batch.producerId);
      if (first === undefined) continue;
      open.delete(batch.producerId);
      for (const member of members.get(batch.producerId) ?? []) outcome.set(member, batch.kind);
      members.delete(batch.producerId);
      if (batch.kind === 'abort') {
        aborted.push({ producerId: batch.producerId, firstOffset: first, lastOffset: batch.lastOffset });
      }
      continue;
    }
    producers.set(batch.producerId, {
      epoch: batch.epoch,
      nextSequence: batch.lastSequence + 1,
      coordinatorEpoch: known?.coordinatorEpoch ?? -1,
    });
    if (batch.kind === 'txn') {
      if (!open.has(batch.producerId)) open.set(batch.producerId, batch.baseOffset);
      members.set(batch.producerId, [...(members.get(batch.producerId) ?? []), batch.baseOffset]);
    }
  }
  return { open, aborted, outcome, producers };
}

type Op =
  | { kind: 'plain'; records: number }
  | { kind: 'idempotent'; producer: number; records: number }
  | { kind: 'txn'; producer: number; records: number }
  | {
      kind: 'marker';
      producer: number;
      marker: 'commit' | 'abort';
      bump: boolean;
      /** How many coordinator epochs later than the last marker's it was written (0: the same coordinator). */
      coordinatorStep: number;
    }
  | { kind: 'stale-marker'; producer: number }
  /** A deposed coordinator's late marker: an older coordinator epoch than the producer's last marker. */
  | {
      kind: 'stale-coordinator-marker';
      producer: number;
      marker: 'commit' | 'abort';
      bump: boolean;
      back: number;
    }
  | { kind: 'client-marker'; producer: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'reopen'; clean: boolean };

const producerArbitrary = fc.integer({ min: 0, max: PRODUCERS.length - 1 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('plain'), records: fc.integer({ min: 1, max: 3 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('idempotent'),
      producer: producerArbitrary,
      records: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('txn'),
      producer: producerArbitrary,
      records: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('marker'),
      producer: producerArbitrary,
      marker: fc.constantFrom('commit' as const, 'abort' as const),
      bump: fc.boolean(),
      coordinatorStep: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stale-marker'), producer: producerArbitrary }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('stale-coordinator-marker'),
      producer: producerArbitrary,
      marker: fc.constantFrom('commit' as const, 'abort' as const),
      bump: fc.boolean(),
      back: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('client-marker'), producer: producerArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate'), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen'), clean: fc.boolean() }) },
);

function dataBatch(options: {
  producerId: number;
  epoch: number;
  sequence: number;
  transactional: boolean;
  ids: readonly string[];
}): Buffer {
  const idempotent = options.producerId >= 0;
  return encodeRecordBatch({
    ...(idempotent
      ? { producerId: options.producerId, producerEpoch: options.epoch, baseSequence: options.sequence }
      : {}),
    isTransactional: options.transactional,
    records: options.ids.map((id) => ({ key: null, value: Buffer.from(id), timestampMs: 1_000 })),
  });
}

async function failureOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LogAppendError) return error.failure;
    throw error;
  }
  return 'accepted';
}

/** Kafka's client-side filter: the records a read_committed consumer keeps from `bytes`. */
function readCommittedView(bytes: Buffer, aborted: readonly AbortedTransaction[]): string[] {
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  const kept: string[] = [];
  for (const raw of splitBatches(bytes)) {
    const batch = decodeRecordBatch(raw);
    const lastOffset = batch.baseOffset + batch.lastOffsetDelta;
    while (pending.length > 0 && (pending[0]?.firstOffset ?? Number.POSITIVE_INFINITY) <= lastOffset) {
      const next = pending.shift();
      if (next !== undefined) abortedProducers.add(next.producerId);
    }
    if (batch.isControl) {
      abortedProducers.delete(batch.producerId);
      continue;
    }
    if (batch.isTransactional && abortedProducers.has(batch.producerId)) continue;
    for (const record of batch.records) kept.push(Buffer.from(record.value ?? []).toString());
  }
  return kept;
}

async function readAll(log: PartitionLog, upTo: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let from = log.logStartOffset;
  while (from < upTo) {
    const part = await log.read(from, { maxBytes: 1024 * 1024, maxOffset: upTo });
    if (part.bytes.length === 0) break;
    parts.push(part.bytes);
    from = part.nextOffset;
  }
  return Buffer.concat(parts);
}

async function check(log: PartitionLog, batches: readonly ModelBatch[], ranges: readonly [number, number][]) {
  const expected = replay(batches);
  const firstUnstable = expected.open.size === 0 ? null : Math.min(...expected.open.values());
  expect(log.firstUnstableOffset).toBe(firstUnstable);
  const end = log.logEndOffset;
  for (const [a, b] of ranges) {
    const from = a % (end + 1);
    const upper = from + (b % (end + 2 - from));
    const overlapping = expected.aborted.filter(
      (txn) => upper > from && txn.lastOffset >= from && txn.firstOffset < upper,
    );
    const sortKey = (txn: AbortedTransaction) => txn.lastOffset;
    const got = [...(await log.abortedTransactions(from, upper))].sort((x, y) => sortKey(x) - sortKey(y));
    expect(got).toEqual(overlapping);
  }
  const lastStable = firstUnstable ?? end;
  const view = readCommittedView(
    await readAll(log, lastStable),
    await log.abortedTransactions(0, lastStable),
  );
  const committed = batches
    .filter((batch) => batch.lastOffset < lastStable)
    .filter(
      (batch) =>
        batch.kind === 'plain' ||
        batch.kind === 'idempotent' ||
        expected.outcome.get(batch.baseOffset) === 'commit',
    )
    .flatMap((batch) => batch.ids);
  expect(view).toEqual(committed);
}

async function runScenario(ops: readonly Op[], ranges: readonly [number, number][], segmentBytes: number) {
  const dir = await mkdtemp(join(tmpdir(), 'txn-property-'));
  const clock = new ManualClock(0);
  const open = () => PartitionLog.open({ dir, clock, config: { segmentBytes, indexIntervalBytes: 100 } });
  let log = await open();
  let batches: ModelBatch[] = [];
  let nextId = 0;
  /** Epoch the generator's next marker or batch uses per producer (may run ahead of the log's after a bump). */
  try {
    for (const op of ops) {
      const state = replay(batches);
      const append = async (
        bytes: Buffer,
        kind: ModelBatch['kind'],
        producerId: number,
        epoch: number,
        ids: string[],
        lastSequence: number,
        origin: 'client' | 'coordinator' = 'client',
        coordinatorEpoch = -1,
      ) => {
        const result = await log.append(bytes, { leaderEpoch: 0, assignOffsets: true, origin });
        batches.push({
          baseOffset: result.baseOffset,
          lastOffset: result.lastOffset,
          producerId,
          epoch,
          kind,
          ids,
          lastSequence,
          coordinatorEpoch,
        });
      };
      const producerState = (producerId: number): ModelProducer =>
        state.producers.get(producerId) ?? { epoch: 0, nextSequence: 0, coordinatorEpoch: -1 };
      switch (op.kind) {
        case 'plain': {
          const ids = Array.from({ length: op.records }, () => `p${nextId++}`);
          await append(
            dataBatch({ producerId: -1, epoch: -1, sequence: -1, transactional: false, ids }),
            'plain',
            -1,
            -1,
            ids,
            -1,
          );
          break;
        }
        case 'idempotent':
        case 'txn': {
          const producerId = PRODUCERS[op.producer] ?? 0;
          const { epoch, nextSequence } = producerState(producerId);
          const transactional = op.kind === 'txn';
          const ids = Array.from({ length: op.records }, () => `${transactional ? 't' : 'i'}${nextId++}`);
          const bytes = dataBatch({ producerId, epoch, sequence: nextSequence, transactional, ids });
          if (!transactional && state.open.has(producerId)) {
            expect(await failureOf(() => log.append(bytes, { leaderEpoch: 0, assignOffsets: true }))).toBe(
              'NOT_TRANSACTIONAL_IN_TRANSACTION',
            );
            break;
          }
          await append(bytes, op.kind, producerId, epoch, ids, nextSequence + op.records - 1);
          break;
        }
        case 'marker': {
          const producerId = PRODUCERS[op.producer] ?? 0;
          const known = producerState(producerId);
          const epoch = known.epoch + (op.bump ? 1 : 0);
          const coordinatorEpoch = Math.max(known.coordinatorEpoch, 0) + op.coordinatorStep;
          const bytes = encodeControlBatch({
            producerId,
            producerEpoch: epoch,
            marker: op.marker,
            coordinatorEpoch,
            timestampMs: 1_000,
          });
          await append(bytes, op.marker, producerId, epoch, [], -1, 'coordinator', coordinatorEpoch);
          break;
        }
        case 'stale-coordinator-marker': {
          // The chosen producer, else the next one some coordinator has moved past epoch 0 (short runs
          // rarely pick the same producer twice).
          const fenceable = [...PRODUCERS.slice(op.producer), ...PRODUCERS.slice(0, op.producer)].filter(
            (id) => (state.producers.get(id)?.coordinatorEpoch ?? -1) >= 1,
          );
          const producerId = fenceable[0];
          const known = producerId === undefined ? undefined : state.producers.get(producerId);
          if (producerId === undefined || known === undefined) break;
          // Even with a newer producer epoch: only the coordinator epoch says who owns the transaction.
          const bytes = encodeControlBatch({
            producerId,
            producerEpoch: known.epoch + (op.bump ? 1 : 0),
            marker: op.marker,
            coordinatorEpoch: Math.max(known.coordinatorEpoch - op.back, 0),
            timestampMs: 1_000,
          });
          expect(
            await failureOf(() =>
              log.append(bytes, { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' }),
            ),
          ).toBe('TRANSACTION_COORDINATOR_FENCED');
          break;
        }
        case 'stale-marker': {
          const producerId = PRODUCERS[op.producer] ?? 0;
          const known = state.producers.get(producerId);
          if (known === undefined || known.epoch === 0) break;
          const bytes = encodeControlBatch({
            producerId,
            producerEpoch: known.epoch - 1,
            marker: 'commit',
            coordinatorEpoch: Math.max(known.coordinatorEpoch, 0),
            timestampMs: 1_000,
          });
          expect(
            await failureOf(() =>
              log.append(bytes, { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' }),
            ),
          ).toBe('INVALID_PRODUCER_EPOCH');
          break;
        }
        case 'client-marker': {
          const producerId = PRODUCERS[op.producer] ?? 0;
          const bytes = encodeControlBatch({
            producerId,
            producerEpoch: producerState(producerId).epoch,
            marker: 'abort',
            coordinatorEpoch: 0,
            timestampMs: 1_000,
          });
          expect(await failureOf(() => log.append(bytes, { leaderEpoch: 0, assignOffsets: true }))).toBe(
            'INVALID_CONTROL_BATCH',
          );
          break;
        }
        case 'truncate': {
          if (batches.length === 0) break;
          const cut = batches[op.at % batches.length];
          if (cut === undefined) break;
          await log.truncateTo(cut.baseOffset);
          batches = batches.filter((batch) => batch.lastOffset < cut.baseOffset);
          break;
        }
        case 'reopen': {
          if (op.clean) await log.close();
          else await log.closeWithoutMarker();
          log = await open();
          break;
        }
      }
      await check(log, batches, ranges);
    }
    await log.close();
  } finally {
    await log.closeWithoutMarker();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('PartitionLog transactions against a naive replay', () => {
  it('agrees on the first unstable offset, aborted transactions and the read_committed view', async () => {
    const seed = Number(process.env.TXN_PROPERTY_SEED ?? Date.now() % 2 ** 31);
    process.stdout.write(`transactions property seed ${seed} (TXN_PROPERTY_SEED=${seed} replays)\n`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArbitrary, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1024, max: 4096 }),
        async (ops, ranges, segmentBytes) => runScenario(ops, ranges, segmentBytes),
      ),
      { seed, numRuns: Number(process.env.TXN_PROPERTY_RUNS ?? 60) },
    );
  }, 240_000);
});
