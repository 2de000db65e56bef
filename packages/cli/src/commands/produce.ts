/**
 * `trib produce TOPIC`: one record per stdin line. Lines are gathered into batches (by count, bytes,
 * or a short linger so interactive input still goes out promptly) and a bounded number of sends are
 * in flight; the command fails if any record was not acknowledged.
 */
import { type Acks, TributaryClient } from '@tributary/client';
import { TributaryError } from '@tributary/core';
import type { SupportedCompression } from '@tributary/records';
import { type CommandContext, clientSecurity } from '../context.js';

export interface ClientCommandOptions {
  readonly bootstrap: readonly string[];
  /** false: consumers use unary Fetch calls instead of FetchStream (a baseline for comparisons). */
  readonly fetchStreams?: boolean;
}

export interface ProduceOptions extends ClientCommandOptions {
  readonly acks: Acks;
  /** One Produce request's deadline (Kafka's request.timeout.ms). */
  readonly requestTimeoutMs: number;
  /** A record's deadline, retries included (Kafka's delivery.timeout.ms). */
  readonly deliveryTimeoutMs: number;
  /** false turns idempotence off; unset, the producer's default applies (on with acks all). */
  readonly idempotent?: boolean;
  /** Default 'none'. */
  readonly compression?: SupportedCompression;
  readonly key?: string;
  readonly keySeparator?: string;
  readonly partition?: number;
  /** Headers of every record (Kafka record headers; a key may repeat). */
  readonly headers?: readonly LineHeader[];
}

/** A header as the record carries it (the value as UTF-8 bytes). */
export interface LineHeader {
  readonly key: string;
  readonly value: Uint8Array;
}

/**
 * Kafka's producer defaults: a request waits 30 s, a record may take 120 s with retries, so a send rides
 * through a leader's failover (the client abandons a request to a replaced leader at once: leader-watch.ts
 * in the client) instead of failing after one attempt.
 */
export const PRODUCE_TIMEOUTS = {
  requestTimeoutMsDefault: 30_000,
  deliveryTimeoutMsDefault: 120_000,
} as const;

/** Bounds for batching stdin lines. */
export const PRODUCE_LIMITS = {
  batchRecordsMax: 10_000,
  batchBytesMax: 1024 * 1024,
  /** How long a partly filled batch waits for more lines. */
  lingerMs: 20,
  sendsInFlightMax: 4,
} as const;

/** Runs `work` with a client for the bootstrap brokers and always closes it. */
export async function withClient<T>(
  context: CommandContext,
  options: ClientCommandOptions,
  work: (client: TributaryClient) => Promise<T>,
): Promise<T> {
  const client = new TributaryClient({
    bootstrap: options.bootstrap,
    timeoutMs: context.options.timeoutMs,
    ...clientSecurity(context),
    ...(options.fetchStreams === undefined ? {} : { fetchStreams: options.fetchStreams }),
  });
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

export interface LineRecord {
  readonly key: string | null;
  readonly value: string;
  readonly partition?: number;
  readonly headers?: readonly LineHeader[];
}

/** A stdin line as a record: a fixed key, a key split off at the first separator, or no key. */
export function lineToRecord(
  line: string,
  options: Pick<ProduceOptions, 'key' | 'keySeparator' | 'partition' | 'headers'>,
): LineRecord {
  const partition = {
    ...(options.partition === undefined ? {} : { partition: options.partition }),
    ...(options.headers === undefined || options.headers.length === 0 ? {} : { headers: options.headers }),
  };
  if (options.key !== undefined) return { key: options.key, value: line, ...partition };
  if (options.keySeparator !== undefined) {
    const at = line.indexOf(options.keySeparator);
    if (at !== -1) {
      return { key: line.slice(0, at), value: line.slice(at + options.keySeparator.length), ...partition };
    }
  }
  return { key: null, value: line, ...partition };
}

interface Tally {
  sent: number;
  acked: number;
  failed: number;
  firstError: TributaryError | undefined;
}

export async function produce(
  context: CommandContext,
  topic: string,
  options: ProduceOptions,
  lines: AsyncIterable<string>,
): Promise<void> {
  await withClient(context, options, async (client) => {
    const producer = client.producer({
      acks: options.acks,
      timeoutMs: options.requestTimeoutMs,
      deliveryTimeoutMs: options.deliveryTimeoutMs,
      compression: options.compression ?? 'none',
      ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    });
    const tally: Tally = { sent: 0, acked: 0, failed: 0, firstError: undefined };
    const inFlight = new Set<Promise<void>>();
    let pending: LineRecord[] = [];
    let pendingBytes = 0;
    let lingerTimer: NodeJS.Timeout | undefined;

    const dispatch = (): void => {
      if (lingerTimer !== undefined) clearTimeout(lingerTimer);
      lingerTimer = undefined;
      if (pending.length === 0) return;
      const records = pending;
      pending = [];
      pendingBytes = 0;
      tally.sent += records.length;
      const send = producer.send(topic, records).then(
        () => {
          tally.acked += records.length;
        },
        (error: unknown) => {
          tally.failed += records.length;
          tally.firstError ??=
            error instanceof TributaryError ? error : new TributaryError('UNKNOWN', String(error));
        },
      );
      const tracked = send.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    };

    for await (const line of lines) {
      const record = lineToRecord(line, options);
      pending.push(record);
      pendingBytes += record.value.length + (record.key?.length ?? 0);
      if (pending.length >= PRODUCE_LIMITS.batchRecordsMax || pendingBytes >= PRODUCE_LIMITS.batchBytesMax) {
        dispatch();
      } else {
        lingerTimer ??= setTimeout(dispatch, PRODUCE_LIMITS.lingerMs);
      }
      while (inFlight.size >= PRODUCE_LIMITS.sendsInFlightMax) await Promise.race(inFlight);
    }
    dispatch();
    await Promise.all(inFlight);
    if (tally.failed > 0) {
      const cause = tally.firstError;
      throw new TributaryError(
        cause?.code ?? 'UNKNOWN',
        `${tally.failed} of ${tally.sent} records not acknowledged: ${cause?.message ?? 'unknown error'}`,
      );
    }
    if (context.options.json) context.io.out(JSON.stringify({ topic, acked: tally.acked }));
  });
}
