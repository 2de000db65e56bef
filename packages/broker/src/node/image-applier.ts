/**
 * Feeds metadata images to the replica manager one at a time, in order. Images are whole states, not
 * deltas, so when several arrive while one is being applied only the newest is applied next: the queue
 * is bounded at one image however fast the metadata log moves.
 */
import { assert } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import type { Logger } from 'pino';

export class ImageApplier {
  readonly #apply: (image: MetadataImage) => Promise<void>;
  readonly #logger: Logger;
  #next: MetadataImage | null = null;
  #appliedOffset = -1;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(apply: (image: MetadataImage) => Promise<void>, logger: Logger) {
    this.#apply = apply;
    this.#logger = logger;
  }

  /** The offset of the last image applied successfully; -1 before any. */
  get appliedOffset(): number {
    return this.#appliedOffset;
  }

  /** Queues `image` (replacing a queued older one); ignored when not newer than what was applied. */
  offer(image: MetadataImage): void {
    if (this.#closed || image.offset <= this.#appliedOffset) return;
    if (this.#next !== null && image.offset <= this.#next.offset) return;
    this.#next = image;
    this.#running ??= this.#drain();
  }

  /** Stops taking images and waits for the one being applied. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#next = null;
    await this.#running;
  }

  async #drain(): Promise<void> {
    for (let image = this.#next; image !== null && !this.#closed; image = this.#next) {
      this.#next = null;
      try {
        await this.#apply(image);
        assert(image.offset > this.#appliedOffset, 'metadata images are applied in offset order');
        this.#appliedOffset = image.offset;
      } catch (error) {
        // A failed apply is retried with the next image (a newer state of the same partitions).
        this.#logger.error({ err: error, offset: image.offset }, 'applying a metadata image failed');
      }
    }
    this.#running = null;
  }
}
