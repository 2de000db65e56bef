/**
 * Records/s for the batch paths, 1,000 records of 100 bytes per batch (DESIGN §8's record size): encode
 * (producer), cheap validate + stamp (broker hot path), full decode (consumer). Median of 5 runs.
 * Run after building: `node packages/records/dist/bench/batch-bench.js`.
 */
import { stampBatch } from '../batch-header.js';
import { decodeRecordBatch, validateBatch } from '../decode.js';
import { encodeRecordBatch, type RecordInput } from '../encode.js';

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
 * Compression: the same batch shape with semi-random values (a random word from a small vocabulary per
 * 10 bytes, so text-like rather than constant or incompressible). Reports ratio and plain MB/s.
 */
const WORDS = ['order', 'user', 'id=', '42', 'click', 'GET ', '/api', 'ok', '200', 'ms'];
let seed = 1;
const nextWord = (): string => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return WORDS[seed % WORDS.length] ?? '';
};
const textRecords: RecordInput[] = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => {
  let value = '';
  while (value.length < RECORD_VALUE_BYTES) value += nextWord();
  return {
    key: null,
    value: Buffer.from(value.slice(0, RECORD_VALUE_BYTES)),
    timestampMs: 1_700_000_000_000 + i,
  };
});
const plainBytes = encodeRecordBatch({ records: textRecords }).length;
for (const compression of ['gzip', 'lz4'] as const) {
  const packed = encodeRecordBatch({ records: textRecords, compression });
  const mbPerS = (recordsPerS: number): string =>
    (((recordsPerS / RECORDS_PER_BATCH) * plainBytes) / 1e6).toFixed(0);
  console.log(
    `${compression}: ${plainBytes} → ${packed.length} bytes, ratio ${(plainBytes / packed.length).toFixed(2)}`,
  );
  for (const [name, work] of [
    ['encode', () => encodeRecordBatch({ records: textRecords, compression })],
    ['decode', () => decodeRecordBatch(packed)],
  ] as const) {
    recordsPerSecond(work);
    const runs = Array.from({ length: RUNS }, () => recordsPerSecond(work)).sort((a, b) => a - b);
    console.log(`  ${name.padEnd(8)} ${mbPerS(runs[Math.floor(RUNS / 2)] ?? Number.NaN)} MB/s (plain bytes)`);
  }
}
