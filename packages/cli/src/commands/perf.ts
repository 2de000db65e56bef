/**
 * `trib perf produce|consume`: Kafka-style performance tests. Produce pre-builds random payloads,
 * packs many records into each batch, keeps several Produce calls in flight, and records each batch's
 * acknowledgement latency once per record it carried (DESIGN §8: no promise or timer per record).
 */
import { randomBytes } from 'node:crypto';
import type { Acks, Producer } from '@tributary/client';
import { type Clock, systemClock, TributaryError } from '@tributary/core';
import type { RecordInput, SupportedCompression } from '@tributary/records';
import type { CommandContext } from '../context.js';
import {
  formatConsumeSummary,
  formatProduceSummary,
  formatProgress,
  LatencyRecorder,
  StallTracker,
  summarizeConsume,
  summarizeProduce,
} from './perf-stats.js';
import { type ClientCommandOptions, withClient } from './produce.js';

export interface PerfProduceOptions extends ClientCommandOptions {
  /** Records to send; unset, `durationMs` alone ends the run (one of the two is required). */
  readonly messages?: number;
  readonly recordSizeBytes: number;
  readonly acks: Acks;
  /** One Produce request's deadline (Kafka's request.timeout.ms). */
  readonly requestTimeoutMs: number;
  /** A record's deadline, retries included (Kafka's delivery.timeout.ms). */
  readonly deliveryTimeoutMs: number;
  /** false turns idempotence off; unset, the producer's default applies (on with acks all). */
  readonly idempotent?: boolean;
  /** Default 'none'. */
  readonly compression?: SupportedCompression;
  /**
   * Distinct values cycled through (default PERF_DEFAULTS.payloadPoolSize). The default pool repeats within
   * a batch, so compression finds it all; a pool larger than a batch gives incompressible-ish random text.
   */
  readonly valuePoolSize?: number;
  /** Records per second; undefined = as fast as possible. */
  readonly throughput?: number;
  /**
   * With `throughput`: how long records wait to fill a batch (Kafka's linger.ms), so a batch carries about
   * throughput × linger records and the sends are spread evenly (default PERF_DEFAULTS.lingerMs).
   */
  readonly lingerMs?: number;
  readonly durationMs?: number;
  readonly partition?: number;
  readonly batchBytes: number;
  readonly inFlight: number;
  /** Print progress lines every second (the caller decides: on a TTY). */
  readonly progress: boolean;
}

export const PERF_DEFAULTS = {
  batchBytes: 512 * 1024,
  inFlight: 8,
  /** Distinct payloads cycled through (Kafka's perf test also reuses a pre-built pool). */
  payloadPoolSize: 64,
  /** Bounds the memory of --value-pool. */
  payloadPoolBytesMax: 256 * 1024 * 1024,
  batchRecordsMax: 20_000,
  /** Kafka 4's producer default linger.ms: a rate-capped run sends a batch about every 5 ms. */
  lingerMs: 5,
  lingerMsMax: 10_000,
} as const;

/**
 * Records per batch: as many as fit the byte budget, at least one, at most the run's total. With a rate cap,
 * no more than the rate brings in one linger (Kafka's producer fills a batch for linger.ms at most): a batch
 * of the byte budget at a low rate would go out once every many seconds, and the run would measure the
 * tool's pauses, not the system.
 */
export function recordsPerBatch(
  recordSizeBytes: number,
  batchBytes: number,
  messages: number | undefined,
  rate?: { readonly recordsPerSecond: number; readonly lingerMs: number },
): number {
  const perRecordBytes = recordSizeBytes + 8;
  const byBytes = Math.min(
    messages ?? PERF_DEFAULTS.batchRecordsMax,
    PERF_DEFAULTS.batchRecordsMax,
    Math.floor(batchBytes / perRecordBytes),
  );
  const byRate =
    rate === undefined
      ? Number.POSITIVE_INFINITY
      : Math.ceil((rate.recordsPerSecond * rate.lingerMs) / 1_000);
  return Math.max(1, Math.min(byBytes, byRate));
}

/**
 * Records the next batch carries: its planned size, or, at a rate, every record already due when the sends
 * fell behind (the in-flight window was full), as a producer's accumulator batches what waited, up to the
 * byte budget. A fixed size would let a slow stretch lower the rate for the rest of the run.
 */
