import { brokerEpoch, brokerId, TributaryError } from '@tributary/core';
import { MetadataDelta, MetadataImage, type MetadataRecord } from '@tributary/metadata';
import { describe, expect, it } from 'vitest';
import { registerBroker } from './brokers.js';
import type { ControlResult } from './context.js';
import { allocateProducerIds, PRODUCER_ID_BLOCK_SIZE, PRODUCER_ID_LIMIT } from './producer-ids.js';

function replay(image: MetadataImage, records: readonly MetadataRecord[]): MetadataImage {
  const delta = new MetadataDelta(image);
  for (const record of records) delta.replay(record, image.offset + 1);
  return delta.apply();
}

function commit<R>(image: MetadataImage, result: ControlResult<R>): MetadataImage {
  return replay(image, result.records);
}

/** Brokers 1 and 2 registered (fenced, which does not matter for producer ids). */
function twoBrokers(): MetadataImage {
  let image = MetadataImage.EMPTY;
  for (const id of [1, 2]) {
    const request = {
      brokerId: brokerId(id),
      incarnationId: `inc-${id}`,
      address: `h${id}:9092`,
      rack: null,
    };
    image = commit(image, registerBroker(image, request, { isLeaseAlive: () => false }));
  }
  return image;
}

function epochOf(image: MetadataImage, id: number) {
  const broker = image.broker(brokerId(id));
  if (broker === undefined) throw new Error(`broker ${id} is not registered`);
  return broker.brokerEpoch;
}

function refusal(run: () => unknown): TributaryError {
  try {
    run();
  } catch (error) {
    if (error instanceof TributaryError) return error;
    throw error;
  }
  throw new Error('expected the decision to be refused');
}

describe('allocateProducerIds', () => {
  it('hands out consecutive disjoint blocks, each recorded in a ProducerIds record', () => {
    let image = twoBrokers();
    const blocks: Array<{ first: number; count: number }> = [];
    for (const id of [1, 2, 1, 2, 1]) {
      const result = allocateProducerIds(image, { brokerId: brokerId(id), brokerEpoch: epochOf(image, id) });
      expect(result.records).toEqual([
        {
          type: 'ProducerIds',
          brokerId: brokerId(id),
          brokerEpoch: epochOf(image, id),
          nextProducerId: result.response.firstProducerId + PRODUCER_ID_BLOCK_SIZE,
        },
      ]);
      blocks.push({ first: result.response.firstProducerId, count: result.response.count });
      image = commit(image, result);
    }
    expect(blocks.map((block) => block.first)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(blocks.every((block) => block.count === PRODUCER_ID_BLOCK_SIZE)).toBe(true);
    expect(image.nextProducerId).toBe(5 * PRODUCER_ID_BLOCK_SIZE);
    expect(image.producerIds).toEqual({
      nextProducerId: 5000,
      brokerId: brokerId(1),
      brokerEpoch: epochOf(image, 1),
    });
  });

  it('refuses an unknown broker and a stale broker epoch, writing nothing', () => {
    const image = twoBrokers();
    const unknown = refusal(() =>
      allocateProducerIds(image, { brokerId: brokerId(9), brokerEpoch: brokerEpoch(1) }),
    );
    expect(unknown.code).toBe('UNKNOWN_BROKER');
    const current = epochOf(image, 1);
    const stale = refusal(() =>
      allocateProducerIds(image, { brokerId: brokerId(1), brokerEpoch: brokerEpoch(current + 1) }),
    );
    expect(stale.code).toBe('STALE_BROKER_EPOCH');
    expect(stale.message).toContain(`epoch ${current + 1}`);
  });

  it('refuses once the ids would pass the safe integer range', () => {
    const image = replay(twoBrokers(), [
      {
        type: 'ProducerIds',
        brokerId: brokerId(1),
        brokerEpoch: brokerEpoch(1),
        nextProducerId: PRODUCER_ID_LIMIT - PRODUCER_ID_BLOCK_SIZE + 1,
      },
    ]);
    const exhausted = refusal(() =>
      allocateProducerIds(image, { brokerId: brokerId(2), brokerEpoch: epochOf(image, 2) }),
    );
    expect(exhausted.code).toBe('RESOURCE_EXHAUSTED');
  });
});
