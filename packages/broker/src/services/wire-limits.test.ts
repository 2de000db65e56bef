/**
 * The broker validates with core's WIRE_LIMITS, which the client checks its own bounds against
 * (packages/client/src/wire-limits.test.ts). Each broker limit that names a wire bound must be that
 * bound, not a copy that could drift.
 */
import { WIRE_LIMITS } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { GROUP_LIMITS } from '../group/limits.js';
import { DELETE_RECORDS_LIMITS } from '../replica/delete-records.js';
import { TXN_DEFAULTS, TXN_LIMITS } from '../txn/limits.js';
import { REQUEST_LIMITS } from './limits.js';

const PAIRS: readonly (readonly [string, number, number])[] = [
  ['REQUEST_LIMITS.topicsPerRequestMax', REQUEST_LIMITS.topicsPerRequestMax, WIRE_LIMITS.topicsPerRequestMax],
  [
    'REQUEST_LIMITS.partitionsPerRequestMax',
    REQUEST_LIMITS.partitionsPerRequestMax,
    WIRE_LIMITS.partitionsPerRequestMax,
  ],
  [
    'REQUEST_LIMITS.produceBytesPerRequestMax',
    REQUEST_LIMITS.produceBytesPerRequestMax,
    WIRE_LIMITS.produceBytesPerRequestMax,
  ],
  ['REQUEST_LIMITS.produceTimeoutMsMax', REQUEST_LIMITS.produceTimeoutMsMax, WIRE_LIMITS.produceTimeoutMsMax],
  ['REQUEST_LIMITS.fetchMaxWaitMsMax', REQUEST_LIMITS.fetchMaxWaitMsMax, WIRE_LIMITS.fetchMaxWaitMsMax],
  ['REQUEST_LIMITS.fetchBytesMax', REQUEST_LIMITS.fetchBytesMax, WIRE_LIMITS.fetchBytesMax],
  ['REQUEST_LIMITS.clientIdLengthMax', REQUEST_LIMITS.clientIdLengthMax, WIRE_LIMITS.clientIdLengthMax],
  ['GROUP_LIMITS.groupIdLengthMax', GROUP_LIMITS.groupIdLengthMax, WIRE_LIMITS.groupIdLengthMax],
  ['GROUP_LIMITS.memberIdLengthMax', GROUP_LIMITS.memberIdLengthMax, WIRE_LIMITS.memberIdLengthMax],
  ['GROUP_LIMITS.clientIdLengthMax', GROUP_LIMITS.clientIdLengthMax, WIRE_LIMITS.clientIdLengthMax],
  [
    'GROUP_LIMITS.partitionsPerRequestMax',
    GROUP_LIMITS.partitionsPerRequestMax,
    WIRE_LIMITS.partitionsPerRequestMax,
  ],
  ['GROUP_LIMITS.sessionTimeoutMsMin', GROUP_LIMITS.sessionTimeoutMsMin, WIRE_LIMITS.sessionTimeoutMsMin],
  ['GROUP_LIMITS.sessionTimeoutMsMax', GROUP_LIMITS.sessionTimeoutMsMax, WIRE_LIMITS.sessionTimeoutMsMax],
  [
    'GROUP_LIMITS.rebalanceTimeoutMsMax',
    GROUP_LIMITS.rebalanceTimeoutMsMax,
    WIRE_LIMITS.rebalanceTimeoutMsMax,
  ],
  [
    'TXN_LIMITS.transactionalIdBytesMax',
    TXN_LIMITS.transactionalIdBytesMax,
    WIRE_LIMITS.transactionalIdBytesMax,
  ],
  [
    'TXN_LIMITS.transactionTimeoutMsMin',
    TXN_LIMITS.transactionTimeoutMsMin,
    WIRE_LIMITS.transactionTimeoutMsMin,
  ],
  [
    'TXN_LIMITS.partitionsPerTransactionMax',
    TXN_LIMITS.partitionsPerTransactionMax,
    WIRE_LIMITS.partitionsPerTransactionMax,
  ],
  [
    'TXN_LIMITS.partitionsPerRequestMax',
    TXN_LIMITS.partitionsPerRequestMax,
    WIRE_LIMITS.partitionsPerRequestMax,
  ],
  [
    'TXN_LIMITS.transactionalIdsPerDescribeMax',
    TXN_LIMITS.transactionalIdsPerDescribeMax,
    WIRE_LIMITS.transactionalIdsPerDescribeMax,
  ],
  [
    'TXN_DEFAULTS.transactionMaxTimeoutMs',
    TXN_DEFAULTS.transactionMaxTimeoutMs,
    WIRE_LIMITS.transactionMaxTimeoutMsDefault,
  ],
  [
    'DELETE_RECORDS_LIMITS.timeoutMsMax',
    DELETE_RECORDS_LIMITS.timeoutMsMax,
    WIRE_LIMITS.deleteRecordsTimeoutMsMax,
  ],
];

describe('broker limits are the wire limits', () => {
  it.each(PAIRS)('%s is WIRE_LIMITS (%i)', (_name, broker, wire) => {
    expect(broker).toBe(wire);
  });
});
