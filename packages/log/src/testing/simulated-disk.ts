/**
 * SimulatedDisk: an in-memory LogFileSystem with a page cache, for power-loss tests of the log (issue 16
 * item 2). The log runs on it unchanged (PartitionLog.open({ fs: disk, ... })); `crash()` is the power going
 * out: whatever was not made durable is lost, and the log is then opened again on what is left.
 *
 * The model (ext4 with data=ordered, taken at its weakest documented promises):
 * - Every change is visible to reads at once: writes, truncations, creations, renames, unlinks.
 * - A file's content (data and size) becomes durable when the file is fsynced or fdatasynced, through any
 *   handle (the page cache belongs to the inode). Its durable content is what the last sync saw.
 * - A directory entry (a create, a rename, an unlink, a mkdir) becomes durable only when that directory is
 *   fsynced; the entry of a new directory needs an fsync of its parent. So a file fsynced under a name that
 *   was never made durable is lost with its data, and an unlink that was not made durable is undone. (ext4
 *   often commits a new file's entry with the file's own fsync, through its journal; POSIX does not promise
 *   it and other file systems do not do it, so the log must not rely on it, and this model does not.)
 * - Power loss keeps, for each file, its durable content. With `tornWrites`, the disk may have written back
 *   part of what the page cache held: for each file, a seeded-random number of its non-durable changes
 *   survive in the order they were made, and the first change that did not survive may survive in part (a
 *   random prefix of its bytes: a torn write). Writeback in order is a simplification (a real page cache
 *   writes pages back in any order); it is enough to put torn batches and stale tails in front of recovery.
 * - Directory changes are never torn: each directory is as its last fsync left it.
 * - A failed fsync (an injected EIO) makes nothing durable and keeps the changes pending.
 *
 * Crash points: `crashAtSync(n)` loses power right after the n-th fsync (file or directory) from now, and
 * the disk stays off (every operation fails with EIO, as a dead machine answers nothing) until `powerOn()`:
 * a test can crash a workload at every fsync boundary in turn.
 *
 * Faults: `injectFault` makes chosen operations on chosen paths fail with ENOSPC, EIO or EROFS (errors
 * shaped as node:fs's, with `code`), for the disk-fault work of issue 16 item 1.
 *
 * Written here because no library models durability for node:fs: memfs and its kind keep one copy of every
 * file, with nothing for an fsync to change (docs/decisions.md).
 */
import { posix } from 'node:path';
import { assert } from '@tributary/core';
import type { LogFile, LogFileStat, LogFileSystem, LogOpenFlags } from '../log-fs.js';

export type DiskOperation =
  | 'open'
  | 'read'
  | 'write'
  | 'truncate'
  | 'datasync'
  | 'fsync'
  | 'readFile'
  | 'writeFile'
  | 'rename'
  | 'rm'
  | 'mkdir'
  | 'readdir'
  | 'stat'
  | 'syncDirectory';

export type DiskFaultCode = 'ENOSPC' | 'EIO' | 'EROFS';

export interface DiskFault {
  readonly operations: readonly DiskOperation[];
  /** Only paths containing this text fail; every path when absent. */
  readonly pathIncludes?: string;
  readonly code: DiskFaultCode;
  /** How many matching operations fail before the fault is spent; unbounded when absent. */
  readonly count?: number;
}

export interface CrashOptions {
  /** Keep a random in-order part of each file's unsynced changes, the last one possibly torn. */
  readonly tornWrites?: boolean;
}

export interface DiskCounters {
  readonly fileSyncs: number;
  readonly directorySyncs: number;
  readonly crashes: number;
}

type PendingChange =
  | { readonly kind: 'write'; readonly position: number; readonly bytes: Buffer }
  | { readonly kind: 'truncate'; readonly sizeBytes: number };

/** A growable byte array (appends are amortized O(1), as the log appends all the time). */
class Content {
  #bytes: Buffer;
  #size: number;

