import { createRequire } from 'node:module';

/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of RecordBatch v2. The native
 * @node-rs/crc32 (SSE4.2 / ARMv8 CRC instructions) is used when it loads; the table-driven JS version is
 * the fallback and the reference the native one is tested against. Both take `initial` as the CRC of
 * the bytes before `data`, so a checksum can be continued across chunks.
 */
const POLYNOMIAL_REFLECTED = 0x82f63b78;
const SLICES = 8;

/** Slicing-by-8 tables: TABLES[k * 256 + b] is the CRC of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(SLICES * 256);
  for (let b = 0; b < 256; b++) {
    let crc = b;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL_REFLECTED : crc >>> 1;
    }
    tables[b] = crc;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const previous = tables[(k - 1) * 256 + b] ?? 0;
      tables[k * 256 + b] = (previous >>> 8) ^ (tables[previous & 0xff] ?? 0);
    }
  }
  return tables;
}

/**
 * Pure-JS CRC32C, slicing-by-8: eight table lookups per 8 input bytes instead of one per byte.
 * The `?? 0` guards satisfy noUncheckedIndexedAccess; every index is in range by construction.
 */
export function crc32cJs(data: Uint8Array, initial = 0): number {
  const t = TABLES;
  let crc = ~initial;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  while (i < end8) {
    const lo =
      crc ^
      ((data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24));
    crc =
      (t[1792 + (lo & 0xff)] ?? 0) ^
      (t[1536 + ((lo >>> 8) & 0xff)] ?? 0) ^
      (t[1280 + ((lo >>> 16) & 0xff)] ?? 0) ^
      (t[1024 + (lo >>> 24)] ?? 0) ^
      (t[768 + (data[i + 4] ?? 0)] ?? 0) ^
      (t[512 + (data[i + 5] ?? 0)] ?? 0) ^
      (t[256 + (data[i + 6] ?? 0)] ?? 0) ^
      (t[data[i + 7] ?? 0] ?? 0);
    i += 8;
  }
  while (i < data.length) {
    crc = (crc >>> 8) ^ (t[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0);
    i++;
  }
  return ~crc >>> 0;
}

/** The bit-at-a-time definition: slow, obviously right, the reference for the table version. */
export function crc32cBitwise(data: Uint8Array, initial = 0): number {
  let crc = ~initial >>> 0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL_REFLECTED : crc >>> 1;
    }
  }
  return ~crc >>> 0;
}

type Crc32cFunction = (data: Uint8Array, initial?: number) => number;

function loadNative(): Crc32cFunction | undefined {
  try {
    // createRequire keeps loading synchronous and lets a missing prebuilt binary fall back to JS.
    const require = createRequire(import.meta.url);
    const native = require('@node-rs/crc32') as { crc32c?: (input: Uint8Array, initial?: number) => number };
    const fn = native.crc32c;
    if (typeof fn !== 'function') return undefined;
    return (data, initial = 0) => fn(data, initial) >>> 0;
  } catch {
    return undefined;
  }
}

/** The native implementation, or undefined where its binary is not available. */
export const crc32cNative: Crc32cFunction | undefined = loadNative();

/** CRC32C of `data`, native when available. Always an unsigned 32-bit number. */
export const crc32c: Crc32cFunction = crc32cNative ?? crc32cJs;

export const crc32cImplementation: 'native' | 'js' = crc32cNative === undefined ? 'js' : 'native';
