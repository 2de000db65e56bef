/**
 * Feeds metadata images to the replica manager one at a time, in order, each with what changed since the
 * image applied before it. When several arrive while one is being applied only the newest is applied next,
 * with the union of the changes of every image it skipped: the queue is bounded at one image however fast the
 * metadata log moves, and the replica manager's plan for (last applied, next) still misses nothing.
 */
import { assert } from '@tributary/core';
import { type MetadataChanges, MetadataImage, type TopicId } from '@tributary/metadata';
import type { Logger } from 'pino';
import { snapshotChanges } from '../metadata-follower/snapshot-changes.js';

export type ApplyImage = (image: MetadataImage, changes: MetadataChanges) => Promise<void>;

export class ImageApplier {
  readonly #apply: ApplyImage;
  readonly #logger: Logger;
  /** The newest image accepted by offer(): what the next offer's changes are relative to. */
  #latest: MetadataImage = MetadataImage.EMPTY;
  #next: MetadataImage | null = null;
  /** What changed from the image before #next was queued (applied, being applied or failed) to #next. */
  #nextChanges: MetadataChanges | null = null;
  /** The changes of an apply that failed: carried into the next apply, whose plan must cover them too. */
  #unapplied: MetadataChanges | null = null;
  #appliedOffset = -1;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(apply: ApplyImage, logger: Logger) {
    this.#apply = apply;
    this.#logger = logger;
  }

  /** The offset of the last image applied successfully; -1 before any. */
  get appliedOffset(): number {
    return this.#appliedOffset;
  }

  /**
   * Queues `image` (replacing a queued older one, whose changes it takes over); ignored when not newer than
   * the last image offered. `changes` is what changed since the image offered before (the metadata
   * follower's listener gives it); without it the whole image is compared with that one (snapshotChanges:
   * O(image), for a first image).
   */
  offer(image: MetadataImage, changes?: MetadataChanges): void {
    if (this.#closed || image.offset <= this.#latest.offset) return;
    const since = changes ?? snapshotChanges(this.#latest, image);
    this.#latest = image;
    this.#next = image;
    this.#nextChanges = this.#nextChanges === null ? since : unionChanges(this.#nextChanges, since);
    this.#running ??= this.#drain();
  }

  /** Stops taking images and waits for the one being applied. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#next = null;
    this.#nextChanges = null;
    await this.#running;
  }

  async #drain(): Promise<void> {
    for (let image = this.#next; image !== null && !this.#closed; image = this.#next) {
      const queued = this.#nextChanges;
      assert(queued !== null, 'a queued image has its changes');
      const changes = this.#unapplied === null ? queued : unionChanges(this.#unapplied, queued);
      this.#next = null;
      this.#nextChanges = null;
      this.#unapplied = null;
      try {
        await this.#apply(image, changes);
        assert(image.offset > this.#appliedOffset, 'metadata images are applied in offset order');
        this.#appliedOffset = image.offset;
      } catch (error) {
        // A failed apply is retried with the next image (a newer state of the same partitions).
        this.#unapplied = changes;
        this.#logger.error({ err: error, offset: image.offset }, 'applying a metadata image failed');
      }
    }
    this.#running = null;
  }
}

/** Everything either names: what changed over two consecutive changes (or a failed one and the next). */
export function unionChanges(a: MetadataChanges, b: MetadataChanges): MetadataChanges {
  const partitions = new Map<TopicId, ReadonlySet<number>>(a.partitions);
  for (const [topicId, indexes] of b.partitions) {
    const earlier = partitions.get(topicId);
    partitions.set(topicId, earlier === undefined ? indexes : new Set([...earlier, ...indexes]));
  }
  return {
    brokers: new Set([...a.brokers, ...b.brokers]),
    createdTopics: new Set([...a.createdTopics, ...b.createdTopics]),
    removedTopics: new Set([...a.removedTopics, ...b.removedTopics]),
    partitions,
    configResources: new Set([...a.configResources, ...b.configResources]),
    producerIds: a.producerIds || b.producerIds,
  };
}
