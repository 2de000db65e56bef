/**
 * The transaction APIs that are not a producer's: WriteTxnMarkers (27) v0–1, broker to broker (the
 * coordinator asks a partition leader to append COMMIT/ABORT markers; ClusterAction), and the admin
 * APIs DescribeTransactions (65) v0 and ListTransactions (66) v0–1 (kafka-transactions.sh, KIP-664).
 * Each answers from the broker's parts: the marker writer and the transaction coordinator.
 *
 * ListTransactions, as Kafka's TransactionStateManager: a state filter that names no state (Kafka's names
 * are "Ongoing", "PrepareCommit", ...; @platformatic/kafka sends "ONGOING") is reported in
 * UnknownStateFilters and left out, and with no known filter left every state matches.
 */
import { ERROR_CODES } from '@tributary/core';
import {
  DescribeTransactions,
  ListTransactions,
  parseVersions,
  type ResponseInputOf,
  WriteTxnMarkers,
} from '@tributary/kafka-protocol';
import { toTopicPartitions } from '../../group/assignment.js';
import { TXN_LIMITS } from '../../txn/limits.js';
import { TXN_STATES } from '../../txn/txn-metadata.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { int64Of, kafkaCodeOfError, kafkaCodeOfName } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';

type DescribeResponse = ResponseInputOf<typeof DescribeTransactions>;
type DescribedState = DescribeResponse['transactionStates'][number];

const KNOWN_STATES: ReadonlySet<string> = new Set(TXN_STATES);
const NO_COORDINATOR_CODE = ERROR_CODES.COORDINATOR_NOT_AVAILABLE.kafka;

export function writeTxnMarkersHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: WriteTxnMarkers,
    advertised: parseVersions('0-1'),
    handle: async (request) => {
      const writer = parts.txnMarkers ?? null;
      const failAll = (errorCode: number) => ({
        markers: request.markers.map((marker) => ({
          producerId: marker.producerId,
          topics: marker.topics.map((topic) => ({
            name: topic.name,
            partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode })),
          })),
        })),
      });
      if (writer === null) return failAll(NO_COORDINATOR_CODE);
      let written: Awaited<ReturnType<typeof writer.writeTxnMarkers>>;
      try {
        written = await writer.writeTxnMarkers({
          markers: request.markers.map((marker) => ({
            producerId: marker.producerId,
            producerEpoch: marker.producerEpoch,
            commit: marker.transactionResult,
            coordinatorEpoch: marker.coordinatorEpoch,
            partitions: marker.topics.map((topic) => ({
              topic: topic.name,
              partitions: topic.partitionIndexes,
            })),
          })),
        });
      } catch (error) {
        return failAll(kafkaCodeOfError(error));
      }
      return {
        markers: (written.markers ?? []).map((marker) => {
          const byTopic = new Map<string, { partitionIndex: number; errorCode: number }[]>();
          for (const result of marker.results ?? []) {
            const topic = result.topic ?? '';
            const partitions = byTopic.get(topic) ?? [];
            partitions.push({
              partitionIndex: result.partition ?? 0,
              errorCode: kafkaCodeOfName(result.errorCode ?? ''),
            });
            byTopic.set(topic, partitions);
          }
          return {
            producerId: int64Of(marker.producerId, -1),
            topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
          };
        }),
      };
    },
  });
}

export function describeTransactionsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DescribeTransactions,
    advertised: parseVersions('0'),
    handle: (request): DescribeResponse => {
      const ids = request.transactionalIds;
      const coordinator = parts.transactions ?? null;
      const failed = (transactionalId: string, errorCode: number): DescribedState => ({
        errorCode,
        transactionalId,
        transactionState: '',
        transactionTimeoutMs: 0,
        transactionStartTimeMs: -1,
        producerId: -1,
        producerEpoch: -1,
        topics: [],
      });
      if (coordinator === null || ids.length > TXN_LIMITS.transactionalIdsPerDescribeMax) {
        const code = coordinator === null ? NO_COORDINATOR_CODE : ERROR_CODES.INVALID_REQUEST.kafka;
        return { throttleTimeMs: 0, transactionStates: ids.map((id) => failed(id, code)) };
      }
      const transactionStates = coordinator.describeTransactions(ids).map((result): DescribedState => {
        if (result.kind === 'error') return failed(result.transactionalId, kafkaCodeOfError(result.error));
        const d = result.description;
        return {
          errorCode: 0,
          transactionalId: d.transactionalId,
          transactionState: d.state,
          transactionTimeoutMs: d.timeoutMs,
          transactionStartTimeMs: d.txnStartMs,
          producerId: d.producerId,
          producerEpoch: d.producerEpoch,
          topics: toTopicPartitions(d.partitions).map((tp) => ({
            topic: tp.topic,
            partitions: tp.partitions,
          })),
        };
      });
      return { throttleTimeMs: 0, transactionStates };
    },
  });
}

export function listTransactionsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: ListTransactions,
    advertised: parseVersions('0-1'),
    handle: (request) => {
      const coordinator = parts.transactions ?? null;
      const unknownStateFilters = request.stateFilters.filter((state) => !KNOWN_STATES.has(state));
      if (coordinator === null) {
        return {
          throttleTimeMs: 0,
          errorCode: NO_COORDINATOR_CODE,
          unknownStateFilters,
          transactionStates: [],
        };
      }
      let listings: ReturnType<typeof coordinator.listTransactions>;
      try {
        listings = coordinator.listTransactions({
          states: request.stateFilters.filter((state) => KNOWN_STATES.has(state)),
          producerIds: request.producerIdFilters,
          durationMs: request.durationFilter,
        });
      } catch (error) {
        // COORDINATOR_LOAD_IN_PROGRESS while a state partition loads: the admin client asks again.
        return {
          throttleTimeMs: 0,
          errorCode: kafkaCodeOfError(error),
          unknownStateFilters,
          transactionStates: [],
        };
      }
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        unknownStateFilters,
        transactionStates: listings.map((listing) => ({
          transactionalId: listing.transactionalId,
          producerId: listing.producerId,
          transactionState: listing.state,
        })),
      };
    },
  });
}
