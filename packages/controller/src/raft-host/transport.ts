/**
 * RaftTransport: sends the core's messages to peers over gRPC. One Raft client per peer, and per peer ONE
 * Step call in flight at a time, carrying every message queued for that peer (up to STEP_CALL_BYTES_MAX):
 * messages reach a peer in the order the core sent them. Concurrent unary calls did not: a large append
 * held back by HTTP/2 flow control was overtaken by the next one, the follower rejected the gap, and the
 * leader probed and resent from the last acknowledged entry on every heartbeat answer (measured at 30,000
 * partitions on a loaded machine: ~95 MB sent for 5 MB of log). Fire-and-forget otherwise: Raft tolerates
 * loss, so a failed call is logged at debug, counted, and reported to the core as unreachable, and a queue
 * past its bounds drops new messages. Snapshot messages go through the client-streaming InstallSnapshot in
 * LIMITS.snapshotChunkBytes chunks.
 */
import type * as grpc from '@grpc/grpc-js';
import { LIMITS, type NodeId } from '@tributary/core';
import { createRaftClient, type RaftClient, type RaftSnapshotChunk } from '@tributary/protocol';
import type { Message, SnapshotRequest, Status } from '@tributary/raft';
import type { Logger } from 'pino';
import type { VoterAddress } from '../config.js';
import { messageToWire } from './message-codec.js';

/**
 * Deadline of one Step call. With one call in flight per peer, a call that outlives it is cancelled and its
 * messages lost, so it is generous: a slow delivery under load is not a lost peer (a dead peer fails at
 * once with UNAVAILABLE; a hung one holds the call this long while later messages queue).
 */
export const STEP_DEADLINE_MS = 5_000;
export const SNAPSHOT_DEADLINE_MS = 60_000;
/** Bytes of queued messages one Step call carries (one larger message still goes alone). */
export const STEP_CALL_BYTES_MAX = 1024 * 1024;
/** Messages and bytes queued per peer behind the call in flight; beyond them new messages are dropped. */
export const STEP_QUEUE_MESSAGES_MAX = 4_096;
export const STEP_QUEUE_BYTES_MAX = 16 * 1024 * 1024;

export interface TransportCounters {
  stepCalls: number;
  stepFailures: number;
  /** Messages dropped because their peer's queue was full. */
  droppedMessages: number;
  snapshotsSent: number;
  snapshotFailures: number;
}

interface Peer {
  readonly id: NodeId;
  readonly address: string;
  client: RaftClient | undefined;
  /** Whether a Step call to this peer is in flight (at most one). */
  stepInFlight: boolean;
  /** Messages waiting for the next Step call, in the order the core sent them. */
  queue: Message[];
  queuedBytes: number;
  snapshotInFlight: boolean;
}

/** Roughly the bytes a message takes on the wire: its entries' data plus a fixed allowance. */
function messageBytes(message: Message): number {
  let bytes = 64;
  if (message.type === 'append') for (const entry of message.entries) bytes += 16 + entry.data.length;
  return bytes;
}

export interface RaftTransportOptions {
  readonly selfId: NodeId;
  /** The --voters given at start: where to reach bootstrap members whose address the log does not carry. */
  readonly voters: readonly VoterAddress[];
  readonly logger: Logger;
  readonly onUnreachable: (peer: NodeId) => void;
  readonly onSnapshotSent: (peer: NodeId, ok: boolean) => void;
  /** TLS towards the other voters (the process's own certificate, the CA); default plaintext. */
  readonly credentials?: grpc.ChannelCredentials;
}

export class RaftTransport {
  readonly counters: TransportCounters = {
    stepCalls: 0,
    stepFailures: 0,
    droppedMessages: 0,
    snapshotsSent: 0,
    snapshotFailures: 0,
  };
  private readonly peers = new Map<NodeId, Peer>();
  private closed = false;
  /** The membership last synced (status objects are replaced, never mutated, when it changes). */
  private syncedFrom: {
    voters: unknown;
    learners: unknown;
    addresses: unknown;
    leaderId: unknown;
  } | null = null;

  constructor(private readonly options: RaftTransportOptions) {
    for (const voter of options.voters) this.addPeer(voter.id as NodeId, voter.address);
  }

