/**
 * A one-node Kafka broker that answers from a script instead of a log, for capturing golden frames of APIs
 * the real broker does not serve yet (issue 14's transaction APIs). Requests are decoded strictly by
 * @tributary/kafka-protocol (a client frame our codec refuses closes the connection, which fails the capture);
 * responses are hand-built from Kafka's documented layouts: every call succeeds, offsets count up per
 * partition, and the node is its own group and transaction coordinator. It keeps no state beyond offsets,
 * so what a golden pins is the clients' request bytes and our encoding of well-formed answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  type ApiDefinition,
  ApiVersions,
  type DecodedRequest,
  DescribeTransactions,
  decodeRequestFrame,
  EndTxn,
  encodeResponseFrame,
  FindCoordinator,
  InitProducerId,
  ListTransactions,
  Metadata,
  Produce,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
  TxnOffsetCommit,
  type VersionRange,
  type VersionSpec,
} from '@tributary/kafka-protocol';

/** What the script answers: one node, these partitions per topic, this producer id. */
export const SCRIPT = {
  nodeId: 0,
  clusterId: 'golden-scripted-cluster',
  partitionsPerTopic: 2,
  producerId: 4_000,
  /** A fixed topic id for Metadata v10+ (Kafka's are random; a constant keeps goldens stable). */
  topicId: '5d0c3e6a-1f2b-4c7d-9e8f-0a1b2c3d4e5f',
  transactionTimeoutMs: 60_000,
  transactionStartTimeMs: 1_700_000_000_000,
} as const;

/** Bounds the bytes a connection may buffer: the clients here send small frames. */
const FRAME_BYTES_MAX = 16 * 1024 * 1024;

interface ScriptedAnswer {
  readonly api: ApiDefinition;
  readonly advertised: VersionRange;
  respond(request: unknown, version: number): unknown;
}

function scripted<A extends ApiDefinition>(
  api: A,
  versions: VersionSpec,
  respond: (request: RequestOf<A>, version: number) => ResponseInputOf<A>,
): ScriptedAnswer {
  return {
    api,
    advertised: parseVersions(versions),
    respond: (request, version) => respond(request as RequestOf<A>, version),
  };
}

type Partitions = readonly { readonly name: string; readonly partitions: readonly number[] }[];

function partitionResults(topics: Partitions) {
  return topics.map((topic) => ({
    name: topic.name,
    resultsByPartition: topic.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: 0 })),
  }));
}

