/**
 * Transaction markers, both ends (Kafka's WriteTxnMarkers and TransactionMarkerChannelManager):
 * - TxnMarkerWriter, on a partition leader: appends each marker as a control batch carrying the
 *   coordinator epoch, with origin 'coordinator' and acks=all like a produce, answers per partition, and
 *   tells the group coordinator about markers written to __consumer_offsets (its pending offsets).
 * - TxnMarkerSender, on the coordinator: sends one write-markers effect to the partitions' current
 *   leaders (the local writer when this broker leads, else the leader's TransactionMarkers service) and
 *   sorts the partitions into written and to-retry, so the shell can report them to the core.
 */
import type * as grpc from '@grpc/grpc-js';
import { type Clock, TributaryError, brokerId as toBrokerId } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import {
  asTributaryError,
  createTransactionMarkersClient,
  type ProducePartitionResult,
  type ProduceRequest__Output,
  type TransactionMarkersClient,
  type TxnPartitionResult,
  unary,
  type WriteTxnMarkersRequest__Output,
  type WriteTxnMarkersResponse,
} from '@tributary/protocol';
import { encodeControlBatch } from '@tributary/records';
import type { Logger } from 'pino';
import type { TopicPartition } from '../group/assignment.js';
import { OFFSETS_TOPIC } from '../group/limits.js';
import { TXN_DEFAULTS, TXN_LIMITS } from './limits.js';
import type { TxnMarkerWriterPort, TxnPorts } from './ports.js';
import type { TxnEffect } from './txn-types.js';

export type WriteMarkersEffect = Extract<TxnEffect, { kind: 'write-markers' }>;

export interface TxnMarkerWriterOptions {
  /** The replica manager's produce with origin 'coordinator' (control batches allowed). */
  readonly produceAsCoordinator: (request: ProduceRequest__Output) => Promise<ProducePartitionResult[]>;
  readonly ports: TxnPorts;
  readonly clock: Clock;
  readonly logger: Logger;
}

function partitionResult(topic: string, partition: number, error: TributaryError | null): TxnPartitionResult {
  return {
    topic,
    partition,
    errorCode: error === null ? '' : error.code,
    errorMessage: error === null ? '' : error.message,
  };
}

/** WriteTxnMarkers on a partition leader. */
export class TxnMarkerWriter implements TxnMarkerWriterPort {
  readonly #options: TxnMarkerWriterOptions;

  constructor(options: TxnMarkerWriterOptions) {
    this.#options = options;
  }

  async writeTxnMarkers(request: WriteTxnMarkersRequest__Output): Promise<WriteTxnMarkersResponse> {
    let total = 0;
    for (const marker of request.markers) {
      for (const entry of marker.partitions) total += entry.partitions.length;
    }
    if (total > TXN_LIMITS.partitionsPerRequestMax) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `${total} marker partitions in one request; the limit is ${TXN_LIMITS.partitionsPerRequestMax}`,
      );
    }
    const markers = await Promise.all(
      request.markers.map(async (marker) => ({
        producerId: marker.producerId,
        results: await this.#writeMarker(marker),
      })),
    );
    return { markers };
  }

  async #writeMarker(
    marker: WriteTxnMarkersRequest__Output['markers'][number],
  ): Promise<TxnPartitionResult[]> {
    const timestampMs = this.#options.clock.wallMs();
    // The log stamps offsets into the batch in place: every partition gets its own copy.
    const batch = (): Buffer =>
      encodeControlBatch({
        producerId: marker.producerId,
        producerEpoch: marker.producerEpoch,
        marker: marker.commit ? 'commit' : 'abort',
        coordinatorEpoch: marker.coordinatorEpoch,
        timestampMs,
      });
    const topics = marker.partitions.map((entry) => ({
      name: entry.topic,
      partitions: entry.partitions.map((partition) => ({ partition, records: batch() })),
    }));
    let results: ProducePartitionResult[];
    try {
      results = await this.#options.produceAsCoordinator({
        acks: -1,
        timeoutMs: TXN_DEFAULTS.writeTimeoutMs,
        topics,
        transactionalId: '',
      });
    } catch (thrown) {
      const error = asTributaryError(thrown);
      return topics.flatMap((t) => t.partitions.map((p) => partitionResult(t.name, p.partition, error)));
    }
    const answers = results.map((r) => ({
      topic: r.topic ?? '',
      partition: r.partition ?? -1,
      errorCode: r.errorCode ?? '',
      errorMessage: r.errorMessage ?? '',
    }));
    for (const answer of answers) {
      if (answer.errorCode === '' && answer.topic === OFFSETS_TOPIC)
        this.#tellGroups(marker, answer.partition);
    }
    return answers;
  }

  #tellGroups(marker: WriteTxnMarkersRequest__Output['markers'][number], partition: number): void {
    const listener = this.#options.ports.markerListener;
    if (listener === null) return;
    try {
      listener.onMarkerWritten(
        OFFSETS_TOPIC,
        partition,
        marker.producerId,
        marker.producerEpoch,
        marker.commit,
      );
    } catch (error) {
      this.#options.logger.error({ err: error, partition }, 'marker listener failed');
    }
  }
}

