/**
 * RaftTransport: sends the core's messages to peers over gRPC. One Raft client per peer; the messages
 * of one flush are batched per peer into ONE Step call with a short deadline, fire-and-forget (Raft
 * tolerates loss: a failure is logged at debug, counted, and reported to the core as unreachable).
 * Snapshot messages go through the client-streaming InstallSnapshot in LIMITS.snapshotChunkBytes chunks.
 */
import type * as grpc from '@grpc/grpc-js';
import { LIMITS, type NodeId } from '@tributary/core';
import { createRaftClient, type RaftClient, type RaftSnapshotChunk } from '@tributary/protocol';
import type { Message, SnapshotRequest } from '@tributary/raft';
import type { Logger } from 'pino';
import type { VoterAddress } from '../config.js';
import { messageToWire } from './message-codec.js';

export const STEP_DEADLINE_MS = 1_000;
export const SNAPSHOT_DEADLINE_MS = 60_000;
/** Step calls in flight per peer; beyond it batches are dropped (Raft retries on its own). */
export const STEP_CALLS_IN_FLIGHT_MAX = 64;

export interface TransportCounters {
  stepCalls: number;
  stepFailures: number;
  droppedBatches: number;
  snapshotsSent: number;
  snapshotFailures: number;
}

interface Peer {
  readonly id: NodeId;
  readonly address: string;
  client: RaftClient | undefined;
  stepsInFlight: number;
  snapshotInFlight: boolean;
}

export interface RaftTransportOptions {
  readonly selfId: NodeId;
  readonly voters: readonly VoterAddress[];
  readonly logger: Logger;
  readonly onUnreachable: (peer: NodeId) => void;
  readonly onSnapshotSent: (peer: NodeId, ok: boolean) => void;
}

export class RaftTransport {
  readonly counters: TransportCounters = {
    stepCalls: 0,
    stepFailures: 0,
    droppedBatches: 0,
    snapshotsSent: 0,
    snapshotFailures: 0,
  };
  private readonly peers = new Map<NodeId, Peer>();
  private closed = false;

  constructor(private readonly options: RaftTransportOptions) {
    for (const voter of options.voters) {
      if (voter.id === options.selfId) continue;
      const id = voter.id as NodeId;
      this.peers.set(id, {
        id,
        address: voter.address,
        client: undefined,
        stepsInFlight: 0,
        snapshotInFlight: false,
      });
    }
  }

  send(messages: readonly Message[]): void {
    if (this.closed) return;
    const batches = new Map<NodeId, Message[]>();
    for (const message of messages) {
      if (message.type === 'snapshot') {
        this.sendSnapshot(message);
        continue;
      }
      const batch = batches.get(message.to);
      if (batch === undefined) batches.set(message.to, [message]);
      else batch.push(message);
    }
    for (const [to, batch] of batches) this.sendBatch(to, batch);
  }

  close(): void {
    this.closed = true;
    for (const peer of this.peers.values()) {
      peer.client?.close();
      peer.client = undefined;
    }
  }

  private clientOf(peer: Peer): RaftClient {
    if (peer.client === undefined) peer.client = createRaftClient(peer.address);
    return peer.client;
  }

  private peerOf(to: NodeId): Peer | undefined {
    const peer = this.peers.get(to);
    if (peer === undefined) this.options.logger.warn({ to }, 'raft message to an unknown peer dropped');
    return peer;
  }

  private sendBatch(to: NodeId, batch: readonly Message[]): void {
    const peer = this.peerOf(to);
    if (peer === undefined) return;
    if (peer.stepsInFlight >= STEP_CALLS_IN_FLIGHT_MAX) {
      this.counters.droppedBatches++;
      return;
    }
    peer.stepsInFlight++;
    this.counters.stepCalls++;
    const deadline = Date.now() + STEP_DEADLINE_MS;
    this.clientOf(peer).Step({ messages: batch.map(messageToWire) }, { deadline }, (error) => {
      peer.stepsInFlight--;
      if (error !== null) this.onFailure(peer, 'step', error);
    });
  }

  private sendSnapshot(message: SnapshotRequest): void {
    const peer = this.peerOf(message.to);
    if (peer === undefined || peer.snapshotInFlight) return;
    peer.snapshotInFlight = true;
    const deadline = Date.now() + SNAPSHOT_DEADLINE_MS;
    const call = this.clientOf(peer).InstallSnapshot({ deadline }, (error) => {
      peer.snapshotInFlight = false;
      if (error === null) {
        this.counters.snapshotsSent++;
        if (!this.closed) this.options.onSnapshotSent(peer.id, true);
        this.options.logger.info(
          { to: peer.id, snapshotIndex: message.snapshot.meta.index },
          'snapshot sent',
        );
      } else {
        this.counters.snapshotFailures++;
        if (!this.closed) this.options.onSnapshotSent(peer.id, false);
        this.onFailure(peer, 'snapshot', error);
      }
    });
    writeSnapshotChunks(call, message);
  }

  private onFailure(peer: Peer, what: string, error: grpc.ServiceError): void {
    if (what === 'step') this.counters.stepFailures++;
    this.options.logger.debug(
      { to: peer.id, address: peer.address, code: error.code, err: error.details },
      `raft ${what} failed`,
    );
    if (!this.closed) this.options.onUnreachable(peer.id);
  }
}

/** Splits a snapshot message into chunks: the first carries the message (without data), the last `last`. */
export function snapshotChunks(
  message: SnapshotRequest,
  chunkBytes: number = LIMITS.snapshotChunkBytes,
): RaftSnapshotChunk[] {
  const data = message.snapshot.data;
  const chunks: RaftSnapshotChunk[] = [];
  let offset = 0;
  do {
    const end = Math.min(data.length, offset + chunkBytes);
    chunks.push({
      message: offset === 0 ? messageToWire(message) : null,
      data: data.subarray(offset, end),
      last: end === data.length,
    });
    offset = end;
  } while (offset < data.length);
  return chunks;
}

function writeSnapshotChunks(
  call: grpc.ClientWritableStream<RaftSnapshotChunk>,
  message: SnapshotRequest,
): void {
  // Chunks are written at once: a snapshot is bounded (the metadata image) and grpc-js buffers them
  // under HTTP/2 flow control; the deadline bounds a stuck transfer.
  for (const chunk of snapshotChunks(message)) call.write(chunk);
  call.end();
}
