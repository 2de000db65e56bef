import { readFileSync, writeFileSync } from 'node:fs';
import {
  type BrokerId,
  brokerEpoch,
  brokerId,
  leaderEpoch,
  partitionEpoch,
  type Random,
  SeededRandom,
  TributaryError,
} from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from './codec.js';
import { MetadataDelta } from './delta.js';
import { MetadataImage, type PartitionState } from './image.js';
import { placeReplicas } from './placement.js';
import type { MetadataRecord } from './records.js';
import {
  crc32,
  decodeSnapshot,
  decodeSnapshotRecords,
  encodeSnapshot,
  imageToRecords,
  readSnapshotHeader,
  SnapshotEncoder,
} from './snapshot.js';

function pick<T>(random: Random, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[random.int(0, items.length)];
}

function allPartitions(image: MetadataImage): PartitionState[] {
  return [...image.topicsById.values()].flatMap((topic) => [...topic.partitions.values()]);
}

/** One random command's records, valid against `image` (a small stand-in for the controller). */
function randomCommand(image: MetadataImage, random: Random, step: number): MetadataRecord[] {
  const brokers = image.brokerIds();
  const broker = pick(random, brokers);
  const registration = broker === undefined ? undefined : image.broker(broker);
  const topic = pick(random, [...image.topicsById.values()]);
  switch (random.int(0, 10)) {
    case 0:
    case 1: {
      const id = brokerId(random.int(1, 7));
      const epoch = brokerEpoch(image.offset + 1);
      const incarnationId = `inc-${id}-${step}`;
      const rack = random.next() < 0.5 ? null : `rack-${id % 2}`;
      const fenced = random.next() < 0.5;
      return [
        {
          type: 'RegisterBroker',
          brokerId: id,
          brokerEpoch: epoch,
          incarnationId,
          address: `h${id}:9092`,
          rack,
          fenced,
        },
      ];
    }
    case 2:
      if (registration === undefined) return [];
      return [
        {
          type: registration.fenced
            ? 'UnfenceBroker'
            : random.next() < 0.1
              ? 'UnregisterBroker'
              : 'FenceBroker',
          brokerId: registration.brokerId,
          brokerEpoch: registration.brokerEpoch,
        },
      ];
    case 3: {
      if (brokers.length === 0) return [];
      const topicId = `id-${step}`;
      const replicationFactor = random.int(1, Math.min(3, brokers.length) + 1);
      const assignment = placeReplicas({
        brokers,
        partitionCount: random.int(1, 5),
        replicationFactor,
        random,
      });
      return [
        { type: 'Topic', name: `t${random.int(0, 20)}-${step}`, topicId },
        ...assignment.map(
          (replicas, partition): MetadataRecord => ({
            type: 'Partition',
            topicId,
            partition,
            replicas,
            isr: replicas,
            leader: replicas[0] ?? -1,
            leaderEpoch: leaderEpoch(0),
            partitionEpoch: partitionEpoch(0),
          }),
        ),
      ];
    }
    case 4:
    case 5: {
      const state = pick(random, allPartitions(image));
      return state === undefined ? [] : [randomPartitionChange(state, random)];
    }
    case 6:
      return topic === undefined || random.next() < 0.5
        ? []
        : [{ type: 'RemoveTopic', topicId: topic.topicId }];
    case 7: {
      const value = random.next() < 0.3 ? null : String(random.int(0, 1000));
      const name = pick(random, ['retention.ms', 'segment.bytes', 'cleanup.policy']) ?? 'retention.ms';
      if (topic !== undefined && random.next() < 0.6) {
        return [{ type: 'Config', resourceType: 'topic', resourceName: topic.name, name, value }];
      }
      return [{ type: 'Config', resourceType: 'cluster', resourceName: '', name, value }];
    }
    case 8:
      if (registration === undefined) return [];
      return [
        {
          type: 'ProducerIds',
          brokerId: registration.brokerId,
          brokerEpoch: registration.brokerEpoch,
          nextProducerId: image.nextProducerId + 1000,
        },
      ];
    default: {
      const replicas = topic?.partitions.get(0)?.replicas;
      if (topic === undefined || replicas === undefined) return [];
      return [
        {
          type: 'Partition',
          topicId: topic.topicId,
          partition: topic.partitions.size,
          replicas,
          isr: replicas,
          leader: replicas[0] ?? -1,
          leaderEpoch: leaderEpoch(0),
          partitionEpoch: partitionEpoch(0),
        },
      ];
    }
  }
}

function randomPartitionChange(state: PartitionState, random: Random): MetadataRecord {
  const base = {
    type: 'PartitionChange',
    topicId: state.topicId,
    partition: state.partition,
    partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
  } as const;
  const bumped = leaderEpoch(state.leaderEpoch + 1);
  const outside = state.replicas.filter((r) => !state.isr.includes(r));
  const followers = state.isr.filter((r) => r !== state.leader);
  const choice = random.int(0, 4);
  if (choice === 0) return { ...base, leader: pick(random, state.isr) ?? -1, leaderEpoch: bumped };
  if (choice === 1 && followers.length > 0 && state.isr.length > 1) {
    const gone = pick(random, followers);
    return { ...base, isr: state.isr.filter((r) => r !== gone), leaderEpoch: state.leaderEpoch };
  }
  if (choice === 2 && outside.length > 0) {
    const back = pick(random, outside) as BrokerId;
    return { ...base, isr: [...state.isr, back], leaderEpoch: state.leaderEpoch };
  }
  return { ...base, leader: -1, leaderEpoch: bumped };
}

