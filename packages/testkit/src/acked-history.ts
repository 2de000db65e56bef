/**
 * The record-keeping side of failover tests: a producer that remembers the outcome of every `acks=all` send,
 * a reader that reads partitions back up to the high watermark, and a checker that every acknowledged record
 * is read back exactly once, at the offset it was acknowledged with, in acknowledgement order per partition.
 * It speaks the raw Broker protocol (not packages/client) so that a client bug cannot hide a broker bug.
 */
import {
  type BrokerClient,
  createBrokerClient,
  type MetadataResponse__Output,
  unary,
} from '@tributary/protocol';
import { decodeRecordBatch, encodeRecordBatch, splitBatches } from '@tributary/records';
import { sleep } from './wait.js';

export interface AckedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

export interface SendOutcome {
  readonly value: string;
  readonly partition: number;
  /** 'acked' with its offset, or the error code of a definite or ambiguous failure. */
  readonly result:
    | { readonly acked: true; readonly offset: number }
    | { readonly acked: false; readonly code: string };
  readonly atMs: number;
}

/** Broker clients by address, and the leader of each partition from the latest metadata. */
class LeaderDirectory {
  private readonly clients = new Map<string, BrokerClient>();
  private metadata: MetadataResponse__Output | undefined;

  constructor(
    private readonly bootstrap: readonly string[],
    private readonly topic: string,
  ) {}

  client(address: string): BrokerClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createBrokerClient(address);
      this.clients.set(address, client);
    }
    return client;
  }

  async refresh(): Promise<void> {
    for (const address of this.bootstrap) {
      try {
        const answer = await unary(
          this.client(address),
          'Metadata',
          { topics: [this.topic], allowAutoTopicCreation: false },
          { deadlineMs: 2_000 },
        );
        this.metadata = answer;
        return;
      } catch {
        // Try the next bootstrap broker: this one may be the one we just killed.
      }
    }
  }

  leaderAddress(partition: number): string | undefined {
    const topic = this.metadata?.topics.find((t) => t.topic?.name === this.topic)?.topic;
    const leader = topic?.partitions.find((p) => p.partition === partition)?.leader;
    if (leader === undefined || leader < 0) return undefined;
    return this.metadata?.brokers.find((b) => b.brokerId === leader && !b.fenced)?.address;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

export interface AckedProducerOptions {
  readonly bootstrap: readonly string[];
  readonly topic: string;
  readonly partitions: number;
  readonly requestTimeoutMs?: number;
}

/** Sends one-record batches with acks=all, round-robin over partitions, until stopped; keeps every outcome. */
export class AckedProducer {
  readonly outcomes: SendOutcome[] = [];
  private readonly directory: LeaderDirectory;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly options: AckedProducerOptions) {
    this.directory = new LeaderDirectory(options.bootstrap, options.topic);
  }

  get acked(): AckedRecord[] {
    const acked: AckedRecord[] = [];
    for (const o of this.outcomes) {
      if (o.result.acked) acked.push({ partition: o.partition, offset: o.result.offset, value: o.value });
    }
    return acked;
  }

  /** Starts the send loop (bounded by `maxSends`); stop() ends it. */
  start(maxSends = 100_000): void {
    this.running = this.loop(maxSends);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.directory.close();
  }

  /** Sends until `count` more records were acknowledged or `timeoutMs` passed. */
  async waitForAcks(count: number, timeoutMs: number): Promise<void> {
    const target = this.acked.length + count;
    const deadline = performance.now() + timeoutMs;
    while (this.acked.length < target) {
      if (performance.now() > deadline) {
        throw new Error(`only ${this.acked.length}/${target} acknowledged after ${timeoutMs} ms`);
      }
      await sleep(20);
    }
  }

  private async loop(maxSends: number): Promise<void> {
    await this.directory.refresh();
    for (let sequence = 0; sequence < maxSends && !this.stopped; sequence++) {
      const partition = sequence % this.options.partitions;
      const value = `p${partition}-s${sequence}`;
      const result = await this.sendOne(partition, value);
      this.outcomes.push({ value, partition, result, atMs: performance.now() });
      if (!result.acked) {
        await sleep(25);
        await this.directory.refresh();
      }
    }
  }

  private async sendOne(partition: number, value: string): Promise<SendOutcome['result']> {
    const address = this.directory.leaderAddress(partition);
    if (address === undefined) return { acked: false, code: 'LEADER_NOT_AVAILABLE' };
    const timeoutMs = this.options.requestTimeoutMs ?? 3_000;
    try {
      const { results } = await unary(
        this.directory.client(address),
        'Produce',
        {
          acks: -1,
          timeoutMs,
          topics: [{ name: this.options.topic, partitions: [{ partition, records: encodeOne(value) }] }],
        },
        { deadlineMs: timeoutMs + 1_000 },
      );
      const outcome = results[0];
      if (outcome === undefined) return { acked: false, code: 'EMPTY_RESPONSE' };
      if (outcome.errorCode !== '') return { acked: false, code: outcome.errorCode };
      return { acked: true, offset: outcome.baseOffset };
    } catch (error) {
      return { acked: false, code: (error as { code?: unknown }).code?.toString() ?? 'ERROR' };
    }
  }
}

