/**
 * The idempotent producer's session state (Kafka's TransactionManager, idempotent part only): one
 * producer id and epoch from Broker.InitProducerId, fetched lazily and single-flight, with per-partition
 * sequence windows. After a batch fails definitively its sequence space may hold a gap (or an append
 * nobody saw acknowledged), so the session is ended (`reset`) and later sends start a new one: a new
 * producer id, sequences from 0 on every partition.
 */
import { assert, type Clock, type Random, TributaryError } from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF, unary } from '@tributary/protocol';
import { encodeRecordBatch, type RecordInput, type SupportedCompression } from '@tributary/records';
import type { BrokerConnections } from './connections.js';
import { CLIENT_LIMITS } from './limits.js';
import type { MetadataCache } from './metadata-cache.js';
import { needsMetadataRefresh, sleep, toError } from './retry.js';
import { PartitionSequences, type SequencedBatch } from './sequences.js';

export interface ProducerIdentity {
  readonly producerId: number;
  readonly producerEpoch: number;
}

type ReserveOutcome = 'reserved' | 'closed' | 'timedOut';

export class ProducerSession {
  private closedFlag = false;
  private readonly partitions = new Map<string, PartitionSequences>();
  private readonly closeListeners = new Set<() => void>();

  constructor(
    readonly identity: ProducerIdentity,
    private readonly windowMax: number,
  ) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  sequences(topic: string, partition: number): PartitionSequences {
    const key = `${topic}-${partition}`;
    let sequences = this.partitions.get(key);
    if (sequences === undefined) {
      sequences = new PartitionSequences(this.windowMax);
      this.partitions.set(key, sequences);
    }
    return sequences;
  }

  /**
   * Reserves `counts.get(p)` slots on each partition p, in ascending partition order so that two sends
   * never hold slots the other waits for (a lock order). All or nothing: on 'closed' or 'timedOut'
   * nothing stays reserved.
   */
  async reserve(topic: string, counts: ReadonlyMap<number, number>, waitMs: number): Promise<ReserveOutcome> {
    const taken: [PartitionSequences, number][] = [];
    const timeoutAtMs = performance.now() + waitMs;
    for (const partition of [...counts.keys()].sort((a, b) => a - b)) {
      const count = counts.get(partition) ?? 0;
      const sequences = this.sequences(topic, partition);
      const outcome = this.closedFlag
        ? 'closed'
        : await this.reserveOne(sequences, count, timeoutAtMs - performance.now());
      if (outcome !== 'reserved') {
        for (const [held, heldCount] of taken) held.unreserve(heldCount);
        return outcome;
      }
      taken.push([sequences, count]);
    }
    return 'reserved';
  }

  /** Gives back slots reserved by reserve() and not used. */
  unreserve(topic: string, counts: ReadonlyMap<number, number>): void {
    for (const [partition, count] of counts) this.sequences(topic, partition).unreserve(count);
  }

  /** Ends the session: queued reservations give up with 'closed'; batches already encoded carry on. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const sequences of this.partitions.values()) sequences.takeWaiters();
    for (const listener of [...this.closeListeners]) listener();
  }

  private reserveOne(sequences: PartitionSequences, count: number, waitMs: number): Promise<ReserveOutcome> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: ReserveOutcome): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.closeListeners.delete(onClosed);
        resolve(outcome);
      };
      const onReady = (): void => finish('reserved');
      const onClosed = (): void => finish('closed');
      if (sequences.reserveOrWait(count, onReady)) {
        resolve('reserved');
        return;
      }
      this.closeListeners.add(onClosed);
      timer = setTimeout(
        () => {
          if (sequences.cancelWait(onReady)) finish('timedOut');
        },
        Math.max(1, waitMs),
      );
    });
  }
}

export interface IdempotenceDeps {
  /** Fetches a fresh producer id; `topic` names the send that needs it (its leaders are known brokers). */
  readonly initProducerId: (topic: string, deadlineMs: number) => Promise<ProducerIdentity>;
  readonly windowMax: number;
  readonly clock: Clock;
}

export class Idempotence {
  private current: ProducerSession | undefined;
  private fetching: Promise<ProducerSession> | undefined;
  /** Sessions ended by reset(), for tests and diagnostics. */
  resets = 0;

  constructor(private readonly deps: IdempotenceDeps) {}