export class ScriptedBroker {
  /** Requests the script could not answer (refused by the codec, or outside the script): a capture fails on any. */
  readonly failures: string[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #answers: ReadonlyMap<number, ScriptedAnswer>;
  /** The codec's definitions cut to the scripted versions: anything else is refused, as a broker would. */
  readonly #codecApis: ReadonlyMap<number, ApiDefinition>;
  readonly #nextOffset = new Map<string, number>();
  /** Where Metadata and FindCoordinator send clients: the recording proxy in front of this broker. */
  #advertised = { host: '127.0.0.1', port: 0 };

  private constructor(server: Server) {
    this.#server = server;
    this.#answers = new Map(this.#script().map((answer) => [answer.api.key, answer]));
    this.#codecApis = new Map(
      [...this.#answers].map(([key, answer]) => [key, { ...answer.api, versions: answer.advertised }]),
    );
  }

  static async start(): Promise<ScriptedBroker> {
    const server = createServer();
    const broker = new ScriptedBroker(server);
    server.on('connection', (socket) => broker.#accept(socket));
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    broker.#advertised = { host: '127.0.0.1', port: broker.port };
    return broker;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : -1;
  }

  advertise(host: string, port: number): void {
    this.#advertised = { host, port };
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4) {
        const size = buffered.readInt32BE(0);
        if (size < 0 || size > FRAME_BYTES_MAX) {
          socket.destroy();
          return;
        }
        if (buffered.length < 4 + size) break;
        const frame = buffered.subarray(4, 4 + size);
        buffered = buffered.subarray(4 + size);
        const response = this.#answer(frame);
        if (response === null) {
          socket.destroy();
          return;
        }
        socket.write(Buffer.concat(response));
      }
    });
    const end = (): void => {
      socket.destroy();
      this.#sockets.delete(socket);
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  /** The response frame, or null to close the connection (a malformed frame, an API or version outside the script). */
  #answer(frame: Buffer): Buffer[] | null {
    let decoded: DecodedRequest;
    try {
      decoded = decodeRequestFrame(frame, this.#codecApis);
    } catch (error) {
      this.failures.push(
        `a request frame our codec refuses: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
    const answer = this.#answers.get(decoded.header.apiKey);
    if (decoded.kind !== 'request' || answer === undefined) {
      this.failures.push(`API ${decoded.header.apiKey} v${decoded.header.apiVersion} is outside the script`);
      return null;
    }
    const { apiVersion, correlationId } = decoded.header;
    return encodeResponseFrame(
      answer.api,
      apiVersion,
      correlationId,
      answer.respond(decoded.body, apiVersion) as never,
    );
  }

  #offsetsFor(topic: string, partition: number, count: number): number {
    const key = `${topic}-${partition}`;
    const base = this.#nextOffset.get(key) ?? 0;
    this.#nextOffset.set(key, base + count);
    return base;
  }

  #coordinator() {
    return { nodeId: SCRIPT.nodeId, host: this.#advertised.host, port: this.#advertised.port };
  }

  #script(): ScriptedAnswer[] {
    return [
      scripted(ApiVersions, '0-3', () => ({
        errorCode: 0,
        apiKeys: [...this.#answers.values()].map((a) => ({
          apiKey: a.api.key,
          minVersion: a.advertised.min,
          maxVersion: a.advertised.max,
        })),
        throttleTimeMs: 0,
      })),
      scripted(Metadata, '0-12', (request) => this.#metadata(request)),
      scripted(FindCoordinator, '0-4', (request) => {
        const coordinator = this.#coordinator();
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          errorMessage: null,
          ...coordinator,
          coordinators: request.coordinatorKeys.map((key) => ({
            key,
            ...coordinator,
            errorCode: 0,
            errorMessage: null,
          })),
        };
      }),
      scripted(InitProducerId, '0-4', () => ({
        throttleTimeMs: 0,
        errorCode: 0,
        producerId: SCRIPT.producerId,
        producerEpoch: 0,
      })),
      // From v3: a transactional producer's batches need RecordBatch v2 and the TransactionalId field.
      scripted(Produce, '3-11', (request) => ({
        responses: request.topicData.map((topic) => ({
          name: topic.name,
          partitionResponses: topic.partitionData.map((partition) => ({
            index: partition.index,
            errorCode: 0,
            baseOffset: this.#offsetsFor(topic.name, partition.index, recordCount(partition.records)),
            logAppendTimeMs: -1,
            logStartOffset: 0,
            recordErrors: [],
            errorMessage: null,
          })),
        })),
        throttleTimeMs: 0,
      })),
      // Kafka's brokers advertise v0-5: a client that takes the highest (@platformatic/kafka) sends the
      // batched form meant for brokers.
      scripted(AddPartitionsToTxn, '0-5', (request) => ({
        throttleTimeMs: 0,
        errorCode: 0,
        resultsByTransaction: request.transactions.map((transaction) => ({
          transactionalId: transaction.transactionalId,
          topicResults: partitionResults(transaction.topics),
        })),
        resultsByTopicV3AndBelow: partitionResults(request.v3AndBelowTopics),
      })),
      scripted(AddOffsetsToTxn, '0-4', () => ({ throttleTimeMs: 0, errorCode: 0 })),
      scripted(EndTxn, '0-4', () => ({ throttleTimeMs: 0, errorCode: 0 })),
      scripted(TxnOffsetCommit, '0-4', (request) => ({
        throttleTimeMs: 0,
        topics: request.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: 0 })),
        })),
      })),
      scripted(DescribeTransactions, '0', (request) => ({
        throttleTimeMs: 0,
        transactionStates: request.transactionalIds.map((transactionalId) => ({
          errorCode: 0,
          transactionalId,
          transactionState: 'Ongoing',
          transactionTimeoutMs: SCRIPT.transactionTimeoutMs,
          transactionStartTimeMs: SCRIPT.transactionStartTimeMs,
          producerId: SCRIPT.producerId,
          producerEpoch: 0,
          topics: [{ topic: 'golden-transactions', partitions: [0, 1] }],
        })),
      })),
      scripted(ListTransactions, '0-1', (request) => ({
        throttleTimeMs: 0,
        errorCode: 0,
        unknownStateFilters: request.stateFilters.filter((state) => !TRANSACTION_STATES.has(state)),
        transactionStates: [
          {
            transactionalId: 'golden-kafkajs-tx',
            producerId: SCRIPT.producerId,
            transactionState: 'Ongoing',
          },
        ],
      })),
    ];
  }

  #metadata(request: RequestOf<typeof Metadata>): ResponseInputOf<typeof Metadata> {
    const names = (request.topics ?? []).flatMap((topic) => (topic.name === null ? [] : [topic.name]));
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: SCRIPT.nodeId, ...this.#advertised, rack: null }],
      clusterId: SCRIPT.clusterId,
      controllerId: SCRIPT.nodeId,
      topics: names.map((name) => ({
        errorCode: 0,
        name,
        topicId: SCRIPT.topicId,
        isInternal: false,
        partitions: Array.from({ length: SCRIPT.partitionsPerTopic }, (_, partitionIndex) => ({
          errorCode: 0,
          partitionIndex,
          leaderId: SCRIPT.nodeId,
          leaderEpoch: 0,
          replicaNodes: [SCRIPT.nodeId],
          isrNodes: [SCRIPT.nodeId],
          offlineReplicas: [],
        })),
        topicAuthorizedOperations: -2_147_483_648,
      })),
      clusterAuthorizedOperations: -2_147_483_648,
    };
  }
}

/** Kafka's transaction coordinator states (TransactionState), which ListTransactions filters on. */
const TRANSACTION_STATES: ReadonlySet<string> = new Set([
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
]);

/** The records in a produced RecordBatch v2 (its int32 count at byte 57), so offsets advance by it. */
function recordCount(records: Buffer | null): number {
  const RECORD_COUNT_AT = 57;
  return records === null || records.length < RECORD_COUNT_AT + 4 ? 0 : records.readInt32BE(RECORD_COUNT_AT);
}
