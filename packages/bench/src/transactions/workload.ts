/**
 * The transactions benchmark's measured work, on a running cluster, with the real client in this process:
 * a produce run per variant (the idempotent baseline, or transactions of N records: begin, sends, commit),
 * each for a fixed time to its own topic with the same sends and sends in flight; and a consume run per
 * isolation level over one topic holding committed and aborted transactions. Around each run the CPU of
 * this process (the client) and of the brokers is read, so a figure can be told to be the system's or the
 * tool's.
 */
import { type Producer, type ProducerRecord, TributaryClient } from '@tributary/client';
import type { Cluster } from '@tributary/testkit';
import { createTopic } from '../cluster-helpers.js';
import { readProcCpuTicks, ticksToMicros } from '../kafka/proc-cpu.js';
import { type ProduceVariant, type TransactionsBenchOptions, variantName } from './options.js';

/** How long a read back of the consume topic may take before the run fails. */
const CONSUME_TIMEOUT_MS = 180_000;
/** Long-poll wait of each fetch while reading back: short, the data is all there. */
const CONSUME_FETCH_WAIT_MS = 200;
/** Kafka's transaction.timeout.ms is 60 s; a 10,000-record transaction on a loaded machine stays well within. */
const TRANSACTION_TIMEOUT_MS = 60_000;

export interface CpuFigures {
  /** CPU-seconds per wall second (2 would be both cores of this machine). */
  readonly clientCores: number;
  readonly brokerCores: number;
  readonly clientCpuUsPerRecord: number;
  readonly brokerCpuUsPerRecord: number;
}

export interface ProduceRun extends CpuFigures {
  readonly variant: string;
  readonly round: number;
  readonly records: number;
  readonly transactions: number;
  readonly wallMs: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
}

export interface ConsumeRun extends CpuFigures {
  readonly isolation: 'read_committed' | 'read_uncommitted';
  readonly round: number;
  /** Records returned to the application. */
  readonly records: number;
  /** Records in the log the read went through, aborted ones included (the same for both levels). */
  readonly recordsCovered: number;
  readonly wallMs: number;
  readonly recordsPerSecond: number;
  readonly coveredPerSecond: number;
}

export interface WorkloadContext {
  readonly cluster: Cluster;
  readonly round: number;
  readonly options: TransactionsBenchOptions;
  readonly ticksPerSecond: number;
}

interface CpuMark {
  readonly atMs: number;
  readonly clientUs: number;
  readonly brokerTicks: number;
}

function brokerTicks(cluster: Cluster): number {
  return cluster.brokers.reduce((sum, b) => {
    if (b.process.pid === undefined) throw new Error(`broker ${b.nodeId} is not running`);
    return sum + readProcCpuTicks(b.process.pid).selfTicks;
  }, 0);
}

function mark(cluster: Cluster): CpuMark {
  const usage = process.cpuUsage();
  return { atMs: performance.now(), clientUs: usage.user + usage.system, brokerTicks: brokerTicks(cluster) };
}

function cpuSince(
  context: WorkloadContext,
  start: CpuMark,
  records: number,
): CpuFigures & { wallMs: number } {
  const end = mark(context.cluster);
  const wallMs = end.atMs - start.atMs;
  const clientUs = end.clientUs - start.clientUs;
  const brokerUs = ticksToMicros(end.brokerTicks - start.brokerTicks, context.ticksPerSecond);
  return {
    wallMs,
    clientCores: clientUs / 1_000 / wallMs,
    brokerCores: brokerUs / 1_000 / wallMs,
    clientCpuUsPerRecord: clientUs / records,
    brokerCpuUsPerRecord: brokerUs / records,
  };
}

/** `count` records with the same `size`-byte value (the value's content does not matter to the brokers). */
function recordsOf(count: number, size: number): ProducerRecord[] {
  const value = new Uint8Array(size).fill(0x61);
  return Array.from({ length: count }, () => ({ value }));
}

/** Sends `total` records in sends of at most `sendRecords`, `inFlight` at a time, through `send`. */
async function sendAll(
  total: number,
  options: Pick<TransactionsBenchOptions, 'sendRecords' | 'sendsInFlight' | 'recordSizeBytes'>,
  send: (records: readonly ProducerRecord[]) => Promise<unknown>,
): Promise<void> {
  const full = recordsOf(Math.min(total, options.sendRecords), options.recordSizeBytes);
  let remaining = total;
  const lane = async (): Promise<void> => {
    while (remaining > 0) {
      const count = Math.min(remaining, full.length);
      remaining -= count;
      await send(count === full.length ? full : full.slice(0, count));
    }
  };
  await Promise.all(Array.from({ length: options.sendsInFlight }, lane));
}

async function writeIdempotent(
  producer: Producer,
  topic: string,
  options: TransactionsBenchOptions,
  endAtMs: number,
): Promise<{ records: number; transactions: number }> {
  const chunk = recordsOf(options.sendRecords, options.recordSizeBytes);
  let records = 0;
  const lane = async (): Promise<void> => {
    while (performance.now() < endAtMs) {
      await producer.send(topic, chunk);
      records += chunk.length;
    }
  };
  await Promise.all(Array.from({ length: options.sendsInFlight }, lane));
  return { records, transactions: 0 };
}