export function nextBatchRecords(options: {
  readonly planned: number;
  readonly byteBudget: number;
  readonly sent: number;
  readonly remaining: number;
  readonly recordsPerSecond: number | undefined;
  readonly elapsedMs: number;
}): number {
  const due =
    options.recordsPerSecond === undefined
      ? 0
      : Math.floor((options.elapsedMs * options.recordsPerSecond) / 1_000) - options.sent;
  return Math.max(
    1,
    Math.min(options.remaining, Math.max(options.planned, Math.min(due, options.byteBudget))),
  );
}

/** The run's end: `messages` records, or `durationMs`, whichever comes first; one of them is required. */
export function requireRunBound(options: { readonly messages?: number; readonly durationMs?: number }): void {
  if (options.messages === undefined && options.durationMs === undefined) {
    throw new TributaryError(
      'INVALID_REQUEST',
      'give --messages, --duration-ms or both: the run needs an end',
    );
  }
}

function payloadPool(recordSizeBytes: number, size: number): Buffer[] {
  if (size * recordSizeBytes > PERF_DEFAULTS.payloadPoolBytesMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `--value-pool ${size} x --record-size ${recordSizeBytes} exceeds ${PERF_DEFAULTS.payloadPoolBytesMax} bytes`,
    );
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: size }, () => {
    const bytes = randomBytes(recordSizeBytes);
    for (let i = 0; i < bytes.length; i++) bytes[i] = alphabet.charCodeAt((bytes[i] ?? 0) % alphabet.length);
    return bytes;
  });
}

interface RunState {
  sent: number;
  acked: number;
  failed: number;
  errors: number;
  lastError: string | undefined;
}