function encodeOne(value: string): Buffer {
  return encodeRecordBatch({
    records: [{ key: null, value: Buffer.from(value), timestampMs: Date.now() }],
  });
}

/** Reads every partition from its earliest offset up to the high watermark, via the partition leaders. */
export async function readBack(
  bootstrap: readonly string[],
  topic: string,
  partitions: number,
): Promise<Map<number, { offset: number; value: string }[]>> {
  const directory = new LeaderDirectory(bootstrap, topic);
  const read = new Map<number, { offset: number; value: string }[]>();
  try {
    await directory.refresh();
    for (let partition = 0; partition < partitions; partition++) {
      read.set(partition, await readPartition(directory, topic, partition));
    }
    return read;
  } finally {
    directory.close();
  }
}

async function readPartition(
  directory: LeaderDirectory,
  topic: string,
  partition: number,
): Promise<{ offset: number; value: string }[]> {
  const address = directory.leaderAddress(partition);
  if (address === undefined) throw new Error(`${topic}-${partition} has no leader to read from`);
  const client = directory.client(address);
  const records: { offset: number; value: string }[] = [];
  let offset = 0;
  for (let round = 0; round < 10_000; round++) {
    const { results } = await unary(
      client,
      'Fetch',
      {
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 4 * 1024 * 1024,
        topics: [
          {
            name: topic,
            partitions: [
              { partition, fetchOffset: offset, partitionMaxBytes: 4 * 1024 * 1024, currentLeaderEpoch: -1 },
            ],
          },
        ],
      },
      { deadlineMs: 5_000 },
    );
    const result = results[0];
    if (result === undefined || result.errorCode !== '') {
      throw new Error(`fetch ${topic}-${partition}@${offset}: ${result?.errorCode} ${result?.errorMessage}`);
    }
    const { batches } = splitBatches(result.records);
    for (const batch of batches) {
      for (const record of decodeRecordBatch(batch.bytes()).records) {
        if (record.offset < offset) continue;
        records.push({ offset: record.offset, value: Buffer.from(record.value ?? []).toString() });
        offset = record.offset + 1;
      }
    }
    if (offset >= result.highWatermark) return records;
  }
  throw new Error(`${topic}-${partition}: read did not reach the high watermark`);
}

/** Every anomaly found, one line each: empty means the history is clean. */
export function checkAckedHistory(
  acked: readonly AckedRecord[],
  read: ReadonlyMap<number, readonly { offset: number; value: string }[]>,
): string[] {
  const anomalies: string[] = [];
  const seen = new Map<string, { partition: number; offset: number }[]>();
  for (const [partition, records] of read) {
    let previous = -1;
    for (const record of records) {
      if (record.offset <= previous)
        anomalies.push(`p${partition}: offset ${record.offset} after ${previous}`);
      previous = record.offset;
      const places = seen.get(record.value) ?? [];
      places.push({ partition, offset: record.offset });
      seen.set(record.value, places);
    }
  }
  for (const record of acked) {
    const places = seen.get(record.value) ?? [];
    if (places.length === 0)
      anomalies.push(`lost: ${record.value} acked at p${record.partition}@${record.offset}`);
    else if (places.length > 1) anomalies.push(`duplicated: ${record.value} at ${JSON.stringify(places)}`);
    else if (places[0]?.partition !== record.partition || places[0]?.offset !== record.offset) {
      anomalies.push(
        `moved: ${record.value} acked at p${record.partition}@${record.offset}, read at ${JSON.stringify(places[0])}`,
      );
    }
  }
  return anomalies;
}
