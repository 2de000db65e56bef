/** The entry point: one client per process, sharing broker connections and the metadata cache. */
import type * as grpc from '@grpc/grpc-js';
import { type Clock, type Random, TributaryError } from '@tributary/core';
import {
  type ClientTls,
  clientCredentials,
  type SaslCredentials,
  ScramSessionAuthentication,
} from '@tributary/protocol';
import { Admin } from './admin.js';
import { TransactionAdmin } from './admin-transactions.js';
import { BrokerConnections } from './connections.js';
import { Consumer } from './consumer.js';
import { CoordinatorConnections, CoordinatorLookup } from './group/coordinator.js';
import { GroupAdmin } from './group/group-admin.js';
import { GroupConsumer } from './group/group-consumer.js';
import type { GroupConsumerOptions } from './group/types.js';
import { CLIENT_LIMITS } from './limits.js';
import { MetadataCache } from './metadata-cache.js';
import { Producer, type ProducerOptions } from './producer.js';
import { clientIdInterceptor } from './throttle.js';
import { TransactionConnections } from './transaction-coordinator.js';

export interface TributaryClientOptions {
  /** host:port of one or more brokers; any of them answers Metadata. */
  readonly bootstrap: readonly string[];
  /**
   * host:port of the controllers, for admin() only and optional: without them admin calls go through the
   * bootstrap brokers, which forward them to the active controller.
   */
  readonly controllers?: readonly string[];
  readonly clientId?: string;
  /** Overall deadline of consumer lookups, retries included (default 30 s). */
  readonly timeoutMs?: number;
  /** Let Metadata lookups auto-create missing topics where the broker allows it (default true, as Kafka). */
  readonly allowAutoTopicCreation?: boolean;
  readonly clock?: Clock;
  readonly random?: Random;
  /** grpc-js client interceptors on every broker channel (tests use them to lose responses). */
  readonly interceptors?: grpc.Interceptor[];
  /**
   * Producers send on one ProduceStream per broker (default true), falling back to unary Produce for a
   * broker that does not offer it; false: always unary Produce.
   */
  readonly produceStreams?: boolean;
  /**
   * Consumers fetch on FetchStreams per broker (default true), falling back to unary Fetch for a broker that
   * does not offer them; false: always unary Fetch.
   */
  readonly fetchStreams?: boolean;
  /**
   * TLS on every channel: servers are verified against `ca` only (never the system roots) and must name the
   * host dialled; `cert` and `key` (PEM) are presented to listeners that require client certificates.
   * Unset: plaintext.
   */
  readonly tls?: ClientTls;
  /**
   * SCRAM credentials (DESIGN §10): the client logs in once per broker and controller address, keeps the
   * session, and logs in again when a session ends. Works with and without TLS (use TLS: SCRAM keeps the
   * password off the wire, not the session token). Unset: calls are anonymous (or the TLS certificate's).
   */
  readonly sasl?: SaslCredentials;
}

export class TributaryClient {
  readonly clientId: string;
  readonly metadata: MetadataCache;
  private readonly connections: BrokerConnections;
  /** GroupCoordinator channels, for group consumers and group admin. */
  private readonly coordinators: CoordinatorConnections;
  /** TransactionCoordinator channels, for transactional producers. */
  private readonly transactionConnections: TransactionConnections;
  private adminClient: Admin | undefined;
  /** Channel credentials of every connection (kept for the admin's marker channels). */
  private readonly credentials: grpc.ChannelCredentials;
  /** SCRAM sessions of every channel, when `sasl` is given. */
  private readonly auth: ScramSessionAuthentication | undefined;

