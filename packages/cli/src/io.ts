/** Everything a command touches outside itself, injected so commands run in tests without a process. */
import type { Clock } from '@tributary/core';

export interface CliIo {
  /** Writes one line (no trailing newline) to standard output. */
  readonly out: (line: string) => void;
  /** Writes one line (no trailing newline) to standard error. */
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT: watch/follow loops stop and exit cleanly. */
  readonly signal: AbortSignal;
  /** For the timestamps shown (wallMs); RPC deadlines use the system clock. */
  readonly clock: Clock;
}

/** A decoded metadata record: its type tag plus its fields (packages/metadata MetadataRecord). */
export interface DecodedRecord {
  readonly type: string;
}

/** Decoders from @tributary/metadata, injected by the bin so tests need not build that package. */
export interface CliDecoders {
  readonly decodeRecord: (bytes: Uint8Array) => DecodedRecord;
  /** Optional: without it snapshots are reported by size only. */
  readonly decodeSnapshotRecords?: (bytes: Uint8Array) => {
    offset: number;
    records: readonly DecodedRecord[];
  };
}
