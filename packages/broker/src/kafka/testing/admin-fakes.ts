/**
 * Fakes for the Kafka admin handlers' tests: a metadata image source built from records (as the broker
 * applies them), a stand-in for the active controller behind a real AdminForwarder (the subset of
 * ControllerAdmin's rules the handlers relay, with the real topic-config validation), and a driver that
 * sends a request through the codec at a given version and decodes the answer at that version, so the
 * tests see exactly what a client of that version would.
 */
import {
  brokerEpoch,
  brokerId,
  leaderEpoch,
  partitionEpoch,
  TributaryError,
  validateTopicName,
} from '@tributary/core';
import {
  type ApiDefinition,
  decodeRequestBytes,
  decodeResponseBytes,
  encodeRequestBody,
  encodeResponseBody,
  type RequestInputOf,
  type ResponseOf,
} from '@tributary/kafka-protocol';
import {
  MetadataImage,
  type MetadataRecord,
  REPLICATION_THROTTLE_CONFIG,
  replayAll,
  type TopicImage,
  validateTopicConfigs,
} from '@tributary/metadata';
import type {
  ConnectionCallOptions,
  ControllerAdminClient,
  TopicInfo__Output,
  UnaryMethodName,
  UnaryRequest,
  UnaryResponse,
} from '@tributary/protocol';
import { ANONYMOUS } from '@tributary/security';
import { pino } from 'pino';
import { type AdminConnection, AdminForwarder } from '../../services/admin-forwarding.js';
import type { ImageSource } from '../../services/auto-create.js';
import type { RegisteredHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';

/** An image source the test moves forward by publishing records. */
export class FakeMetadata implements ImageSource {
  #image: MetadataImage;
  #offset = 0;
  readonly #listeners = new Set<(image: MetadataImage) => void>();

  constructor(records: readonly MetadataRecord[]) {
    this.#image = MetadataImage.EMPTY;
    this.publish(records);
  }

  currentImage(): MetadataImage {
    return this.#image;
  }

  onImage(listener: (image: MetadataImage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(records: readonly MetadataRecord[]): void {
    this.#image = replayAll(
      this.#image,
      records.map((record) => ({ record, offset: this.#offset++ })),
    );
    for (const listener of this.#listeners) listener(this.#image);
  }
}

/** Registered, unfenced brokers 1..count, each with a Kafka address. */
export function brokerRecords(count: number): MetadataRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'RegisterBroker' as const,
    brokerId: brokerId(i + 1),
    brokerEpoch: brokerEpoch(1),
    incarnationId: `inc-${i + 1}`,
    address: `127.0.0.1:${9092 + i}`,
    rack: i === 0 ? 'rack-a' : null,
    fenced: false,
    kafkaAddress: `127.0.0.1:${19092 + i}`,
  }));
}

/** A topic with `partitions` partitions on brokers 1..replicationFactor, and its configs. */
export function topicRecords(options: {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly firstPartition?: number;
  readonly configs?: Readonly<Record<string, string>>;
}): MetadataRecord[] {
  const replicas = Array.from({ length: options.replicationFactor }, (_, i) => brokerId(i + 1));
  const first = options.firstPartition ?? 0;
  const records: MetadataRecord[] =
    first === 0 ? [{ type: 'Topic', name: options.name, topicId: options.topicId }] : [];
  for (let partition = first; partition < options.partitions; partition++) {
    records.push({
      type: 'Partition',
      topicId: options.topicId,
      partition,
      replicas,
      isr: replicas,
      leader: brokerId(1),
      leaderEpoch: leaderEpoch(0),
      partitionEpoch: partitionEpoch(0),
    });
  }
  for (const [name, value] of Object.entries(options.configs ?? {})) {
    records.push({ type: 'Config', resourceType: 'topic', resourceName: options.name, name, value });
  }
  return records;
}

type Method = UnaryMethodName<ControllerAdminClient>;
type Handlers = {
  [M in Method]?: (
    request: UnaryRequest<ControllerAdminClient, M>,
  ) => UnaryResponse<ControllerAdminClient, M>;
};

export interface ForwardedCall {
  readonly method: string;
  readonly request: unknown;
  readonly deadlineMs: number;
}

/**
 * The active controller as the handlers see it: decides against the image, publishes what it commits
 * (unless `publishes` is false: a broker whose image lags), records every call, and fails a method once
 * when `failNext` names it.
 */
export class FakeController implements AdminConnection {
  readonly calls: ForwardedCall[] = [];
  readonly failNext = new Map<string, TributaryError>();
  /** While false, committed records wait in `pending` (flush() publishes them). */
  publishes = true;
  readonly pending: MetadataRecord[] = [];
  #nextTopicId = 1;

  constructor(readonly metadata: FakeMetadata) {}

  async admin<M extends Method>(
    method: M,
    request: UnaryRequest<ControllerAdminClient, M>,
    options: ConnectionCallOptions,
  ): Promise<UnaryResponse<ControllerAdminClient, M>> {
    this.calls.push({ method, request, deadlineMs: options.deadlineMs });
    const failure = this.failNext.get(method);
    if (failure !== undefined) {
      this.failNext.delete(method);
      throw failure;
    }
    const handler = this.#handlers[method];
    if (handler === undefined) throw new TributaryError('INVALID_REQUEST', `the fake has no ${method}`);
    // The table maps each method to its own handler; TypeScript cannot follow M through the lookup.
    return (handler as (r: typeof request) => UnaryResponse<ControllerAdminClient, M>)(request);
  }

  callsOf(method: string): ForwardedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  #image(): MetadataImage {
    return this.metadata.currentImage();
  }

  #commit(records: MetadataRecord[]): void {
    if (this.publishes) this.metadata.publish(records);
    else this.pending.push(...records);
  }

  /** Publishes what was committed while `publishes` was false: the broker's image catches up. */
  flush(): void {
    this.metadata.publish(this.pending.splice(0));
  }

  #topic(name: string): TopicImage {
    const topic = this.#image().topicByName(name);
    if (topic === undefined) throw new TributaryError('UNKNOWN_TOPIC', `topic "${name}" does not exist`);
    return topic;
  }

  readonly #handlers: Handlers = {
    CreateTopic: (request) => {
      const name = request.name ?? '';
      validateTopicName(name);
      if (this.#image().topicByName(name) !== undefined) {
        throw new TributaryError('TOPIC_ALREADY_EXISTS', `topic "${name}" already exists`);
      }
      const partitions = request.partitions ?? 0;
      const replicationFactor = request.replicationFactor ?? 0;
      if (replicationFactor > this.#image().unfencedBrokerIds().length) {
        throw new TributaryError(
          'INVALID_REPLICATION_FACTOR',
          `replication factor ${replicationFactor} is too large`,
        );
      }
      const configs = Object.fromEntries((request.configs ?? []).map((c) => [c.name ?? '', c.value ?? '']));
      validateTopicConfigs(configs, replicationFactor);
      const topicId = `00000000-0000-4000-8000-${String(this.#nextTopicId++).padStart(12, '0')}`;
      const records = topicRecords({ name, topicId, partitions, replicationFactor, configs });
      if (request.validateOnly === true) return { topic: describe(records, name) };
      this.#commit(records);
      return { topic: describe(records, name) };
    },
    DeleteTopic: (request) => {
      const topic = this.#topic(request.name ?? '');
      if (request.topicId !== undefined && request.topicId !== '' && request.topicId !== topic.topicId) {
        throw new TributaryError('UNKNOWN_TOPIC_ID', `topic "${topic.name}" has another id`);
      }
      this.#commit([{ type: 'RemoveTopic', topicId: topic.topicId }]);
      return { topicId: topic.topicId };
    },
    CreatePartitions: (request) => {
      const topic = this.#topic(request.name ?? '');
      const total = request.totalCount ?? 0;
      if (total <= topic.partitions.size) {
        throw new TributaryError(
          'INVALID_PARTITIONS',
          `topic "${topic.name}" has ${topic.partitions.size} partitions`,
        );
      }
      const replicationFactor = topic.partitions.get(0)?.replicas.length ?? 1;
      const records = topicRecords({
        name: topic.name,
        topicId: topic.topicId,
        partitions: total,
        replicationFactor,
        firstPartition: topic.partitions.size,
      });
      if (request.validateOnly !== true) this.#commit(records);
      return { topic: infoOf(this.#image(), this.#topic(topic.name)) };
    },
    AlterTopicConfigs: (request) => {
      const topic = this.#topic(request.name ?? '');
      const next: Record<string, string> = Object.fromEntries(this.#image().topicConfigs(topic.name));
      for (const name of request.remove ?? []) delete next[name];
      for (const { name, value } of request.set ?? []) next[name ?? ''] = value ?? '';
      validateTopicConfigs(next, topic.partitions.get(0)?.replicas.length ?? 1);
      const current = this.#image().topicConfigs(topic.name);
      const changed = [...new Set([...current.keys(), ...Object.keys(next)])].filter(
        (name) => (current.get(name) ?? null) !== (next[name] ?? null),
      );
      if (request.validateOnly !== true) {
        this.#commit(
          changed.map((name) => ({
            type: 'Config',
            resourceType: 'topic',
            resourceName: topic.name,
            name,
            value: next[name] ?? null,
          })),
        );
      }
      const configs = Object.entries(next).map(([name, value]) => ({ name, value }));
      return { topic: { ...infoOf(this.#image(), topic), configs } };
    },
    DescribeTopics: (request) => ({
      topics: (request.names ?? []).map((name) => infoOf(this.#image(), this.#topic(name))),
    }),
    AlterPartitionReassignments: (request) => {
      const rate = Number(String(request.throttleBytesPerSec ?? 0));
      const value = request.removeThrottle === true ? null : rate > 0 ? String(rate) : undefined;
      if (value !== undefined && request.validateOnly !== true) {
        this.#commit([
          {
            type: 'Config',
            resourceType: 'cluster',
            resourceName: '',
            name: REPLICATION_THROTTLE_CONFIG,
            value,
          },
        ]);
      }
      return { results: [] };
    },
  };
}

/** A topic as ControllerAdmin describes it. */
function infoOf(image: MetadataImage, topic: TopicImage): TopicInfo__Output {
  return {
    name: topic.name,
    topicId: topic.topicId,
    partitions: [...topic.partitions.values()]
      .sort((a, b) => a.partition - b.partition)
      .map((state) => ({
        partition: state.partition,
        leader: state.leader,
        leaderEpoch: state.leaderEpoch,
        partitionEpoch: state.partitionEpoch,
        replicas: [...state.replicas],
        isr: [...state.isr],
        addingReplicas: [],
        removingReplicas: [],
      })),
    configs: [...image.topicConfigs(topic.name)].map(([name, value]) => ({ name, value })),
  };
}

/** The controller's description of the topic `records` create. */
function describe(records: readonly MetadataRecord[], name: string): TopicInfo__Output {
  const image = replayAll(
    MetadataImage.EMPTY,
    [...brokerRecords(5), ...records].map((record, offset) => ({ record, offset })),
  );
  const topic = image.topicByName(name);
  if (topic === undefined) throw new Error(`the records create no topic ${name}`);
  return infoOf(image, topic);
}

/** The parts the admin handlers use, over the fakes; the rest are never called by them. */
export function adminParts(
  metadata: FakeMetadata,
  controller: FakeController,
  overrides: Partial<KafkaBrokerParts> = {},
): KafkaBrokerParts {
  const unused = (): never => {
    throw new Error('not used by the admin handlers');
  };
  return {
    brokerId: 1,
    metadata,
    // The data plane grows with the data APIs; the admin handlers never touch it.
    dataPlane: {
      produce: unused,
      fetch: unused,
      listOffsets: unused,
    } as unknown as KafkaBrokerParts['dataPlane'],
    producerIds: { generateProducerId: unused },
    groupCoordinator: null,
    admin: new AdminForwarder({ connection: controller }),
    autoCreate: null,
    topicDefaults: { partitions: 3, replicationFactor: 2 },
    clusterId: () => 'cluster-1',
    metadataReady: () => true,
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
}

/**
 * Sends `body` to `handler` as a client speaking `version` would (encoded, then decoded, at that
 * version) and decodes the answer at that version.
 */
export async function exchange<A extends ApiDefinition>(
  handler: RegisteredHandler,
  api: A,
  version: number,
  body: RequestInputOf<A>,
): Promise<ResponseOf<A>> {
  // `A` is generic here: the codec's field types cannot be followed through RequestInputOf<A>.
  const encoded = encodeRequestBody(api, version, body as never).toBuffer();
  const request = decodeRequestBytes(api, version, encoded);
  const context = {
    header: { apiKey: api.key, apiVersion: version, correlationId: 1, clientId: 'test' },
    clientHost: '127.0.0.1',
    connectionId: 'test-connection',
    logger: pino({ level: 'silent' }),
    caller: { principal: ANONYMOUS, host: '127.0.0.1', authenticatedBy: 'none' as const },
  };
  const response = await handler.answer(request, context);
  const bytes = encodeResponseBody(api, version, response as never).toBuffer();
  return decodeResponseBytes(api, version, bytes) as ResponseOf<A>;
}
