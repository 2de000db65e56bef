/**
 * A test-only hook on the log's data writes, fsyncs and reads, so that a disk failing under a running broker
 * (ENOSPC, EIO, EROFS) can be reproduced deterministically without root (no loop mount, no tmpfs): the hook
 * sees every segment write, sync and read with its file path and may throw the error a real disk would. Unset (the
 * default, and always in production: the broker installs one only in its refused-unless-test-mode fault
 * injection), it costs one null check per write.
 */

export type StorageOperation = 'write' | 'sync' | 'read';

/** Throws to fail the operation on `path`; `bytes` is what a write is about to write (0 for a sync or read). */
export type StorageFaultHook = (path: string, operation: StorageOperation, bytes: number) => void;

let installed: StorageFaultHook | null = null;

/** Installs (or with null removes) the process's one hook; returns the one it replaced. */
export function setStorageFaultHook(hook: StorageFaultHook | null): StorageFaultHook | null {
  const previous = installed;
  installed = hook;
  return previous;
}

/** Called by the log before each segment write, fsync and read. */
export function checkStorageFault(path: string, operation: StorageOperation, bytes: number): void {
  installed?.(path, operation, bytes);
}
