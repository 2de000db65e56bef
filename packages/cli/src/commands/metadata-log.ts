/**
 * `trib metadata log [--from N] [--follow]`: the committed metadata records, decoded, from the
 * FetchMetadata stream of a controller. A snapshot is reported as one line, then its records.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { systemRandom, TributaryError } from '@tributary/core';
import {
  asTributaryError,
  backoffDelayMs,
  createMetadataStreamClient,
  DEFAULT_BACKOFF,
  type FetchMetadataEvent__Output,
  type MetadataEntry__Output,
} from '@tributary/protocol';
import { type CommandContext, clientOptions } from '../context.js';
import { jsonLine } from '../format.js';
import type { CliDecoders, DecodedRecord } from '../io.js';

/** One printed item: a record, a record-less entry (no-op / leader change) or a snapshot. */
export interface LogLine {
  readonly offset: number;
  readonly term: number;
  readonly type: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A controller quorum membership change; shown as-is when it is not the JSON object it should be. */
function membershipLine(offset: number, term: number, json: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { offset, term, type: 'QuorumMembership', fields: parsed as Record<string, unknown> };
    }
  } catch {
    // Falls through: an inspection tool shows what it cannot read instead of stopping at it.
  }
  return { offset, term, type: 'Undecodable', fields: { quorumMembership: json } };
}

export function entryLines(entry: MetadataEntry__Output, decoders: CliDecoders): LogLine[] {
  const { offset, term } = entry;
  if (entry.quorumMembership !== '') return [membershipLine(offset, term, entry.quorumMembership)];
  if (entry.records.length === 0) {
    return [{ offset, term, type: entry.leaderChange ? 'LeaderChange' : 'NoOp', fields: {} }];
  }
  return entry.records.map((bytes): LogLine => {
    try {
      return recordLine(offset, term, decoders.decodeRecord(bytes));
    } catch (error) {
      // An inspection tool shows what it cannot read instead of stopping at it.
      return { offset, term, type: 'Undecodable', fields: { error: asTributaryError(error).message } };
    }
  });
}

export function formatLogLine(line: LogLine, json: boolean): string {
  if (json) return jsonLine(line);
  return `${line.offset} ${line.term} ${line.type} ${JSON.stringify(line.fields)}`;
}

export interface MetadataLogOptions {
  readonly fromOffset: number;
  readonly follow: boolean;
}

/** A snapshot bigger than this is reported by size only (a bound on what the CLI buffers). */
const SNAPSHOT_DECODE_BYTES_MAX = 256 * 1024 * 1024;

function recordLine(offset: number, term: number, record: DecodedRecord): LogLine {
  const { type, ...fields } = record;
  return { offset, term, type, fields };
}

/** Reassembles snapshot chunks; reports each snapshot, and its records when it can decode them. */
class SnapshotAssembler {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly decoders: CliDecoders) {}

  onChunk(chunk: NonNullable<FetchMetadataEvent__Output['snapshot']>): LogLine[] {
    this.bytes += chunk.data.length;
    if (this.bytes <= SNAPSHOT_DECODE_BYTES_MAX) this.chunks.push(chunk.data);
    else this.chunks = [];
    if (!chunk.last) return [];
    const { snapshotOffset: offset, snapshotTerm: term } = chunk;
    const header: LogLine = { offset, term, type: 'Snapshot', fields: { bytes: this.bytes } };
    const whole = this.bytes <= SNAPSHOT_DECODE_BYTES_MAX ? Buffer.concat(this.chunks) : undefined;
    this.chunks = [];
    this.bytes = 0;
    const decode = this.decoders.decodeSnapshotRecords;
    if (decode === undefined || whole === undefined) return [header];
    try {
      const { records } = decode(whole);
      return [
        { ...header, fields: { ...header.fields, records: records.length } },
        ...records.map((record) => recordLine(offset, term, record)),
      ];
    } catch (error) {
      return [{ ...header, fields: { ...header.fields, error: asTributaryError(error).message } }];
    }
  }
}

/**
 * Reads one stream from `address` and prints its events. Resolves with the next offset wanted when
 * the stream ends (caught up, or cancelled by SIGINT); rejects with a TributaryError.
 */
async function readStream(
  context: CommandContext,
  address: string,
  options: MetadataLogOptions,
  onOffset: (nextOffset: number) => void,
): Promise<void> {
  const { io } = context;
  const client = createMetadataStreamClient(address, clientOptions(context));
  const call = client.fetchMetadata({ fromOffset: options.fromOffset, follow: options.follow });
  const snapshots = new SnapshotAssembler(context.decoders);
  let timedOut = false;
  // No overall deadline (a followed log never ends); instead, without --follow, a quiet stream fails.
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    if (options.follow) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      timedOut = true;
      call.cancel();
    }, context.options.timeoutMs);
  };
  const onAbort = () => call.cancel();
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    armIdleTimer();
    for await (const event of call as AsyncIterable<FetchMetadataEvent__Output>) {
      armIdleTimer();
      for (const line of eventLines(event, snapshots, context))
        io.out(formatLogLine(line, context.options.json));
      const next = nextOffsetAfter(event);
      if (next !== undefined) onOffset(next);
    }
  } catch (error) {
    if (io.signal.aborted) return;
    if (timedOut) {
      throw new TributaryError(
        'REQUEST_TIMED_OUT',
        `no metadata from ${address} for ${context.options.timeoutMs} ms`,
      );
    }
    throw asTributaryError(error);
  } finally {
    clearTimeout(idleTimer);
    io.signal.removeEventListener('abort', onAbort);
    client.close();
  }
}

function eventLines(
  event: FetchMetadataEvent__Output,
  snapshots: SnapshotAssembler,
  context: CommandContext,
): LogLine[] {
  if (event.entry) return entryLines(event.entry, context.decoders);
  if (event.snapshot) return snapshots.onChunk(event.snapshot);
  return [];
}

function nextOffsetAfter(event: FetchMetadataEvent__Output): number | undefined {
  if (event.entry) return event.entry.offset + 1;
  if (event.snapshot?.last === true) return event.snapshot.snapshotOffset + 1;
  return undefined;
}

/** Streams attempted per command without progress: a bound on failover. */
const STREAM_ATTEMPTS_PER_ADDRESS = 2;

/**
 * Reads from the first controller that serves the stream; on a retriable failure (dead controller,
 * NOT_CONTROLLER with a hint) moves on and resumes after the last offset printed.
 */
export async function metadataLog(context: CommandContext, options: MetadataLogOptions): Promise<void> {
  const addresses = [...context.options.controllers];
  let fromOffset = options.fromOffset;
  let attemptsLeft = addresses.length * STREAM_ATTEMPTS_PER_ADDRESS;
  let index = 0;
  let failures = 0;
  let target = addresses[0] ?? '';
  for (;;) {
    try {
      await readStream(context, target, { ...options, fromOffset }, (next) => {
        fromOffset = next;
        attemptsLeft = addresses.length * STREAM_ATTEMPTS_PER_ADDRESS;
      });
      return;
    } catch (error) {
      const failure = asTributaryError(error);
      attemptsLeft -= 1;
      if (!failure.retriable || attemptsLeft <= 0) throw failure;
      const delayMs = backoffDelayMs(failures, DEFAULT_BACKOFF, systemRandom);
      failures += 1;
      const stopped = await sleep(delayMs, false, { signal: context.io.signal }).catch(() => true);
      if (stopped) return;
      const hint = failure.leaderHint?.address;
      index = (index + 1) % addresses.length;
      target = hint !== undefined && hint !== target ? hint : (addresses[index] ?? target);
    }
  }
}
