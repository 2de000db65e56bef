/**
 * Partition-log throughput: appends of record batches (100-byte records, opaque to the log) and a
 * sequential read of everything back, in MB/s, median of 5 runs. Run after building:
 *   node packages/log/dist/bench/log-bench.js [--total-mib 256]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@tributary/core';
import { PartitionLog } from '../partition-log.js';
import { buildBatch } from '../test-batches.js';

const RUNS = 5;
const RECORD_BYTES = 100;
const MIB = 1024 * 1024;

interface Figures {
  readonly appendMBps: number;
  readonly readMBps: number;
}

async function runOnce(batchBytes: number, totalBytes: number): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-log-bench-'));
  const log = await PartitionLog.open({ dir, clock: systemClock, config: { flush: 'none' } });
  try {
    const recordCount = Math.max(1, Math.floor(batchBytes / RECORD_BYTES));
    const batch = buildBatch({ recordCount, payloadBytes: batchBytes - 61 });
    const appends = Math.ceil(totalBytes / batch.length);
    const appendStart = performance.now();
    for (let i = 0; i < appends; i++) await log.append(batch, { leaderEpoch: 1, assignOffsets: true });
    await log.flush();
    const appendMs = performance.now() - appendStart;
    const readStart = performance.now();
    let offset = log.logStartOffset;
    let readBytes = 0;
    while (offset < log.logEndOffset) {
      const result = await log.read(offset, { maxBytes: MIB });
      readBytes += result.bytes.length;
      offset = result.nextOffset;
    }
    const readMs = performance.now() - readStart;
    const written = appends * batch.length;
    if (readBytes !== written) throw new Error(`read ${readBytes} bytes, wrote ${written}`);
    return { appendMBps: written / 1e6 / (appendMs / 1000), readMBps: readBytes / 1e6 / (readMs / 1000) };
  } finally {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const totalFlag = process.argv.indexOf('--total-mib');
  const totalBytes = (totalFlag >= 0 ? Number(process.argv[totalFlag + 1]) : 256) * MIB;
  for (const batchBytes of [MIB, 16 * 1024]) {
    const runs: Figures[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await runOnce(batchBytes, totalBytes));
    const append = median(runs.map((r) => r.appendMBps));
    const read = median(runs.map((r) => r.readMBps));
    const recordsPerSecond = (append * 1e6) / RECORD_BYTES;
    process.stdout.write(
      `${JSON.stringify({
        batchBytes,
        totalMiB: totalBytes / MIB,
        appendMBps: Math.round(append),
        appendRecordsPerSecond: Math.round(recordsPerSecond),
        sequentialReadMBps: Math.round(read),
        runs: RUNS,
      })}\n`,
    );
  }
}

await main();
