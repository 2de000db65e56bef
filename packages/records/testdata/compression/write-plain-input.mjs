// Writes the plain records section the java-*.hex fixtures compress: textRecords(400, 100, 12) from
// src/testing.ts, encoded without compression, minus the 61-byte header. Run after building the package:
//   node write-plain-input.mjs /tmp/plain.bin
// (snappy.test.ts and zstd.test.ts check the fixtures inflate to exactly these bytes, so a drift between
// this copy of the generator and testing.ts fails the tests.)
import { writeFileSync } from 'node:fs';
import { encodeRecordBatch } from '../../dist/index.js';

const WORDS = ['order', 'user', 'id=', '42', 'click', 'GET ', '/api', 'ok', '200', 'ms'];
let state = 12;
const nextWord = () => {
  state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
  return WORDS[state % WORDS.length];
};
const records = Array.from({ length: 400 }, (_, i) => {
  let value = '';
  while (value.length < 100) value += nextWord();
  return { key: null, value: Buffer.from(value.slice(0, 100)), timestampMs: 1_700_000_000_000 + i };
});
writeFileSync(process.argv[2] ?? '/tmp/plain.bin', encodeRecordBatch({ records }).subarray(61));
