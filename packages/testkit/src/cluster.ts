/**
 * A whole cluster of real processes on 127.0.0.1: a controller quorum plus brokers, each with its own port and
 * data dir under one temp dir. `startCluster` returns once every broker answers and is registered and
 * unfenced; `stop()` kills everything and removes the temp dir (call it from afterEach/finally).
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { BrokerProcess } from './broker-process.js';
import { LinkNetwork } from './chaos/link-proxy.js';
import { type ControllerQuorum, startControllerQuorum } from './controller-quorum.js';
import { HARNESS_LIMITS } from './limits.js';
import { freePorts } from './ports.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { waitFor } from './wait.js';

export interface ClusterOptions {
  readonly controllers?: 3 | 5;
  readonly brokers: number;
  readonly brokerArgs?: readonly string[];
  readonly controllerArgs?: readonly string[];
  readonly logLevel?: string;
  /**
   * Route every process-to-process link (and clients' links to brokers) through in-process TCP proxies that
   * the chaos nemesis can cut and slow (see chaos/link-proxy.ts). Default false: direct links.
   */
  readonly linkProxies?: boolean;
  /** Give every broker a Kafka listener on its own port (DESIGN §9). Default false. */
  readonly kafka?: boolean;
  /** Give every broker a Prometheus `/metrics` endpoint on its own port (BrokerProcess.metricsAddress). Default false. */
  readonly metrics?: boolean;
  /**
   * The harness's own channel credentials, for a secure cluster (TLS, with a super user's client
   * certificate): every readiness probe and admin call uses them. The processes' own --tls-* flags go in
   * brokerArgs/controllerArgs. Default plaintext.
   */
  readonly credentials?: grpc.ChannelCredentials;
}

export class Cluster {
  readonly #brokers: BrokerProcess[];

  constructor(
    readonly quorum: ControllerQuorum,
    brokers: readonly BrokerProcess[],
    private readonly tempDir: TempDir,
    /** The link proxies, when started with `linkProxies: true`. */
    readonly links?: LinkNetwork,
    private readonly brokerDefaults: BrokerDefaults = {},
  ) {
    this.#brokers = [...brokers];
  }

  /** Every broker process, including ones added with addBroker(). */
  get brokers(): readonly BrokerProcess[] {
    return this.#brokers;
  }

  /**
   * Starts one more broker (scaling out) with the cluster's broker arguments (and `extraArgs` after them),
   * waits until it is ready and registered unfenced, and returns it. Its data dir sits with the others;
   * stop() removes it too.
   */
  async addBroker(
    nodeId: number,
    options: { readonly extraArgs?: readonly string[] } = {},
  ): Promise<BrokerProcess> {
    if (this.#brokers.some((b) => b.nodeId === nodeId))
      throw new RangeError(`broker ${nodeId} already exists`);
    if (this.links !== undefined) throw new Error('addBroker does not support proxied links');
    const [port, kafkaPort] = await freePorts(2);
    if (port === undefined || kafkaPort === undefined) throw new Error('no free port');
    const dataDir = join(this.tempDir.path, `broker-${nodeId}`);
    await mkdir(dataDir, { recursive: true });
    const broker = new BrokerProcess({
      nodeId,
      port,
      dataDir,
      controllers: this.quorum.nodes.map((node) => node.address).join(','),
      ...(this.brokerDefaults.kafka === true ? { kafkaPort } : {}),
      ...(this.brokerDefaults.logLevel === undefined ? {} : { logLevel: this.brokerDefaults.logLevel }),
      extraArgs: [...(this.brokerDefaults.extraArgs ?? []), ...(options.extraArgs ?? [])],
      ...(this.brokerDefaults.credentials === undefined
        ? {}
        : { credentials: this.brokerDefaults.credentials }),
    });
    this.#brokers.push(broker);
    broker.start();
    await broker.waitReady();
    await this.waitForUnfencedBrokers([nodeId]);
    return broker;
  }

  /** Where Kafka clients start: every broker's Kafka listener (startCluster with `kafka: true`). */
  get kafkaBootstrap(): string[] {
    return this.brokers.flatMap((broker) => (broker.kafkaAddress === null ? [] : [broker.kafkaAddress]));
  }

  /** Where clients start: the brokers' proxies when links are proxied (as metadata advertises), else the brokers. */
  get bootstrap(): string[] {
    const links = this.links;
    if (links === undefined) return this.brokers.map((broker) => broker.address);
    return this.brokers.map((broker) => links.proxyAddress(`broker ${broker.nodeId}`));
  }

  broker(nodeId: number): BrokerProcess {
    const broker = this.brokers.find((b) => b.nodeId === nodeId);
    if (broker === undefined) throw new RangeError(`no broker ${nodeId}`);
    return broker;
  }

  /** Waits until the active controller lists `expected` unfenced brokers (default: all running ones). */
  async waitForUnfencedBrokers(expected?: readonly number[], timeoutMs = 20_000): Promise<void> {
    const want = [...(expected ?? this.brokers.filter((b) => b.isRunning).map((b) => b.nodeId))].sort();
    const admin = this.quorum.admin();
    await waitFor(
      `brokers ${want.join(',')} registered and unfenced`,
      async () => {
        const cluster = await admin.admin('DescribeCluster', {});
        const unfenced = cluster.brokers.filter((b) => !b.fenced).map((b) => b.brokerId);
        return want.every((id) => unfenced.includes(id)) ? true : undefined;
      },
      { timeoutMs },
    );
  }

  dump(lineCount = 60): string {
    return [this.quorum.dump(lineCount), ...this.brokers.map((b) => b.dump(lineCount))].join('\n');
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.brokers.map((broker) => broker.dispose()));
    await this.quorum.stop();
    await this.links?.close();
    await this.tempDir.remove();
  }
}