  constructor(bytes: Buffer = Buffer.alloc(0)) {
    this.#bytes = Buffer.from(bytes);
    this.#size = bytes.length;
  }

  get sizeBytes(): number {
    return this.#size;
  }

  view(): Buffer {
    return this.#bytes.subarray(0, this.#size);
  }

  copy(): Buffer {
    return Buffer.from(this.view());
  }

  write(position: number, bytes: Buffer): void {
    const end = position + bytes.length;
    if (end > this.#bytes.length) {
      const grown = Buffer.alloc(Math.max(end, this.#bytes.length * 2, 4096));
      this.#bytes.copy(grown, 0, 0, this.#size);
      this.#bytes = grown;
    }
    // Writing past the end leaves a hole of zeros, as a sparse file reads.
    if (position > this.#size) this.#bytes.fill(0, this.#size, position);
    bytes.copy(this.#bytes, position);
    this.#size = Math.max(this.#size, end);
  }

  truncate(sizeBytes: number): void {
    if (sizeBytes > this.#size) this.write(this.#size, Buffer.alloc(sizeBytes - this.#size));
    this.#size = sizeBytes;
  }

  apply(change: PendingChange): void {
    if (change.kind === 'write') this.write(change.position, change.bytes);
    else this.truncate(change.sizeBytes);
  }
}

class FileNode {
  readonly kind = 'file';
  content: Content;
  durable: Buffer;
  /** Changes since the last sync, in order: what a crash may lose (or keep part of). */
  pending: PendingChange[] = [];

  constructor() {
    this.content = new Content();
    this.durable = Buffer.alloc(0);
  }

  change(change: PendingChange): void {
    this.content.apply(change);
    this.pending.push(change);
  }

  sync(): void {
    this.durable = this.content.copy();
    this.pending = [];
  }
}

class DirNode {
  readonly kind = 'dir';
  entries = new Map<string, Node>();
  durableEntries = new Map<string, Node>();
}

type Node = FileNode | DirNode;

export function diskError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: simulated disk, ${syscall} '${path}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

/** mulberry32: a small seeded generator, so every crash replays from the disk's seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SimulatedDisk implements LogFileSystem {
  readonly #root = new DirNode();
  readonly #random: () => number;
  #faults: { fault: DiskFault; remaining: number }[] = [];
  /** Bumped by crash(): handles opened before it are dead (the process using them died with the power). */
  #generation = 0;
  #fileSyncs = 0;
  #directorySyncs = 0;
  #crashes = 0;
  #syncsUntilCrash: number | null = null;
  #crashAtSyncOptions: CrashOptions = {};
  #poweredOff = false;

  constructor(options: { readonly seed: number }) {
    this.#random = seededRandom(options.seed);
  }

  get counters(): DiskCounters {
    return { fileSyncs: this.#fileSyncs, directorySyncs: this.#directorySyncs, crashes: this.#crashes };
  }

  /** Power loss: see the model in the file's header. Open handles fail from now on (closing them is fine). */
  crash(options: CrashOptions = {}): void {
    this.#generation++;
    this.#crashes++;
    this.#crashDirectory(this.#root, options.tornWrites === true);
  }

  /**
   * Loses power right after the `syncs`-th fsync from now (1 = the next one completes, then the power goes);
   * the disk then answers EIO to everything until powerOn().
   */
  crashAtSync(syncs: number, options: CrashOptions = {}): void {
    assert(Number.isSafeInteger(syncs) && syncs >= 1, 'a crash point is a positive number of fsyncs');
    this.#syncsUntilCrash = syncs;
    this.#crashAtSyncOptions = options;
  }

  /** Drops a crash scheduled by crashAtSync that has not struck yet. */
  cancelScheduledCrash(): void {
    this.#syncsUntilCrash = null;
  }

  get poweredOff(): boolean {
    return this.#poweredOff;
  }

  /** After a scheduled crash: the machine boots again on what the disk kept. */
  powerOn(): void {
    this.#poweredOff = false;
  }

  /** Makes matching operations fail; returns a function that removes the fault. */
  injectFault(fault: DiskFault): () => void {
    const entry = { fault, remaining: fault.count ?? Number.POSITIVE_INFINITY };
    this.#faults.push(entry);
    return () => {
      this.#faults = this.#faults.filter((other) => other !== entry);
    };
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Bytes and changes not durable yet, over every reachable file (tests of the tests). */
  pendingChanges(): number {
    let count = 0;
    const visit = (dir: DirNode): void => {
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') visit(node);
        else count += node.pending.length;
      }
    };
    visit(this.#root);
    return count;
  }

  async open(path: string, flags: LogOpenFlags): Promise<LogFile> {
    this.checkFault('open', path);
    const { parent, name } = this.#parentOf(path, 'open');
    let node = parent.entries.get(name);
    if (node === undefined) {
      if (flags === 'r' || flags === 'r+') throw diskError('ENOENT', 'open', path);
      node = new FileNode();
      parent.entries.set(name, node);
    } else if (node.kind === 'dir') {
      if (flags !== 'r') throw diskError('EISDIR', 'open', path);
      return new SimulatedDirectoryHandle(this, path, this.#generation);
    } else if (flags === 'w' || flags === 'w+') {
      if (node.content.sizeBytes > 0) node.change({ kind: 'truncate', sizeBytes: 0 });
    }
    return new SimulatedFile(this, node, { path, flags, generation: this.#generation });
  }

  async readFile(path: string): Promise<Buffer> {
    this.checkFault('readFile', path);
    return this.#file(path, 'open').content.copy();
  }

  async writeFile(path: string, content: string | Buffer): Promise<void> {
    this.checkFault('writeFile', path);
    const file = await this.open(path, 'w');
    await file.writeAll(content);
    await file.close();
  }

  async rename(fromPath: string, toPath: string): Promise<void> {
    this.checkFault('rename', fromPath);
    const from = this.#parentOf(fromPath, 'rename');
    const to = this.#parentOf(toPath, 'rename');
    const node = from.parent.entries.get(from.name);
    if (node === undefined) throw diskError('ENOENT', 'rename', fromPath);
    if (to.parent.entries.get(to.name)?.kind === 'dir') throw diskError('EISDIR', 'rename', toPath);
    from.parent.entries.delete(from.name);
    to.parent.entries.set(to.name, node);
  }

  async rm(path: string, options?: { readonly force?: boolean }): Promise<void> {
    this.checkFault('rm', path);
    let located: { parent: DirNode; name: string };
    try {
      located = this.#parentOf(path, 'rm');
    } catch (error) {
      if (options?.force === true && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const node = located.parent.entries.get(located.name);
    if (node === undefined) {
      if (options?.force === true) return;
      throw diskError('ENOENT', 'rm', path);
    }
    if (node.kind === 'dir') throw diskError('EISDIR', 'rm', path);
    located.parent.entries.delete(located.name);
  }

  async mkdirRecursive(path: string): Promise<string | undefined> {
    this.checkFault('mkdir', path);
    let dir = this.#root;
    let walked = '';
    let firstCreated: string | undefined;
    for (const name of this.#parts(path, 'mkdir')) {
      walked += `/${name}`;
      let next = dir.entries.get(name);
      if (next === undefined) {
        next = new DirNode();
        dir.entries.set(name, next);
        firstCreated ??= walked;
      }
      if (next.kind !== 'dir') throw diskError('ENOTDIR', 'mkdir', path);
      dir = next;
    }
    return firstCreated;
  }

  async readdir(path: string): Promise<string[]> {
    this.checkFault('readdir', path);
    return [...this.#dir(path, 'scandir').entries.keys()].sort();
  }

  async stat(path: string): Promise<LogFileStat> {
    this.checkFault('stat', path);
    const node = this.#lookup(path, 'stat');
    return node.kind === 'dir'
      ? { sizeBytes: 0, isDirectory: true }
      : { sizeBytes: node.content.sizeBytes, isDirectory: false };
  }

  async syncDirectory(path: string): Promise<void> {
    this.checkFault('syncDirectory', path);
    const dir = this.#dir(path, 'fsync');
    dir.durableEntries = new Map(dir.entries);
    this.#directorySyncs++;
    this.#maybeScheduledCrash();
  }

  /** @internal */
  checkFault(operation: DiskOperation, path: string): void {
    if (this.#poweredOff) throw diskError('EIO', operation, path);
    for (const entry of this.#faults) {
      const { fault } = entry;
      if (entry.remaining <= 0 || !fault.operations.includes(operation)) continue;
      if (fault.pathIncludes !== undefined && !path.includes(fault.pathIncludes)) continue;
      entry.remaining--;
      throw diskError(fault.code, operation, path);
    }
  }

  /** @internal Throws when `generation` is from before the last crash. */
  checkAlive(generation: number, syscall: string, path: string): void {
    if (generation !== this.#generation) throw diskError('EIO', syscall, path);
  }

  /** @internal A file was fsynced. */
  countFileSync(): void {
    this.#fileSyncs++;
    this.#maybeScheduledCrash();
  }

  #maybeScheduledCrash(): void {
    if (this.#syncsUntilCrash === null) return;
    this.#syncsUntilCrash--;
    if (this.#syncsUntilCrash > 0) return;
    this.#syncsUntilCrash = null;
    this.crash(this.#crashAtSyncOptions);
    this.#poweredOff = true;
  }

  #crashDirectory(dir: DirNode, torn: boolean): void {
    dir.entries = new Map(dir.durableEntries);
    for (const node of dir.entries.values()) {
      if (node.kind === 'dir') this.#crashDirectory(node, torn);
      else this.#crashFile(node, torn);
    }
  }

  #crashFile(file: FileNode, torn: boolean): void {
    const after = new Content(file.durable);
    if (torn && file.pending.length > 0) {
      const kept = Math.floor(this.#random() * (file.pending.length + 1));
      for (const change of file.pending.slice(0, kept)) after.apply(change);
      const next = file.pending[kept];
      if (next?.kind === 'write' && next.bytes.length > 1) {
        const prefixBytes = Math.floor(this.#random() * next.bytes.length);
        if (prefixBytes > 0) after.write(next.position, next.bytes.subarray(0, prefixBytes));
      }
    }
    file.content = after;
    file.sync();
  }

  #parts(path: string, syscall: string): string[] {
    if (!path.startsWith('/')) throw diskError('EINVAL', syscall, path);
    return posix
      .normalize(path)
      .split('/')
      .filter((part) => part.length > 0);
  }

  #lookup(path: string, syscall: string): Node {
    let node: Node = this.#root;
    for (const name of this.#parts(path, syscall)) {
      if (node.kind !== 'dir') throw diskError('ENOTDIR', syscall, path);
      const next: Node | undefined = node.entries.get(name);
      if (next === undefined) throw diskError('ENOENT', syscall, path);
      node = next;
    }
    return node;
  }

  #dir(path: string, syscall: string): DirNode {
    const node = this.#lookup(path, syscall);
    if (node.kind !== 'dir') throw diskError('ENOTDIR', syscall, path);
    return node;
  }

  #file(path: string, syscall: string): FileNode {
    const node = this.#lookup(path, syscall);
    if (node.kind !== 'file') throw diskError('EISDIR', syscall, path);
    return node;
  }

  #parentOf(path: string, syscall: string): { parent: DirNode; name: string } {
    const parts = this.#parts(path, syscall);
    const name = parts.pop();
    if (name === undefined) throw diskError('EISDIR', syscall, path);
    return { parent: this.#dir(`/${parts.join('/')}`, syscall), name };
  }
}

/** An open file on the simulated disk (it follows its inode through renames and unlinks, as a fd does). */
class SimulatedFile implements LogFile {
  readonly #disk: SimulatedDisk;
  readonly #node: FileNode;
  readonly #path: string;
  readonly #flags: LogOpenFlags;
  readonly #generation: number;
  #closed = false;

  constructor(
    disk: SimulatedDisk,
    node: FileNode,
    options: { path: string; flags: LogOpenFlags; generation: number },
  ) {
    this.#disk = disk;
    this.#node = node;
    this.#path = options.path;
    this.#flags = options.flags;
    this.#generation = options.generation;
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return this.readSync(buffer, offset, length, position);
  }

  readSync(buffer: Buffer, offset: number, length: number, position: number): number {
    this.#check('read');
    const content = this.#node.content.view();
    if (position >= content.length) return 0;
    return content.copy(buffer, offset, position, Math.min(content.length, position + length));
  }

  async write(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return this.writeSync(buffer, offset, length, position);
  }

  writeSync(buffer: Buffer, offset: number, length: number, position: number): number {
    this.#check('write');
    if (this.#flags === 'r') throw diskError('EBADF', 'write', this.#path);
    assert(Number.isSafeInteger(position) && position >= 0, 'writes name a position');
    // Linux: pwrite on a file opened for appending writes at the end whatever the position.
    const at = this.#flags === 'a+' ? this.#node.content.sizeBytes : position;
    this.#node.change({
      kind: 'write',
      position: at,
      bytes: Buffer.from(buffer.subarray(offset, offset + length)),
    });
    return length;
  }

  async writeAll(content: string | Buffer): Promise<void> {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.#check('write');
    if (this.#node.content.sizeBytes > 0) this.#node.change({ kind: 'truncate', sizeBytes: 0 });
    this.writeSync(bytes, 0, bytes.length, 0);
  }

  async stat(): Promise<LogFileStat> {
    this.#check('stat');
    return { sizeBytes: this.#node.content.sizeBytes, isDirectory: false };
  }

  async truncate(lengthBytes: number): Promise<void> {
    this.#check('truncate');
    if (this.#flags === 'r') throw diskError('EBADF', 'truncate', this.#path);
    this.#node.change({ kind: 'truncate', sizeBytes: lengthBytes });
  }

  async datasync(): Promise<void> {
    this.#check('datasync');
    this.#node.sync();
    this.#disk.countFileSync();
  }

  async sync(): Promise<void> {
    this.#check('fsync');
    this.#node.sync();
    this.#disk.countFileSync();
  }

  async close(): Promise<void> {
    // Closing never fails, not even after a crash: the owner is releasing what it held.
    this.#closed = true;
  }

  #check(operation: DiskOperation): void {
    if (this.#closed) throw diskError('EBADF', operation, this.#path);
    this.#disk.checkAlive(this.#generation, operation, this.#path);
    this.#disk.checkFault(operation, this.#path);
  }
}

/** A directory opened read-only (what node:fs allows): only sync and close mean anything. */
class SimulatedDirectoryHandle implements LogFile {
  constructor(
    private readonly disk: SimulatedDisk,
    private readonly path: string,
    private readonly generation: number,
  ) {}

  read(): Promise<number> {
    return Promise.reject(diskError('EISDIR', 'read', this.path));
  }
  readSync(): number {
    throw diskError('EISDIR', 'read', this.path);
  }
  write(): Promise<number> {
    return Promise.reject(diskError('EISDIR', 'write', this.path));
  }
  writeSync(): number {
    throw diskError('EISDIR', 'write', this.path);
  }
  writeAll(): Promise<void> {
    return Promise.reject(diskError('EISDIR', 'write', this.path));
  }
  async stat(): Promise<LogFileStat> {
    return { sizeBytes: 0, isDirectory: true };
  }
  truncate(): Promise<void> {
    return Promise.reject(diskError('EISDIR', 'truncate', this.path));
  }
  async datasync(): Promise<void> {
    await this.sync();
  }
  async sync(): Promise<void> {
    this.disk.checkAlive(this.generation, 'fsync', this.path);
    await this.disk.syncDirectory(this.path);
  }
  async close(): Promise<void> {}
}
