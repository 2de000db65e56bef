/**
 * kcat (librdkafka) as the Kafka-protocol producer of the benchmark. It reads the pre-written value file
 * itself (-l FILE: one record per line) and exits once librdkafka has a delivery report for every record;
 * its exit code is 1 if any report was a failure. Only librdkafka's documented properties are set: acks=all,
 * idempotence as the gRPC path has it, and batch.num.messages (by default the size of trib perf's batches,
 * see options.ts); linger.ms (5) and batch.size (1 MB) keep librdkafka's defaults. The brokers' logs show
 * the batches it made.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const KCAT_CANDIDATES = ['/usr/bin/kcat', '/usr/local/bin/kcat', '/usr/bin/kafkacat'];
/** Seconds kcat waits for its first metadata (its -m): the brokers are up, so this is generous. */
const METADATA_TIMEOUT_SECONDS = 10;
/** What is kept of kcat's stderr for an error message. */
const STDERR_TAIL_CHARS = 4_000;
/** kcat's line for a failed delivery report (kcat.c dr_msg_cb). */
const DELIVERY_FAILED = '% Delivery failed';

export function kcatPath(): string {
  const found = KCAT_CANDIDATES.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      'kcat is not installed: `bash scripts/ensure-test-tools.sh` installs it (Debian package kcat)',
    );
  }
  return found;
}

export interface KcatProduceOptions {
  readonly bootstrap: readonly string[];
  readonly topic: string;
  /** One value per line. */
  readonly inputFile: string;
  /** kcat stops reading after this many lines (-c). */
  readonly records: number;
  readonly librdkafka: LibrdkafkaSettings;
}

export interface LibrdkafkaSettings {
  readonly idempotent: boolean;
  /** batch.num.messages; 0 keeps librdkafka's default. */
  readonly batchRecords: number;
}

/** The librdkafka properties the benchmark sets (-X), for the command line and the report. */
export function kcatProperties(settings: LibrdkafkaSettings): Record<string, string> {
  return {
    acks: 'all',
    ...(settings.idempotent ? { 'enable.idempotence': 'true' } : {}),
    ...(settings.batchRecords > 0 ? { 'batch.num.messages': String(settings.batchRecords) } : {}),
  };
}

export function kcatProduceArgs(options: KcatProduceOptions): string[] {
  const properties = Object.entries(kcatProperties(options.librdkafka)).flatMap(([key, value]) => [
    '-X',
    `${key}=${value}`,
  ]);
  return [
    '-P',
    '-b',
    options.bootstrap.join(','),
    '-t',
    options.topic,
    '-l',
    options.inputFile,
    '-c',
    String(options.records),
    '-m',
    String(METADATA_TIMEOUT_SECONDS),
    ...properties,
  ];
}

export interface KcatResult {
  readonly wallMs: number;
  /** Lines kcat printed for failed delivery reports. */
  readonly deliveryFailures: number;
  readonly stderrTail: string;
}

export interface KcatRun {
  readonly child: ChildProcess;
  readonly result: Promise<KcatResult>;
}

/** Starts kcat; the result rejects if it exits non-zero (a failed delivery) or overstays `timeoutMs`. */
export function startKcatProduce(options: KcatProduceOptions, timeoutMs: number): KcatRun {
  const startMs = performance.now();
  const child = spawn(kcatPath(), kcatProduceArgs(options), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let deliveryFailures = 0;
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    deliveryFailures += chunk.split(DELIVERY_FAILED).length - 1;
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const result = new Promise<KcatResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    let wallMs = Number.NaN;
    // The clock stops at exit; the result waits for 'close', when stderr has been read to its end.
    child.on('exit', () => {
      wallMs = performance.now() - startMs;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`kcat exited ${signal ?? code} after ${Math.round(wallMs)} ms: ${stderr.trim()}`));
        return;
      }
      resolve({ wallMs, deliveryFailures, stderrTail: stderr.trim() });
    });
  });
  return { child, result };
}
