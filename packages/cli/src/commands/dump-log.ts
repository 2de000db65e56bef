/**
 * `trib dump-log FILE... [--print-data-log]` (Kafka's kafka-dump-log.sh), offline: what a partition
 * directory's files hold, read with the log package's own decoders.
 *   - `<offset>.log`: every batch (base/last offset, count, position, size, timestamps, producer id, epoch and
 *     base sequence, transactional/control with the marker and coordinator epoch, compression, whether the
 *     CRC matches), and with --print-data-log each record (offset, timestamp, key, value, headers);
 *   - `<offset>.index` / `.timeindex`: the sparse index entries;
 *   - `<offset>.txnindex`: the aborted transactions;
 *   - `producer-state-snapshot` (or any `*.snapshot`): each producer's id, epoch, last sequence, last offset
 *     and the first offset of its open transaction.
 * The formatting is pure (bytes in, lines out); only dumpFiles reads files. An inspection tool reports a
 * damaged part and goes on with the next file.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TributaryError } from '@tributary/core';
import { decodeProducerSnapshot, decodeTxnIndexEntries, PRODUCER_SNAPSHOT_FILE } from '@tributary/log';
import {
  crc32c,
  decodeControlRecord,
  decodeRecordBatch,
  type RecordBatchHeader,
  splitBatches,
} from '@tributary/records';
import type { Command } from 'commander';
import { jsonLine } from '../format.js';
import type { CliIo } from '../io.js';

/** One printed line: its kind and fields, shown as `key: value` pairs or as one JSON object. */
export interface DumpLine {
  readonly kind: 'file' | 'batch' | 'record' | 'index' | 'timeindex' | 'aborted' | 'producer' | 'problem';
  readonly fields: Readonly<Record<string, string | number | boolean | null>>;
}

export type DumpFileKind = 'log' | 'index' | 'timeindex' | 'txnindex' | 'snapshot';

/** Where the CRC of a v2 batch starts: it covers attributes to the end (Kafka's DefaultRecordBatch). */
const CRC_COVERED_FROM = 21;
const OFFSET_INDEX_ENTRY_BYTES = 8;
const TIME_INDEX_ENTRY_BYTES = 12;

export function fileKind(path: string): DumpFileKind | undefined {
  const name = basename(path);
  if (name === PRODUCER_SNAPSHOT_FILE || name.endsWith('.snapshot')) return 'snapshot';
  if (name.endsWith('.log')) return 'log';
  if (name.endsWith('.timeindex')) return 'timeindex';
  if (name.endsWith('.txnindex')) return 'txnindex';
  if (name.endsWith('.index')) return 'index';
  return undefined;
}

/** The segment base offset a file name carries (Kafka's 20-digit stem); 0 when it has none. */
function baseOffsetOf(path: string): number {
  const stem = basename(path).split('.')[0] ?? '';
  return /^\d+$/.test(stem) ? Number(stem) : 0;
}

const text = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

function batchLine(header: RecordBatchHeader, position: number): DumpLine {
  const bytes = header.bytes();
  const crcValid = crc32c(bytes.subarray(CRC_COVERED_FROM)) >>> 0 === header.crc >>> 0;
  const fields: Record<string, string | number | boolean | null> = {
    baseOffset: header.baseOffset,
    lastOffset: header.lastOffset,
    count: header.recordCount,
    position,
    size: header.sizeBytes,
    baseTimestamp: header.baseTimestamp,
    maxTimestamp: header.maxTimestamp,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    isTransactional: header.isTransactional,
    isControl: header.isControl,
    compression: header.compression ?? 'unknown',
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    crcValid,
  };
  return { kind: 'batch', fields };
}

/** Every batch of a segment file, and with `printData` its records; a damaged tail ends the dump. */
export function dumpSegment(bytes: Buffer, printData: boolean): DumpLine[] {
  const lines: DumpLine[] = [];
  const split = splitBatches(bytes, { verifyCrc: false });
  let position = 0;
  for (const header of split.batches) {
    const line = batchLine(header, position);
    position += header.sizeBytes;
    let decoded: ReturnType<typeof decodeRecordBatch> | undefined;
    try {
      if (printData || header.isControl) decoded = decodeRecordBatch(header.bytes());
    } catch (error) {
      lines.push(line, problem(`batch at ${line.fields.position}: ${(error as Error).message}`));
      continue;
    }
    const [first] = decoded?.records ?? [];
    if (header.isControl && first !== undefined) {
      try {
        const marker = decodeControlRecord(first.key, first.value);
        lines.push({
          kind: 'batch',
          fields: {
            ...line.fields,
            endTxnMarker: marker.marker.toUpperCase(),
            coordinatorEpoch: marker.coordinatorEpoch,
          },
        });
      } catch (error) {
        lines.push(line, problem(`control record at ${first.offset}: ${(error as Error).message}`));
      }
      continue;
    }
    lines.push(line);
    for (const record of printData ? (decoded?.records ?? []) : []) {
      lines.push({
        kind: 'record',
        fields: {
          offset: record.offset,
          timestamp: record.timestampMs,
          key: text(record.key),
          value: text(record.value),
          headers: record.headers.map((h) => `${h.key}=${text(h.value) ?? ''}`).join(','),
        },
      });
    }
  }
  if (split.end.kind === 'torn-tail') {
    lines.push(
      problem(`torn tail at byte ${split.end.position}: ${split.end.bytesAvailable} bytes of a cut batch`),
    );
  } else if (split.end.kind === 'corrupt') {
    lines.push(problem(`corrupt batch at byte ${split.end.position}: ${split.end.error.message}`));
  }
  return lines;
}

