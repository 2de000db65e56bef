/**
 * For tests only: helpers shared by the control command tests in this folder (*.test.ts). Nothing outside
 * tests imports this module, and the package index does not export it.
 *
 * Commands decide and return records; these helpers replay the records into the next image the way the
 * controller's MetadataDelta would after the records commit, so a test can chain commands.
 */
import {
  brokerEpoch,
  brokerId,
  type ErrorCode,
  leaderEpoch,
  partitionEpoch,
  TributaryError,
} from '@tributary/core';
import { MetadataDelta, MetadataImage, type MetadataRecord, type PartitionRecord } from '@tributary/metadata';
import { expect } from 'vitest';
import { type BrokerHeartbeatResponse, brokerHeartbeat, registerBroker } from './brokers.js';
import type { ControlResult } from './context.js';

/** The id of topic "orders" in the images these helpers build. */
export const TOPIC = 't-id';

/** Replays `records` on `image`, all at the offset after the image's, and returns the next image. */
export function replay(image: MetadataImage, records: readonly MetadataRecord[]): MetadataImage {
  const delta = new MetadataDelta(image);
  for (const record of records) delta.replay(record, image.offset + 1);
  return delta.apply();
}

/** The image after a command's records commit. */
export function commit<R>(image: MetadataImage, result: ControlResult<R>): MetadataImage {
  return replay(image, result.records);
}

export interface HeartbeatFields {
  readonly wantFence?: boolean;
  readonly wantShutdown?: boolean;
  /** Default: the image's offset (caught up). */
  readonly metadataOffset?: number;
  /** Partitions in the broker's failed log directories. */
  readonly offlinePartitions?: readonly { topic: string; partitions: readonly number[] }[];
}

/** Broker `id`'s heartbeat with its current epoch: caught up and wanting neither fence nor shutdown unless told. */
export function heartbeat(
  image: MetadataImage,
  id: number,
  fields: HeartbeatFields = {},
): ControlResult<BrokerHeartbeatResponse> {
  return brokerHeartbeat(image, {
    brokerId: brokerId(id),
    brokerEpoch: image.broker(brokerId(id))?.brokerEpoch ?? brokerEpoch(0),
    metadataOffset: image.offset,
    wantFence: false,
    wantShutdown: false,
    ...fields,
  });
}

/**
 * Registers brokers 1..n through the commands, every registration first, then unfences each with a caught-up
 * heartbeat. `brokers` is n (no racks) or the racks, broker i+1 in racks[i] (null: none).
 */
export function unfencedBrokers(brokers: number | readonly (string | null)[]): MetadataImage {
  const racks = typeof brokers === 'number' ? Array.from({ length: brokers }, () => null) : brokers;
  let image = MetadataImage.EMPTY;
  racks.forEach((rack, i) => {
    const id = i + 1;
    const request = { brokerId: brokerId(id), incarnationId: `inc-${id}`, address: `h${id}:9092`, rack };
    image = commit(image, registerBroker(image, request, { isLeaseAlive: () => false }));
  });
  for (let id = 1; id <= racks.length; id++) image = commit(image, heartbeat(image, id));
  return image;
}

/** RegisterBroker records for brokers 1..count (epoch = id), unfenced except those listed. */
export function brokerRecords(count: number, fenced: readonly number[] = []): MetadataRecord[] {
  const records: MetadataRecord[] = [];
  for (let id = 1; id <= count; id++) {
    records.push({
      type: 'RegisterBroker',
      brokerId: brokerId(id),
      brokerEpoch: brokerEpoch(id),
      incarnationId: `inc-${id}`,
      address: `h${id}:9092`,
      rack: null,
      fenced: fenced.includes(id),
    });
  }
  return records;
}

/** A Partition record of topic "orders" ({@link TOPIC}) led by the first ISR member. */
export function partitionRecord(
  index: number,
  replicas: readonly number[],
  isr: readonly number[],
  epochs: { readonly leaderEpoch: number; readonly partitionEpoch: number } = {
    leaderEpoch: 0,
    partitionEpoch: 0,
  },
): PartitionRecord {
  return {
    type: 'Partition',
    topicId: TOPIC,
    partition: index,
    replicas: replicas.map(brokerId),
    isr: isr.map(brokerId),
    leader: brokerId(isr[0] ?? 0),
    leaderEpoch: leaderEpoch(epochs.leaderEpoch),
    partitionEpoch: partitionEpoch(epochs.partitionEpoch),
  };
}

/** `image` with topic "orders" ({@link TOPIC}) and the given partitions added. */
export function withOrders(image: MetadataImage, partitions: readonly PartitionRecord[]): MetadataImage {
  return replay(image, [{ type: 'Topic', name: 'orders', topicId: TOPIC }, ...partitions]);
}

/** Asserts that `action` throws a TributaryError with `code` whose message contains `fragment`. */
export function expectCode(action: () => unknown, code: ErrorCode, fragment: string): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as TributaryError).code).toBe(code);
    expect((error as TributaryError).message).toContain(fragment);
    return;
  }
  expect.fail(`expected ${code}`);
}