/** TransactionMarkers clients by broker address (broker to broker, with the broker's TLS credentials). */
export class TxnMarkersClients {
  readonly #clients = new Map<string, TransactionMarkersClient>();

  constructor(private readonly credentials?: grpc.ChannelCredentials) {}

  get(address: string): TransactionMarkersClient {
    let client = this.#clients.get(address);
    if (client === undefined) {
      client = createTransactionMarkersClient(
        address,
        this.credentials === undefined ? {} : { credentials: this.credentials },
      );
      this.#clients.set(address, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}

/** What one round of a write-markers effect achieved. */
export interface MarkerRound {
  /** Written, or dropped as Kafka drops them (the topic is gone, the partition saw a newer epoch). */
  readonly written: TopicPartition[];
  /** To send again after a backoff (no leader, leadership moved, not enough replicas, unreachable). */
  readonly failed: TopicPartition[];
}

/**
 * Marker answers that end a partition's marker for good. A newer producer epoch or coordinator epoch at
 * the partition means a later decision already reached it (Kafka's TransactionMarkerRequestCompletionHandler
 * drops these, as it drops partitions whose topic was deleted).
 */
const FINAL_MARKER_ERRORS: ReadonlySet<string> = new Set([
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'TRANSACTION_COORDINATOR_FENCED',
]);

export interface TxnMarkerSenderOptions {
  readonly brokerId: number;
  readonly currentImage: () => MetadataImage;
  readonly local: TxnMarkerWriterPort;
  readonly clients: TxnMarkersClients;
  readonly logger: Logger;
}

export class TxnMarkerSender {
  readonly #options: TxnMarkerSenderOptions;

  constructor(options: TxnMarkerSenderOptions) {
    this.#options = options;
  }

  /** Sends the markers to every partition's current leader; never rejects. */
  async send(effect: WriteMarkersEffect): Promise<MarkerRound> {
    const image = this.#options.currentImage();
    const written: TopicPartition[] = [];
    const failed: TopicPartition[] = [];
    const byLeader = new Map<number, TopicPartition[]>();
    for (const tp of effect.partitions) {
      const topic = image.topicByName(tp.topic);
      const leader = topic?.partitions.get(tp.partition)?.leader;
      if (topic === undefined || leader === undefined) {
        written.push(tp);
        continue;
      }
      if (leader < 0) {
        failed.push(tp);
        continue;
      }
      const group = byLeader.get(leader) ?? [];
      group.push(tp);
      byLeader.set(leader, group);
    }
    const rounds = await Promise.all(
      [...byLeader].map(([leader, partitions]) => this.#sendTo(image, leader, effect, partitions)),
    );
    for (const round of rounds) {
      written.push(...round.written);
      failed.push(...round.failed);
    }
    return { written, failed };
  }

  async #sendTo(
    image: MetadataImage,
    leader: number,
    effect: WriteMarkersEffect,
    partitions: readonly TopicPartition[],
  ): Promise<MarkerRound> {
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions)
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const request: WriteTxnMarkersRequest__Output = {
      markers: [
        {
          producerId: effect.producerId,
          producerEpoch: effect.producerEpoch,
          commit: effect.marker === 'commit',
          partitions: [...byTopic].map(([topic, ids]) => ({ topic, partitions: ids })),
          coordinatorEpoch: effect.coordinatorEpoch,
        },
      ],
    };
    let response: WriteTxnMarkersResponse;
    try {
      response = await this.#call(image, leader, request);
    } catch (error) {
      this.#options.logger.debug({ err: error, leader }, 'WriteTxnMarkers failed; will retry');
      return { written: [], failed: [...partitions] };
    }
    const answered = new Map<string, string>();
    for (const marker of response.markers ?? []) {
      for (const result of marker.results ?? []) {
        answered.set(`${result.topic}\u0000${result.partition}`, result.errorCode ?? '');
      }
    }
    const round: MarkerRound = { written: [], failed: [] };
    for (const tp of partitions) {
      const code = answered.get(`${tp.topic}\u0000${tp.partition}`);
      if (code === '') round.written.push(tp);
      else if (code !== undefined && FINAL_MARKER_ERRORS.has(code)) {
        this.#options.logger.warn({ ...tp, code, producerId: effect.producerId }, 'marker dropped');
        round.written.push(tp);
      } else round.failed.push(tp);
    }
    return round;
  }

  #call(
    image: MetadataImage,
    leader: number,
    request: WriteTxnMarkersRequest__Output,
  ): Promise<WriteTxnMarkersResponse> {
    if (leader === this.#options.brokerId) return this.#options.local.writeTxnMarkers(request);
    const address = image.broker(toBrokerId(leader))?.address;
    if (address === undefined) {
      return Promise.reject(new TributaryError('NOT_LEADER', `broker ${leader} has no address`));
    }
    return unary(this.#options.clients.get(address), 'WriteTxnMarkers', request, {
      deadlineMs: TXN_DEFAULTS.writeTimeoutMs,
    });
  }
}
