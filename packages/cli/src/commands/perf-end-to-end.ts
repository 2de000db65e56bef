/**
 * `trib perf end-to-end`: produce → consume latency (Kafka's EndToEndLatency, at a rate instead of one
 * record at a time). A producer sends records at `--throughput` records/s, batched as `trib perf produce`
 * does at a rate; a consumer in the same process reads the partitions from where they ended before the first
 * send; each record's latency is the time from the start of its send to the moment the consumer has it,
 * both on this process's monotonic clock. A record's value starts with its sequence number, which names its
 * send time; the send times wait in a map bounded by what may still be unread.
 */
import type { Acks } from '@tributary/client';
import { type Clock, systemClock, TributaryError } from '@tributary/core';
import type { RecordInput } from '@tributary/records';
import type { CommandContext } from '../context.js';
import { nextBatchRecords, PERF_DEFAULTS, recordsPerBatch, requireRunBound, throttle } from './perf.js';
import { LatencyRecorder, round } from './perf-stats.js';
import { type ClientCommandOptions, withClient } from './produce.js';

export const END_TO_END_DEFAULTS = {
  throughput: 200,
  recordSizeBytes: 100,
  /** The value's first bytes: the record's sequence number (a big-endian uint32). */
  sequenceBytes: 4,
  /** Send times kept for records not read yet; past it the run stops (the consumer cannot keep up). */
  pendingRecordsMax: 1_000_000,
  /** The consumer's long-poll wait: short, since it adds to nothing (a fetch returns when data arrives). */
  fetchMaxWaitMs: 100,
  fetchMaxBytes: 8 * 1024 * 1024,
  /** After the last acknowledgement: how long the consumer may take to read the rest. */
  drainTimeoutMs: 10_000,
} as const;

export interface PerfEndToEndOptions extends ClientCommandOptions {
  readonly throughput: number;
  readonly recordSizeBytes: number;
  readonly acks: Acks;
  readonly lingerMs: number;
  readonly messages?: number;
  readonly durationMs?: number;
  readonly partition?: number;
}

export interface EndToEndSummary {
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  /** Acknowledged records the consumer did not read before the drain timeout. */
  readonly unread: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

export function formatEndToEndSummary(summary: EndToEndSummary): string {
  return (
    `${summary.acked} records acked, ${summary.failed} failed, ${summary.unread} unread, ` +
    `${summary.recordsPerSecond.toFixed(1)} records/sec; produce → consume ` +
    `p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, p999 ${summary.p999Ms} ms, max ${summary.maxMs} ms`
  );
}

/** The value of record `sequence`: its sequence number, then filler up to the record size. */
export function endToEndValue(sequence: number, recordSizeBytes: number): Buffer {
  const value = Buffer.alloc(Math.max(recordSizeBytes, END_TO_END_DEFAULTS.sequenceBytes), 0x61);
  value.writeUInt32BE(sequence >>> 0, 0);
  return value;
}

/** The sequence number a value carries; undefined for a record this run did not write. */
export function sequenceOf(value: Uint8Array | null): number | undefined {
  if (value === null || value.length < END_TO_END_DEFAULTS.sequenceBytes) return undefined;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).readUInt32BE(0);
}

