/** Test doubles for the CLI's shell: captured output, a manual clock and JSON record decoders. */
import { ManualClock } from '@tributary/core';
import type { CliDecoders, CliIo, DecodedRecord } from '../io.js';

export interface CapturedIo {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
  /** Simulates SIGINT. */
  interrupt(): void;
}

export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const interrupted = new AbortController();
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  return {
    io: {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env,
      signal: interrupted.signal,
      clock,
    },
    out,
    err,
    interrupt: () => interrupted.abort(),
  };
}

/** Records as JSON bytes: enough to test the CLI without @tributary/metadata's codec. */
export const jsonDecoders: CliDecoders = {
  decodeRecord: (bytes) => JSON.parse(Buffer.from(bytes).toString('utf8')) as DecodedRecord,
  decodeSnapshotRecords: (bytes) => {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
      offset: number;
      records: DecodedRecord[];
    };
    return parsed;
  },
};

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
