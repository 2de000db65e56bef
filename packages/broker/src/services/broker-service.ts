/**
 * The client-facing Broker service (DESIGN §6, §7): Produce, Fetch, ListOffsets and DeleteRecords are
 * validated and handed to the replica manager (DeleteRecords after services/delete-records.ts's policy);
 * ProduceStream and FetchStream carry many Produce or Fetch requests on one stream, each served as the unary
 * call (services/produce-stream.ts, services/fetch-stream.ts); DescribeReplicas and DescribeProducers are
 * answered by the replica manager from the partitions this broker leads; Metadata answers from the broker's
 * metadata image, creating missing topics first when the request and the broker allow it; InitProducerId hands
 * out producer ids for idempotent producers (producer-ids/). Bad input is an INVALID_REQUEST status; nothing a
 * client sends can crash the broker (handleUnary maps every throw to a status).
 */
import { TributaryError } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import {
  type BrokerHandlers,
  type DeleteRecordsPartitionResult__Output,
  type DeleteRecordsRequest__Output,
  type DescribeProducersRequest__Output,
  type DescribeProducersResponse,
  type DescribeReplicasRequest__Output,
  type DescribeReplicasResponse,
  type FetchPartitionResult,
  type FetchRequest__Output,
  handleUnary,
  type InitProducerIdRequest__Output,
  type InitProducerIdResponse,
  type ListOffsetsPartitionResult,
  type ListOffsetsRequest__Output,
  type MetadataRequest__Output,
  type MetadataResponse,
  type ProducePartitionResult,
  type ProduceRequest__Output,
} from '@tributary/protocol';
import type { RequestCaller } from '@tributary/security';
import type { Logger } from 'pino';
import { type BrokerClientQuotas, grpcClientId, quotaClientOf } from '../quotas/client-quotas.js';
import { DELETE_RECORDS_LIMITS } from '../replica/delete-records.js';
import type { LeaderEpochEndOffset, LeaderEpochQuery } from '../replica/offset-for-leader-epoch.js';
import {
  type AutoCreateOptions,
  createMissingTopics,
  type ImageSource,
  waitForTopics,
} from './auto-create.js';
import { applyDeleteRecordsPolicy } from './delete-records.js';
import { answerDescribeProducers, type ProducerDescriber } from './describe-producers.js';
import { answerDescribeReplicas, type ReplicaDescriber } from './describe-replicas.js';
import { type FetchServer, handleFetchStream } from './fetch-stream.js';
import { InFlightBytes } from './in-flight-bytes.js';
import { REQUEST_LIMITS } from './limits.js';
import { metadataResponse } from './metadata-view.js';
import { handleProduceStream, type ProduceServer } from './produce-stream.js';
import {
  validateDeleteRecordsRequest,
  validateFetchRequest,
  validateListOffsetsRequest,
  validateMetadataRequest,
  validateProduceRequest,
} from './validate.js';

/** The part of the replica manager the Broker service and the Kafka listener use. */
export interface BrokerDataPlane {
  produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]>;
  /** `signal` aborts when nobody waits for the answer any more (the long poll ends at once). */
  fetch(request: FetchRequest__Output, signal?: AbortSignal): Promise<FetchPartitionResult[]>;
  listOffsets(request: ListOffsetsRequest__Output): Promise<ListOffsetsPartitionResult[]>;
  /** timeoutMs as given: 0 answers without waiting for the followers (the Broker service maps 0 to a default). */
  deleteRecords(request: DeleteRecordsRequest__Output): Promise<DeleteRecordsPartitionResult__Output[]>;
  /** Kafka's OffsetForLeaderEpoch for consumers (the Kafka listener only; followers use replica fetch). */
  offsetForLeaderEpoch(queries: readonly LeaderEpochQuery[]): LeaderEpochEndOffset[];
}

/** Where InitProducerId gets its ids (a ProducerIdManager). */
export interface ProducerIdSource {
  generateProducerId(): Promise<number>;
}