export async function perfProduce(
  context: CommandContext,
  topic: string,
  options: PerfProduceOptions,
  clock: Clock = systemClock,
): Promise<void> {
  requireRunBound(options);
  const messages = options.messages ?? Number.POSITIVE_INFINITY;
  await withClient(context, options, async (client) => {
    const producer = client.producer({
      acks: options.acks,
      timeoutMs: options.requestTimeoutMs,
      deliveryTimeoutMs: options.deliveryTimeoutMs,
      maxInFlightPerBroker: options.inFlight,
      compression: options.compression ?? 'none',
      ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    });
    const metadata = await client.metadata.requireTopic(topic, context.options.timeoutMs);
    const partitions =
      options.partition === undefined ? metadata.partitions.map((p) => p.partition) : [options.partition];
    const pool = payloadPool(options.recordSizeBytes, options.valuePoolSize ?? PERF_DEFAULTS.payloadPoolSize);
    const byteBudget = recordsPerBatch(options.recordSizeBytes, options.batchBytes, options.messages);
    const batchSize = recordsPerBatch(
      options.recordSizeBytes,
      options.batchBytes,
      options.messages,
      options.throughput === undefined
        ? undefined
        : { recordsPerSecond: options.throughput, lingerMs: options.lingerMs ?? PERF_DEFAULTS.lingerMs },
    );
    const window = options.inFlight * Math.max(1, new Set(metadata.partitions.map((p) => p.leaderId)).size);
    const latency = new LatencyRecorder();
    const startMs = clock.nowMs();
    const stalls = new StallTracker(startMs);
    const state: RunState = { sent: 0, acked: 0, failed: 0, errors: 0, lastError: undefined };
    const progress = startProgress(context, options.progress, state, latency, clock);
    const inFlight = new Set<Promise<void>>();
    let batchIndex = 0;
    try {
      while (state.sent < messages && !context.io.signal.aborted) {
        if (options.durationMs !== undefined && clock.nowMs() - startMs >= options.durationMs) break;
        await throttle(options.throughput, state.sent, startMs, clock);
        const count = nextBatchRecords({
          planned: batchSize,
          byteBudget,
          sent: state.sent,
          remaining: messages - state.sent,
          recordsPerSecond: options.throughput,
          elapsedMs: clock.nowMs() - startMs,
        });
        const partition = partitions[batchIndex++ % partitions.length] ?? 0;
        const sentMs = clock.nowMs();
        const records = buildRecords(pool, state.sent, count, clock.wallMs());
        state.sent += count;
        const send = sendOne(producer, topic, partition, records).then((error) => {
          const nowMs = clock.nowMs();
          if (error === undefined) {
            state.acked += count;
            latency.record(nowMs - sentMs, count);
            stalls.ack(nowMs);
          } else {
            state.failed += count;
            state.errors++;
            state.lastError = error;
          }
        });
        const tracked = send.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        while (inFlight.size >= window) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    } finally {
      if (progress !== undefined) clearInterval(progress);
    }
    const endMs = clock.nowMs();
    const summary = summarizeProduce({
      acked: state.acked,
      failed: state.failed,
      errors: state.errors,
      recordSizeBytes: options.recordSizeBytes,
      elapsedMs: endMs - startMs,
      maxStallMs: stalls.maxStallMs(endMs),
      latency,
    });
    if (context.options.json) {
      context.io.out(JSON.stringify({ ...summary, lastError: state.lastError ?? null }));
    } else {
      context.io.out(formatProduceSummary(summary));
      if (state.lastError !== undefined) context.io.err(`last error: ${state.lastError}`);
    }
  });
}

/** One batch; resolves with an error message instead of rejecting (perf keeps going through errors). */
function sendOne(
  producer: Producer,
  topic: string,
  partition: number,
  records: readonly RecordInput[],
): Promise<string | undefined> {
  return producer.sendBatch(topic, { partition, records }).then(
    () => undefined,
    (error: unknown) =>
      error instanceof Error
        ? `${'code' in error ? `${String(error.code)}: ` : ''}${error.message}`
        : String(error),
  );
}

function buildRecords(
  pool: readonly Buffer[],
  first: number,
  count: number,
  timestampMs: number,
): RecordInput[] {
  const records: RecordInput[] = new Array(count);
  for (let i = 0; i < count; i++) {
    records[i] = { key: null, value: pool[(first + i) % pool.length] ?? null, timestampMs };
  }
  return records;
}

/** Waits until sending `sent` records keeps the rate at or below `recordsPerSecond`. */
export async function throttle(
  recordsPerSecond: number | undefined,
  sent: number,
  startMs: number,
  clock: Clock,
): Promise<void> {
  if (recordsPerSecond === undefined) return;
  const dueMs = startMs + (sent * 1_000) / recordsPerSecond;
  const waitMs = dueMs - clock.nowMs();
  if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
}

function startProgress(
  context: CommandContext,
  enabled: boolean,
  state: RunState,
  latency: LatencyRecorder,
  clock: Clock,
): NodeJS.Timeout | undefined {
  if (!enabled) return undefined;
  let lastAcked = 0;
  let lastMs = clock.nowMs();
  return setInterval(() => {
    const nowMs = clock.nowMs();
    context.io.err(
      formatProgress(
        state.acked,
        state.failed,
        state.acked - lastAcked,
        nowMs - lastMs,
        latency.percentileMs(99),
      ),
    );
    lastAcked = state.acked;
    lastMs = nowMs;
  }, 1_000);
}

export interface PerfConsumeOptions extends ClientCommandOptions {
  readonly messages: number;
  /** Stop after this long without data even if fewer records were read. */
  readonly idleTimeoutMs: number;
}

export async function perfConsume(
  context: CommandContext,
  topic: string,
  options: PerfConsumeOptions,
  clock: Clock = systemClock,
): Promise<void> {
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  context.io.signal.addEventListener('abort', onInterrupt, { once: true });
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop.abort(), options.idleTimeoutMs);
  };
  let records = 0;
  let bytes = 0;
  const startMs = clock.nowMs();
  try {
    await withClient(context, options, async (client) => {
      armIdle();
      const chunks = client.consumer().consume(topic, {
        from: 'earliest',
        signal: stop.signal,
        maxWaitMs: 500,
        maxBytes: 8 * 1024 * 1024,
      });
      for await (const chunk of chunks) {
        armIdle();
        for (const record of chunk) bytes += (record.value?.length ?? 0) + (record.key?.length ?? 0);
        records += chunk.length;
        if (records >= options.messages) break;
      }
    });
  } finally {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    context.io.signal.removeEventListener('abort', onInterrupt);
  }
  const summary = summarizeConsume(records, bytes, clock.nowMs() - startMs);
  context.io.out(context.options.json ? JSON.stringify(summary) : formatConsumeSummary(summary));
}