  /**
   * Follows the membership in force (Raft status): reaches new members at the address their membership
   * entry carries (falling back to --voters for bootstrap members) and forgets removed ones, except the
   * current leader: a leader that removed itself leads until its removal commits, and needs our answers
   * for that. Cheap when nothing changed; called before every send.
   */
  syncMembers(status: Pick<Status, 'voters' | 'learners' | 'addresses' | 'leaderId'>): void {
    const synced = this.syncedFrom;
    if (
      synced !== null &&
      synced.voters === status.voters &&
      synced.learners === status.learners &&
      synced.addresses === status.addresses &&
      synced.leaderId === status.leaderId
    ) {
      return;
    }
    this.syncedFrom = {
      voters: status.voters,
      learners: status.learners,
      addresses: status.addresses,
      leaderId: status.leaderId,
    };
    const wanted = new Map<NodeId, string>();
    for (const id of [...status.voters, ...status.learners]) {
      const address = status.addresses[String(id)] ?? this.options.voters.find((v) => v.id === id)?.address;
      if (address !== undefined) wanted.set(id, address);
    }
    const leader = status.leaderId === null ? undefined : this.peers.get(status.leaderId);
    if (leader !== undefined && !wanted.has(leader.id)) wanted.set(leader.id, leader.address);
    for (const [id, peer] of this.peers) {
      if (wanted.get(id) === peer.address) continue;
      peer.client?.close();
      this.peers.delete(id);
      this.options.logger.info({ peer: id, address: peer.address }, 'raft peer forgotten');
    }
    for (const [id, address] of wanted) {
      if (this.peers.has(id) || !this.addPeer(id, address)) continue;
      this.options.logger.info({ peer: id, address }, 'raft peer added');
    }
  }

  /** The peers messages can go to, with their addresses (for tests and diagnostics). */
  peerAddresses(): ReadonlyMap<NodeId, string> {
    return new Map([...this.peers].map(([id, peer]) => [id, peer.address]));
  }

  private addPeer(id: NodeId, address: string): boolean {
    if (id === this.options.selfId) return false;
    this.peers.set(id, {
      id,
      address,
      client: undefined,
      stepInFlight: false,
      queue: [],
      queuedBytes: 0,
      snapshotInFlight: false,
    });
    return true;
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
    if (peer.client === undefined) {
      const { credentials } = this.options;
      peer.client = createRaftClient(peer.address, credentials === undefined ? {} : { credentials });
    }
    return peer.client;
  }

  private peerOf(to: NodeId): Peer | undefined {
    const peer = this.peers.get(to);
    // Expected briefly around membership changes (a removed node's late answers, a joining node that has
    // not yet received the entry naming the leader's address); Raft retries.
    if (peer === undefined) this.options.logger.debug({ to }, 'raft message to an unknown peer dropped');
    return peer;
  }

  private sendBatch(to: NodeId, batch: readonly Message[]): void {
    const peer = this.peerOf(to);
    if (peer === undefined) return;
    for (const message of batch) {
      const bytes = messageBytes(message);
      if (
        peer.queue.length >= STEP_QUEUE_MESSAGES_MAX ||
        (peer.queue.length > 0 && peer.queuedBytes + bytes > STEP_QUEUE_BYTES_MAX)
      ) {
        this.counters.droppedMessages++;
        continue;
      }
      peer.queue.push(message);
      peer.queuedBytes += bytes;
    }
    this.flush(peer);
  }

  /** Sends the queued messages (up to STEP_CALL_BYTES_MAX) unless a call to the peer is in flight. */
  private flush(peer: Peer): void {
    if (this.closed || peer.stepInFlight || peer.queue.length === 0) return;
    let count = 0;
    let bytes = 0;
    for (const message of peer.queue) {
      const size = messageBytes(message);
      if (count > 0 && bytes + size > STEP_CALL_BYTES_MAX) break;
      count++;
      bytes += size;
    }
    const messages = peer.queue.splice(0, count);
    peer.queuedBytes -= bytes;
    peer.stepInFlight = true;
    this.counters.stepCalls++;
    const deadline = Date.now() + STEP_DEADLINE_MS;
    this.clientOf(peer).Step({ messages: messages.map(messageToWire) }, { deadline }, (error) => {
      peer.stepInFlight = false;
      if (error !== null) this.onFailure(peer, 'step', error);
      // A peer forgotten meanwhile (a membership change) is not flushed again.
      if (this.peers.get(peer.id) === peer) this.flush(peer);
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
