/**
 * Pure statistics for `trib perf`: throughput from counts and elapsed time, latency percentiles from
 * an HDR histogram (recorded per batch, weighted by its record count), and the longest stall with no
 * acknowledgement. No clock inside: every time is a parameter.
 */
import * as hdr from 'hdr-histogram-js';

const BYTES_PER_MB = 1024 * 1024;
/** Latencies are recorded in microseconds; one hour is the largest trackable value. */
const LATENCY_US_MAX = 3_600_000_000;

export interface ProduceSummary {
  readonly acked: number;
  readonly failed: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxLatencyMs: number;
  readonly maxStallMs: number;
}

export interface ConsumeSummary {
  readonly records: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : (count * 1_000) / elapsedMs;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Latency histogram in microseconds, each batch's latency counted once per record it carried. */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: LATENCY_US_MAX,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });

  record(latencyMs: number, recordCount: number): void {
    if (recordCount <= 0) return;
    const latencyUs = Math.min(LATENCY_US_MAX, Math.max(1, Math.round(latencyMs * 1_000)));
    this.histogram.recordValueWithCount(latencyUs, recordCount);
  }

  percentileMs(percentile: number): number {
    if (this.histogram.totalCount === 0) return 0;
    return this.histogram.getValueAtPercentile(percentile) / 1_000;
  }

  maxMs(): number {
    return this.histogram.totalCount === 0 ? 0 : this.histogram.maxValue / 1_000;
  }
}

/** The longest interval between start, each acknowledgement, and the end of the run. */
export class StallTracker {
  private lastAckMs: number;
  private longestMs = 0;

  constructor(startMs: number) {
    this.lastAckMs = startMs;
  }

  ack(nowMs: number): void {
    this.longestMs = Math.max(this.longestMs, nowMs - this.lastAckMs);
    this.lastAckMs = Math.max(this.lastAckMs, nowMs);
  }

  /** The longest stall so far, counting the open interval up to `nowMs`. */
  maxStallMs(nowMs: number): number {
    return Math.max(this.longestMs, nowMs - this.lastAckMs);
  }
}

export function summarizeProduce(input: {
  readonly acked: number;
  readonly failed: number;
  readonly errors: number;
  readonly recordSizeBytes: number;
  readonly elapsedMs: number;
  readonly maxStallMs: number;
  readonly latency: LatencyRecorder;
}): ProduceSummary {
  const recordsPerSecond = perSecond(input.acked, input.elapsedMs);
  return {
    acked: input.acked,
    failed: input.failed,
    errors: input.errors,
    elapsedMs: round(input.elapsedMs),
    recordsPerSecond: round(recordsPerSecond),
    mbPerSecond: round((recordsPerSecond * input.recordSizeBytes) / BYTES_PER_MB),
    p50Ms: round(input.latency.percentileMs(50), 3),
    p99Ms: round(input.latency.percentileMs(99), 3),
    p999Ms: round(input.latency.percentileMs(99.9), 3),
    maxLatencyMs: round(input.latency.maxMs(), 3),
    maxStallMs: round(input.maxStallMs),
  };
}

export function summarizeConsume(records: number, bytes: number, elapsedMs: number): ConsumeSummary {
  return {
    records,
    bytes,
    elapsedMs: round(elapsedMs),
    recordsPerSecond: round(perSecond(records, elapsedMs)),
    mbPerSecond: round(perSecond(bytes, elapsedMs) / BYTES_PER_MB),
  };
}

export function formatProduceSummary(summary: ProduceSummary): string {
  return (
    `${summary.acked} records acked, ${summary.failed} failed (${summary.errors} errors), ` +
    `${summary.recordsPerSecond.toFixed(1)} records/sec (${summary.mbPerSecond.toFixed(2)} MB/sec), ` +
    `p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, p999 ${summary.p999Ms} ms, ` +
    `max ${summary.maxLatencyMs} ms, max stall ${summary.maxStallMs} ms`
  );
}

export function formatConsumeSummary(summary: ConsumeSummary): string {
  return (
    `${summary.records} records (${summary.bytes} bytes) in ${summary.elapsedMs} ms, ` +
    `${summary.recordsPerSecond.toFixed(1)} records/sec (${summary.mbPerSecond.toFixed(2)} MB/sec)`
  );
}

/** Kafka-style progress line, printed every second on a TTY. */
export function formatProgress(
  acked: number,
  failed: number,
  intervalRecords: number,
  intervalMs: number,
  p99Ms: number,
): string {
  return `${acked} acked, ${failed} failed, ${perSecond(intervalRecords, intervalMs).toFixed(1)} records/sec, p99 ${p99Ms} ms`;
}