/** What addBroker() passes to new brokers, as startCluster() did to the first ones. */
interface BrokerDefaults {
  readonly kafka?: boolean;
  readonly logLevel?: string;
  readonly extraArgs?: readonly string[];
  readonly credentials?: grpc.ChannelCredentials;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const links = options.linkProxies === true ? new LinkNetwork() : undefined;
  let quorum: ControllerQuorum;
  try {
    quorum = await startQuorumFor(options, links);
  } catch (error) {
    await links?.close();
    throw error;
  }
  const tempDir = await makeTempDir('tributary-brokers');
  // One call, so that the Kafka and metrics ports differ from the gRPC ones (each call holds its ports open together).
  const portSets = 1 + (options.kafka === true ? 1 : 0) + (options.metrics === true ? 1 : 0);
  const allPorts = await freePorts(options.brokers * portSets);
  const ports = allPorts.slice(0, options.brokers);
  const kafkaPorts = options.kafka === true ? allPorts.slice(options.brokers, 2 * options.brokers) : [];
  const metricsPorts = options.metrics === true ? allPorts.slice(allPorts.length - options.brokers) : [];
  const controllers = quorum.nodes
    .map((node) => (links === undefined ? node.address : links.proxyAddress(`controller ${node.nodeId}`)))
    .join(',');
  const brokers: BrokerProcess[] = [];
  for (const [index, port] of ports.entries()) {
    const nodeId = index + 1;
    const dataDir = join(tempDir.path, `broker-${nodeId}`);
    await mkdir(dataDir, { recursive: true });
    const advertisedAddress = await links?.addProxy(`broker ${nodeId}`, `127.0.0.1:${port}`);
    const broker = new BrokerProcess({
      nodeId,
      port,
      dataDir,
      controllers,
      ...(advertisedAddress === undefined ? {} : { advertisedAddress }),
      ...(kafkaPorts[index] === undefined ? {} : { kafkaPort: kafkaPorts[index] }),
      ...(metricsPorts[index] === undefined ? {} : { metricsPort: metricsPorts[index] }),
      ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
      ...(options.brokerArgs === undefined ? {} : { extraArgs: options.brokerArgs }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
    links?.registerProcess(`broker ${nodeId}`, () => broker.process.pid);
    brokers.push(broker);
  }
  const cluster = new Cluster(quorum, brokers, tempDir, links, {
    ...(options.kafka === true ? { kafka: true } : {}),
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    ...(options.brokerArgs === undefined ? {} : { extraArgs: options.brokerArgs }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  try {
    await quorum.waitForLeader({ timeoutMs: HARNESS_LIMITS.readyTimeoutMs });
    for (const broker of brokers) broker.start();
    await Promise.all(brokers.map((broker) => broker.waitReady()));
    await cluster.waitForUnfencedBrokers();
    return cluster;
  } catch (error) {
    const message = `startCluster failed: ${error instanceof Error ? error.message : String(error)}\n${cluster.dump(40)}`;
    await cluster.stop();
    throw new Error(message);
  }
}

function startQuorumFor(options: ClusterOptions, links: LinkNetwork | undefined): Promise<ControllerQuorum> {
  return startControllerQuorum({
    size: options.controllers ?? 3,
    ...(options.controllerArgs === undefined ? {} : { extraArgs: options.controllerArgs }),
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    ...(links === undefined ? {} : { links }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
}

/**
 * Starts a cluster, runs `body` on it and always stops it; when `body` fails, `log` gets the processes' last
 * output lines first (the campaigns' runners: chaos, transactional chaos, soak).
 */
export async function withStartedCluster<T>(
  options: ClusterOptions,
  log: (line: string) => void,
  body: (cluster: Cluster) => Promise<T>,
): Promise<T> {
  const cluster = await startCluster(options);
  try {
    return await body(cluster);
  } catch (error) {
    log(`run failed; process output follows\n${cluster.dump(40)}`);
    throw error;
  } finally {
    await cluster.stop();
  }
}