  /** The current session, fetching a producer id first when there is none (one fetch at a time). */
  session(topic: string, deadlineMs: number): Promise<ProducerSession> {
    if (this.current !== undefined) return Promise.resolve(this.current);
    this.fetching ??= this.deps
      .initProducerId(topic, deadlineMs)
      .then((identity) => {
        const session = new ProducerSession(identity, this.deps.windowMax);
        this.current = session;
        return session;
      })
      .finally(() => {
        this.fetching = undefined;
      });
    return this.fetching;
  }

  /**
   * Reserves `counts` window slots per partition of `topic` in the current session and hands the session
   * to `use` synchronously, with no await in between: the session cannot end before `use` has encoded
   * its batches under this session's id with consecutive sequences.
   */
  async acquire<T>(
    topic: string,
    counts: ReadonlyMap<number, number>,
    deadlineMs: number,
    use: (session: ProducerSession) => T,
  ): Promise<T> {
    for (let attempt = 0; attempt < CLIENT_LIMITS.attemptsMax; attempt++) {
      const session = await this.session(topic, deadlineMs);
      const waitMs = deadlineMs - this.deps.clock.nowMs();
      if (waitMs <= 0) break;
      const outcome = await session.reserve(topic, counts, waitMs);
      if (outcome === 'timedOut') break;
      if (outcome === 'reserved' && !session.closed) return use(session);
      // The session ended while this send waited: its sequences may have a gap, so start over in the next.
      if (outcome === 'reserved') session.unreserve(topic, counts);
    }
    throw new TributaryError(
      'REQUEST_TIMED_OUT',
      `${topic}: no room for new batches before the delivery deadline (at most ` +
        `${this.deps.windowMax} unacknowledged batches per partition)`,
    );
  }

  /** Whether a batch for the partition would get a window slot at once (true before the first session). */
  hasRoom(topic: string, partition: number): boolean {
    return this.current === undefined || this.current.sequences(topic, partition).hasRoom;
  }

  /** After a definitive failure under `session`: later sends get a new producer id, sequences from 0. */
  reset(session: ProducerSession): void {
    if (session.closed) return;
    if (this.current === session) this.current = undefined;
    this.resets++;
    session.close();
  }
}

export interface InitProducerIdDeps {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
  readonly clock: Clock;
  readonly random: Random;
  /** Deadline of one call. */
  readonly requestTimeoutMs: number;
}

/**
 * Asks a broker for a producer id, trying known brokers in turn and retrying retriable failures
 * with backoff until `deadlineMs` (or the attempt bound).
 */
export async function initProducerId(
  deps: InitProducerIdDeps,
  topic: string,
  deadlineMs: number,
): Promise<ProducerIdentity> {
  let lastError: TributaryError | undefined;
  for (let attempt = 0; attempt < CLIENT_LIMITS.attemptsMax; attempt++) {
    if (attempt > 0) {
      const remainingMs = deadlineMs - deps.clock.nowMs();
      if (remainingMs > 0) {
        await sleep(Math.min(remainingMs, backoffDelayMs(attempt - 1, DEFAULT_BACKOFF, deps.random)));
      }
      if (lastError !== undefined && needsMetadataRefresh(lastError)) {
        await deps.metadata.refresh([topic], callTimeoutMs(deps, deadlineMs)).catch(() => undefined);
      }
    }
    if (deadlineMs - deps.clock.nowMs() <= 0) break;
    const addresses = candidateAddresses(deps.metadata, topic);
    const address = addresses[attempt % Math.max(1, addresses.length)];
    if (address === undefined) {
      lastError = new TributaryError('LEADER_NOT_AVAILABLE', `no broker known to ask for a producer id`);
      continue;
    }
    try {
      const response = await unary(
        deps.connections.get(address),
        'InitProducerId',
        { transactionalId: '' },
        { deadlineMs: callTimeoutMs(deps, deadlineMs) },
      );
      return checkIdentity(response.producerId, response.producerEpoch, address);
    } catch (error) {
      lastError = toError(error);
      if (!lastError.retriable) {
        throw new TributaryError(
          lastError.code,
          `InitProducerId at ${address} failed: ${lastError.message} (an idempotent producer needs it; ` +
            'idempotent: false produces without)',
          { cause: lastError },
        );
      }
    }
  }
  const reason = lastError === undefined ? 'no error seen' : lastError.message;
  throw new TributaryError('REQUEST_TIMED_OUT', `no producer id before the delivery deadline: ${reason}`, {
    ...(lastError === undefined ? {} : { cause: lastError }),
  });
}

