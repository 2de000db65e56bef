/**
 * InitProducerId (DESIGN §9). Without a transactional id: an idempotent producer's new producer id, from
 * the same blocks the controller hands this broker for gRPC producers, so ids are unique across both APIs
 * and the partitions' producer state is shared; one asking to bump its epoch (KIP-360, v3+) gets a fresh
 * id, which gives it the same guarantees. With a transactional id (KIP-98): the transaction coordinator's
 * producer id and bumped epoch, which fences an older producer of that id (this broker must coordinate
 * it: NOT_COORDINATOR otherwise, as Kafka answers). Errors are mapped per version (txn-errors.ts).
 */
import { TributaryError } from '@tributary/core';
import { InitProducerId, parseVersions, type RequestOf } from '@tributary/kafka-protocol';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfError } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';
import { txnKafkaCode } from './txn-errors.js';

type InitProducerIdRequest = RequestOf<typeof InitProducerId>;

const FAILED = { producerId: -1, producerEpoch: -1 } as const;

export function initProducerIdHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: InitProducerId,
    advertised: parseVersions('0-4'),
    handle: async (request, context) => {
      const transactionalId = request.transactionalId;
      if (transactionalId !== null) {
        return transactional(parts, { ...request, transactionalId }, context.header.apiVersion);
      }
      try {
        const producerId = await parts.producerIds.generateProducerId();
        return { throttleTimeMs: 0, errorCode: 0, producerId, producerEpoch: 0 };
      } catch (error) {
        return { throttleTimeMs: 0, errorCode: kafkaCodeOfError(error), ...FAILED };
      }
    },
  });
}

async function transactional(
  parts: KafkaBrokerParts,
  request: InitProducerIdRequest & { transactionalId: string },
  version: number,
) {
  try {
    const coordinator = parts.transactions ?? null;
    if (coordinator === null) {
      throw new TributaryError(
        'COORDINATOR_NOT_AVAILABLE',
        'this broker runs no transaction coordinator yet',
      );
    }
    const producer = await coordinator.initProducerId({
      transactionalId: request.transactionalId,
      transactionTimeoutMs: request.transactionTimeoutMs,
      producerId: request.producerId,
      producerEpoch: request.producerEpoch,
    });
    return { throttleTimeMs: 0, errorCode: 0, ...producer };
  } catch (error) {
    if (!(error instanceof TributaryError))
      return { throttleTimeMs: 0, errorCode: kafkaCodeOfError(error), ...FAILED };
    return { throttleTimeMs: 0, errorCode: txnKafkaCode('InitProducerId', version, error.code), ...FAILED };
  }
}
