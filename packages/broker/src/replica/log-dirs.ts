/**
 * The broker's log directories (Kafka's log.dirs): where each hosted partition's log lives, where a new one
 * goes, and which directories are offline. A partition is found at start-up in whichever directory holds it
 * (in two is an error naming both); a new partition goes to the online directory with the fewest partitions
 * (Kafka's LogManager choice, ties to the first listed). A directory whose disk fails goes offline for the
 * rest of the process's life (Kafka's log-dir failure): its partitions stay assigned to it, so they are
 * neither recreated elsewhere nor opened again until the operator restarts the broker.
 *
 * The choice is pure (chooseLogDir); only open() does I/O (creating and listing the directories).
 */
import { mkdir, readdir } from 'node:fs/promises';
import { assert, TributaryError } from '@tributary/core';
import { REPLICA_LIMITS } from './config.js';

/**
 * The errno codes that mean the disk or its filesystem failed rather than the request (Kafka takes a
 * directory offline on any IOException; Node reports the errno, so the list is explicit): full (ENOSPC,
 * EDQUOT, EFBIG), failing (EIO, ENXIO, ENODEV, ESTALE), remounted read-only (EROFS), or made unusable
 * (EACCES, EPERM).
 */
const DISK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ENOSPC',
  'EDQUOT',
  'EFBIG',
  'EIO',
  'ENXIO',
  'ENODEV',
  'ESTALE',
  'EROFS',
  'EACCES',
  'EPERM',
]);

/** Whether `error` is a failure of the disk a log lives on (see DISK_ERROR_CODES). */
export function isDiskError(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error)) return false;
  const code: unknown = error.code;
  return typeof code === 'string' && DISK_ERROR_CODES.has(code);
}

/** What placement looks at in one directory. */
export interface LogDirLoad {
  readonly online: boolean;
  readonly partitions: number;
}

/** The index of the online directory with the fewest partitions (the first on a tie); null if none is online. */
export function chooseLogDir(dirs: readonly LogDirLoad[]): number | null {
  let chosen: number | null = null;
  let fewest = Number.POSITIVE_INFINITY;
  dirs.forEach((dir, index) => {
    if (dir.online && dir.partitions < fewest) {
      chosen = index;
      fewest = dir.partitions;
    }
  });
  return chosen;
}

/** One directory's state as reported to metrics and logs. */
export interface LogDirStatus {
  readonly path: string;
  readonly online: boolean;
  readonly partitions: number;
  /** Why it went offline (the first error), when it did. */
  readonly error?: string;
}

interface DirState {
  readonly path: string;
  online: boolean;
  error?: string;
  readonly partitions: Set<string>;
}

/** A partition's directory could not be used because it is offline (it is not recreated elsewhere). */
export class LogDirOfflineError extends TributaryError {
  constructor(
    readonly partitionKey: string,
    readonly logDir: string,
  ) {
    super('STORAGE_ERROR', `${partitionKey} is in offline log directory ${logDir}`);
  }
}

export class LogDirectories {
  readonly #dirs: DirState[];
  /** Partition key (topic-partition) to the index of its directory in #dirs. */
  readonly #byPartition = new Map<string, number>();

  private constructor(paths: readonly string[]) {
    this.#dirs = paths.map((path) => ({ path, online: true, partitions: new Set<string>() }));
  }

