/**
 * Every bound the client applies to what it sends fits what the servers accept. The servers validate
 * against core's WIRE_LIMITS (and LIMITS, which names the same values); the client either uses those
 * values as they are or keeps its own default or tighter cap, and each pair is listed here. A client
 * bound above the server's means requests the client lets out that the server refuses.
 */
import { LIMITS, WIRE_LIMITS } from '@tributary/core';
import { RECORD_LIMITS } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import { ADMIN_LIMITS } from './admin.js';
import { ADMIN_SECURITY_LIMITS } from './admin-security.js';
import { DELETE_RECORDS_CLIENT_LIMITS } from './delete-records.js';
import { FETCH_STREAM } from './fetch-stream.js';
import { GROUP_DEFAULTS, GROUP_LIMITS } from './group/config.js';
import {
  CLIENT_LIMITS,
  DEFAULT_FETCH,
  DEFAULT_PRODUCER,
  TRANSACTION_ADMIN_LIMITS,
  TRANSACTION_LIMITS,
} from './limits.js';
import { PRODUCE_STREAM } from './produce-stream.js';
import { REASSIGNMENT_LIMITS } from './reassignments.js';

/** A client value and the range the server accepts for the same field. */
interface WirePair {
  readonly name: string;
  readonly client: number;
  readonly serverMin?: number;
  readonly serverMax: number;
}

/** Maxima the client enforces (or clamps to) before sending. */
const CLIENT_MAXIMA: readonly WirePair[] = [
  {
    name: 'requests in flight on one ProduceStream',
    client: PRODUCE_STREAM.pendingRequestsMax,
    serverMax: WIRE_LIMITS.produceStreamPendingRequestsMax,
  },
  {
    name: 'requests in flight on one FetchStream (cancelled ones included)',
    client: FETCH_STREAM.pendingRequestsMax,
    serverMax: WIRE_LIMITS.fetchStreamPendingRequestsMax,
  },
  {
    name: 'group id length',
    client: GROUP_LIMITS.groupIdLengthMax,
    serverMax: WIRE_LIMITS.groupIdLengthMax,
  },
  {
    name: 'client id length',
    client: CLIENT_LIMITS.clientIdLengthMax,
    serverMax: WIRE_LIMITS.clientIdLengthMax,
  },
  {
    name: 'producer batch bytes vs a Produce request',
    client: CLIENT_LIMITS.batchBytesMax,
    serverMax: WIRE_LIMITS.produceBytesPerRequestMax,
  },
  {
    name: 'producer batch bytes vs a decoded batch',
    client: CLIENT_LIMITS.batchBytesMax,
    serverMax: RECORD_LIMITS.batchBytesMax,
  },
  {
    name: 'fetch max wait',
    client: CLIENT_LIMITS.fetchMaxWaitMsMax,
    serverMax: WIRE_LIMITS.fetchMaxWaitMsMax,
  },
  {
    name: 'produce acknowledgement wait',
    client: CLIENT_LIMITS.produceTimeoutMsMax,
    serverMax: WIRE_LIMITS.produceTimeoutMsMax,
  },
  {
    name: 'transactional id bytes',
    client: TRANSACTION_LIMITS.transactionalIdBytesMax,
    serverMax: WIRE_LIMITS.transactionalIdBytesMax,
  },
  {
    name: 'transaction timeout',
    client: TRANSACTION_LIMITS.transactionTimeoutMsMax,
    serverMax: WIRE_LIMITS.transactionTimeoutMsMax,
  },
  {
    name: 'partitions per transaction',
    client: TRANSACTION_LIMITS.partitionsPerTransactionMax,
    serverMax: WIRE_LIMITS.partitionsPerTransactionMax,
  },
  {
    name: 'transactional ids per describeTransactions',
    client: TRANSACTION_ADMIN_LIMITS.describeIdsMax,
    serverMax: WIRE_LIMITS.transactionalIdsPerDescribeMax,
  },
  {
    name: 'names per describeTopics',
    client: ADMIN_LIMITS.describeNamesMax,
    serverMax: WIRE_LIMITS.topicsPerRequestMax,
  },
  {
    name: 'config entries per createTopic / alterTopicConfigs',
    client: ADMIN_LIMITS.configEntriesMax,
    serverMax: WIRE_LIMITS.configEntriesPerRequestMax,
  },
  {
    name: 'partitions per reassignment call',
    client: REASSIGNMENT_LIMITS.partitionsPerCallMax,
    serverMax: WIRE_LIMITS.partitionsPerRequestMax,
  },
  {
    name: 'replicas per reassignment target',
    client: REASSIGNMENT_LIMITS.replicasPerTargetMax,
    serverMax: WIRE_LIMITS.replicasPerTargetMax,
  },
  {
    name: 'DeleteRecords leader wait',
    client: DELETE_RECORDS_CLIENT_LIMITS.leaderWaitMsMax,
    serverMax: WIRE_LIMITS.deleteRecordsTimeoutMsMax,
  },
  {
    name: 'ACLs per CreateAcls',
    client: ADMIN_SECURITY_LIMITS.aclsPerRequestMax,
    serverMax: LIMITS.aclsPerRequestMax,
  },
  {
    name: 'filters per DeleteAcls',
    client: ADMIN_SECURITY_LIMITS.aclFiltersPerRequestMax,
    serverMax: LIMITS.aclFiltersPerRequestMax,
  },
  {
    name: 'SCRAM changes per request',
    client: ADMIN_SECURITY_LIMITS.scramChangesPerRequestMax,
    serverMax: LIMITS.scramChangesPerRequestMax,
  },
  {
    name: 'quota changes per request',
    client: ADMIN_SECURITY_LIMITS.quotaChangesPerRequestMax,
    serverMax: LIMITS.quotaChangesPerRequestMax,
  },
];