export async function perfEndToEnd(
  context: CommandContext,
  topic: string,
  options: PerfEndToEndOptions,
  clock: Clock = systemClock,
): Promise<void> {
  requireRunBound(options);
  if (options.recordSizeBytes < END_TO_END_DEFAULTS.sequenceBytes) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `--record-size must be at least ${END_TO_END_DEFAULTS.sequenceBytes} bytes (the record's sequence number)`,
    );
  }
  const messages = Math.min(options.messages ?? Number.POSITIVE_INFINITY, 2 ** 32);
  await withClient(context, options, async (client) => {
    const metadata = await client.metadata.requireTopic(topic, context.options.timeoutMs);
    const partitions =
      options.partition === undefined ? metadata.partitions.map((p) => p.partition) : [options.partition];
    const consumer = client.consumer();
    // Where every partition ends before the first send: the consumer reads only this run's records.
    const from = await consumer.listOffsets(topic, partitions, 'latest');
    const sentAtMs = new Map<number, number>();
    const latency = new LatencyRecorder();
    const stop = new AbortController();
    const onInterrupt = (): void => stop.abort();
    context.io.signal.addEventListener('abort', onInterrupt, { once: true });
    let read = 0;
    const reading = (async () => {
      const chunks = consumer.consume(topic, {
        partitions,
        from,
        signal: stop.signal,
        maxWaitMs: END_TO_END_DEFAULTS.fetchMaxWaitMs,
        maxBytes: END_TO_END_DEFAULTS.fetchMaxBytes,
      });
      for await (const chunk of chunks) {
        const nowMs = clock.nowMs();
        for (const record of chunk) {
          const sequence = sequenceOf(record.value);
          const sentMs = sequence === undefined ? undefined : sentAtMs.get(sequence);
          if (sequence === undefined || sentMs === undefined) continue;
          sentAtMs.delete(sequence);
          latency.record(nowMs - sentMs, 1);
          read++;
        }
      }
    })().catch((error: unknown) => {
      if (!stop.signal.aborted) throw error;
    });

    const producer = client.producer({ acks: options.acks, timeoutMs: context.options.timeoutMs });
    const byteBudget = recordsPerBatch(options.recordSizeBytes, PERF_DEFAULTS.batchBytes, options.messages);
    const batchSize = recordsPerBatch(options.recordSizeBytes, PERF_DEFAULTS.batchBytes, options.messages, {
      recordsPerSecond: options.throughput,
      lingerMs: options.lingerMs,
    });
    let sent = 0;
    let acked = 0;
    let failed = 0;
    let lastError: string | undefined;
    const inFlight = new Set<Promise<void>>();
    const startMs = clock.nowMs();
    let batchIndex = 0;
    try {
      while (sent < messages && !context.io.signal.aborted) {
        if (options.durationMs !== undefined && clock.nowMs() - startMs >= options.durationMs) break;
        if (sentAtMs.size >= END_TO_END_DEFAULTS.pendingRecordsMax) {
          throw new TributaryError(
            'RESOURCE_EXHAUSTED',
            `${sentAtMs.size} records sent and not read yet: the consumer does not keep up with --throughput ${options.throughput}`,
          );
        }
        await throttle(options.throughput, sent, startMs, clock);
        const count = nextBatchRecords({
          planned: batchSize,
          byteBudget,
          sent,
          remaining: messages - sent,
          recordsPerSecond: options.throughput,
          elapsedMs: clock.nowMs() - startMs,
        });
        const partition = partitions[batchIndex++ % partitions.length] ?? 0;
        const nowMs = clock.nowMs();
        const timestampMs = clock.wallMs();
        const records: RecordInput[] = [];
        const first = sent;
        for (let i = 0; i < count; i++) {
          sentAtMs.set(first + i, nowMs);
          records.push({ key: null, value: endToEndValue(first + i, options.recordSizeBytes), timestampMs });
        }
        sent += count;
        const send = producer.sendBatch(topic, { partition, records }).then(
          () => {
            acked += count;
          },
          (error: unknown) => {
            failed += count;
            lastError = error instanceof Error ? error.message : String(error);
            // Not acknowledged: not waited for (a retried duplicate read later is not counted either).
            for (let i = 0; i < count; i++) sentAtMs.delete(first + i);
          },
        );
        const tracked = send.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        while (inFlight.size >= PERF_DEFAULTS.inFlight) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      const drainStartMs = clock.nowMs();
      while (read < acked && clock.nowMs() - drainStartMs < END_TO_END_DEFAULTS.drainTimeoutMs) {
        if (context.io.signal.aborted) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      stop.abort();
      context.io.signal.removeEventListener('abort', onInterrupt);
      await reading;
    }
    const elapsedMs = clock.nowMs() - startMs;
    const summary: EndToEndSummary = {
      sent,
      acked,
      failed,
      unread: Math.max(0, acked - read),
      elapsedMs: round(elapsedMs),
      recordsPerSecond: round(elapsedMs <= 0 ? 0 : (read * 1_000) / elapsedMs),
      p50Ms: round(latency.percentileMs(50), 3),
      p99Ms: round(latency.percentileMs(99), 3),
      p999Ms: round(latency.percentileMs(99.9), 3),
      maxMs: round(latency.maxMs(), 3),
    };
    if (context.options.json) {
      context.io.out(JSON.stringify({ ...summary, lastError: lastError ?? null }));
    } else {
      context.io.out(formatEndToEndSummary(summary));
      if (lastError !== undefined) context.io.err(`last error: ${lastError}`);
    }
  });
}
