import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { TRANSACTION_LIMITS } from './limits.js';
import {
  type TransactionState,
  TransactionStateMachine,
  transactionErrorAction,
} from './transaction-state.js';

const STATES: readonly TransactionState[] = [
  'uninitialized',
  'initializing',
  'ready',
  'inTransaction',
  'committing',
  'aborting',
  'abortableError',
  'fatalError',
];

/** A machine driven into `state` along legal moves. */
function machineIn(state: TransactionState): TransactionStateMachine {
  const machine = new TransactionStateMachine('t');
  const paths: Record<TransactionState, TransactionState[]> = {
    uninitialized: [],
    initializing: ['initializing'],
    ready: ['initializing', 'ready'],
    inTransaction: ['initializing', 'ready', 'inTransaction'],
    committing: ['initializing', 'ready', 'inTransaction', 'committing'],
    aborting: ['initializing', 'ready', 'inTransaction', 'aborting'],
    abortableError: ['initializing', 'ready', 'inTransaction', 'abortableError'],
    fatalError: ['fatalError'],
  };
  for (const step of paths[state]) machine.transition(step);
  expect(machine.state).toBe(state);
  return machine;
}

describe('TransactionStateMachine', () => {
  it("allows exactly Kafka's transitions (table)", () => {
    const allowed = new Set([
      'uninitialized→initializing',
      'initializing→initializing',
      'aborting→initializing',
      'initializing→ready',
      'committing→ready',
      'aborting→ready',
      'ready→inTransaction',
      'inTransaction→committing',
      'committing→committing',
      'inTransaction→aborting',
      'abortableError→aborting',
      'aborting→aborting',
      'inTransaction→abortableError',
      'committing→abortableError',
      'abortableError→abortableError',
      ...STATES.map((from) => `${from}→fatalError`),
    ]);
    for (const from of STATES) {
      for (const to of STATES) {
        const machine = machineIn(from);
        const move = (): void => machine.transition(to);
        if (allowed.has(`${from}→${to}`)) expect(move, `${from}→${to}`).not.toThrow();
        else expect(move, `${from}→${to}`).toThrow(/illegal transaction state change/);
      }
    }
  });

  it('lets each operation run only in its states, naming the cause when abortable or fatal', () => {
    const open = machineIn('inTransaction');
    expect(() => open.require('send')).not.toThrow();
    expect(() => open.require('begin')).toThrow(/one transaction at a time/);
    open.fail(new TributaryError('TOPIC_AUTHORIZATION_FAILED', 'no write on t'));
    expect(open.state).toBe('abortableError');
    expect(() => open.require('send')).toThrow(
      expect.objectContaining({
        code: 'TOPIC_AUTHORIZATION_FAILED',
        message: expect.stringMatching(/only be aborted/),
      }),
    );
    expect(() => open.require('commit')).toThrow(/only be aborted/);
    expect(() => open.require('abort')).not.toThrow();
    open.fail(new TributaryError('PRODUCER_FENCED', 'newer epoch'));
    expect(open.state).toBe('fatalError');
    for (const operation of ['begin', 'send', 'sendOffsets', 'commit', 'abort'] as const) {
      expect(() => open.require(operation)).toThrow(expect.objectContaining({ code: 'PRODUCER_FENCED' }));
    }
    expect(() => machineIn('ready').require('send')).toThrow(/cannot send in state ready/);
  });

  it('a non-fatal failure outside an open transaction changes nothing', () => {
    const machine = machineIn('aborting');
    machine.fail(new TributaryError('REQUEST_TIMED_OUT', 'slow'));
    expect(machine.state).toBe('aborting');
  });

  it('tracks added partitions per transaction, distinct, and bounds them', () => {
    const machine = machineIn('inTransaction');
    expect(
      machine.missingPartitions([
        { topic: 'a', partition: 0 },
        { topic: 'a', partition: 0 },
        { topic: 'a-0', partition: 1 },
      ]),
    ).toEqual([
      { topic: 'a', partition: 0 },
      { topic: 'a-0', partition: 1 },
    ]);
    machine.partitionsAdded([{ topic: 'a', partition: 0 }]);
    expect(machine.missingPartitions([{ topic: 'a', partition: 0 }])).toEqual([]);
    const tooMany = Array.from({ length: TRANSACTION_LIMITS.partitionsPerTransactionMax }, (_, p) => ({
      topic: 'b',
      partition: p,
    }));
    expect(() => machine.missingPartitions(tooMany)).toThrow(/at most/);
    machine.transition('committing');
    machine.transition('ready');
    machine.transition('inTransaction');
    expect(machine.partitions).toEqual([]);
  });

  it('classifies errors: fatal, find the coordinator, retry, or abortable', () => {
    const action = (code: ConstructorParameters<typeof TributaryError>[0]) =>
      transactionErrorAction(new TributaryError(code, 'x'));
    expect(action('PRODUCER_FENCED')).toBe('fatal');
    expect(action('INVALID_PRODUCER_EPOCH')).toBe('fatal');
    expect(action('TRANSACTIONAL_ID_AUTHORIZATION_FAILED')).toBe('fatal');
    expect(action('NOT_COORDINATOR')).toBe('findCoordinator');
    expect(action('COORDINATOR_NOT_AVAILABLE')).toBe('findCoordinator');
    expect(action('COORDINATOR_LOAD_IN_PROGRESS')).toBe('retry');
    expect(action('CONCURRENT_TRANSACTIONS')).toBe('retry');
    expect(action('TOPIC_AUTHORIZATION_FAILED')).toBe('abortable');
    expect(action('OPERATION_NOT_ATTEMPTED')).toBe('abortable');
  });
});
