import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces `path` so that a crash leaves either the old or the new content, never a mix: write a temp file,
 * fsync it, rename it over the target, then fsync the directory so the rename itself is durable.
 */
export async function writeFileAtomically(path: string, content: string | Buffer): Promise<void> {
  const tempPath = `${path}.tmp`;
  const file = await open(tempPath, 'w');
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tempPath, path);
  await syncDirectory(dirname(path));
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