/** Values the client sends when the caller gives none: each must be inside the server's range. */
const CLIENT_DEFAULTS: readonly WirePair[] = [
  { name: 'fetch max wait', client: DEFAULT_FETCH.maxWaitMs, serverMax: CLIENT_LIMITS.fetchMaxWaitMsMax },
  {
    name: 'fetch max bytes',
    client: DEFAULT_FETCH.maxBytes,
    serverMin: 1,
    serverMax: WIRE_LIMITS.fetchBytesMax,
  },
  { name: 'produce timeout', client: DEFAULT_PRODUCER.timeoutMs, serverMax: WIRE_LIMITS.produceTimeoutMsMax },
  {
    name: 'producer batch bytes',
    client: DEFAULT_PRODUCER.batchMaxBytes,
    serverMax: CLIENT_LIMITS.batchBytesMax,
  },
  {
    name: 'producer batch records',
    client: DEFAULT_PRODUCER.batchMaxRecords,
    serverMax: CLIENT_LIMITS.batchRecordsMax,
  },
  {
    // A coordinator left at its default transaction.max.timeout.ms must accept the default timeout.
    name: 'transaction timeout',
    client: TRANSACTION_LIMITS.transactionTimeoutMsDefault,
    serverMin: WIRE_LIMITS.transactionTimeoutMsMin,
    serverMax: WIRE_LIMITS.transactionMaxTimeoutMsDefault,
  },
  {
    name: 'group session timeout',
    client: GROUP_DEFAULTS.sessionTimeoutMs,
    serverMin: WIRE_LIMITS.sessionTimeoutMsMin,
    serverMax: WIRE_LIMITS.sessionTimeoutMsMax,
  },
  {
    name: 'group rebalance timeout',
    client: GROUP_DEFAULTS.rebalanceTimeoutMs,
    serverMax: WIRE_LIMITS.rebalanceTimeoutMsMax,
  },
];

describe('client bounds fit the servers (WIRE_LIMITS)', () => {
  it.each(CLIENT_MAXIMA)('max $name: client $client <= server $serverMax', ({ client, serverMax }) => {
    expect(client).toBeGreaterThan(0);
    expect(client).toBeLessThanOrEqual(serverMax);
  });

  it.each(CLIENT_DEFAULTS)(
    'default $name: $client within the server range',
    ({ client, serverMin, serverMax }) => {
      expect(client).toBeGreaterThanOrEqual(serverMin ?? 0);
      expect(client).toBeLessThanOrEqual(serverMax);
    },
  );

  it("the transaction timeout range the client allows starts where the coordinator's does", () => {
    expect(TRANSACTION_LIMITS.transactionTimeoutMsMin).toBeGreaterThanOrEqual(
      WIRE_LIMITS.transactionTimeoutMsMin,
    );
  });
});
