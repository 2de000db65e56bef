import { AssertionError, TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { EMPTY_ASSIGNMENT, fromPairs } from '../group/assignment.js';
import {
  completeTransaction,
  decideAddPartitions,
  decideEndTxn,
  decideInitProducerId,
  fenceAndAbort,
  fromLogValue,
  type InitDecision,
  type InitProducerIdInput,
  isExpired,
  isTimedOut,
  newTxnMetadata,
  prepareDead,
  rotateProducerId,
  TXN_STATES,
  type TxnMetadata,
  type TxnState,
  toLogValue,
  VALID_PREVIOUS_STATES,
  verifyPartitions,
} from './txn-metadata.js';

const EPOCH_MAX = 10; // exhausted at 9, as 32766 is for the int16 maximum
const PID = 100;
const NOW = 5_000;
const P0 = { topic: 't', partition: 0 };
const P1 = { topic: 't', partition: 1 };

function meta(overrides: Partial<TxnMetadata> = {}): TxnMetadata {
  return {
    transactionalId: 'tx',
    producerId: PID,
    producerEpoch: 3,
    lastProducerId: -1,
    lastProducerEpoch: -1,
    timeoutMs: 1_000,
    state: 'Empty',
    partitions: EMPTY_ASSIGNMENT,
    txnStartMs: -1,
    lastUpdateMs: 0,
    ...overrides,
  };
}

const ONGOING = meta({ state: 'Ongoing', partitions: fromPairs([P0]), txnStartMs: 1_000 });

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof TributaryError) return error.code;
    if (error instanceof AssertionError) return 'ASSERTION';
    throw error;
  }
  return 'none';
}

describe('TransactionState', () => {
  it("numbers the states as Kafka's TransactionLogValue does", () => {
    expect(TXN_STATES.indexOf('Empty')).toBe(0);
    expect(TXN_STATES.indexOf('CompleteAbort')).toBe(5);
    expect(TXN_STATES.indexOf('PrepareEpochFence')).toBe(7);
  });

  it('allows exactly the transitions of transaction version 1', () => {
    const allowed: [TxnState, TxnState][] = [];
    for (const to of TXN_STATES) for (const from of VALID_PREVIOUS_STATES[to]) allowed.push([from, to]);
    expect(allowed).toHaveLength(16);
    expect(VALID_PREVIOUS_STATES.PrepareAbort).toEqual(['Ongoing', 'PrepareEpochFence']);
    expect(VALID_PREVIOUS_STATES.CompleteCommit).toEqual(['PrepareCommit']);
  });
});

