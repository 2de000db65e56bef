/**
 * MetadataStream.FetchMetadata: the committed metadata log from an offset (= Raft index). When the
 * offset has been compacted away, the stream starts with the snapshot (chunked, with its offset and
 * term) and continues with the entries after it. With `follow` the stream stays open and pushes new
 * commits; otherwise it ends once caught up. Backpressure is respected: when call.write() returns
 * false the stream waits for 'drain' before reading more of the log, so buffering stays bounded.
 */
import type * as grpc from '@grpc/grpc-js';
import { LIMITS, logIndex, TributaryError } from '@tributary/core';
import {
  type FetchMetadataEvent,
  type FetchMetadataRequest__Output,
  handleServerStream,
  type MetadataStreamHandlers,
  requireSafeUint,
} from '@tributary/protocol';
import { CompactedError, type Entry } from '@tributary/raft';
import type { Logger } from 'pino';
import { decodeEntryBatch } from '../entry-batch.js';
import type { QuorumController } from '../quorum-controller.js';
import type { LevelRaftStorage } from '../raft-host/level-storage.js';

/** Concurrent FetchMetadata streams one controller serves. */
export const METADATA_STREAMS_MAX = 1_000;
/** Bytes of log read per step before yielding to other work. */
const READ_BYTES_MAX = 4 * 1024 * 1024;

type Call = grpc.ServerWritableStream<FetchMetadataRequest__Output, FetchMetadataEvent>;

export interface MetadataStreamOptions {
  readonly quorum: QuorumController;
  readonly storage: LevelRaftStorage;
  readonly logger: Logger;
}

export class MetadataStreamService {
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private openStreams = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: MetadataStreamOptions) {
    this.unsubscribe = options.quorum.onCommit(() => this.wakeAll());
  }

  handlers(): MetadataStreamHandlers {
    return {
      FetchMetadata: handleServerStream((request, call) => this.serve(request, call), {
        onUnexpectedError: (error) => this.options.logger.error({ err: error }, 'metadata stream failed'),
      }),
    };
  }

  /** Ends every open stream (they see the server closing). */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.wakeAll();
  }

  private wakeAll(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }

  private async serve(request: FetchMetadataRequest__Output, call: Call): Promise<void> {
    const fromOffset = requireSafeUint(request.fromOffset, 'from_offset');
    if (this.openStreams >= METADATA_STREAMS_MAX) {
      throw new TributaryError('RESOURCE_EXHAUSTED', `${METADATA_STREAMS_MAX} metadata streams are open`);
    }
    this.openStreams++;
    try {
      await this.stream(fromOffset, request.follow, call);
    } finally {
      this.openStreams--;
    }
  }

  private async stream(fromOffset: number, follow: boolean, call: Call): Promise<void> {
    let next = Math.max(1, fromOffset);
    while (!this.closed && !call.cancelled) {
      const { storage, quorum } = this.options;
      const applied = quorum.appliedIndex;
      if (next < storage.firstIndex()) {
        next = await this.sendSnapshot(call);
        continue;
      }
      if (next <= applied) {
        const entries = this.readEntries(next, applied);
        if (entries === null) continue; // compacted meanwhile: loop sends the snapshot
        for (const entry of entries) {
          if (!call.write(entryEvent(entry, applied))) await this.waitFor(call, 'drain');
          next = entry.index + 1;
        }
        continue;
      }
      if (!follow) return;
      await this.waitFor(call, 'commit');
    }
    if (this.closed && !call.cancelled)
      throw new TributaryError('SHUTTING_DOWN', 'the controller is shutting down');
  }

  private readEntries(from: number, applied: number): readonly Entry[] | null {
    try {
      return this.options.storage.entries(logIndex(from), logIndex(applied + 1), READ_BYTES_MAX);
    } catch (error) {
      if (error instanceof CompactedError) return null;
      throw error;
    }
  }

  /** Sends the current snapshot in chunks; returns the offset after it. */
  private async sendSnapshot(call: Call): Promise<number> {
    const snapshot = this.options.storage.snapshot();
    const { data, meta } = snapshot;
    const chunkBytes = LIMITS.snapshotChunkBytes;
    let offset = 0;
    do {
      const end = Math.min(data.length, offset + chunkBytes);
      const event: FetchMetadataEvent = {
        snapshot: {
          snapshotOffset: meta.index,
          snapshotTerm: meta.term,
          data: data.subarray(offset, end),
          last: end === data.length,
        },
        highWatermark: this.options.quorum.appliedIndex,
      };
      offset = end;
      if (!call.write(event)) await this.waitFor(call, 'drain');
      if (call.cancelled || this.closed) break;
    } while (offset < data.length);
    return meta.index + 1;
  }

  /** Waits for a commit (or 'drain' of the call), the call's cancellation, or close(). */
  private waitFor(call: Call, what: 'drain' | 'commit'): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.wakers.delete(done);
        call.off('drain', done);
        call.off('cancelled', done);
        call.off('close', done);
        resolve();
      };
      // Only commits (and close()) wake a commit wait; a drain wait ends on 'drain' or cancellation.
      if (what === 'drain') call.once('drain', done);
      else this.wakers.add(done);
      call.once('cancelled', done);
      call.once('close', done);
      if (call.cancelled || this.closed) done();
    });
  }
}

const utf8 = new TextDecoder();

function entryEvent(entry: Entry, applied: number): FetchMetadataEvent {
  const leaderChange = entry.type === 'leader-change';
  return {
    entry: {
      offset: entry.index,
      term: entry.term,
      // Only 'normal' entries hold metadata records; leader no-ops and quorum membership entries (Raft's
      // own, which brokers never see as such) travel as empty entries so offsets stay contiguous.
      records: entry.type === 'normal' ? decodeEntryBatch(entry.data) : [],
      leaderChange,
      // The Raft core's own canonical JSON encoding of the membership (packages/raft membership.ts).
      quorumMembership: entry.type === 'membership' ? utf8.decode(entry.data) : '',
    },
    highWatermark: applied,
  };
}