function callTimeoutMs(deps: InitProducerIdDeps, deadlineMs: number): number {
  return Math.max(1, Math.floor(Math.min(deps.requestTimeoutMs, deadlineMs - deps.clock.nowMs())));
}

/** The topic's leaders first (surely up), then every other broker the metadata cache knows. */
function candidateAddresses(metadata: MetadataCache, topic: string): string[] {
  const partitions = metadata.topic(topic)?.partitions ?? [];
  const leaders = partitions.map((p) => metadata.leaderAddress(topic, p.partition));
  return [...new Set([...leaders.filter((address) => address !== undefined), ...metadata.brokerAddresses()])];
}

function checkIdentity(producerId: number, producerEpoch: number, address: string): ProducerIdentity {
  if (!Number.isSafeInteger(producerId) || producerId < 0 || producerEpoch < 0 || producerEpoch > 0x7fff) {
    throw new TributaryError(
      'UNKNOWN',
      `InitProducerId at ${address} answered an invalid producer id ${producerId} epoch ${producerEpoch}`,
    );
  }
  return { producerId, producerEpoch };
}

export interface EncodeSequencedOptions {
  readonly topic: string;
  /** Per partition, the chunks to encode as one batch each; their slots are already reserved. */
  readonly payloads: ReadonlyMap<number, readonly (readonly RecordInput[])[]>;
  readonly session: ProducerSession;
  readonly compression: SupportedCompression;
  /** Sets the batches' transactional attribute (a transactional producer's batches). */
  readonly isTransactional?: boolean;
  /** Called when encoding throws (after the batches already given sequences are marked failed). */
  readonly onEncodeError: () => void;
}

/** A round's encoded batches and what the delivery loop needs to know about their sequences. */
export interface SequencedPayloads {
  readonly batches: Map<number, Buffer>;
  /** OUT_OF_ORDER_SEQUENCE_NUMBER is worth retrying while an earlier batch may still arrive first. */
  retryAnyway(partition: number, error: TributaryError): boolean;
  settle(partition: number, outcome: 'acknowledged' | 'failed'): void;
}

/**
 * Encodes each chunk as a batch with the session's producer id and the partition's next sequences,
 * turning reserved slots into in-flight batches. All of it is synchronous, so the batches of one
 * partition get consecutive sequences in encode order.
 */
export function encodeSequenced(options: EncodeSequencedOptions): SequencedPayloads {
  const { topic, session } = options;
  const { producerId, producerEpoch } = session.identity;
  const batches = new Map<number, Buffer>();
  const inFlight = new Map<number, { sequences: PartitionSequences; batches: SequencedBatch[] }>();
  try {
    for (const [partition, chunks] of options.payloads) {
      const sequences = session.sequences(topic, partition);
      const entry = { sequences, batches: [] as SequencedBatch[] };
      inFlight.set(partition, entry);
      const encoded = chunks.map((records) => {
        const baseSequence = sequences.nextSequence;
        const bytes = encodeRecordBatch({
          records,
          compression: options.compression,
          producerId,
          producerEpoch,
          baseSequence,
          isTransactional: options.isTransactional === true,
        });
        const batch = sequences.assign(records.length);
        assert(batch.baseSequence === baseSequence, 'sequences moved while encoding one batch');
        entry.batches.push(batch);
        return bytes;
      });
      batches.set(partition, encoded.length === 1 ? (encoded[0] as Buffer) : Buffer.concat(encoded));
    }
  } catch (error) {
    // Nothing of this round is sent. Give back the unused slots; the sequences already handed out would
    // leave a gap, so the batches holding them fail and the session ends.
    for (const [partition, chunks] of options.payloads) {
      const entry = inFlight.get(partition);
      for (const batch of entry?.batches ?? []) entry?.sequences.settle(batch, 'failed');
      session.sequences(topic, partition).unreserve(chunks.length - (entry?.batches.length ?? 0));
    }
    options.onEncodeError();
    throw error;
  }
  return {
    batches,
    retryAnyway(partition, error) {
      const entry = inFlight.get(partition);
      const first = entry?.batches[0];
      if (entry === undefined || first === undefined) return false;
      return error.code === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && entry.sequences.hasEarlierPending(first);
    },
    settle(partition, outcome) {
      const entry = inFlight.get(partition);
      assert(entry !== undefined, () => `${topic}-${partition} was not in this round`);
      for (const batch of entry.batches) entry.sequences.settle(batch, outcome);
    },
  };
}