/** Whole transactions until the time is up (the last one finishes after it; the rate uses the real wall time). */
async function writeTransactions(
  producer: Producer,
  topic: string,
  size: number,
  options: TransactionsBenchOptions,
  endAtMs: number,
): Promise<{ records: number; transactions: number }> {
  let transactions = 0;
  while (performance.now() < endAtMs) {
    const txn = await producer.transaction();
    await sendAll(size, options, (records) => txn.send(topic, records));
    await txn.commit();
    transactions++;
  }
  return { records: transactions * size, transactions };
}

/** One produce variant for `options.produceDurationMs` to its own new topic. */
export async function produceRun(context: WorkloadContext, variant: ProduceVariant): Promise<ProduceRun> {
  const { cluster, options, round } = context;
  const name = variantName(variant);
  const topic = `txn-bench-r${round}-${name}`;
  await createTopic(cluster, topic, options.partitions);
  const client = new TributaryClient({ bootstrap: cluster.bootstrap });
  try {
    const producer =
      variant.kind === 'idempotent'
        ? client.producer()
        : client.producer({
            transactionalId: `txn-bench-r${round}-${name}`,
            transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
          });
    // Producer id, coordinator lookup, metadata and connections are set-up, not the figure: one record first.
    const one = recordsOf(1, options.recordSizeBytes);
    if (variant.kind === 'idempotent') {
      await producer.send(topic, one);
    } else {
      const warmUp = await producer.transaction();
      await warmUp.send(topic, one);
      await warmUp.commit();
    }
    const start = mark(cluster);
    const endAtMs = start.atMs + options.produceDurationMs;
    const written =
      variant.kind === 'idempotent'
        ? await writeIdempotent(producer, topic, options, endAtMs)
        : await writeTransactions(producer, topic, variant.records, options, endAtMs);
    const cpu = cpuSince(context, start, written.records);
    return {
      variant: name,
      round,
      ...written,
      ...cpu,
      recordsPerSecond: (written.records / cpu.wallMs) * 1_000,
      mbPerSecond: (written.records * options.recordSizeBytes) / 1_048_576 / (cpu.wallMs / 1_000),
    };
  } finally {
    client.close();
  }
}

export interface ConsumeData {
  readonly topic: string;
  readonly committedRecords: number;
  readonly allRecords: number;
}

/** Writes the consume topic: transactions of R records, every K-th aborted (not timed). */
export async function writeConsumeData(context: WorkloadContext): Promise<ConsumeData> {
  const { cluster, options, round } = context;
  const topic = `txn-bench-r${round}-consume`;
  await createTopic(cluster, topic, options.partitions);
  const client = new TributaryClient({ bootstrap: cluster.bootstrap });
  try {
    const producer = client.producer({ transactionalId: `txn-bench-r${round}-consume` });
    let committedRecords = 0;
    for (let index = 1; index <= options.consumeTransactions; index++) {
      const txn = await producer.transaction();
      await sendAll(options.consumeTransactionRecords, options, (records) => txn.send(topic, records));
      if (index % options.abortEvery === 0) {
        await txn.abort();
      } else {
        await txn.commit();
        committedRecords += options.consumeTransactionRecords;
      }
    }
    return {
      topic,
      committedRecords,
      allRecords: options.consumeTransactions * options.consumeTransactionRecords,
    };
  } finally {
    client.close();
  }
}

/** Reads the consume topic from the start until every record the isolation level shows has arrived. */
export async function consumeRun(
  context: WorkloadContext,
  data: ConsumeData,
  readCommitted: boolean,
): Promise<ConsumeRun> {
  const expected = readCommitted ? data.committedRecords : data.allRecords;
  const client = new TributaryClient({ bootstrap: context.cluster.bootstrap });
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), CONSUME_TIMEOUT_MS);
  try {
    const consumer = client.consumer();
    const start = mark(context.cluster);
    let records = 0;
    for await (const chunk of consumer.consume(data.topic, {
      from: 'earliest',
      readCommitted,
      signal: stop.signal,
      maxWaitMs: CONSUME_FETCH_WAIT_MS,
    })) {
      records += chunk.length;
      if (records >= expected) break;
    }
    if (records !== expected) {
      throw new Error(
        `read ${records} of ${expected} records (${readCommitted ? 'read_committed' : 'read_uncommitted'})`,
      );
    }
    const cpu = cpuSince(context, start, records);
    return {
      isolation: readCommitted ? 'read_committed' : 'read_uncommitted',
      round: context.round,
      records,
      recordsCovered: data.allRecords,
      ...cpu,
      recordsPerSecond: (records / cpu.wallMs) * 1_000,
      coveredPerSecond: (data.allRecords / cpu.wallMs) * 1_000,
    };
  } finally {
    clearTimeout(timer);
    stop.abort();
    client.close();
  }
}