describe('InitProducerId', () => {
  const input: InitProducerIdInput = {
    pending: false,
    expected: null,
    timeoutMs: 2_000,
    nowMs: NOW,
    epochMax: EPOCH_MAX,
  };
  const cases: {
    name: string;
    current: TxnMetadata;
    change?: Partial<InitProducerIdInput>;
    expect: string | ((decision: InitDecision) => void);
  }[] = [
    {
      name: 'a new producer bumps the epoch, forgetting the last',
      current: meta({ lastProducerEpoch: 2 }),
      expect: (d) =>
        expect(d).toMatchObject({
          kind: 'write',
          target: { producerEpoch: 4, lastProducerEpoch: -1, state: 'Empty', timeoutMs: 2_000 },
        }),
    },
    {
      name: 'a fresh id (no epoch yet) gets epoch 0 even when the client names one',
      current: meta({ producerEpoch: -1 }),
      change: { expected: { producerId: 77, producerEpoch: 5 } },
      expect: (d) =>
        expect(d).toMatchObject({ kind: 'write', target: { producerId: PID, producerEpoch: 0 } }),
    },
    {
      name: 'KIP-360: the current epoch bumps and is remembered',
      current: meta({ state: 'CompleteCommit' }),
      change: { expected: { producerId: PID, producerEpoch: 3 } },
      expect: (d) =>
        expect(d).toMatchObject({ kind: 'write', target: { producerEpoch: 4, lastProducerEpoch: 3 } }),
    },
    {
      name: 'KIP-360: a retry with the last epoch gets the current one again',
      current: meta({ producerEpoch: 4, lastProducerEpoch: 3, state: 'CompleteAbort' }),
      change: { expected: { producerId: PID, producerEpoch: 3 } },
      expect: (d) =>
        expect(d).toMatchObject({ kind: 'write', target: { producerEpoch: 4, lastProducerEpoch: 3 } }),
    },
    {
      name: 'an older epoch is fenced',
      current: meta({ producerEpoch: 4, lastProducerEpoch: 3 }),
      change: { expected: { producerId: PID, producerEpoch: 2 } },
      expect: 'PRODUCER_FENCED',
    },
    {
      name: 'another producer id is fenced',
      current: meta(),
      change: { expected: { producerId: 7, producerEpoch: 3 } },
      expect: 'PRODUCER_FENCED',
    },
    {
      name: 'a pending transition',
      current: meta(),
      change: { pending: true },
      expect: 'CONCURRENT_TRANSACTIONS',
    },
    { name: 'PrepareCommit', current: meta({ state: 'PrepareCommit' }), expect: 'CONCURRENT_TRANSACTIONS' },
    { name: 'PrepareAbort', current: meta({ state: 'PrepareAbort' }), expect: 'CONCURRENT_TRANSACTIONS' },
    {
      name: 'Ongoing is fenced: PrepareAbort at epoch + 1, partitions kept',
      current: ONGOING,
      expect: (d) =>
        expect(d).toMatchObject({
          kind: 'fence',
          target: {
            state: 'PrepareAbort',
            producerEpoch: 4,
            lastProducerEpoch: -1,
            partitions: fromPairs([P0]),
            txnStartMs: 1_000,
          },
        }),
    },
    {
      name: 'an exhausted epoch rotates',
      current: meta({ producerEpoch: 9 }),
      expect: (d) => expect(d).toEqual({ kind: 'rotate' }),
    },
    {
      name: 'an exhausted epoch named by the client rotates',
      current: meta({ producerEpoch: 9 }),
      change: { expected: { producerId: PID, producerEpoch: 9 } },
      expect: (d) => expect(d).toEqual({ kind: 'rotate' }),
    },
    {
      name: 'a retry after rotation (old id, exhausted epoch) gets the new id',
      current: meta({ producerId: 200, producerEpoch: 0, lastProducerId: PID, lastProducerEpoch: 9 }),
      change: { expected: { producerId: PID, producerEpoch: 9 } },
      expect: (d) =>
        expect(d).toMatchObject({ kind: 'write', target: { producerId: 200, producerEpoch: 0 } }),
    },
    { name: 'Dead never rests', current: meta({ state: 'Dead' }), expect: 'ASSERTION' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = () => decideInitProducerId(c.current, { ...input, ...c.change });
      if (typeof c.expect === 'string') expect(codeOf(run)).toBe(c.expect);
      else c.expect(run());
    });
  }

  it('rotates to a new producer id at epoch 0, remembering the old id', () => {
    const target = rotateProducerId(meta({ producerEpoch: 9, state: 'CompleteCommit' }), 200, {
      ...input,
      expected: { producerId: PID, producerEpoch: 9 },
    });
    expect(target).toMatchObject({
      producerId: 200,
      producerEpoch: 0,
      lastProducerId: PID,
      lastProducerEpoch: 9,
      state: 'Empty',
    });
    expect(codeOf(() => rotateProducerId(ONGOING, 200, input))).toBe('ASSERTION');
  });

  it('creates a new id with no epoch, in memory', () => {
    expect(newTxnMetadata({ transactionalId: 'x', producerId: 1, timeoutMs: 10, nowMs: 3 })).toMatchObject({
      producerEpoch: -1,
      state: 'Empty',
      txnStartMs: -1,
      lastUpdateMs: 3,
    });
  });
});

