/**
 * CRC32C throughput, native vs pure JS, on 1 MiB buffers: median of 5 runs, each long enough to swamp
 * timer noise. Run after building: `node packages/records/dist/bench/crc-bench.js`.
 */
import { crc32cJs, crc32cNative } from '../crc32c.js';

const BUFFER_BYTES = 1024 * 1024;
const RUNS = 5;
const ITERATIONS_PER_RUN = 200;

function measureMegabytesPerSecond(crc: (data: Uint8Array) => number, data: Uint8Array): number {
  let sink = 0;
  const startNs = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS_PER_RUN; i++) sink ^= crc(data);
  const elapsedNs = Number(process.hrtime.bigint() - startNs);
  if (sink === 0.5) console.log('unreachable'); // keeps the loop from being optimized away
  return (BUFFER_BYTES * ITERATIONS_PER_RUN) / (1024 * 1024) / (elapsedNs / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function bench(name: string, crc: (data: Uint8Array) => number, data: Uint8Array): void {
  measureMegabytesPerSecond(crc, data); // warm-up: let the JIT compile before measuring
  const runs = Array.from({ length: RUNS }, () => measureMegabytesPerSecond(crc, data));
  const formatted = runs.map((mbps) => mbps.toFixed(0)).join(', ');
  console.log(`${name.padEnd(7)} median ${median(runs).toFixed(0)} MB/s (runs: ${formatted})`);
}

const data = new Uint8Array(BUFFER_BYTES);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;

if (crc32cNative === undefined) console.log('native  unavailable (@node-rs/crc32 did not load)');
else bench('native', crc32cNative, data);
bench('js', crc32cJs, data);
