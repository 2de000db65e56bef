/**
 * The follower's position on disk: its image as one snapshot file (packages/metadata snapshot format,
 * which carries its own offset and CRC), encoded a slice at a time. Written atomically — temp file, fsync,
 * rename, fsync of the directory — so a crash leaves either the old file or the new one, never a torn one.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSnapshot, type MetadataImage, SnapshotEncoder } from '@tributary/metadata';

export const SNAPSHOT_FILE_NAME = 'metadata.snapshot';
const TEMP_SUFFIX = '.tmp';

/**
 * Records encoded between two yields to the event loop while the image is persisted: the broker keeps
 * serving meanwhile (a whole 100,000-partition image is half a second of CPU).
 */
export const PERSIST_RECORDS_PER_SLICE = 2_000;

export async function writeSnapshotFile(dir: string, image: MetadataImage): Promise<void> {
  const path = join(dir, SNAPSHOT_FILE_NAME);
  const tempPath = path + TEMP_SUFFIX;
  const encoder = new SnapshotEncoder(image);
  while (!encoder.step(PERSIST_RECORDS_PER_SLICE)) await new Promise((resolve) => setImmediate(resolve));
  const bytes = encoder.finish();
  const file = await open(tempPath, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tempPath, path);
  // The rename is durable only once the directory entry is.
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** The persisted image, or null when there is none. A corrupt file throws (decodeSnapshot checks its CRC). */
export async function readSnapshotFile(dir: string): Promise<MetadataImage | null> {
  const path = join(dir, SNAPSHOT_FILE_NAME);
  // A leftover temp file is from a write that never finished; the renamed file (if any) is whole.
  await rm(path + TEMP_SUFFIX, { force: true });
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  return decodeSnapshot(bytes);
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