function randomImage(seed: number, steps: number): MetadataImage {
  const random = new SeededRandom(seed);
  let image = MetadataImage.EMPTY;
  for (let step = 0; step < steps; step++) {
    const records = randomCommand(image, random, step);
    const delta = new MetadataDelta(image);
    const offset = image.offset + 1 + random.int(0, 3);
    delta.advanceTo(offset);
    for (const record of records) delta.replay(record, offset);
    image = delta.apply();
  }
  return image;
}

describe('snapshot round trip', () => {
  it('image -> records -> replay gives an equal image, and so does encode/decode', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 150 }), (seed, steps) => {
        const image = randomImage(seed, steps);
        const records = imageToRecords(image);
        const delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.advanceTo(image.offset);
        for (const record of records) delta.replay(decodeRecord(encodeRecord(record)), image.offset);
        expect(delta.apply()).toEqual(image);
        expect(decodeSnapshot(encodeSnapshot(image))).toEqual(image);
      }),
      { numRuns: 150 },
    );
  });

  it('encoded a slice at a time, a snapshot has the bytes of a whole encoding', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 7 }),
        (seed, steps, slice) => {
          const image = randomImage(seed, steps);
          const encoder = new SnapshotEncoder(image);
          let slices = 1;
          while (!encoder.step(slice)) slices++;
          expect(slices).toBe(Math.floor(imageToRecords(image).length / slice) + 1);
          expect(Buffer.from(encoder.finish()).equals(Buffer.from(encodeSnapshot(image)))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
    expect(() => new SnapshotEncoder(MetadataImage.EMPTY).finish()).toThrow('before every record');
  });

  it('round-trips the empty image', () => {
    expect(decodeSnapshot(encodeSnapshot(MetadataImage.EMPTY))).toEqual(MetadataImage.EMPTY);
  });

  it('round-trips an image whose records span several write buffers (20,000 partitions, ~3 MB: three 1 MB buffers and a partial one)', () => {
    const delta = new MetadataDelta(MetadataImage.EMPTY);
    for (const id of [1, 2, 3]) {
      delta.replay(
        {
          type: 'RegisterBroker',
          brokerId: brokerId(id),
          brokerEpoch: brokerEpoch(id),
          incarnationId: `inc-${id}`,
          address: `host${id}:9092`,
          rack: null,
          fenced: false,
        },
        1,
      );
    }
    for (let t = 0; t < 20; t++) {
      const topicId = `large-${t}`;
      delta.replay({ type: 'Topic', topicId, name: `large-topic-${t}` }, 2 + t);
      for (let partition = 0; partition < 1_000; partition++) {
        const replicas = [0, 1, 2].map((r) => brokerId(((partition + r) % 3) + 1));
        delta.replay(
          {
            type: 'Partition',
            topicId,
            partition,
            replicas,
            isr: replicas,
            leader: replicas[0] ?? brokerId(1),
            leaderEpoch: leaderEpoch(t),
            partitionEpoch: partitionEpoch(partition % 7),
          },
          2 + t,
        );
      }
    }
    const image = delta.apply();
    const bytes = encodeSnapshot(image);
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(readSnapshotHeader(bytes)).toEqual({ offset: image.offset, count: 3 + 20 + 20_000 });
    const decoded = decodeSnapshot(bytes);
    expect(decoded).toEqual(image);
    expect(decoded.partitionCount()).toBe(20_000);
  });
});

const GOLDEN = new URL('../testdata/snapshot-v1.bin', import.meta.url);

describe('snapshot format', () => {
  const image = randomImage(7, 40);

  it('matches the checked-in golden bytes (testdata/snapshot-v1.bin; UPDATE_GOLDEN=1 rewrites it)', () => {
    const bytes = encodeSnapshot(image);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, bytes);
    const golden = new Uint8Array(readFileSync(GOLDEN));
    expect(Buffer.from(bytes).equals(Buffer.from(golden))).toBe(true);
    expect(decodeSnapshot(golden)).toEqual(image);
    expect(decodeSnapshotRecords(golden).offset).toBe(image.offset);
  });

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  const invalid = (bytes: Uint8Array, fragment: string): void => {
    expect(() => decodeSnapshot(bytes)).toThrow(TributaryError);
    expect(() => decodeSnapshot(bytes)).toThrow(fragment);
  };

  it('reads the header (offset, record count) after checking magic, version and CRC, decoding no record', () => {
    const bytes = encodeSnapshot(image);
    expect(readSnapshotHeader(bytes)).toEqual({
      offset: image.offset,
      count: decodeSnapshotRecords(bytes).records.length,
    });
    const flipped = bytes.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 0x01;
    expect(() => readSnapshotHeader(flipped)).toThrow('checksum mismatch');
  });

  it('detects a flipped byte, truncation, bad magic and unknown versions', () => {
    const bytes = encodeSnapshot(image);
    const flipped = bytes.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 0x01;
    invalid(flipped, 'checksum mismatch');
    invalid(bytes.subarray(0, bytes.length - 1), 'checksum mismatch');
    invalid(bytes.subarray(0, 10), 'only 10 bytes');
    const magic = bytes.slice();
    magic[0] = 0x58;
    invalid(magic, 'bad magic');
    const version = bytes.slice();
    version[4] = 2;
    invalid(version, 'unsupported version 2');
  });

  it('detects a record count that does not match the records, even with a valid checksum', () => {
    const bytes = encodeSnapshot(image);
    const view = new DataView(bytes.buffer);
    view.setUint32(13, view.getUint32(13) + 1);
    view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)));
    invalid(bytes, 'runs past the end');
    view.setUint32(13, view.getUint32(13) - 2);
    view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)));
    invalid(bytes, 'stray bytes');
  });
});
