/**
 * The broker's follower of the committed metadata log (DESIGN §5). It streams FetchMetadata from any
 * controller (standbys serve their committed log too), applies each received burst of entries to its
 * image with one MetadataDelta, loads a snapshot when the controller has compacted past its position,
 * publishes every new image to listeners, and persists its image so a restart resumes where it was.
 *
 * The stream is the only writer of the image; every state change happens in #flush(), synchronously.
 */
import type * as grpc from '@grpc/grpc-js';
import { assert, type Clock, type Random, systemClock, systemRandom, TributaryError } from '@tributary/core';
import {
  decodeRecord,
  decodeSnapshot,
  type MetadataChanges,
  MetadataDelta,
  MetadataImage,
} from '@tributary/metadata';
import {
  type BackoffPolicy,
  backoffDelayMs,
  createMetadataStreamClient,
  DEFAULT_BACKOFF,
  type FetchMetadataEvent__Output,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { snapshotChanges } from './snapshot-changes.js';
import { readSnapshotFile, writeSnapshotFile } from './snapshot-file.js';

/** Events buffered before the stream is paused until they are applied (bounds memory per burst). */
export const PENDING_EVENTS_MAX = 1_000;
/** Bytes of snapshot chunks accepted before the snapshot is refused as too large. */
export const SNAPSHOT_BYTES_MAX = 256 * 1024 * 1024;
export const DEFAULT_PERSIST_INTERVAL_OFFSETS = 1_000;

export type ImageListener = (image: MetadataImage, changes: MetadataChanges) => void;

export interface MetadataFollowerOptions {
  /** Controller addresses (host:port), tried in rotation. */
  readonly controllers: readonly string[];
  /** Where the follower persists its image. Must exist. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** Persist the image once it is this many offsets past the last persisted one. */
  readonly persistIntervalOffsets?: number;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly random?: Random;
  /** TLS towards the controllers (the broker's certificate, the CA); default plaintext. */
  readonly credentials?: grpc.ChannelCredentials;
}

interface Waiter {
  readonly offset: number;
  readonly resolve: (image: MetadataImage) => void;
  readonly reject: (error: TributaryError) => void;
}

export class MetadataFollower {
  readonly #options: MetadataFollowerOptions;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #persistIntervalOffsets: number;
  #image = MetadataImage.EMPTY;
  #highWatermark = 0;
  #lastEventMs: number | null = null;
  readonly #listeners = new Set<ImageListener>();
  readonly #waiters = new Set<Waiter>();
  #pending: FetchMetadataEvent__Output[] = [];
  #snapshotChunks: Buffer[] = [];
  #snapshotBytes = 0;
  #flushScheduled = false;
  #call: grpc.ClientReadableStream<FetchMetadataEvent__Output> | null = null;
  #running: Promise<void> | null = null;
  #wakeSleep: (() => void) | null = null;
  #closed = false;
  #persistedOffset = 0;
  #persisting: Promise<void> | null = null;

  private constructor(options: MetadataFollowerOptions) {
    assert(options.controllers.length > 0, 'a metadata follower needs at least one controller address');
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#persistIntervalOffsets = options.persistIntervalOffsets ?? DEFAULT_PERSIST_INTERVAL_OFFSETS;
    assert(this.#persistIntervalOffsets > 0, 'persistIntervalOffsets must be positive');
  }

  /** Loads the persisted image (if any) and starts following from the offset after it. */
  static async start(options: MetadataFollowerOptions): Promise<MetadataFollower> {
    const follower = new MetadataFollower(options);
    const persisted = await readSnapshotFile(options.dataDir);
    if (persisted !== null) {
      follower.#image = persisted;
      follower.#persistedOffset = persisted.offset;
      options.logger.info({ offset: persisted.offset }, 'loaded the persisted metadata image');
    }
    follower.#running = follower.#run();
    return follower;
  }

  currentImage(): MetadataImage {
    return this.#image;
  }

  appliedOffset(): number {
    return this.#image.offset;
  }

  /** The controller's committed offset as of the last event received; 0 before any. */
  highWatermark(): number {
    return this.#highWatermark;
  }

  /** Milliseconds (on the injected clock) since the last event from a controller; null before any. */
  millisSinceLastEvent(): number | null {
    return this.#lastEventMs === null ? null : this.#clock.nowMs() - this.#lastEventMs;
  }

  /** Calls `listener` with every new image; returns the unsubscribe function. */
  onImage(listener: ImageListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the first image at or past `offset`; REQUEST_TIMED_OUT after timeoutMs, SHUTTING_DOWN on close. */
  waitForOffset(offset: number, options: { readonly timeoutMs: number }): Promise<MetadataImage> {
    if (this.#image.offset >= offset) return Promise.resolve(this.#image);
    if (this.#closed) return Promise.reject(new TributaryError('SHUTTING_DOWN', 'the follower is closed'));
    return new Promise<MetadataImage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new TributaryError('REQUEST_TIMED_OUT', `metadata offset ${offset} not reached in time`));
      }, options.timeoutMs);
      const waiter: Waiter = {
        offset,
        resolve: (image) => {
          clearTimeout(timer);
          resolve(image);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Cancels the stream, waits for the loop to stop, and persists the image if it moved. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#call?.cancel();
    this.#wakeSleep?.();
    await this.#running;
    for (const waiter of this.#waiters)
      waiter.reject(new TributaryError('SHUTTING_DOWN', 'the follower closed'));
    this.#waiters.clear();
    await this.#persisting;
    if (this.#image.offset > this.#persistedOffset) await this.#persist();
  }

  /** Streams from one controller after another until closed; backs off once every address has failed. */
  async #run(): Promise<void> {
    const { controllers, logger } = this.#options;
    let index = 0;
    let failedRounds = 0;
    let failuresThisRound = 0;
    while (!this.#closed) {
      const address = controllers[index % controllers.length] ?? controllers[0] ?? '';
      const appliedBefore = this.#image.offset;
      const error = await this.#streamFrom(address);
      if (this.#closed) return;
      if (this.#image.offset > appliedBefore) {
        failedRounds = 0;
        failuresThisRound = 0;
      }
      logger.warn({ err: error, address, offset: this.#image.offset }, 'metadata stream ended; reconnecting');
      index++;
      failuresThisRound++;
      if (failuresThisRound >= controllers.length) {
        failuresThisRound = 0;
        await this.#sleep(
          backoffDelayMs(failedRounds, this.#options.backoff ?? DEFAULT_BACKOFF, this.#random),
        );
        failedRounds++;
      }
    }
  }

  /** One FetchMetadata stream from the applied offset + 1; resolves (never rejects) when it ends. */
  #streamFrom(address: string): Promise<unknown> {
    this.#snapshotChunks = [];
    this.#snapshotBytes = 0;
    const { credentials } = this.#options;
    const client = createMetadataStreamClient(address, credentials === undefined ? {} : { credentials });
    const call = client.FetchMetadata({ fromOffset: this.#image.offset + 1, follow: true });
    this.#call = call;
    return new Promise<unknown>((resolve) => {
      let ended = false;
      const end = (reason: unknown): void => {
        if (ended) return;
        ended = true;
        this.#call = null;
        call.cancel();
        client.close();
        this.#flushOrDrop();
        resolve(reason);
      };
      call.on('data', (event: FetchMetadataEvent__Output) => {
        if (ended) return;
        this.#lastEventMs = this.#clock.nowMs();
        this.#pending.push(event);
        if (this.#pending.length >= PENDING_EVENTS_MAX) call.pause();
        this.#scheduleFlush(call);
      });
      call.on('error', (error: Error) => end(error));
      call.on('end', () => end(new Error('the controller ended the stream')));
    });
  }

  /** Applies once per burst: the flush runs after the events already read from the socket. */
  #scheduleFlush(call: grpc.ClientReadableStream<FetchMetadataEvent__Output>): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (!this.#flushOrDrop()) {
        call.cancel();
        return;
      }
      if (call.isPaused()) call.resume();
    });
  }

  /**
   * Flushes; on a bad event (corrupt bytes, a record that breaks an invariant) drops the burst and
   * returns false so the caller reconnects from the last applied offset. Nothing partial is applied.
   */
  #flushOrDrop(): boolean {
    try {
      this.#flush();
      return true;
    } catch (error) {
      this.#options.logger.error({ err: error, offset: this.#image.offset }, 'could not apply metadata');
      this.#pending = [];
      this.#snapshotChunks = [];
      this.#snapshotBytes = 0;
      return false;
    }
  }

  /** Applies every pending event: snapshots replace the image, entries replay into one delta. */
  #flush(): void {
    const events = this.#pending;
    this.#pending = [];
    if (events.length === 0) return;
    const previous = this.#image;
    let delta = new MetadataDelta(previous);
    let loaded: MetadataImage | null = null;
    for (const event of events) {
      this.#highWatermark = Math.max(this.#highWatermark, event.highWatermark);
      if (event.snapshot) {
        const image = this.#addSnapshotChunk(event.snapshot.data, event.snapshot.last);
        if (image === null || image.offset <= delta.offset) continue;
        assert(image.offset === event.snapshot.snapshotOffset, 'snapshot offset differs from its chunk');
        loaded = image;
        delta = new MetadataDelta(image);
      } else if (event.entry) {
        const { offset, records } = event.entry;
        if (offset <= delta.offset) continue; // already applied (a resent entry after reconnecting)
        if (records.length === 0) delta.advanceTo(offset);
        for (const bytes of records) delta.replay(decodeRecord(bytes), offset);
      }
    }
    if (delta.offset === previous.offset && loaded === null) return;
    this.#publish(previous, delta, loaded);
  }

  #addSnapshotChunk(data: Buffer, last: boolean): MetadataImage | null {
    this.#snapshotBytes += data.length;
    if (this.#snapshotBytes > SNAPSHOT_BYTES_MAX) {
      throw new TributaryError('RESOURCE_EXHAUSTED', `metadata snapshot exceeds ${SNAPSHOT_BYTES_MAX} bytes`);
    }
    this.#snapshotChunks.push(data);
    if (!last) return null;
    const bytes = Buffer.concat(this.#snapshotChunks);
    this.#snapshotChunks = [];
    this.#snapshotBytes = 0;
    return decodeSnapshot(bytes);
  }

  #publish(previous: MetadataImage, delta: MetadataDelta, loaded: MetadataImage | null): void {
    const next = delta.apply();
    assert(next.offset >= previous.offset, 'the metadata image went back');
    // After a snapshot the delta only knows what changed since it; compare whole images instead.
    const changes = loaded === null ? delta.changes() : snapshotChanges(previous, next);
    this.#image = next;
    if (loaded !== null) this.#options.logger.info({ offset: loaded.offset }, 'loaded a metadata snapshot');
    for (const listener of this.#listeners) {
      try {
        listener(next, changes);
      } catch (error) {
        this.#options.logger.error({ err: error }, 'a metadata image listener threw');
      }
    }
    for (const waiter of this.#waiters) {
      if (next.offset >= waiter.offset) {
        this.#waiters.delete(waiter);
        waiter.resolve(next);
      }
    }
    if (next.offset - this.#persistedOffset >= this.#persistIntervalOffsets) this.#maybePersistInBackground();
  }

  /** One write at a time; a write that fails is logged and retried at the next interval or on close. */
  #maybePersistInBackground(): void {
    if (this.#persisting !== null) return;
    this.#persisting = this.#persist()
      .catch((error: unknown) =>
        this.#options.logger.error({ err: error }, 'could not persist metadata image'),
      )
      .finally(() => {
        this.#persisting = null;
      });
  }

  async #persist(): Promise<void> {
    const image = this.#image;
    await writeSnapshotFile(this.#options.dataDir, image);
    this.#persistedOffset = Math.max(this.#persistedOffset, image.offset);
  }

  /** Waits `delayMs`, or less if close() wakes it. */
  #sleep(delayMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, delayMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeSleep = () => {
        this.#wakeSleep = null;
        done();
      };
    });
  }
}
