/**
 * The records kcat produces: one value per line, `valueBytes` random alphanumeric bytes (never the
 * delimiter), from a seeded generator so every run and machine sends the same bytes. The file is written
 * once before anything is timed, and kcat reads it itself (-l FILE), so the producer never waits on a
 * generator or a pipe. Keys are null, as `trib perf produce` sends them.
 */
import { open } from 'node:fs/promises';

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'latin1');
const NEWLINE = 0x0a;
/** Lines generated and written per write call: ~1 MB of 100-byte values. */
const LINES_PER_CHUNK = 10_000;

/**
 * mulberry32: a small 32-bit generator in 32-bit integer arithmetic (Math.imul), so no double product loses
 * low bits. Deterministic per seed.
 */
export class ValueGenerator {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  #next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Writes `count` lines of `valueBytes` alphanumeric bytes plus '\n' into `target` from `offset`. */
  fillLines(target: Buffer, offset: number, count: number, valueBytes: number): void {
    let at = offset;
    for (let line = 0; line < count; line++) {
      for (let i = 0; i < valueBytes; i++) {
        target[at++] = ALPHABET[this.#next() % ALPHABET.length] ?? 0x41;
      }
      target[at++] = NEWLINE;
    }
  }
}

/** `count` lines from a fresh generator (for tests and small inputs). */
export function recordLines(seed: number, count: number, valueBytes: number): Buffer {
  const out = Buffer.alloc(count * (valueBytes + 1));
  new ValueGenerator(seed).fillLines(out, 0, count, valueBytes);
  return out;
}

export interface RecordFileOptions {
  readonly seed: number;
  readonly count: number;
  readonly valueBytes: number;
}

/** Writes the input file (the same bytes as `recordLines` with the same options), chunk by chunk. */
export async function writeRecordFile(path: string, options: RecordFileOptions): Promise<void> {
  if (!(options.valueBytes > 0))
    throw new RangeError(`valueBytes must be positive, got ${options.valueBytes}`);
  const generator = new ValueGenerator(options.seed);
  const lineBytes = options.valueBytes + 1;
  const chunk = Buffer.alloc(Math.min(LINES_PER_CHUNK, Math.max(1, options.count)) * lineBytes);
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < options.count; ) {
      const lines = Math.min(LINES_PER_CHUNK, options.count - written);
      generator.fillLines(chunk, 0, lines, options.valueBytes);
      await file.write(chunk, 0, lines * lineBytes);
      written += lines;
    }
  } finally {
    await file.close();
  }
}
