// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One producer the partition's log remembers (Kafka's ProducerState). -1 stands for "none" in every field
 * that may have none, as on Kafka's wire.
 */
export interface ActiveProducer {
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
  /**
   * The sequence of the last record the producer appended; -1 when it appended none in this epoch.
   */
  'lastSequence'?: (number);
  /**
   * The max timestamp of the producer's last batch, in ms; -1 when none.
   */
  'lastTimestampMs'?: (number | string | Long);
  /**
   * The epoch of the transaction coordinator that wrote the producer's last marker; -1 when none was
   * written. An ABORT written by hand must carry at least this epoch or the leader refuses it.
   */
  'coordinatorEpoch'?: (number);
  /**
   * The offset of the first batch of the producer's open transaction; -1 when none is open.
   */
  'currentTxnStartOffset'?: (number | string | Long);
}

/**
 * One producer the partition's log remembers (Kafka's ProducerState). -1 stands for "none" in every field
 * that may have none, as on Kafka's wire.
 */
export interface ActiveProducer__Output {
  'producerId': (number);
  'producerEpoch': (number);
  /**
   * The sequence of the last record the producer appended; -1 when it appended none in this epoch.
   */
  'lastSequence': (number);
  /**
   * The max timestamp of the producer's last batch, in ms; -1 when none.
   */
  'lastTimestampMs': (number);
  /**
   * The epoch of the transaction coordinator that wrote the producer's last marker; -1 when none was
   * written. An ABORT written by hand must carry at least this epoch or the leader refuses it.
   */
  'coordinatorEpoch': (number);
  /**
   * The offset of the first batch of the producer's open transaction; -1 when none is open.
   */
  'currentTxnStartOffset': (number);
}
