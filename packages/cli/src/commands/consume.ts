/**
 * `trib consume TOPIC`: prints records from one or every partition, starting at the latest offsets
 * unless told otherwise; stops after --max-messages records or --timeout-ms without new data (without
 * either, runs until interrupted). With --group G it joins consumer group G instead: the coordinator
 * assigns the partitions, offsets are committed as records are printed and on exit, and the member
 * leaves the group when it stops (Ctrl-C included). --isolation-level read_committed reads only committed
 * transactions (default read_uncommitted, as Kafka's console consumer).
 */
import type { ConsumedRecord, GroupConsumer, OffsetSpec } from '@tributary/client';
import type { CommandContext } from '../context.js';
import { type ClientCommandOptions, withClient } from './produce.js';

export interface ConsumeOptions extends ClientCommandOptions {
  /** Consume as a member of this consumer group (partition and offset are then the group's). */
  readonly group?: string;
  readonly partition?: number;
  readonly offset?: number;
  readonly fromBeginning: boolean;
  /** --isolation-level read_committed: skip aborted and open transactions (Kafka's isolation.level). */
  readonly readCommitted: boolean;
  readonly maxMessages?: number;
  /** Stop after this long without new data; undefined = never. */
  readonly idleTimeoutMs?: number;
  /** Group mode: the member's session timeout. */
  readonly sessionTimeoutMs?: number;
}

const UTF8 = new TextDecoder('utf-8');

function utf8(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : UTF8.decode(bytes);
}

/** One output line per record: the value, or with --json the whole record. */
export function formatRecord(record: ConsumedRecord, json: boolean): string {
  const value = utf8(record.value);
  if (!json) return value ?? 'null';
  return JSON.stringify({
    partition: record.partition,
    offset: record.offset,
    key: utf8(record.key),
    value,
    timestamp: record.timestampMs,
    // Only when there are some, so that header-less output keeps its shape.
    ...(record.headers.length === 0
      ? {}
      : { headers: record.headers.map((h) => ({ key: h.key, value: utf8(h.value) })) }),
  });
}

function startFrom(options: ConsumeOptions): OffsetSpec | ReadonlyMap<number, number> {
  if (options.offset !== undefined && options.partition !== undefined) {
    return new Map([[options.partition, options.offset]]);
  }
  return options.fromBeginning ? 'earliest' : 'latest';
}

/** Long-poll wait per fetch: short enough to notice the idle timeout promptly. */
const FETCH_MAX_WAIT_MS = 500;

/** Group mode commits what was printed this often (and on exit). */
const GROUP_COMMIT_INTERVAL_MS = 1_000;

export async function consume(
  context: CommandContext,
  topic: string,
  options: ConsumeOptions,
): Promise<void> {
  if (options.group !== undefined) return consumeGroup(context, topic, { ...options, group: options.group });
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  context.io.signal.addEventListener('abort', onInterrupt, { once: true });
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    if (options.idleTimeoutMs === undefined) return;
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop.abort(), options.idleTimeoutMs);
  };
  try {
    await withClient(context, options, async (client) => {
      const consumer = client.consumer();
      let printed = 0;
      armIdle();
      const records = consumer.consume(topic, {
        ...(options.partition === undefined ? {} : { partitions: [options.partition] }),
        from: startFrom(options),
        readCommitted: options.readCommitted,
        signal: stop.signal,
        maxWaitMs: Math.min(FETCH_MAX_WAIT_MS, options.idleTimeoutMs ?? FETCH_MAX_WAIT_MS),
      });
      for await (const chunk of records) {
        armIdle();
        for (const record of chunk) {
          context.io.out(formatRecord(record, context.options.json));
          printed++;
          if (options.maxMessages !== undefined && printed >= options.maxMessages) return;
        }
      }
    });
  } finally {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    context.io.signal.removeEventListener('abort', onInterrupt);
  }
}

/**
 * Group mode: prints each record from the handler, so a record counts as processed (and is committed)
 * only once printed. Stopping (max messages, idle timeout, Ctrl-C) closes the consumer: it commits what
 * was printed and leaves the group.
 */
async function consumeGroup(
  context: CommandContext,
  topic: string,
  options: ConsumeOptions & { readonly group: string },
): Promise<void> {
  await withClient(context, options, async (client) => {
    const consumer: GroupConsumer = client.consumer({
      groupId: options.group,
      fromBeginning: options.fromBeginning,
      readCommitted: options.readCommitted,
      autoCommitIntervalMs: GROUP_COMMIT_INTERVAL_MS,
      ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
      maxWaitMs: Math.min(FETCH_MAX_WAIT_MS, options.idleTimeoutMs ?? FETCH_MAX_WAIT_MS),
    });
    let closing: Promise<void> | undefined;
    const stop = (): void => {
      closing ??= consumer.close();
    };
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      if (options.idleTimeoutMs === undefined) return;
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      idleTimer = setTimeout(stop, options.idleTimeoutMs);
    };
    context.io.signal.addEventListener('abort', stop, { once: true });
    let printed = 0;
    try {
      consumer.subscribe({ topics: [topic] });
      armIdle();
      if (context.io.signal.aborted) stop();
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          armIdle();
          const record = { topic, partition, ...message, timestampMs: message.timestamp };
          context.io.out(formatRecord(record, context.options.json));
          printed++;
          // Not awaited here: close() waits for this handler to finish first.
          if (options.maxMessages !== undefined && printed >= options.maxMessages) stop();
        },
      });
    } finally {
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      context.io.signal.removeEventListener('abort', stop);
      stop();
      await closing;
    }
  });
}
