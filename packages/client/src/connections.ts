/** One gRPC client per broker address, created on first use and reused (a channel is costly to open). */
import type * as grpc from '@grpc/grpc-js';
import { type Clock, systemClock } from '@tributary/core';
import {
  type BrokerClient,
  type CallAuthentication,
  createBrokerClient,
  type FetchRequest,
  type FetchResponse__Output,
  type ProduceRequest,
  type ProduceResponse__Output,
} from '@tributary/protocol';
import { FetchTransport } from './fetch-stream.js';
import { ProduceTransport } from './produce-stream.js';
import type { StreamRequestOptions } from './request-streams.js';
import { BrokerThrottles } from './throttle.js';

export interface BrokerConnectionsOptions {
  /** grpc-js client interceptors for every broker channel (grpc-js reads them from the client options). */
  readonly interceptors?: grpc.Interceptor[];
  /** TLS (or plaintext) credentials of every broker channel; default plaintext. */
  readonly credentials?: grpc.ChannelCredentials;
  /** Authenticates every call (SCRAM sessions); unset: none. */
  readonly auth?: CallAuthentication;
  /** Produce on one stream per broker (default), or false: unary Produce calls. */
  readonly produceStreams?: boolean;
  /** Fetch on streams per broker (default), or false: unary Fetch calls. */
  readonly fetchStreams?: boolean;
  /** When to offer a stream again to a broker that lacked it; the system clock by default. */
  readonly clock?: Clock;
}

export class BrokerConnections {
  private readonly clients = new Map<string, BrokerClient>();
  /** Throttle times brokers asked for (client quotas): Produce and Fetch wait them out per broker. */
  readonly throttles = new BrokerThrottles();

  private readonly produceTransport: ProduceTransport;
  private readonly fetchTransport: FetchTransport;

  constructor(private readonly options: BrokerConnectionsOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.produceTransport = new ProduceTransport(() => clock.nowMs(), options.produceStreams ?? true);
    this.fetchTransport = new FetchTransport(() => clock.nowMs(), options.fetchStreams ?? true);
  }

  /**
   * One Produce request to the broker at `address`: on its stream, or unary where it has none. Aborting
   * `signal` gives up waiting for the answer (the request may still be appended) and rejects with its reason.
   */
  produce(
    address: string,
    request: ProduceRequest,
    deadlineMs: number,
    signal?: AbortSignal,
  ): Promise<ProduceResponse__Output> {
    return this.produceTransport.produce(address, this.get(address), request, deadlineMs, signal);
  }

  /** Whether Produce requests to `address` go on a stream now (tests). */
  producesOnStream(address: string): boolean {
    return this.produceTransport.streaming(address);
  }

  /**
   * One Fetch request to the broker at `address`: on its streams, or unary where it has none. `signal` gives
   * the request up (the broker ends its long poll).
   */
  fetch(
    address: string,
    request: FetchRequest,
    options: StreamRequestOptions,
  ): Promise<FetchResponse__Output> {
    return this.fetchTransport.fetch(address, this.get(address), request, options);
  }

  /** Whether Fetch requests to `address` go on a stream now (tests). */
  fetchesOnStream(address: string): boolean {
    return this.fetchTransport.streaming(address);
  }

  get(address: string): BrokerClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createBrokerClient(address, {
        ...(this.options.credentials === undefined ? {} : { credentials: this.options.credentials }),
        ...(this.options.auth === undefined ? {} : { auth: this.options.auth }),
        channelOptions: {
          // Large fetch responses move much faster with a wide HTTP/2 window (DESIGN §8).
          'grpc-node.flow_control_window': 16 * 1024 * 1024,
          ...(this.options.interceptors === undefined ? {} : { interceptors: this.options.interceptors }),
        },
      });
      this.clients.set(address, client);
    }
    return client;
  }

  close(): void {
    this.produceTransport.close();
    this.fetchTransport.close();
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** A counting semaphore: bounds the calls in flight to one broker. */
export class Slots {
  private available: number;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    this.available = capacity;
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else this.available++;
  }
}
