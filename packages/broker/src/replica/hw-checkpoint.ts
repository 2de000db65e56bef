/**
 * Kafka's replication-offset-checkpoint: the high watermark of every partition in a data directory, so a
 * restarted broker does not start from 0 (consumers at committed offsets would see OFFSET_OUT_OF_RANGE
 * until the ISR fetched again). Format: a version line "0", a count line, then "topic partition offset"
 * lines. Replaced atomically (temp file + rename); a missing or unreadable file means "no checkpoint".
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HIGH_WATERMARK_CHECKPOINT_FILE = 'replication-offset-checkpoint';

export function formatHighWatermarks(entries: ReadonlyMap<string, number>): string {
  const lines = ['0', String(entries.size)];
  for (const [key, offset] of entries) {
    const dash = key.lastIndexOf('-');
    lines.push(`${key.slice(0, dash)} ${key.slice(dash + 1)} ${offset}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Parses the file into `topic-partition` -> offset; malformed input yields an empty map. */
export function parseHighWatermarks(text: string): Map<string, number> {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const result = new Map<string, number>();
  if (lines[0] !== '0' || Number(lines[1]) !== lines.length - 2) return result;
  for (const line of lines.slice(2)) {
    const parts = line.split(' ');
    const [topic, partition, offset] = parts;
    if (parts.length !== 3 || topic === undefined || partition === undefined || offset === undefined) {
      return new Map();
    }
    const value = Number(offset);
    if (!/^\d+$/.test(partition) || !Number.isSafeInteger(value) || value < 0) return new Map();
    result.set(`${topic}-${partition}`, value);
  }
  return result;
}

export async function readHighWatermarks(dataDir: string): Promise<Map<string, number>> {
  try {
    return parseHighWatermarks(await readFile(join(dataDir, HIGH_WATERMARK_CHECKPOINT_FILE), 'utf8'));
  } catch {
    return new Map();
  }
}

export async function writeHighWatermarks(
  dataDir: string,
  entries: ReadonlyMap<string, number>,
): Promise<void> {
  const path = join(dataDir, HIGH_WATERMARK_CHECKPOINT_FILE);
  await writeFile(`${path}.tmp`, formatHighWatermarks(entries));
  await rename(`${path}.tmp`, path);
}
