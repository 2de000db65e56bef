/**
 * The file-system operations the partition log uses, as one narrow interface (issue 16 item 2): production
 * runs on `nodeLogFileSystem` (node:fs, the same calls the log made directly before), tests run the very same
 * log code on `SimulatedDisk` (testing/simulated-disk.ts), which models the page cache and loses what was not
 * fsynced when it "loses power". The interface lists only what the log really does, so a fault injector or
 * another implementation has a small, exact surface to cover.
 *
 * Errors follow node:fs: an Error whose `code` is the errno name ('ENOENT', 'ENOSPC', 'EIO', ...), so
 * `isNotFound` and the log's failure handling read both implementations alike.
 */
import { readSync as nodeReadSync, writeSync as nodeWriteSync, type Stats } from 'node:fs';
import {
  type FileHandle,
  mkdir as nodeMkdir,
  open as nodeOpen,
  readdir as nodeReaddir,
  readFile as nodeReadFile,
  rename as nodeRename,
  rm as nodeRm,
  stat as nodeStat,
  writeFile as nodeWriteFile,
} from 'node:fs/promises';

/**
 * 'r' read only; 'r+' read-write, must exist; 'w' / 'w+' create or empty; 'a+' create if missing, writes go
 * to the end of the file whatever position they name (Linux's pwrite on O_APPEND).
 */
export type LogOpenFlags = 'r' | 'r+' | 'w' | 'w+' | 'a+';

export interface LogFileStat {
  readonly sizeBytes: number;
  readonly isDirectory: boolean;
}

/** An open file. Positions are byte offsets in the file; counts are bytes. */
export interface LogFile {
  /** Reads up to `length` bytes at `position` into `buffer[offset..]`; fewer only at the end of the file. */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** The same, synchronously: small reads on the hot path (segment-scan.ts explains why). */
  readSync(buffer: Buffer, offset: number, length: number, position: number): number;
  /** Writes `buffer[offset..offset+length)` at `position`; returns the bytes written (may be fewer). */
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  writeSync(buffer: Buffer, offset: number, length: number, position: number): number;
  /** Replaces the whole content from position 0 (the file must have been opened with 'w' or 'w+'). */
  writeAll(content: string | Buffer): Promise<void>;
  stat(): Promise<LogFileStat>;
  truncate(lengthBytes: number): Promise<void>;
  /** fdatasync: the data (and the size) are durable once it resolves. */
  datasync(): Promise<void>;
  /** fsync: data and metadata durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface LogFileSystem {
  open(path: string, flags: LogOpenFlags): Promise<LogFile>;
  readFile(path: string): Promise<Buffer>;
  /** Creates or replaces `path` with `content` (not fsynced). */
  writeFile(path: string, content: string | Buffer): Promise<void>;
  rename(fromPath: string, toPath: string): Promise<void>;
  /** Unlinks a file; with `force`, a missing file is not an error. */
  rm(path: string, options?: { readonly force?: boolean }): Promise<void>;
  /** mkdir -p; returns the first directory it created, undefined when `path` already existed (node's rule). */
  mkdirRecursive(path: string): Promise<string | undefined>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<LogFileStat>;
  /** fsync of a directory: the entries created, renamed or removed in it so far are durable. */
  syncDirectory(path: string): Promise<void>;
}

/** node:fs behind the interface: each method is the call the log made before, with no added work. */
class NodeLogFile implements LogFile {
  readonly #handle: FileHandle;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return (await this.#handle.read(buffer, offset, length, position)).bytesRead;
  }

  readSync(buffer: Buffer, offset: number, length: number, position: number): number {
    return nodeReadSync(this.#handle.fd, buffer, offset, length, position);
  }

  async write(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return (await this.#handle.write(buffer, offset, length, position)).bytesWritten;
  }

  writeSync(buffer: Buffer, offset: number, length: number, position: number): number {
    return nodeWriteSync(this.#handle.fd, buffer, offset, length, position);
  }

  writeAll(content: string | Buffer): Promise<void> {
    return this.#handle.writeFile(content);
  }

  async stat(): Promise<LogFileStat> {
    return statOf(await this.#handle.stat());
  }

  truncate(lengthBytes: number): Promise<void> {
    return this.#handle.truncate(lengthBytes);
  }

  datasync(): Promise<void> {
    return this.#handle.datasync();
  }

  sync(): Promise<void> {
    return this.#handle.sync();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

function statOf(stats: Stats): LogFileStat {
  return { sizeBytes: stats.size, isDirectory: stats.isDirectory() };
}

export const nodeLogFileSystem: LogFileSystem = {
  async open(path, flags) {
    return new NodeLogFile(await nodeOpen(path, flags));
  },
  readFile: (path) => nodeReadFile(path),
  writeFile: (path, content) => nodeWriteFile(path, content),
  rename: (fromPath, toPath) => nodeRename(fromPath, toPath),
  rm: (path, options) => nodeRm(path, { force: options?.force === true }),
  mkdirRecursive: (path) => nodeMkdir(path, { recursive: true }),
  readdir: (path) => nodeReaddir(path),
  async stat(path) {
    return statOf(await nodeStat(path));
  },
  async syncDirectory(path) {
    const handle = await nodeOpen(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
