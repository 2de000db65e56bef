import { describe, expect, it } from 'vitest';
import type { ProducePath } from './options.js';
import type { PathRun } from './path-run.js';
import { formatRun, formatSummary, type RunRecord, summarize } from './report.js';

const RECORDS = 1_000_000;

function pathRun(
  path: ProducePath,
  recordsPerSecond: number,
  brokerCpuUs: number,
  problems: string[] = [],
): PathRun {
  return {
    path,
    topic: `${path}-r1`,
    records: RECORDS,
    wallMs: (RECORDS * 1_000) / recordsPerSecond,
    recordsPerSecond,
    wallRecordsPerSecond: recordsPerSecond,
    brokerCpuUs,
    brokerCpuUsPerRecord: brokerCpuUs / RECORDS,
    idleBrokerCpuUsPerSecond: 50_000,
    netBrokerCpuUsPerRecord: (brokerCpuUs - (50_000 * RECORDS) / recordsPerSecond) / RECORDS,
    brokerCpuUsByBroker: [brokerCpuUs / 2, brokerCpuUs / 4, brokerCpuUs / 4],
    controllerCpuUs: 50_000,
    toolCpuUs: 800_000,
    toolCpuUsPerRecord: 0.8,
    brokerCores: 1.5,
    toolCores: 0.2,
    loadAverage1m: 1.25,
    toolWindow: { startUs: 0, endUs: 1 },
    check: {
      expected: RECORDS,
      partitions: [],
      listOffsetsRecords: RECORDS,
      log: { batches: 250, records: RECORDS, bytes: 110_000_000, idempotentBatches: 250 },
      problems,
    },
  };
}

function record(run: number, kafka: PathRun | undefined, grpc: PathRun | undefined): RunRecord {
  return {
    run,
    order: run % 2 === 1 ? ['kafka', 'grpc'] : ['grpc', 'kafka'],
    results: { ...(kafka === undefined ? {} : { kafka }), ...(grpc === undefined ? {} : { grpc }) },
    errors: [],
  };
}

describe('the Kafka vs gRPC summary', () => {
  it('takes medians per path and the median of the per-run ratios', () => {
    const summary = summarize([
      record(1, pathRun('kafka', 200_000, 4_000_000), pathRun('grpc', 400_000, 5_000_000)),
      record(2, pathRun('kafka', 300_000, 4_500_000), pathRun('grpc', 300_000, 5_000_000)),
      record(3, pathRun('kafka', 250_000, 6_000_000), pathRun('grpc', 500_000, 4_000_000)),
    ]);
    expect(summary.paths.kafka.recordsPerSecond).toEqual({
      median: 250_000,
      runs: [200_000, 300_000, 250_000],
    });
    expect(summary.paths.grpc.brokerCpuUsPerRecord.median).toBe(5);
    expect(summary.paths.kafka.recordsPerBatch.median).toBe(4_000);
    expect(summary.paths.kafka.controllerCpuUsPerRecord.median).toBe(0.05);
    expect(summary.ratios.recordsPerSecond.runs).toEqual([0.5, 1, 0.5]);
    expect(summary.ratios.brokerCpuUsPerRecord).toEqual({ median: 0.9, runs: [0.8, 0.9, 1.5] });
    // Net of 0.05 cores of idle brokers over each run's wall time: kafka 3.75, 4.333, 5.8 µs; gRPC 4.875, 4.833, 3.9.
    expect(summary.ratios.netBrokerCpuUsPerRecord).toEqual({ median: 0.897, runs: [0.769, 0.897, 1.487] });
    expect(summary.paths.kafka.idleBrokerCores.median).toBe(0.05);
    expect(summary.target).toEqual({ brokerCpuPerRecordRatioMax: 1, measured: 0.897, met: true });
    expect(summary.errors).toEqual([]);
  });

  it('leaves a run whose counts are wrong, or that failed, out of every figure and reports it', () => {
    const failed: RunRecord = {
      ...record(2, undefined, pathRun('grpc', 1, 1)),
      errors: ['kafka: kcat exited 1'],
    };
    const summary = summarize([
      record(1, pathRun('kafka', 200_000, 6_000_000), pathRun('grpc', 400_000, 5_000_000)),
      failed,
      record(
        3,
        pathRun('kafka', 1, 1, ['kafka-r3: ListOffsets counts 999999 records, sent 1000000']),
        pathRun('grpc', 2, 2),
      ),
    ]);
    expect(summary.paths.kafka.runs).toBe(1);
    expect(summary.paths.grpc.runs).toBe(3);
    expect(summary.ratios.brokerCpuUsPerRecord.runs).toEqual([1.2]);
    expect(summary.target.met).toBe(false);
    expect(summary.errors).toEqual([
      'run 2: kafka: kcat exited 1',
      'run 3 kafka: kafka-r3: ListOffsets counts 999999 records, sent 1000000',
    ]);
    const text = formatSummary(summary, 'header');
    expect(text).toContain('NOT met');
    expect(text).toContain('error: run 2: kafka: kcat exited 1');
  });

  it('prints one line per measured path', () => {
    const line = formatRun(pathRun('kafka', 250_000, 4_000_000));
    expect(line).toContain('kafka: 250000 records/s');
    expect(line).toContain('brokers 4 µs/record (3.8 net of idle) [2 / 1 / 1 s]');
    expect(line).toContain('1000000 records in 250 batches (250 idempotent)');
    expect(line).toContain('counts match');
  });
});
