/**
 * The APIs a transactional producer sends to its transaction coordinator (KIP-98, KIP-447, KIP-890):
 * AddPartitionsToTxn (24), AddOffsetsToTxn (25), EndTxn (26), and TxnOffsetCommit (28) to the group
 * coordinator. Field names and version ranges follow Kafka's message definitions
 * (clients/src/main/resources/common/message/*.json); every one is flexible from v3.
 *
 * Versions whose layout equals the one before exist only so that the broker may answer a new error code
 * to clients that announce they understand it: v2 of the first three allows PRODUCER_FENCED (90) where v0–1
 * get INVALID_PRODUCER_EPOCH (47), and AddPartitionsToTxn v5, AddOffsetsToTxn v4, EndTxn v4 and
 * TxnOffsetCommit v4 allow TRANSACTION_ABORTABLE (120, KIP-890). A handler advertising those versions must
 * map its errors by version; the codec only carries the bytes.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, int16, int32, int64, string } from '../wire-type.js';

/** The partitions of one topic a transaction adds (Kafka's AddPartitionsToTxnTopic, shared by all versions). */
const addPartitionsToTxnTopic = struct({
  name: field(string, '0+'),
  partitions: field(array(int32), '0+'),
});

/** One partition's outcome (AddPartitionsToTxnTopicResult), shared by the per-client and batched forms. */
const addPartitionsToTxnTopicResult = struct({
  name: field(string, '0+'),
  resultsByPartition: field(
    array(
      struct({
        partitionIndex: field(int32, '0+'),
        partitionErrorCode: field(int16, '0+'),
      }),
    ),
    '0+',
  ),
});

/**
 * AddPartitionsToTxn: v0–3 are the client's form (one transaction, its fields prefixed `V3AndBelow` in
 * Kafka's definition); v4+ is KIP-890's broker-to-broker form, a batch of transactions each with a
 * VerifyOnly flag, which a partition leader sends to the coordinator to check that a transactional write
 * belongs to an ongoing transaction before appending it. Kafka refuses v4+ from clients (it checks the
 * caller has ClusterAction); that rule belongs to the handler and the access table.
 */
export const AddPartitionsToTxn = defineApi({
  key: 24,
  name: 'AddPartitionsToTxn',
  versions: '0-5',
  flexible: '3+',
  request: {
    transactions: field(
      array(
        struct({
          transactionalId: field(string, '4+'),
          producerId: field(int64, '4+'),
          producerEpoch: field(int16, '4+'),
          verifyOnly: field(bool, '4+', { default: false }),
          topics: field(array(addPartitionsToTxnTopic), '4+'),
        }),
      ),
      '4+',
    ),
    v3AndBelowTransactionalId: field(string, '0-3'),
    v3AndBelowProducerId: field(int64, '0-3'),
    v3AndBelowProducerEpoch: field(int16, '0-3'),
    v3AndBelowTopics: field(array(addPartitionsToTxnTopic), '0-3'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '4+'),
    resultsByTransaction: field(
      array(
        struct({
          transactionalId: field(string, '4+'),
          topicResults: field(array(addPartitionsToTxnTopicResult), '4+'),
        }),
      ),
      '4+',
    ),
    resultsByTopicV3AndBelow: field(array(addPartitionsToTxnTopicResult), '0-3'),
  },
});

/**
 * AddOffsetsToTxn: the producer tells its transaction coordinator that the transaction will commit
 * offsets of GroupId, so the coordinator writes a marker to that group's __consumer_offsets partition too.
 */
export const AddOffsetsToTxn = defineApi({
  key: 25,
  name: 'AddOffsetsToTxn',
  versions: '0-4',
  flexible: '3+',
  request: {
    transactionalId: field(string, '0+'),
    producerId: field(int64, '0+'),
    producerEpoch: field(int16, '0+'),
    groupId: field(string, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
  },
});

/**
 * EndTxn: commit (Committed = true) or abort. v5 (KIP-890 part 2: the epoch is bumped on every
 * transaction, and the response returns the new producer id and epoch) is left out: its semantics need the
 * coordinator's transaction version 2, which Tributary does not implement.
 */
export const EndTxn = defineApi({
  key: 26,
  name: 'EndTxn',
  versions: '0-4',
  flexible: '3+',
  request: {
    transactionalId: field(string, '0+'),
    producerId: field(int64, '0+'),
    producerEpoch: field(int16, '0+'),
    committed: field(bool, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
  },
});

/**
 * TxnOffsetCommit: the producer commits a group's offsets inside its transaction, to the group
 * coordinator; they become visible when the transaction's marker reaches __consumer_offsets. v2 adds the
 * committed leader epoch, v3 the group membership (KIP-447: the coordinator fences a zombie whose
 * generation is stale, which lets one producer serve many input partitions).
 */
export const TxnOffsetCommit = defineApi({
  key: 28,
  name: 'TxnOffsetCommit',
  versions: '0-4',
  flexible: '3+',
  request: {
    transactionalId: field(string, '0+'),
    groupId: field(string, '0+'),
    producerId: field(int64, '0+'),
    producerEpoch: field(int16, '0+'),
    generationId: field(int32, '3+', { default: -1 }),
    memberId: field(string, '3+'),
    groupInstanceId: nullable(string, '3+', '3+'),
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          partitions: field(
            array(
              struct({
                partitionIndex: field(int32, '0+'),
                committedOffset: field(int64, '0+'),
                committedLeaderEpoch: field(int32, '2+', { default: -1 }),
                committedMetadata: nullable(string, '0+', '0+'),
              }),
            ),
            '0+',
          ),
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
