import { TributaryError } from '@tributary/core';

/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2): 32-bit MurmurHash2 with seed
 * 0x9747b28c, little-endian 4-byte blocks. Returns a signed int32 exactly as Java does, so keys land on
 * the partitions Kafka's default partitioner would choose (DESIGN §1).
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const blocksEnd = length - (length % 4);
  for (let i = 0; i < blocksEnd; i += 4) {
    let k =
      (data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // Java's switch falls through from case 3 to case 1; the ifs below are that fall-through spelled out.
  const tail = length % 4;
  if (tail >= 3) h ^= (data[blocksEnd + 2] ?? 0) << 16;
  if (tail >= 2) h ^= (data[blocksEnd + 1] ?? 0) << 8;
  if (tail >= 1) {
    h ^= data[blocksEnd] ?? 0;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs, which fails for the minimum int). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** Kafka's default partitioner for keyed records: toPositive(murmur2(key)) % numPartitions. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new TributaryError(
      'INVALID_PARTITIONS',
      `numPartitions must be a positive integer, got ${numPartitions}`,
    );
  }
  return toPositive(murmur2(key)) % numPartitions;
}