export interface BrokerServiceOptions {
  readonly dataPlane: BrokerDataPlane;
  readonly producerIds: ProducerIdSource;
  readonly metadata: ImageSource;
  /** Reported in Metadata answers; empty when unknown. */
  readonly clusterId?: string;
  /** Null: auto-creation is off (the broker's auto.create.topics.enable). */
  readonly autoCreate: AutoCreateOptions | null;
  readonly logger: Logger;
  /** The in-flight produce bytes quota; REQUEST_LIMITS.produceInFlightBytesMax by default. */
  readonly produceInFlightBytesMax?: number;
  /** Answers DescribeReplicas (the replica manager); without it the broker leads nothing it can describe. */
  readonly replicas?: ReplicaDescriber;
  /** Answers DescribeProducers (the replica manager); without it no partition is hosted here. */
  readonly producers?: ProducerDescriber;
  /** Client quotas (DESIGN §10); absent: nobody is throttled. */
  readonly quotas?: BrokerClientQuotas;
  /** Who makes a call (the process's authenticator); absent: User:ANONYMOUS. */
  readonly callerOf?: (call: { getPeer(): string }) => RequestCaller;
  /**
   * While it returns an error, stream requests are answered with it (the unary methods are gated by
   * gateUnaryService with the same function); absent: always ready.
   */
  readonly refusal?: () => Error | undefined;
  /** The in-flight bytes bound of one ProduceStream; WIRE_LIMITS.produceStreamInFlightBytesMax by default. */
  readonly produceStreamInFlightBytesMax?: number;
  /** Requests unanswered on one FetchStream; WIRE_LIMITS.fetchStreamPendingRequestsMax by default. */
  readonly fetchStreamPendingRequestsMax?: number;
}

