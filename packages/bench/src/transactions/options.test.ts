import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRANSACTIONS_BENCH_OPTIONS,
  parseTransactionsBenchArgs,
  produceVariants,
  variantName,
} from './options.js';

describe('parseTransactionsBenchArgs', () => {
  it('defaults to three rounds of transactions of 100, 1,000 and 10,000 records against the idempotent baseline', () => {
    expect(parseTransactionsBenchArgs([])).toEqual(DEFAULT_TRANSACTIONS_BENCH_OPTIONS);
    expect(produceVariants(DEFAULT_TRANSACTIONS_BENCH_OPTIONS).map(variantName)).toEqual([
      'idempotent',
      'txn-100',
      'txn-1000',
      'txn-10000',
    ]);
  });

  it('sorts and deduplicates the transaction sizes', () => {
    const parsed = parseTransactionsBenchArgs(['--transaction-sizes', '500,50,500', '--rounds', '4']);
    expect(parsed).toMatchObject({ transactionSizes: [50, 500], rounds: 4 });
  });

  it.each([
    [['--rounds', '0'], /--rounds needs an integer in \[1, 20\]/],
    [['--transaction-sizes', '10,x'], /--transaction-sizes needs an integer/],
    [['--transaction-sizes', ''], /needs a list/],
    [['--abort-every', '1'], /at least 2/],
    [['--consume-transactions', '100000', '--consume-transaction-records', '1000'], /must stay within/],
    [['--produce-duration-ms', '10'], /--produce-duration-ms needs an integer in \[1000, /],
    [['--bogus'], /unknown flag --bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTransactionsBenchArgs(argv)).toThrow(message);
  });

  it('answers help', () => {
    expect(parseTransactionsBenchArgs(['--help'])).toBe('help');
  });
});