describe('AddPartitionsToTxn', () => {
  const request = { producerId: PID, producerEpoch: 3, pending: false, nowMs: NOW, partitions: [P1] };
  const cases: {
    name: string;
    current: TxnMetadata | null;
    change?: object;
    expect: string | TxnMetadata | null;
  }[] = [
    { name: 'an unknown id', current: null, expect: 'INVALID_PRODUCER_ID_MAPPING' },
    {
      name: 'another producer id',
      current: meta(),
      change: { producerId: 1 },
      expect: 'INVALID_PRODUCER_ID_MAPPING',
    },
    { name: 'an old epoch', current: meta(), change: { producerEpoch: 2 }, expect: 'PRODUCER_FENCED' },
    { name: 'a newer epoch', current: meta(), change: { producerEpoch: 4 }, expect: 'PRODUCER_FENCED' },
    {
      name: 'a pending transition',
      current: meta(),
      change: { pending: true },
      expect: 'CONCURRENT_TRANSACTIONS',
    },
    { name: 'PrepareCommit', current: meta({ state: 'PrepareCommit' }), expect: 'CONCURRENT_TRANSACTIONS' },
    { name: 'PrepareAbort', current: meta({ state: 'PrepareAbort' }), expect: 'CONCURRENT_TRANSACTIONS' },
    {
      name: 'Empty starts a transaction',
      current: meta(),
      expect: meta({ state: 'Ongoing', partitions: fromPairs([P1]), txnStartMs: NOW, lastUpdateMs: NOW }),
    },
    {
      name: 'CompleteAbort starts a transaction',
      current: meta({ state: 'CompleteAbort' }),
      expect: meta({ state: 'Ongoing', partitions: fromPairs([P1]), txnStartMs: NOW, lastUpdateMs: NOW }),
    },
    {
      name: 'Ongoing grows, keeping its start',
      current: ONGOING,
      expect: { ...ONGOING, partitions: fromPairs([P0, P1]), lastUpdateMs: NOW },
    },
    {
      name: 'Ongoing already holding them needs no write',
      current: ONGOING,
      change: { partitions: [P0] },
      expect: null,
    },
    {
      name: 'beyond the partitions per transaction',
      current: meta(),
      change: { partitions: Array.from({ length: 10_001 }, (_, partition) => ({ topic: 'x', partition })) },
      expect: 'INVALID_REQUEST',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = () => decideAddPartitions(c.current, 'tx', { ...request, ...c.change });
      if (typeof c.expect === 'string') expect(codeOf(run)).toBe(c.expect);
      else expect(run()).toEqual(c.expect);
    });
  }
});

describe('KIP-890 verification', () => {
  const request = { producerId: PID, producerEpoch: 3, pendingState: null, partitions: [P0, P1] };
  const codes = (current: TxnMetadata | null, change: object = {}) =>
    verifyPartitions(current, 'tx', { ...request, ...change }).map((e) => e?.code ?? null);

  it('accepts added partitions of a settled Ongoing transaction only', () => {
    expect(codes(ONGOING)).toEqual([null, 'INVALID_TXN_STATE']);
    expect(codes(ONGOING, { pendingState: 'Ongoing' })).toEqual([null, 'INVALID_TXN_STATE']);
    expect(codes(ONGOING, { pendingState: 'PrepareCommit' })).toEqual([
      'INVALID_TXN_STATE',
      'INVALID_TXN_STATE',
    ]);
    expect(codes({ ...ONGOING, state: 'PrepareAbort' })).toEqual(['INVALID_TXN_STATE', 'INVALID_TXN_STATE']);
    expect(codes(meta())).toEqual(['INVALID_TXN_STATE', 'INVALID_TXN_STATE']);
  });

  it('refuses unknown producers and old epochs', () => {
    expect(codes(null)).toEqual(['INVALID_PRODUCER_ID_MAPPING', 'INVALID_PRODUCER_ID_MAPPING']);
    expect(codes(ONGOING, { producerId: 1 })).toEqual([
      'INVALID_PRODUCER_ID_MAPPING',
      'INVALID_PRODUCER_ID_MAPPING',
    ]);
    expect(codes(ONGOING, { producerEpoch: 2 })).toEqual(['PRODUCER_FENCED', 'PRODUCER_FENCED']);
  });
});

describe('EndTxn', () => {
  const request = { producerId: PID, producerEpoch: 3, pending: false, nowMs: NOW };
  const cases: [TxnState, 'commit' | 'abort', string | TxnState | null][] = [
    ['Ongoing', 'commit', 'PrepareCommit'],
    ['Ongoing', 'abort', 'PrepareAbort'],
    ['CompleteCommit', 'commit', null],
    ['CompleteCommit', 'abort', 'INVALID_TXN_STATE'],
    ['CompleteAbort', 'abort', null],
    ['CompleteAbort', 'commit', 'INVALID_TXN_STATE'],
    ['PrepareCommit', 'commit', 'CONCURRENT_TRANSACTIONS'],
    ['PrepareCommit', 'abort', 'INVALID_TXN_STATE'],
    ['PrepareAbort', 'abort', 'CONCURRENT_TRANSACTIONS'],
    ['PrepareAbort', 'commit', 'INVALID_TXN_STATE'],
    ['Empty', 'commit', 'INVALID_TXN_STATE'],
    ['Empty', 'abort', 'INVALID_TXN_STATE'],
    ['PrepareEpochFence', 'abort', 'ASSERTION'],
  ];
  for (const [state, result, outcome] of cases) {
    it(`${result} in ${state}: ${outcome ?? 'already done'}`, () => {
      const current = { ...ONGOING, state };
      const run = () => decideEndTxn(current, 'tx', { ...request, result });
      if (outcome === null) expect(run()).toBeNull();
      else if (TXN_STATES.includes(outcome as TxnState)) {
        expect(run()).toEqual({ ...current, state: outcome, lastUpdateMs: NOW });
      } else expect(codeOf(run)).toBe(outcome);
    });
  }

  it('checks the producer id, then the epoch, then a pending transition', () => {
    expect(codeOf(() => decideEndTxn(null, 'tx', { ...request, result: 'commit' }))).toBe(
      'INVALID_PRODUCER_ID_MAPPING',
    );
    expect(
      codeOf(() =>
        decideEndTxn(ONGOING, 'tx', { ...request, producerId: 1, producerEpoch: 0, result: 'commit' }),
      ),
    ).toBe('INVALID_PRODUCER_ID_MAPPING');
    expect(
      codeOf(() =>
        decideEndTxn(ONGOING, 'tx', { ...request, producerEpoch: 2, pending: true, result: 'commit' }),
      ),
    ).toBe('PRODUCER_FENCED');
    expect(codeOf(() => decideEndTxn(ONGOING, 'tx', { ...request, pending: true, result: 'commit' }))).toBe(
      'CONCURRENT_TRANSACTIONS',
    );
  });
});

