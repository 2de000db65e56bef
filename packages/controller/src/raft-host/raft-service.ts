/**
 * The server side of the Raft transport: decodes received messages and feeds them to the driver.
 * Messages not addressed to this node, or malformed, are refused with INVALID_REQUEST (a misconfigured
 * peer must learn about it, and must never crash this controller).
 */
import type * as grpc from '@grpc/grpc-js';
import { type NodeId, TributaryError } from '@tributary/core';
import {
  handleUnary,
  type RaftHandlers,
  type RaftMessage__Output,
  type RaftSnapshotChunk__Output,
  type RaftStepResponse,
  toServiceError,
} from '@tributary/protocol';
import type { Message } from '@tributary/raft';
import type { Logger } from 'pino';
import { messageFromWire, type WireMessage } from './message-codec.js';

/** The largest snapshot accepted over InstallSnapshot. */
export const SNAPSHOT_BYTES_MAX = 1024 * 1024 * 1024;

export interface RaftServiceOptions {
  readonly selfId: NodeId;
  /**
   * Whether messages from `id` are taken: members of the membership in force and the --voters given at
   * start; anyone while this node is not yet a member itself (joining: it learns who leads from the log).
   */
  readonly acceptsFrom: (id: NodeId) => boolean;
  readonly step: (message: Message) => void;
  /**
   * Checks a received snapshot's data against its index before it reaches Raft (throws on a mismatch or
   * undecodable data): once installed, the state machine must restore it, and it cannot refuse it then.
   */
  readonly validateSnapshot?: (data: Uint8Array, index: number) => void;
  readonly logger: Logger;
}

function decode(options: RaftServiceOptions, wire: RaftMessage__Output, data?: Uint8Array): Message {
  const selfId = options.selfId;
  let message: Message;
  try {
    message = messageFromWire(wire as WireMessage, data);
  } catch (error) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `raft message: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (message.to !== selfId) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `raft message addressed to node ${message.to}, this is node ${selfId}`,
    );
  }
  // The core asserts that no node messages itself: such a message can only be forged or misrouted.
  if (message.from === selfId) {
    throw new TributaryError('INVALID_REQUEST', `raft message from node ${message.from} to itself`);
  }
  if (!options.acceptsFrom(message.from)) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `raft message from node ${message.from}, which is not a member of the quorum`,
    );
  }
  return message;
}

export function createRaftHandlers(options: RaftServiceOptions): RaftHandlers {
  const onUnexpectedError = (error: unknown): void =>
    options.logger.error({ err: error }, 'raft handler failed');
  return {
    Step: handleUnary(
      async (request): Promise<RaftStepResponse> => {
        const messages = request.messages.map((wire) => decode(options, wire));
        // A snapshot's data comes only in InstallSnapshot chunks; one arriving here would carry none.
        const snapshot = messages.find((message) => message.type === 'snapshot');
        if (snapshot !== undefined) {
          throw new TributaryError(
            'INVALID_REQUEST',
            `raft message from node ${snapshot.from}: snapshots are sent with InstallSnapshot, not Step`,
          );
        }
        for (const message of messages) options.step(message);
        return {};
      },
      { onUnexpectedError },
    ),
    InstallSnapshot: (call, callback) => receiveSnapshot(call, callback, options),
  };
}

function receiveSnapshot(
  call: grpc.ServerReadableStream<RaftSnapshotChunk__Output, RaftStepResponse>,
  callback: grpc.sendUnaryData<RaftStepResponse>,
  options: RaftServiceOptions,
): void {
  let header: RaftMessage__Output | null = null;
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let done = false;
  const finish = (error: unknown): void => {
    if (done) return;
    done = true;
    if (error === null) callback(null, {});
    else callback(toServiceError(error));
  };
  call.on('data', (chunk: RaftSnapshotChunk__Output) => {
    if (done) return;
    try {
      if (header === null) {
        if (chunk.message === null)
          throw new TributaryError('INVALID_REQUEST', 'first snapshot chunk has no message');
        header = chunk.message;
      }
      bytes += chunk.data.length;
      if (bytes > SNAPSHOT_BYTES_MAX) {
        throw new TributaryError('RESOURCE_EXHAUSTED', `snapshot exceeds ${SNAPSHOT_BYTES_MAX} bytes`);
      }
      parts.push(chunk.data);
      if (chunk.last) {
        const joined = Buffer.concat(parts);
        const data = new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
        const message = decode(options, header, data);
        if (message.type !== 'snapshot')
          throw new TributaryError('INVALID_REQUEST', 'InstallSnapshot without a snapshot message');
        try {
          options.validateSnapshot?.(data, message.snapshot.meta.index);
        } catch (error) {
          throw new TributaryError(
            'INVALID_REQUEST',
            `snapshot at ${message.snapshot.meta.index}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        options.step(message);
        finish(null);
      }
    } catch (error) {
      finish(error);
      call.destroy();
    }
  });
  call.on('end', () =>
    finish(new TributaryError('INVALID_REQUEST', 'snapshot stream ended without its last chunk')),
  );
  call.on('error', (error) => {
    options.logger.debug({ err: error }, 'snapshot stream failed');
    done = true;
  });
}
