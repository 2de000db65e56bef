/**
 * The first-produce prober: what a client does against a process that is still starting, retried at one
 * fixed interval so that the figure measures the process and not the tool. It connects (TCP) to the
 * broker port from the moment of spawn, then asks for the topic's metadata with auto-creation until
 * partition 0 has a leader, then produces one record with acks=all until it is acknowledged. Each step
 * is retried every `pollMs` (no backoff, no jitter), so each reported time is late by at most `pollMs`
 * plus one round trip.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type * as grpc from '@grpc/grpc-js';
import { type BrokerClient, createBrokerClient, unary } from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';

/** Each call's own deadline: a process that accepted the connection answers well within it. */
const PROBE_CALL_DEADLINE_MS = 2_000;
/** The produce's server-side wait for acks=all (one replica here, so it is never reached). */
const PRODUCE_TIMEOUT_MS = 5_000;
const ACKS_ALL = -1;

/**
 * grpc-js reconnects with exponential backoff from 1 s by default; the prober's channel is only created once
 * the port accepts connections, and a short backoff keeps a refused reconnect from hiding the process.
 */
const PROBE_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 5,
  'grpc.min_reconnect_backoff_ms': 5,
  'grpc.max_reconnect_backoff_ms': 20,
  'grpc.enable_retries': 0,
};

export interface ProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly topic: string;
  readonly pollMs: number;
  /** performance.now() of the spawn: every result is measured from it. */
  readonly spawnedAtMs: number;
  /** performance.now() after which the probe gives up. */
  readonly giveUpAtMs: number;
  /** Whether the probed processes still run: the probe stops at once when one has exited. */
  readonly alive: () => boolean;
}

export interface ProbeResult {
  /** Spawn → the broker port accepted a TCP connection. */
  readonly portOpenMs: number;
  /** Spawn → Metadata named a leader for partition 0 of the (auto-created) topic. */
  readonly leaderKnownMs: number;
  /** Spawn → the acks=all produce was acknowledged. */
  readonly producedMs: number;
  /** Calls that failed and were retried after `pollMs`, per step. */
  readonly retries: { readonly connect: number; readonly metadata: number; readonly produce: number };
  /** The last error seen before each step succeeded (why it was retried), or null. */
  readonly lastErrors: readonly string[];
}

function sleep(durationMs: number): Promise<void> {
  return new Promise((done) => setTimeout(done, durationMs));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tcpConnects(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => {
      socket.destroy();
      done(false);
    });
  });
}

/** Runs `attempt` every `pollMs` until it returns true; returns the number of failed attempts. */
async function retryEvery(
  options: ProbeOptions,
  what: string,
  attempt: () => Promise<boolean>,
  errors: string[],
): Promise<number> {
  let failures = 0;
  for (;;) {
    if (await attempt()) return failures;
    failures++;
    if (!options.alive()) throw new Error(`${what}: the process exited`);
    if (performance.now() > options.giveUpAtMs) {
      throw new Error(`${what}: gave up after ${failures} attempts (last: ${errors.at(-1) ?? 'none'})`);
    }
    await sleep(options.pollMs);
  }
}

async function leaderKnown(client: BrokerClient, topic: string, errors: string[]): Promise<boolean> {
  try {
    const response = await unary(
      client,
      'metadata',
      { topics: [topic], allowAutoTopicCreation: true },
      { deadlineMs: PROBE_CALL_DEADLINE_MS },
    );
    const result = response.topics[0];
    if (result === undefined) return false;
    const partition = result.topic?.partitions.find((p) => p.partition === 0);
    if (result.errorCode === '' && partition !== undefined && partition.leader >= 0) return true;
    errors.push(`metadata: ${result.errorCode === '' ? 'no leader yet' : result.errorCode}`);
    return false;
  } catch (error) {
    errors.push(`metadata: ${errorText(error)}`);
    return false;
  }
}

async function produced(client: BrokerClient, topic: string, errors: string[]): Promise<boolean> {
  const records = encodeRecordBatch({
    records: [{ key: null, value: Buffer.from('first record'), timestampMs: Date.now() }],
  });
  try {
    const response = await unary(
      client,
      'produce',
      {
        acks: ACKS_ALL,
        timeoutMs: PRODUCE_TIMEOUT_MS,
        topics: [{ name: topic, partitions: [{ partition: 0, records }] }],
      },
      { deadlineMs: PROBE_CALL_DEADLINE_MS },
    );
    const result = response.results[0];
    if (result !== undefined && result.errorCode === '' && result.baseOffset >= 0) return true;
    errors.push(`produce: ${result?.errorCode ?? 'no result'}`);
    return false;
  } catch (error) {
    errors.push(`produce: ${errorText(error)}`);
    return false;
  }
}

/** Probes until the first acks=all produce is acknowledged; rejects at `giveUpAtMs`. */
export async function probeFirstProduce(options: ProbeOptions): Promise<ProbeResult> {
  const errors: string[] = [];
  const since = (): number => performance.now() - options.spawnedAtMs;
  const connectRetries = await retryEvery(
    options,
    'connect',
    async () => {
      const ok = await tcpConnects(options.host, options.port);
      if (!ok) errors.push('connect: refused');
      return ok;
    },
    errors,
  );
  const portOpenMs = since();
  const client = createBrokerClient(`${options.host}:${options.port}`, {
    channelOptions: PROBE_CHANNEL_OPTIONS,
  });
  try {
    const metadataRetries = await retryEvery(
      options,
      'metadata',
      () => leaderKnown(client, options.topic, errors),
      errors,
    );
    const leaderKnownMs = since();
    const produceRetries = await retryEvery(
      options,
      'produce',
      () => produced(client, options.topic, errors),
      errors,
    );
    const producedMs = since();
    return {
      portOpenMs,
      leaderKnownMs,
      producedMs,
      retries: { connect: connectRetries, metadata: metadataRetries, produce: produceRetries },
      lastErrors: [...new Set(errors)].slice(-5),
    };
  } finally {
    client.close();
  }
}
