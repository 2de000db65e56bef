import { dirname } from 'node:path';
import type { LogFileSystem } from './log-fs.js';

/**
 * Replaces `path` so that a crash leaves either the old or the new content, never a mix: write a temp file,
 * fsync it, rename it over the target, then fsync the directory so the rename itself is durable.
 */
export async function writeFileAtomically(
  fs: LogFileSystem,
  path: string,
  content: string | Buffer,
): Promise<void> {
  const tempPath = `${path}.tmp`;
  const file = await fs.open(tempPath, 'w');
  try {
    await file.writeAll(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await fs.rename(tempPath, path);
  await fs.syncDirectory(dirname(path));
}

/** The file's content, or null when it does not exist. */
export async function readOptionalFile(fs: LogFileSystem, path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
