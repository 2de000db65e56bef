/**
 * Records/s for the batch paths, 1,000 records of 100 bytes per batch (DESIGN §8's record size): encode
 * (producer), cheap validate + stamp (broker hot path), full decode (consumer). Median of 5 runs.
 * Run after building: `node packages/records/dist/bench/batch-bench.js`.
 */
import { stampBatch } from '../batch-header.js';
import { compressRecords, decompressRecords } from '../compression.js';
import { decodeRecordBatch, validateBatch } from '../decode.js';
import { encodeRecordBatch, type RecordInput } from '../encode.js';
import { BATCH_HEADER_BYTES } from '../layout.js';

const RECORDS_PER_BATCH = 1_000;
const RECORD_VALUE_BYTES = 100;
const RUNS = 5;
const BATCHES_PER_RUN = 200;

const records: RecordInput[] = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({
  key: null,
  value: new Uint8Array(RECORD_VALUE_BYTES).fill(i & 0xff),
  timestampMs: 1_700_000_000_000 + i,
}));
const encoded = encodeRecordBatch({ records });

function recordsPerSecond(work: (i: number) => void): number {
  const startNs = process.hrtime.bigint();
  for (let i = 0; i < BATCHES_PER_RUN; i++) work(i);
  const elapsedNs = Number(process.hrtime.bigint() - startNs);
  return (BATCHES_PER_RUN * RECORDS_PER_BATCH) / (elapsedNs / 1e9);
}

function bench(name: string, work: (i: number) => void): void {
  recordsPerSecond(work); // warm-up
  const runs = Array.from({ length: RUNS }, () => recordsPerSecond(work)).sort((a, b) => a - b);
  const median = runs[Math.floor(RUNS / 2)] ?? Number.NaN;
  console.log(`${name.padEnd(24)} ${(median / 1e6).toFixed(2)} M records/s`);
}

console.log(`batch of ${RECORDS_PER_BATCH} × ${RECORD_VALUE_BYTES}-byte records = ${encoded.length} bytes`);
bench('encode', () => encodeRecordBatch({ records }));
bench('validate (cheap) + stamp', (i) => {
  validateBatch(encoded);
  stampBatch(encoded, { baseOffset: i * RECORDS_PER_BATCH, partitionLeaderEpoch: 1 });
});
bench('validate (deep)', () => validateBatch(encoded, { deep: true }));
bench('decode', () => decodeRecordBatch(encoded));

/**
 * Compression: batches of 100-byte semi-random values (a random word from a small vocabulary per
 * 10 bytes, so text-like rather than constant or incompressible), at the 1,000-record size above and
 * at 1 MiB of records (what a producer with a large batch.size compresses at once). Reports the ratio
 * and MB/s of plain batch bytes for encode (compress) and decode (decompress + parse).
 */
const WORDS = ['order', 'user', 'id=', '42', 'click', 'GET ', '/api', 'ok', '200', 'ms'];
let seed = 1;
const nextWord = (): string => {
  // 32-bit arithmetic (a double product loses its low bits and the sequence falls into a short cycle) and
  // the high bits (an LCG's low bits have short periods): repeats would flatter long-window codecs.
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return WORDS[(seed >>> 16) % WORDS.length] ?? '';
};
function textRecords(count: number): RecordInput[] {
  return Array.from({ length: count }, (_, i) => {
    let value = '';
    while (value.length < RECORD_VALUE_BYTES) value += nextWord();
    return {
      key: null,
      value: Buffer.from(value.slice(0, RECORD_VALUE_BYTES)),
      timestampMs: 1_700_000_000_000 + i,
    };
  });
}
/**
 * Batches per CPU-second of this process for `work`, over at least 0.5 s of CPU. CPU time rather than wall
 * time: every codec runs synchronously on this thread, and on a 2-core machine shared with builds, wall
 * time measures the neighbours.
 */
function batchesPerSecond(work: () => void): number {
  const start = process.cpuUsage();
  let batches = 0;
  let cpuUs = 0;
  while (cpuUs < 5e5) {
    work();
    batches++;
    const used = process.cpuUsage(start);
    cpuUs = used.user + used.system;
  }
  return batches / (cpuUs / 1e6);
}

/** A 100-byte value takes 108 bytes as a record (length, attributes, deltas, key and header counts). */
const MIB_OF_RECORDS = Math.floor((1 << 20) / 108);
function megabytesPerSecond(work: () => void, plainBytes: number): string {
  batchesPerSecond(work); // warm-up
  const runs = Array.from({ length: RUNS }, () => batchesPerSecond(work)).sort((a, b) => a - b);
  const median = runs[Math.floor(RUNS / 2)] ?? Number.NaN;
  return `${((median * plainBytes) / 1e6).toFixed(0).padStart(5)} MB/s`;
}

for (const count of [RECORDS_PER_BATCH, MIB_OF_RECORDS]) {
  const textBatch = textRecords(count);
  const plainBatch = encodeRecordBatch({ records: textBatch });
  const section = plainBatch.subarray(BATCH_HEADER_BYTES);
  console.log(
    `${count} text records, ${plainBatch.length} plain bytes (MB per CPU-second of plain bytes; the codec alone, then whole batches):`,
  );
  for (const compression of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    const blob = compressRecords(compression, section);
    const packed = encodeRecordBatch({ records: textBatch, compression });
    console.log(
      [
        `  ${compression.padEnd(7)} ratio ${(section.length / blob.length).toFixed(2).padStart(6)}`,
        `compress ${megabytesPerSecond(() => compressRecords(compression, section), section.length)}`,
        `decompress ${megabytesPerSecond(() => decompressRecords(compression, blob, BATCH_HEADER_BYTES), section.length)}`,
        `encode ${megabytesPerSecond(() => encodeRecordBatch({ records: textBatch, compression }), plainBatch.length)}`,
        `decode ${megabytesPerSecond(() => decodeRecordBatch(packed), plainBatch.length)}`,
      ].join('   '),
    );
  }
}
