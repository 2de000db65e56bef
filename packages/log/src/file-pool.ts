/**
 * Bounds the segment files a process holds open. A broker hosting 100,000 partitions (issue 15) cannot keep
 * a descriptor per segment: `ulimit -n` is 1,024–65,536 on common systems (20,000 on this machine), each
 * one is kernel memory, and most of those partitions are idle. So each segment's `.log` file is a
 * PooledFile: opened when first used, kept open while in use and while among the most recently used, and
 * closed least recently used first once the pool holds more than its bound. The pool never closes a file
 * that is in use, nor a pinned one: a file renamed or unlinked while open (a cleaner's segment before its
 * swap, a replaced segment that reads may still use) could not be opened again by its path.
 *
 * Written here because no library pools fs.promises FileHandles with in-use counts and pinning; the fsync
 * of a reopened file is sound on Linux, where fsync flushes the file's (inode's) dirty pages whichever
 * descriptor wrote them.
 */
import { assert } from '@tributary/core';
import { LOG_LIMITS } from './limits.js';
import { type LogFile, type LogFileSystem, nodeLogFileSystem } from './log-fs.js';

export class FilePool {
  readonly openMax: number;
  /** Open files the pool may close, least recently used first (a Map keeps insertion order). */
  readonly #idleOrder = new Map<PooledFile, true>();
  #openCount = 0;

  constructor(openMax: number) {
    assert(Number.isSafeInteger(openMax) && openMax >= 1, 'a file pool holds at least one file');
    this.openMax = openMax;
  }

  /** Files open now (in use, pinned or idle); above openMax only while the excess is in use or pinned. */
  get openCount(): number {
    return this.#openCount;
  }

  /** @internal A file's handle was opened. */
  opened(file: PooledFile): void {
    this.#openCount++;
    this.used(file);
  }

  /** @internal A file's handle was closed (by the pool, by its owner, or on a failed open). */
  closed(file: PooledFile): void {
    this.#openCount--;
    this.#idleOrder.delete(file);
    assert(this.#openCount >= 0, 'the pool counts each open handle once');
  }

  /** @internal A file was used (or pinned/unpinned): it moves to the most recent end; then evict. */
  used(file: PooledFile): void {
    this.#idleOrder.delete(file);
    if (file.evictable) this.#idleOrder.set(file, true);
    this.#evict();
  }

  #evict(): void {
    if (this.#openCount <= this.openMax) return;
    // Straight over the Map (deleting visited entries while iterating is well defined), not a copy of its
    // keys: that copied every idle file (the whole pool, 4,096) for each file opened past the bound, which
    // at 30,000 new partitions per broker was 120 million copies.
    for (const file of this.#idleOrder.keys()) {
      if (this.#openCount <= this.openMax) return;
      if (file.evictable) file.evict();
      else this.#idleOrder.delete(file);
    }
  }
}

/** The pool every log uses unless given another (one per process: the descriptor limit is per process). */
export const sharedFilePool = new FilePool(LOG_LIMITS.openSegmentFilesMax);

/** One file whose descriptor the pool may close while it is idle and open again by its path. */
export class PooledFile {
  readonly #pool: FilePool;
  readonly #fs: LogFileSystem;
  #path: string;
  #handle: LogFile | null;
  #opening: Promise<LogFile> | null = null;
  #closing: Promise<void> | null = null;
  #users = 0;
  #pinned: boolean;
  #closed = false;

  private constructor(pool: FilePool, fs: LogFileSystem, path: string, handle: LogFile, pinned: boolean) {
    this.#pool = pool;
    this.#fs = fs;
    this.#path = path;
    this.#handle = handle;
    this.#pinned = pinned;
  }

  /**
   * Opens `path` ('w+' creates or empties it, 'r+' needs it to exist); reopens after an eviction always use
   * 'r+'. A pinned file stays open until unpinned or closed. Files live on `options.fs` (node:fs unless a
   * test gives a simulated disk).
   */
  static async open(
    pool: FilePool,
    path: string,
    flags: 'w+' | 'r+',
    options: { readonly pinned?: boolean; readonly fs?: LogFileSystem } = {},
  ): Promise<PooledFile> {
    const fs = options.fs ?? nodeLogFileSystem;
    const file = new PooledFile(pool, fs, path, await fs.open(path, flags), options.pinned === true);
    pool.opened(file);
    return file;
  }

  get path(): string {
    return this.#path;
  }

  /** Whether the pool may close the descriptor now. */
  get evictable(): boolean {
    return this.#handle !== null && this.#users === 0 && !this.#pinned && !this.#closed;
  }

  /** Runs `work` with an open handle; the pool does not close it until `work` settles. */
  async use<T>(work: (handle: LogFile) => Promise<T>): Promise<T> {
    this.#users++;
    try {
      return await work(await this.#acquire());
    } finally {
      this.#users--;
      this.#pool.used(this);
    }
  }

  /**
   * Keeps the descriptor open from now on, opening it again first if the pool had closed it: await this
   * before renaming or unlinking the file while this object lives on (a descriptor reopened by its path
   * after a rename would be another file's).
   */
  async pin(): Promise<void> {
    this.#pinned = true;
    this.#pool.used(this);
    await this.#acquire();
  }

  /** The file is at `path` now (renamed while pinned) and may be closed and reopened there again. */
  unpin(path: string): void {
    this.#path = path;
    this.#pinned = false;
    this.#pool.used(this);
  }

  /** @internal The pool closes the idle descriptor; the next use() opens the file again. */
  evict(): void {
    const handle = this.#handle;
    assert(handle !== null && this.evictable, 'only an open, idle, unpinned file is evicted');
    this.#handle = null;
    this.#pool.closed(this);
    this.#closing = handle
      .close()
      .catch(() => undefined)
      .finally(() => {
        this.#closing = null;
      });
  }

  /** Closes the file for good (further use() fails); a close error is thrown as fs's would be. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#opening?.catch(() => undefined);
    await this.#closing;
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    this.#pool.closed(this);
    await handle.close();
  }

  async #acquire(): Promise<LogFile> {
    // Bounded: each turn either returns, or waits for a close or an open in progress to finish.
    for (let turn = 0; turn < 3; turn++) {
      if (this.#closed) throw new Error(`${this.#path} is closed`);
      if (this.#handle !== null) return this.#handle;
      if (this.#closing !== null) {
        await this.#closing;
        continue;
      }
      if (this.#opening === null) {
        this.#opening = this.#fs.open(this.#path, 'r+').then(
          (handle) => {
            this.#opening = null;
            if (this.#closed) {
              void handle.close().catch(() => undefined);
              throw new Error(`${this.#path} is closed`);
            }
            this.#handle = handle;
            this.#pool.opened(this);
            return handle;
          },
          (error: unknown) => {
            this.#opening = null;
            throw error;
          },
        );
      }
      return this.#opening;
    }
    throw new Error(`${this.#path} could not be opened again`);
  }
}
