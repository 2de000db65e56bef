import { createHash } from 'node:crypto';
import { assert } from '@tributary/core';
import { LOG_LIMITS } from '../limits.js';

/**
 * The cleaner's map from record key to the offset of the key's latest record in the dirty section (Kafka's
 * SkimpyOffsetMap). Bounded by a key count: when a batch's new keys would not fit, the map is full and the
 * pass cleans only up to the batches mapped so far. Short keys are stored as they are; longer ones by their
 * SHA-256, so each entry's size is bounded too (a collision would need a SHA-256 collision).
 */
export class OffsetMap {
  private readonly offsets = new Map<string, number>();
  private latestOffset = -1;

  constructor(readonly keysMax: number = LOG_LIMITS.cleanerOffsetMapKeysMax) {
    assert(
      Number.isSafeInteger(keysMax) && keysMax > 0 && keysMax <= LOG_LIMITS.cleanerOffsetMapKeysMax,
      () => `offset map size ${keysMax} is within (0, ${LOG_LIMITS.cleanerOffsetMapKeysMax}]`,
    );
  }

  static keyOf(key: Uint8Array): string {
    const bytes = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    if (bytes.length <= LOG_LIMITS.cleanerKeyBytesVerbatimMax) return `k${bytes.toString('latin1')}`;
    return `h${createHash('sha256').update(bytes).digest().toString('latin1')}`;
  }

  get size(): number {
    return this.offsets.size;
  }

  /**
   * Records the keyed records of one batch (offsets ascending), all or none: false, and nothing changes,
   * when the batch's new keys would pass keysMax.
   */
  putBatch(records: readonly { readonly key: string; readonly offset: number }[]): boolean {
    let newKeys = 0;
    const seen = new Set<string>();
    for (const record of records) {
      if (!this.offsets.has(record.key) && !seen.has(record.key)) newKeys++;
      seen.add(record.key);
    }
    if (this.offsets.size + newKeys > this.keysMax) return false;
    for (const record of records) {
      assert(record.offset > this.latestOffset, 'the offset map is filled in offset order');
      this.offsets.set(record.key, record.offset);
      this.latestOffset = record.offset;
    }
    return true;
  }

  /** The offset of the key's latest mapped record; undefined when the dirty section does not hold the key. */
  latest(key: string): number | undefined {
    return this.offsets.get(key);
  }
}