  /**
   * Creates the directories that do not exist and finds the partitions each holds (every subdirectory is a
   * partition's log, named by its partition key). A partition in two directories, or a path listed twice,
   * is an error naming both; a directory that cannot be read is an error naming it (see docs/decisions.md:
   * the broker does not start with a directory it cannot look into, or it could create a second copy of a
   * partition that the unreadable directory holds).
   */
  static async open(paths: readonly string[]): Promise<LogDirectories> {
    assert(paths.length > 0, 'a broker has at least one log directory');
    if (paths.length > REPLICA_LIMITS.logDirsMax) {
      throw new TributaryError(
        'INVALID_CONFIG',
        `at most ${REPLICA_LIMITS.logDirsMax} log directories, got ${paths.length}`,
      );
    }
    const duplicate = paths.find((path, index) => paths.indexOf(path) !== index);
    if (duplicate !== undefined) {
      throw new TributaryError('INVALID_CONFIG', `log directory ${duplicate} is listed twice`);
    }
    const dirs = new LogDirectories(paths);
    for (const [index, path] of paths.entries()) {
      let names: string[];
      try {
        await mkdir(path, { recursive: true });
        const entries = await readdir(path, { withFileTypes: true });
        names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      } catch (error) {
        throw new TributaryError(
          'STORAGE_ERROR',
          `log directory ${path} cannot be used: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      for (const name of names) dirs.#add(name, index);
    }
    return dirs;
  }

  #add(key: string, index: number): void {
    const existing = this.#byPartition.get(key);
    const dir = this.#dirs[index];
    assert(dir !== undefined, 'directory index is in range');
    if (existing !== undefined) {
      const other = this.#dirs[existing]?.path ?? '?';
      throw new TributaryError(
        'STORAGE_ERROR',
        `partition ${key} is in two log directories: ${other} and ${dir.path} (remove the stale copy)`,
      );
    }
    this.#byPartition.set(key, index);
    dir.partitions.add(key);
  }

  /** Every directory, in the order given. */
  get paths(): readonly string[] {
    return this.#dirs.map((dir) => dir.path);
  }

  /** The directory holding `key`'s log, if any does. */
  dirOf(key: string): string | undefined {
    const index = this.#byPartition.get(key);
    return index === undefined ? undefined : this.#dirs[index]?.path;
  }

  /** The offline directory holding `key`'s log, if its directory is offline. */
  offlineDirOf(key: string): string | undefined {
    const index = this.#byPartition.get(key);
    const dir = index === undefined ? undefined : this.#dirs[index];
    return dir !== undefined && !dir.online ? dir.path : undefined;
  }

  /**
   * The directory `key`'s log is to be opened in: the one holding it, else the least loaded online one
   * (which from then on holds it). Throws LogDirOfflineError when its directory is offline, and
   * STORAGE_ERROR when no directory is online.
   */
  place(key: string): string {
    const existing = this.#byPartition.get(key);
    if (existing !== undefined) {
      const dir = this.#dirs[existing];
      assert(dir !== undefined, 'directory index is in range');
      if (!dir.online) throw new LogDirOfflineError(key, dir.path);
      return dir.path;
    }
    const index = chooseLogDir(
      this.#dirs.map((dir) => ({ online: dir.online, partitions: dir.partitions.size })),
    );
    if (index === null) throw new TributaryError('STORAGE_ERROR', 'every log directory is offline');
    this.#add(key, index);
    return this.#dirs[index]?.path ?? '';
  }

  /** `key`'s log was deleted: its directory no longer holds it. */
  release(key: string): void {
    const index = this.#byPartition.get(key);
    if (index === undefined) return;
    this.#byPartition.delete(key);
    this.#dirs[index]?.partitions.delete(key);
  }

  /**
   * Takes `path` offline; returns the partitions it holds, or null when it was offline already (the first
   * failure is the one acted on; the partitions' logs fail one after another).
   */
  markOffline(path: string, error: string): readonly string[] | null {
    const dir = this.#dirs.find((candidate) => candidate.path === path);
    assert(dir !== undefined, `${path} is one of the broker's log directories`);
    if (!dir.online) return null;
    dir.online = false;
    dir.error = error;
    return [...dir.partitions];
  }

  /** The partitions held by offline directories. */
  *offlinePartitionKeys(): Iterable<string> {
    for (const dir of this.#dirs) if (!dir.online) yield* dir.partitions;
  }

  get offlineCount(): number {
    return this.#dirs.filter((dir) => !dir.online).length;
  }

  get allOffline(): boolean {
    return this.#dirs.every((dir) => !dir.online);
  }

  status(): LogDirStatus[] {
    return this.#dirs.map((dir) => ({
      path: dir.path,
      online: dir.online,
      partitions: dir.partitions.size,
      ...(dir.error === undefined ? {} : { error: dir.error }),
    }));
  }
}