export function createBrokerHandlers(options: BrokerServiceOptions): BrokerHandlers {
  const { dataPlane, logger } = options;
  const produceInFlight = new InFlightBytes(
    options.produceInFlightBytesMax ?? REQUEST_LIMITS.produceInFlightBytesMax,
    'produce',
  );
  const handleOptions = {
    onUnexpectedError: (error: unknown) => logger.error({ err: error }, 'broker handler failed'),
  };
  /** One Produce request, unary or on a stream (which also holds its bytes against its own bound). */
  const produce: ProduceServer = async (request, call, streamInFlight) => {
    validateProduceRequest(request);
    const client = quotaClientOf(options.callerOf?.(call), grpcClientId(call));
    // KIP-219 over gRPC: a client still throttled is served once its throttle time has passed.
    await options.quotas?.waitUntilServed(client);
    const bytes = produceBytes(request);
    const started = performance.now();
    const work = () => produceInFlight.run(bytes, () => dataPlane.produce(request));
    const pending = streamInFlight === undefined ? work() : streamInFlight.run(bytes, work);
    const handlerTimeMs = performance.now() - started;
    const results = await pending;
    const throttleTimeMs = options.quotas?.record(client, 'produce', { bytes, handlerTimeMs }) ?? 0;
    return { results, throttleTimeMs };
  };
  /** One Fetch request, unary or on a stream. */
  const fetch: FetchServer = async (request, call, signal) => {
    validateFetchRequest(request);
    const client = quotaClientOf(options.callerOf?.(call), grpcClientId(call));
    await options.quotas?.waitUntilServed(client);
    const started = performance.now();
    const pending = dataPlane.fetch(request, signal);
    const handlerTimeMs = performance.now() - started;
    const results = await pending;
    const throttleTimeMs =
      options.quotas?.record(client, 'fetch', { bytes: fetchedBytes(results), handlerTimeMs }) ?? 0;
    return { results, throttleTimeMs };
  };
  return {
    Produce: handleUnary((request: ProduceRequest__Output, call) => produce(request, call), handleOptions),
    ProduceStream: (call) =>
      handleProduceStream(call, {
        produce,
        onUnexpectedError: handleOptions.onUnexpectedError,
        ...(options.refusal === undefined ? {} : { refusal: options.refusal }),
        ...(options.produceStreamInFlightBytesMax === undefined
          ? {}
          : { inFlightBytesMax: options.produceStreamInFlightBytesMax }),
      }),
    Fetch: handleUnary((request: FetchRequest__Output, call) => {
      // A cancelled call (client gone, deadline passed) ends its long poll at once.
      const abort = new AbortController();
      call.once('cancelled', () => abort.abort());
      return fetch(request, call, abort.signal);
    }, handleOptions),
    FetchStream: (call) =>
      handleFetchStream(call, {
        fetch,
        onUnexpectedError: handleOptions.onUnexpectedError,
        ...(options.refusal === undefined ? {} : { refusal: options.refusal }),
        ...(options.fetchStreamPendingRequestsMax === undefined
          ? {}
          : { pendingRequestsMax: options.fetchStreamPendingRequestsMax }),
      }),
    ListOffsets: handleUnary(async (request: ListOffsetsRequest__Output) => {
      validateListOffsetsRequest(request);
      return { results: await dataPlane.listOffsets(request) };
    }, handleOptions),
    DeleteRecords: handleUnary(async (request: DeleteRecordsRequest__Output) => {
      validateDeleteRecordsRequest(request);
      // proto3 cannot tell 0 from unset: 0 is the default wait, as Produce's timeout.
      const timeoutMs = request.timeoutMs || DELETE_RECORDS_LIMITS.defaultTimeoutMs;
      const image = options.metadata.currentImage();
      const { forward, refused } = applyDeleteRecordsPolicy(image, { ...request, timeoutMs });
      const deleted = forward.topics.length === 0 ? [] : await dataPlane.deleteRecords(forward);
      return { results: [...refused, ...deleted] };
    }, handleOptions),
    Metadata: handleUnary(
      (request: MetadataRequest__Output) => answerMetadata(request, options),
      handleOptions,
    ),
    InitProducerId: handleUnary(
      async (request: InitProducerIdRequest__Output): Promise<InitProducerIdResponse> => {
        // Transactions are not implemented: a transactional id would promise fencing we do not do.
        if (request.transactionalId !== '') {
          throw new TributaryError(
            'INVALID_REQUEST',
            'transactional_id must be empty: transactions are not supported',
          );
        }
        // Every id is new, so epoch 0 (epochs grow only when a transactional producer is re-initialised).
        return { producerId: await options.producerIds.generateProducerId(), producerEpoch: 0 };
      },
      handleOptions,
    ),
    DescribeReplicas: handleUnary(
      async (request: DescribeReplicasRequest__Output): Promise<DescribeReplicasResponse> =>
        answerDescribeReplicas(request, options.replicas),
      handleOptions,
    ),
    DescribeProducers: handleUnary(
      async (request: DescribeProducersRequest__Output): Promise<DescribeProducersResponse> =>
        answerDescribeProducers(request, options.producers),
      handleOptions,
    ),
  };
}

function fetchedBytes(results: readonly FetchPartitionResult[]): number {
  let bytes = 0;
  for (const result of results) bytes += result.records?.length ?? 0;
  return bytes;
}

function produceBytes(request: ProduceRequest__Output): number {
  let bytes = 0;
  for (const topic of request.topics) {
    for (const data of topic.partitions) bytes += data.records.length;
  }
  return bytes;
}

async function answerMetadata(
  request: MetadataRequest__Output,
  options: BrokerServiceOptions,
): Promise<MetadataResponse> {
  validateMetadataRequest(request);
  const clusterId = options.clusterId ?? '';
  const topics = request.topics.length === 0 ? null : request.topics;
  let image: MetadataImage = options.metadata.currentImage();
  const autoCreate = options.autoCreate;
  if (topics === null || !request.allowAutoTopicCreation || autoCreate === null) {
    return metadataResponse(image, { clusterId, topics });
  }
  const missing = [...new Set(topics)].filter((name) => image.topicByName(name) === undefined);
  if (missing.length === 0) return metadataResponse(image, { clusterId, topics });
  const overrides = await createMissingTopics(image, missing, autoCreate, options.logger);
  const created = missing.filter((name) => !overrides.has(name));
  if (created.length > 0) image = await waitForTopics(options.metadata, created, autoCreate.waitMs);
  return metadataResponse(image, { clusterId, topics, overrides });
}
