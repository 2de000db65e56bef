/**
 * The transaction APIs no producer sends: WriteTxnMarkers (27), which a transaction coordinator sends to
 * the leaders of a transaction's partitions to write its commit or abort markers, and the operators' view
 * (KIP-664, `kafka-transactions.sh`): DescribeProducers (61), asked of partition leaders, and
 * DescribeTransactions (65) and ListTransactions (66), asked of the coordinators. Field names and
 * versions follow Kafka's message definitions.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, int16, int32, int64, string } from '../wire-type.js';

/**
 * WriteTxnMarkers: v1 is v0 made flexible. Kafka 4 dropped v0 and added v2 (each marker's
 * TransactionVersion, for KIP-890 part 2), which Tributary does not implement. TransactionResult is
 * true for COMMIT, false for ABORT; CoordinatorEpoch is the epoch of the coordinator's
 * __transaction_state partition, which a leader uses to ignore a deposed coordinator's markers.
 */
export const WriteTxnMarkers = defineApi({
  key: 27,
  name: 'WriteTxnMarkers',
  versions: '0-1',
  flexible: '1+',
  request: {
    markers: field(
      array(
        struct({
          producerId: field(int64, '0+'),
          producerEpoch: field(int16, '0+'),
          transactionResult: field(bool, '0+'),
          topics: field(
            array(
              struct({
                name: field(string, '0+'),
                partitionIndexes: field(array(int32), '0+'),
              }),
            ),
            '0+',
          ),
          coordinatorEpoch: field(int32, '0+'),
        }),
      ),
      '0+',
    ),
  },
  response: {
    markers: field(
      array(
        struct({
          producerId: field(int64, '0+'),
          topics: field(
            array(
              struct({
                name: field(string, '0+'),
                partitions: field(
                  array(
                    struct({
                      partitionIndex: field(int32, '0+'),
                      errorCode: field(int16, '0+'),
                    }),
                  ),
                  '0+',
                ),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});

/**
 * DescribeProducers (flexible in its only version): each partition leader's producer state. ProducerEpoch
 * is an int32 here (an int16 everywhere else on the wire), as Kafka defines it; LastSequence,
 * LastTimestamp, CoordinatorEpoch and CurrentTxnStartOffset are -1 when the producer has none.
 */
export const DescribeProducers = defineApi({
  key: 61,
  name: 'DescribeProducers',
  versions: '0',
  flexible: '0+',
  request: {
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          partitionIndexes: field(array(int32), '0+'),
        }),
      ),
      '0+',
    ),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          partitions: field(
            array(
              struct({
                partitionIndex: field(int32, '0+'),
                errorCode: field(int16, '0+'),
                errorMessage: nullable(string, '0+', '0+'),
                activeProducers: field(
                  array(
                    struct({
                      producerId: field(int64, '0+'),
                      producerEpoch: field(int32, '0+'),
                      lastSequence: field(int32, '0+', { default: -1 }),
                      lastTimestamp: field(int64, '0+', { default: -1 }),
                      coordinatorEpoch: field(int32, '0+'),
                      currentTxnStartOffset: field(int64, '0+', { default: -1 }),
                    }),
                  ),
                  '0+',
                ),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});

/**
 * DescribeTransactions (flexible in its only version): the coordinator's state of each transactional id.
 * TransactionState is the coordinator's state name (Empty, Ongoing, PrepareCommit, PrepareAbort,
 * CompleteCommit, CompleteAbort, Dead, PrepareEpochFence); Topics lists the partitions still without a
 * marker while the transaction completes.
 */
export const DescribeTransactions = defineApi({
  key: 65,
  name: 'DescribeTransactions',
  versions: '0',
  flexible: '0+',
  request: {
    transactionalIds: field(array(string), '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    transactionStates: field(
      array(
        struct({
          errorCode: field(int16, '0+'),
          transactionalId: field(string, '0+'),
          transactionState: field(string, '0+'),
          transactionTimeoutMs: field(int32, '0+'),
          transactionStartTimeMs: field(int64, '0+'),
          producerId: field(int64, '0+'),
          producerEpoch: field(int16, '0+'),
          topics: field(
            array(
              struct({
                topic: field(string, '0+'),
                partitions: field(array(int32), '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});

/**
 * ListTransactions (flexible in every version): the transactional ids a coordinator owns, filtered by
 * state and producer id (empty filters match all). v1 adds DurationFilter (KIP-994: only transactions
 * running longer than that many milliseconds; negative = no filter); its response is v0's. v2
 * (KIP-1152's TransactionalIdPattern) is left out.
 */
export const ListTransactions = defineApi({
  key: 66,
  name: 'ListTransactions',
  versions: '0-1',
  flexible: '0+',
  request: {
    stateFilters: field(array(string), '0+'),
    producerIdFilters: field(array(int64), '0+'),
    durationFilter: field(int64, '1+', { default: -1 }),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
    unknownStateFilters: field(array(string), '0+'),
    transactionStates: field(
      array(
        struct({
          transactionalId: field(string, '0+'),
          producerId: field(int64, '0+'),
          transactionState: field(string, '0+'),
        }),
      ),
      '0+',
    ),
  },
});
