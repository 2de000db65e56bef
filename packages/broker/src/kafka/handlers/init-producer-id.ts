/**
 * InitProducerId for idempotent producers (DESIGN §9): a new producer id from the same blocks the
 * controller hands this broker for gRPC producers, so ids are unique across both APIs and the
 * partitions' producer state is shared. A transactional id is refused until transactions exist
 * (issue 14); an idempotent producer asking to bump its epoch (KIP-360, v3+) gets a fresh id, which
 * gives it the same guarantees.
 */
import { ERROR_CODES } from '@tributary/core';
import { InitProducerId, parseVersions } from '@tributary/kafka-protocol';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfError } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';

export function initProducerIdHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: InitProducerId,
    advertised: parseVersions('0-4'),
    handle: async (request, context) => {
      if (request.transactionalId !== null) {
        context.logger.info(
          { transactionalId: request.transactionalId },
          'refusing a transactional InitProducerId',
        );
        return {
          throttleTimeMs: 0,
          errorCode: ERROR_CODES.INVALID_TXN_STATE.kafka,
          producerId: -1,
          producerEpoch: -1,
        };
      }
      try {
        const producerId = await parts.producerIds.generateProducerId();
        return { throttleTimeMs: 0, errorCode: 0, producerId, producerEpoch: 0 };
      } catch (error) {
        return { throttleTimeMs: 0, errorCode: kafkaCodeOfError(error), producerId: -1, producerEpoch: -1 };
      }
    },
  });
}