/** `.index` entries (relative offset u32, position u32); zero padding after the first entry ends them. */
export function dumpOffsetIndex(bytes: Buffer, baseOffset: number): DumpLine[] {
  const lines: DumpLine[] = [];
  for (let at = 0; at + OFFSET_INDEX_ENTRY_BYTES <= bytes.length; at += OFFSET_INDEX_ENTRY_BYTES) {
    const relative = bytes.readUInt32BE(at);
    const position = bytes.readUInt32BE(at + 4);
    if (at > 0 && relative === 0 && position === 0) break;
    lines.push({ kind: 'index', fields: { offset: baseOffset + relative, position } });
  }
  return withTrailing(lines, bytes.length % OFFSET_INDEX_ENTRY_BYTES);
}

/** `.timeindex` entries (timestamp i64, relative offset u32). */
export function dumpTimeIndex(bytes: Buffer, baseOffset: number): DumpLine[] {
  const lines: DumpLine[] = [];
  for (let at = 0; at + TIME_INDEX_ENTRY_BYTES <= bytes.length; at += TIME_INDEX_ENTRY_BYTES) {
    const timestamp = Number(bytes.readBigInt64BE(at));
    const relative = bytes.readUInt32BE(at + 8);
    if (at > 0 && timestamp === 0 && relative === 0) break;
    lines.push({ kind: 'timeindex', fields: { timestamp, offset: baseOffset + relative } });
  }
  return withTrailing(lines, bytes.length % TIME_INDEX_ENTRY_BYTES);
}

export function dumpTxnIndex(bytes: Buffer): DumpLine[] {
  const entries = decodeTxnIndexEntries(bytes);
  if (entries === null) return [problem('not a transaction index (bad size or version)')];
  return entries.map((entry) => ({
    kind: 'aborted',
    fields: {
      producerId: entry.producerId,
      firstOffset: entry.firstOffset,
      lastOffset: entry.lastOffset,
      lastStableOffset: entry.lastStableOffset,
    },
  }));
}

export function dumpProducerSnapshot(bytes: Buffer): DumpLine[] {
  const snapshot = decodeProducerSnapshot(bytes);
  if (snapshot === null) return [problem('not a producer-state snapshot (bad magic, CRC or layout)')];
  const lines: DumpLine[] = [
    {
      kind: 'file',
      fields: {
        logEndOffset: snapshot.logEndOffset,
        lastTransactionalOffset: snapshot.lastTransactionalOffset,
        producers: snapshot.entries.length,
      },
    },
  ];
  for (const entry of snapshot.entries) {
    const last = entry.batches.at(-1);
    lines.push({
      kind: 'producer',
      fields: {
        producerId: entry.producerId,
        producerEpoch: entry.producerEpoch,
        lastSequence: last?.lastSequence ?? -1,
        lastOffset: last?.lastOffset ?? -1,
        lastTimestamp: last?.maxTimestamp ?? -1,
        currentTxnFirstOffset: entry.currentTxnFirstOffset ?? -1,
      },
    });
  }
  return lines;
}

export function dumpBytes(kind: DumpFileKind, path: string, bytes: Buffer, printData: boolean): DumpLine[] {
  switch (kind) {
    case 'log':
      return dumpSegment(bytes, printData);
    case 'index':
      return dumpOffsetIndex(bytes, baseOffsetOf(path));
    case 'timeindex':
      return dumpTimeIndex(bytes, baseOffsetOf(path));
    case 'txnindex':
      return dumpTxnIndex(bytes);
    case 'snapshot':
      return dumpProducerSnapshot(bytes);
  }
}

export function formatDumpLine(line: DumpLine, json: boolean): string {
  if (json) return jsonLine({ kind: line.kind, ...line.fields });
  const pairs = Object.entries(line.fields).map(
    ([key, value]) => `${key}: ${value === null ? 'null' : value}`,
  );
  return line.kind === 'record' ? `| ${pairs.join(' ')}` : pairs.join(' ');
}

function problem(message: string): DumpLine {
  return { kind: 'problem', fields: { problem: message } };
}

function withTrailing(lines: DumpLine[], leftover: number): DumpLine[] {
  return leftover === 0 ? lines : [...lines, problem(`${leftover} trailing bytes are not a whole entry`)];
}

/**
 * Dumps each file in turn (`Dumping FILE` first, as Kafka's tool). An unknown kind or an unreadable file
 * fails the command after the other files were dumped: the first such error is thrown at the end.
 */
export async function dumpFiles(
  io: CliIo,
  paths: readonly string[],
  options: { readonly printData: boolean; readonly json: boolean },
): Promise<void> {
  let failure: TributaryError | undefined;
  for (const path of paths) {
    const kind = fileKind(path);
    if (options.json) io.out(jsonLine({ kind: 'file', file: path, type: kind ?? null }));
    else io.out(`Dumping ${path}`);
    if (kind === undefined) {
      failure ??= new TributaryError(
        'INVALID_REQUEST',
        `${path}: not a .log, .index, .timeindex, .txnindex or producer snapshot file`,
      );
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      failure ??= new TributaryError('INVALID_REQUEST', `${path}: ${(error as Error).message}`);
      continue;
    }
    for (const line of dumpBytes(kind, path, bytes, options.printData))
      io.out(formatDumpLine(line, options.json));
  }
  if (failure !== undefined) throw failure;
}

export function addDumpLogCommand(program: Command, io: CliIo): void {
  program
    .command('dump-log <files...>')
    .description(
      'print what segment (.log), index (.index, .timeindex, .txnindex) and producer snapshot files hold (offline)',
    )
    .option('--print-data-log', 'also print each record of a .log file (key, value, headers)')
    .action(async (files: string[], flags: { readonly printDataLog?: boolean }, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      await dumpFiles(io, files, { printData: flags.printDataLog === true, json });
    });
}
