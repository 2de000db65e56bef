/**
 * The broker's Prometheus series: traffic counters fed by wrapping the data plane the Broker service
 * calls (one increment per request and per partition, never per record), ISR shrink/expand counters fed
 * by wrapping the AlterPartition call, RPC latency from the server's instrumentation, and the gauges of
 * scrape-gauges.ts.
 */
import type {
  AlterPartitionItem,
  AlterPartitionResult__Output,
  FetchPartitionResult,
  FetchRequest__Output,
  ProducePartitionResult,
  ProduceRequest__Output,
} from '@tributary/protocol';
import { createMetricsRegistry, createRpcDurationRecorder, type RpcCallEnd } from '@tributary/protocol';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { BrokerDataPlane } from '../services/broker-service.js';
import { type BrokerScrapeSources, registerScrapeGauges } from './scrape-gauges.js';

type AlterPartition = (items: AlterPartitionItem[]) => Promise<AlterPartitionResult__Output[]>;

function byteLength(records: Buffer | Uint8Array | string | undefined): number {
  if (records === undefined) return 0;
  return typeof records === 'string' ? Buffer.byteLength(records) : records.byteLength;
}

export class BrokerMetrics {
  readonly registry: Registry;
  readonly observeRpc: (event: RpcCallEnd) => void;
  readonly #produceRequests: Counter;
  readonly #produceBytes: Counter;
  readonly #produceDuration: Histogram<'acks'>;
  readonly #fetchRequests: Counter;
  readonly #fetchBytes: Counter;
  readonly #partitionErrors: Counter<'request' | 'error_code'>;
  readonly #isrShrinks: Counter;
  readonly #isrExpands: Counter;

  constructor(sources: BrokerScrapeSources) {
    const registry = createMetricsRegistry({ nodeId: sources.brokerId });
    this.registry = registry;
    this.observeRpc = createRpcDurationRecorder(registry);
    const registers = [registry];
    this.#produceRequests = new Counter({
      name: 'tributary_broker_produce_requests_total',
      help: 'Produce requests handled (each may carry batches for many partitions)',
      registers,
    });
    this.#produceBytes = new Counter({
      name: 'tributary_broker_produce_bytes_total',
      help: 'Record batch bytes received in produce requests',
      registers,
    });
    this.#produceDuration = new Histogram({
      name: 'tributary_broker_produce_duration_seconds',
      help:
        'Produce requests from handling to the answer (acks=all: until the high watermark passed every batch), ' +
        'unary and on ProduceStream alike, by acks',
      labelNames: ['acks'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#fetchRequests = new Counter({
      name: 'tributary_broker_fetch_requests_total',
      help: 'Consumer fetch requests handled',
      registers,
    });
    this.#fetchBytes = new Counter({
      name: 'tributary_broker_fetch_bytes_total',
      help: 'Record batch bytes returned to consumer fetches',
      registers,
    });
    this.#partitionErrors = new Counter({
      name: 'tributary_broker_partition_errors_total',
      help: 'Per-partition errors in produce and fetch answers, by request and error code',
      labelNames: ['request', 'error_code'] as const,
      registers,
    });
    this.#isrShrinks = new Counter({
      name: 'tributary_broker_isr_shrinks_total',
      help: 'ISR shrinks this broker (as leader) got committed by the controller',
      registers,
    });
    this.#isrExpands = new Counter({
      name: 'tributary_broker_isr_expands_total',
      help: 'ISR expands this broker (as leader) got committed by the controller',
      registers,
    });
    registerScrapeGauges(registry, sources);
  }

  /** The data plane with traffic counting around produce and fetch. */
  instrumentDataPlane(dataPlane: BrokerDataPlane): BrokerDataPlane {
    return {
      produce: async (request: ProduceRequest__Output): Promise<ProducePartitionResult[]> => {
        this.#produceRequests.inc();
        let bytes = 0;
        for (const topic of request.topics) {
          for (const partition of topic.partitions) bytes += byteLength(partition.records);
        }
        this.#produceBytes.inc(bytes);
        // The gRPC duration histogram sees only unary calls; most produce requests ride on a stream.
        const stop = this.#produceDuration.startTimer({ acks: acksLabel(request.acks) });
        const results = await dataPlane.produce(request).finally(() => stop());
        this.#countErrors('produce', results);
        return results;
      },
      fetch: async (request: FetchRequest__Output, signal?: AbortSignal): Promise<FetchPartitionResult[]> => {
        this.#fetchRequests.inc();
        const results = await dataPlane.fetch(request, signal);
        let bytes = 0;
        for (const result of results) bytes += byteLength(result.records);
        this.#fetchBytes.inc(bytes);
        this.#countErrors('fetch', results);
        return results;
      },
      listOffsets: (request) => dataPlane.listOffsets(request),
      deleteRecords: (request) => dataPlane.deleteRecords(request),
      offsetForLeaderEpoch: (queries) => dataPlane.offsetForLeaderEpoch(queries),
    };
  }

  /**
   * AlterPartition with ISR change counting: an accepted item whose new ISR is smaller than the ISR
   * `currentIsr` reports is a shrink, a larger one an expand.
   */
  instrumentAlterPartition(
    alterPartition: AlterPartition,
    currentIsr: (topic: string, partition: number) => readonly number[] | undefined,
  ): AlterPartition {
    return async (items) => {
      const before = items.map((item) => currentIsr(item.topic ?? '', item.partition ?? 0)?.length);
      const results = await alterPartition(items);
      items.forEach((item, index) => {
        // Results are matched by partition, as the replica manager does (their order is not promised).
        const result = results.find((r) => r.topic === item.topic && r.partition === item.partition);
        const previous = before[index];
        if (result === undefined || result.errorCode !== '' || previous === undefined) return;
        const next = item.newIsr?.length ?? previous;
        if (next < previous) this.#isrShrinks.inc();
        else if (next > previous) this.#isrExpands.inc();
      });
      return results;
    };
  }

  #countErrors(
    request: 'produce' | 'fetch',
    results: readonly (ProducePartitionResult | FetchPartitionResult)[],
  ): void {
    for (const result of results) {
      const code = result.errorCode;
      // error_code values come from the fixed error-code table, so the label stays bounded.
      if (code !== undefined && code !== '') this.#partitionErrors.inc({ request, error_code: code });
    }
  }
}

/** Kafka's names for the acks a produce request asked for; anything else is refused before it is timed. */
function acksLabel(acks: number): 'all' | '1' | '0' | 'other' {
  if (acks === -1) return 'all';
  if (acks === 1) return '1';
  if (acks === 0) return '0';
  return 'other';
}
