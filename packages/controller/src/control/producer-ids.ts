/**
 * AllocateProducerIds (Kafka's ProducerIdControlManager): a broker asks for a block of producer ids to
 * hand out to idempotent producers (InitProducerId). The controller decides the block from the image's
 * `nextProducerId` and writes a ProducerIds record moving it past the block. Since the decision runs
 * against the speculative image (committed + decided-but-uncommitted records), two allocations in
 * flight get disjoint blocks; and since the broker is answered only once the record commits, a new
 * active controller (whose image holds every committed record) never hands out a block again.
 */
import { assert, type BrokerEpoch, type BrokerId, TributaryError } from '@tributary/core';
import type { MetadataImage, ProducerIdsRecord } from '@tributary/metadata';
import { currentBroker } from './brokers.js';
import type { ControlResult } from './context.js';

/** Ids per block (Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE). */
export const PRODUCER_ID_BLOCK_SIZE = 1000;
/**
 * The first id no block may reach: ids travel as JavaScript numbers, so they stay safe integers (far
 * below int64's limit; at a block per millisecond this lasts 285 years).
 */
export const PRODUCER_ID_LIMIT = Number.MAX_SAFE_INTEGER;

export interface AllocateProducerIdsRequest {
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
}

export interface AllocateProducerIdsResponse {
  /** The block is [firstProducerId, firstProducerId + count). */
  readonly firstProducerId: number;
  readonly count: number;
}

/** Only a registered broker in its current epoch gets a block; a stale incarnation is refused. */
export function allocateProducerIds(
  image: MetadataImage,
  request: AllocateProducerIdsRequest,
): ControlResult<AllocateProducerIdsResponse> {
  const broker = currentBroker(image, request.brokerId, request.brokerEpoch);
  const firstProducerId = image.nextProducerId;
  assert(
    Number.isSafeInteger(firstProducerId) && firstProducerId >= 0,
    () => `next producer id ${firstProducerId} is not a non-negative safe integer`,
  );
  if (firstProducerId > PRODUCER_ID_LIMIT - PRODUCER_ID_BLOCK_SIZE) {
    throw new TributaryError('RESOURCE_EXHAUSTED', `producer ids are exhausted at ${firstProducerId}`);
  }
  const record: ProducerIdsRecord = {
    type: 'ProducerIds',
    brokerId: broker.brokerId,
    brokerEpoch: broker.brokerEpoch,
    nextProducerId: firstProducerId + PRODUCER_ID_BLOCK_SIZE,
  };
  return { records: [record], response: { firstProducerId, count: PRODUCER_ID_BLOCK_SIZE } };
}