  constructor(private readonly options: TributaryClientOptions) {
    this.clientId = options.clientId ?? 'tributary-client';
    // Brokers refuse a longer id on every call; refusing it here names the option instead.
    if (this.clientId.length > CLIENT_LIMITS.clientIdLengthMax) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `clientId must have at most ${CLIENT_LIMITS.clientIdLengthMax} characters, got ${this.clientId.length}`,
      );
    }
    // One credentials object for every channel of this client (a bad PEM fails here, not on first use).
    const credentials = clientCredentials(options.tls);
    this.credentials = credentials;
    this.auth =
      options.sasl === undefined
        ? undefined
        : new ScramSessionAuthentication({ sasl: options.sasl, credentials });
    this.coordinators = new CoordinatorConnections(credentials, this.auth);
    this.transactionConnections = new TransactionConnections(credentials, this.auth);
    this.connections = new BrokerConnections({
      credentials,
      ...(this.auth === undefined ? {} : { auth: this.auth }),
      // Every call names this client (its quotas); the caller's interceptors run after.
      interceptors: [clientIdInterceptor(this.clientId), ...(options.interceptors ?? [])],
      produceStreams: options.produceStreams ?? true,
      fetchStreams: options.fetchStreams ?? true,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    this.metadata = new MetadataCache(
      options.bootstrap,
      this.connections,
      options.allowAutoTopicCreation ?? true,
    );
  }

  producer(options: ProducerOptions = {}): Producer {
    return new Producer(
      {
        metadata: this.metadata,
        connections: this.connections,
        transactions: {
          connections: this.transactionConnections,
          groupLookup: (groupId) =>
            new CoordinatorLookup({
              groupId,
              connections: this.coordinators,
              lookupAddresses: () => this.options.bootstrap,
            }),
          lookupAddresses: () => [...this.options.bootstrap, ...this.metadata.brokerAddresses()],
        },
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
        ...(this.options.random === undefined ? {} : { random: this.options.random }),
      },
      options,
    );
  }

  /** Without options: the low-level Consumer (offsets, fetch). With a groupId: a consumer-group member. */
  consumer(): Consumer;
  consumer(options: GroupConsumerOptions): GroupConsumer;
  consumer(options?: GroupConsumerOptions): Consumer | GroupConsumer {
    if (options !== undefined) return this.groupConsumer(options);
    return new Consumer({
      metadata: this.metadata,
      connections: this.connections,
      ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    });
  }

  /** A consumer-group member sharing this client's connections and metadata. */
  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    return new GroupConsumer(
      {
        metadata: this.metadata,
        connections: this.connections,
        coordinators: this.coordinators,
        lookupAddresses: () => this.options.bootstrap,
        brokerAddresses: () => this.options.bootstrap,
        clientId: this.clientId,
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
        ...(this.options.random === undefined ? {} : { random: this.options.random }),
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
      },
      options,
    );
  }

  /**
   * The admin client: controller calls go to the configured controllers, or through the bootstrap brokers
   * when none are configured. One per client, shared; a new one is made when the previous one was closed.
   * close() closes it too.
   */
  admin(): Admin {
    if (this.adminClient === undefined || this.adminClient.closed) {
      this.adminClient = new Admin({
        ...(this.options.controllers === undefined ? {} : { controllers: this.options.controllers }),
        bootstrap: this.options.bootstrap,
        groups: new GroupAdmin({
          metadata: this.metadata,
          connections: this.connections,
          coordinators: this.coordinators,
          lookupAddresses: () => this.options.bootstrap,
          ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
          ...(this.options.random === undefined ? {} : { random: this.options.random }),
        }),
        brokers: { metadata: this.metadata, connections: this.connections },
        transactions: new TransactionAdmin({
          connections: this.connections,
          transactions: this.transactionConnections,
          lookupAddresses: () => [...this.options.bootstrap, ...this.metadata.brokerAddresses()],
          credentials: this.credentials,
          ...(this.auth === undefined ? {} : { auth: this.auth }),
          ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
          ...(this.options.random === undefined ? {} : { random: this.options.random }),
        }),
        ...(this.options.tls === undefined ? {} : { tls: this.options.tls }),
        ...(this.auth === undefined ? {} : { auth: this.auth }),
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
        ...(this.options.random === undefined ? {} : { random: this.options.random }),
      });
    }
    return this.adminClient;
  }

  /** Closes every broker and controller channel; calls in flight fail. */
  close(): void {
    this.connections.close();
    this.coordinators.close();
    this.transactionConnections.close();
    this.adminClient?.close();
    this.auth?.close();
  }
}
