/** The entry point: one client per process, sharing broker connections and the metadata cache. */
import type { Clock, Random } from '@tributary/core';
import { BrokerConnections } from './connections.js';
import { Consumer } from './consumer.js';
import { MetadataCache } from './metadata-cache.js';
import { Producer, type ProducerOptions } from './producer.js';

export interface TributaryClientOptions {
  /** host:port of one or more brokers; any of them answers Metadata. */
  readonly bootstrap: readonly string[];
  readonly clientId?: string;
  /** Overall deadline of consumer lookups, retries included (default 30 s). */
  readonly timeoutMs?: number;
  /** Let Metadata lookups auto-create missing topics where the broker allows it (default true, as Kafka). */
  readonly allowAutoTopicCreation?: boolean;
  readonly clock?: Clock;
  readonly random?: Random;
}

export class TributaryClient {
  readonly clientId: string;
  readonly metadata: MetadataCache;
  private readonly connections = new BrokerConnections();

  constructor(private readonly options: TributaryClientOptions) {
    this.clientId = options.clientId ?? 'tributary-client';
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
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
        ...(this.options.random === undefined ? {} : { random: this.options.random }),
      },
      options,
    );
  }

  consumer(): Consumer {
    return new Consumer({
      metadata: this.metadata,
      connections: this.connections,
      ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
    });
  }

  /** Closes every broker channel; calls in flight fail. */
  close(): void {
    this.connections.close();
  }
}
