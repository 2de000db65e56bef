import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeControlBatch } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import {
  createKafkaV2BatchCodec,
  kafkaV2BatchCodec,
  NO_COORDINATOR_EPOCH,
  readBatchInfo,
  V2,
} from './batch-codec.js';
import { nodeLogFileSystem } from './log-fs.js';
import { scanBatches } from './segment-scan.js';
import { buildBatch } from './test-batches.js';

describe('kafkaV2BatchCodec', () => {
  it('reads the header fields and validates the CRC', () => {
    const batch = buildBatch({
      recordCount: 4,
      baseOffset: 77,
      leaderEpoch: 3,
      timestampMs: 1_700_000_000_000,
    });
    const codec = kafkaV2BatchCodec;
    expect(codec.readBaseOffset(batch, 0)).toBe(77);
    expect(codec.readLastOffsetDelta(batch, 0)).toBe(3);
    expect(codec.readPartitionLeaderEpoch(batch, 0)).toBe(3);
    expect(codec.readMaxTimestamp(batch, 0)).toBe(1_700_000_000_000);
    expect(codec.readBatchLength(batch, 0)).toBe(batch.length - 12);
    expect(codec.isValid(batch, 0, batch.length)).toBe(true);
    expect(codec.isValid(batch, 0, batch.length - 1)).toBe(false);
    batch.writeUInt8(batch.readUInt8(V2.attributes) ^ 1, V2.attributes);
    expect(codec.isValid(batch, 0, batch.length)).toBe(false);
  });

  it('reads the idempotent producer fields; any negative producer id is -1', () => {
    const codec = kafkaV2BatchCodec;
    const batch = buildBatch({ producerId: 2 ** 40 + 3, producerEpoch: 7, baseSequence: 0x7fff_fffe });
    expect(codec.readProducerId(batch, 0)).toBe(2 ** 40 + 3);
    expect(codec.readProducerEpoch(batch, 0)).toBe(7);
    expect(codec.readBaseSequence(batch, 0)).toBe(0x7fff_fffe);
    const plain = buildBatch();
    expect([codec.readProducerId(plain, 0), codec.readProducerEpoch(plain, 0)]).toEqual([-1, -1]);
    plain.writeBigInt64BE(-(2n ** 62n), V2.producerId);
    expect(codec.readProducerId(plain, 0)).toBe(-1);
  });

  it('reads a marker with its coordinator epoch; data batches have none', () => {
    const marker = encodeControlBatch({
      producerId: 7,
      producerEpoch: 2,
      marker: 'commit',
      coordinatorEpoch: 41,
      timestampMs: 1_000,
    });
    expect(readBatchInfo(kafkaV2BatchCodec, marker, 0, 0)).toMatchObject({
      isControl: true,
      isTransactional: true,
      controlMarker: 'commit',
      coordinatorEpoch: 41,
    });
    expect(readBatchInfo(kafkaV2BatchCodec, buildBatch(), 0, 0)).toMatchObject({
      isControl: false,
      controlMarker: null,
      coordinatorEpoch: NO_COORDINATOR_EPOCH,
    });
  });

  it('stamps base offset and epoch outside the CRC range', () => {
    const batch = buildBatch();
    kafkaV2BatchCodec.stamp(batch, 0, { baseOffset: 2 ** 40, partitionLeaderEpoch: 9 });
    expect(kafkaV2BatchCodec.readBaseOffset(batch, 0)).toBe(2 ** 40);
    expect(kafkaV2BatchCodec.isValid(batch, 0, batch.length)).toBe(true);
  });

  it('accepts an injected CRC function and rejects other magic values', () => {
    const alwaysZero = createKafkaV2BatchCodec(() => 0);
    const batch = buildBatch();
    batch.writeUInt32BE(0, V2.crc);
    expect(alwaysZero.isValid(batch, 0, batch.length)).toBe(true);
    batch.writeInt8(1, V2.magic);
    expect(alwaysZero.isValid(batch, 0, batch.length)).toBe(false);
  });
});

describe('scanBatches', () => {
  it('walks batches across chunk boundaries and reports the torn tail', async () => {
    const path = join(tmpdir(), `tributary-scan-${process.pid}-${Date.now()}.log`);
    const batches = [
      buildBatch({ payloadBytes: 5000 }),
      buildBatch({ baseOffset: 1 }),
      buildBatch({ baseOffset: 2 }),
    ];
    const whole = Buffer.concat(batches);
    await writeFile(path, whole.subarray(0, whole.length - 3));
    const file = await nodeLogFileSystem.open(path, 'r');
    try {
      const seen: number[] = [];
      const result = await scanBatches(
        file,
        {
          codec: kafkaV2BatchCodec,
          fromPosition: 0,
          endPosition: whole.length - 3,
          validate: true,
          chunkBytes: 100,
        },
        (info) => {
          seen.push(info.baseOffset);
          return 'continue';
        },
      );
      expect(seen).toEqual([0, 1]);
      expect(result).toMatchObject({ outcome: 'invalid', position: whole.length - buildBatch().length });
    } finally {
      await file.close();
      await rm(path, { force: true });
    }
  });
});