describe('completion, fencing, timeouts and expiry', () => {
  it('completes a prepared transaction, forgetting its partitions', () => {
    const prepared = { ...ONGOING, state: 'PrepareCommit' as const };
    expect(completeTransaction(prepared, NOW)).toEqual({
      ...prepared,
      state: 'CompleteCommit',
      partitions: EMPTY_ASSIGNMENT,
      lastUpdateMs: NOW,
    });
    expect(completeTransaction({ ...prepared, state: 'PrepareAbort' }, NOW).state).toBe('CompleteAbort');
    expect(codeOf(() => completeTransaction(ONGOING, NOW))).toBe('ASSERTION');
  });

  it('fences only with an epoch left', () => {
    expect(fenceAndAbort({ ...ONGOING, producerEpoch: 9 }, NOW, EPOCH_MAX).producerEpoch).toBe(10);
    expect(codeOf(() => fenceAndAbort({ ...ONGOING, producerEpoch: 10 }, NOW, EPOCH_MAX))).toBe('ASSERTION');
    expect(codeOf(() => fenceAndAbort(meta(), NOW, EPOCH_MAX))).toBe('ASSERTION');
  });

  it('times out Ongoing transactions past start + timeout, and expires resting ids', () => {
    expect(isTimedOut(ONGOING, 2_000)).toBe(false);
    expect(isTimedOut(ONGOING, 2_001)).toBe(true);
    expect(isTimedOut({ ...ONGOING, state: 'PrepareCommit' }, 9_999)).toBe(false);
    expect(isExpired(meta({ lastUpdateMs: 100 }), 1_100, 1_000)).toBe(true);
    expect(isExpired(meta({ lastUpdateMs: 100 }), 1_099, 1_000)).toBe(false);
    expect(isExpired({ ...ONGOING, lastUpdateMs: 0 }, 9_999, 1_000)).toBe(false);
    expect(prepareDead(meta()).state).toBe('Dead');
    expect(codeOf(() => prepareDead(ONGOING))).toBe('ASSERTION');
  });
});

describe('state records', () => {
  it('writes Empty with null partitions and reads back what it wrote (without the KIP-360 last epoch)', () => {
    const empty = meta({ lastProducerEpoch: 2, lastProducerId: 9 });
    expect(toLogValue(empty).transactionPartitions).toBeNull();
    expect(fromLogValue('tx', toLogValue(empty))).toEqual({
      ...empty,
      lastProducerEpoch: -1,
      lastProducerId: -1,
    });
    const ongoing = { ...ONGOING, partitions: fromPairs([P1, P0, { topic: 'a', partition: 4 }]) };
    expect(toLogValue(ongoing).transactionPartitions).toEqual([
      { topic: 'a', partitionIds: [4] },
      { topic: 't', partitionIds: [0, 1] },
    ]);
    expect(fromLogValue('tx', toLogValue(ongoing))).toEqual(ongoing);
  });

  it('refuses states that are never written', () => {
    expect(codeOf(() => toLogValue(meta({ state: 'Dead' })))).toBe('ASSERTION');
    expect(codeOf(() => fromLogValue('tx', { ...toLogValue(meta()), transactionStatus: 7 }))).toBe(
      'CORRUPT_MESSAGE',
    );
  });
});
