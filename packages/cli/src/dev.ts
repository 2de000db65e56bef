/**
 * `tributary dev`: the embedded single-node cluster for development (DESIGN §2): a one-voter controller
 * quorum and one broker in the same process. The broker auto-creates topics on first use (RF 1), so
 * `trib produce` and `trib consume` work against it straight away.
 */
import { resolve } from 'node:path';
import { type BrokerHandle, type BrokerOptions, startBroker } from '@tributary/broker';
import { type BootstrapUserCredentials, type ControllerHandle, startController } from '@tributary/controller';
import { type ProcessSecurity, type ProcessTls, reloadTls } from '@tributary/protocol';
import type { Logger } from 'pino';

export interface DevOptions {
  readonly dataDir: string;
  readonly controllerListen: string;
  readonly brokerListen?: string;
  /** The broker's Kafka listener (DESIGN §9); 'off' serves none. */
  readonly kafkaListen?: string;
  /** Partitions of auto-created topics. */
  readonly defaultPartitions?: number;
  /** TLS on every listener and link of both nodes (one set of files, one reload); unset = plaintext. */
  readonly tls?: ProcessTls;
  /** Authentication and authorization of both nodes (one set of flags); unset = the defaults (anonymous allowed). */
  readonly security?: ProcessSecurity;
  /** The broker's log cleaner (--log-cleaner-*); unset = the broker's defaults. */
  readonly logCleanerEnable?: boolean;
  readonly logCleanerThreads?: number;
  readonly logCleanerIoMaxBytesPerSecond?: number;
  readonly logCleanerBackoffMs?: number;
  /** The SCRAM user the controller creates at first start (--bootstrap-scram-user). */
  readonly bootstrapUser?: BootstrapUserCredentials;
  readonly logger: Logger;
}

export const DEV_DEFAULTS = {
  dataDir: './data',
  controllerListen: '127.0.0.1:9093',
  brokerListen: '127.0.0.1:9092',
  kafkaListen: '127.0.0.1:9094',
  defaultPartitions: 1,
  /**
   * Kafka clients' groups start at once (Kafka's own development config sets
   * group.initial.rebalance.delay.ms=0): a single consumer should not wait 3 s for company.
   */
  groupInitialRebalanceDelayMs: 0,
} as const;

export interface DevCluster {
  readonly controller: ControllerHandle;
  readonly broker: BrokerHandle;
  close(): Promise<void>;
  /** SIGHUP: re-reads the shared TLS files once, for both nodes' new connections. */
  reload(): void;
}

function hostOf(address: string): string {
  return address.slice(0, address.lastIndexOf(':'));
}

/** `--kafka-listen off` turns the Kafka listener off (it is on by default in dev). */
function kafkaListenOption(listen: string): { kafkaListen?: string } {
  return listen === 'off' ? {} : { kafkaListen: listen };
}

/** The --log-cleaner-* flags given, as the broker's options (unset ones keep its defaults). */
function logCleanerOptions(options: DevOptions): Partial<BrokerOptions> {
  return {
    ...(options.logCleanerEnable === undefined ? {} : { logCleanerEnable: options.logCleanerEnable }),
    ...(options.logCleanerThreads === undefined ? {} : { logCleanerThreads: options.logCleanerThreads }),
    ...(options.logCleanerIoMaxBytesPerSecond === undefined
      ? {}
      : { logCleanerIoMaxBytesPerSecond: options.logCleanerIoMaxBytesPerSecond }),
    ...(options.logCleanerBackoffMs === undefined
      ? {}
      : { logCleanerBackoffMs: options.logCleanerBackoffMs }),
  };
}

/**
 * Starts the controller, then the broker pointed at it (by the controller's bound port, so port 0
 * works). close() stops the broker first: its controlled shutdown needs the controller.
 */
export async function startDevCluster(options: DevOptions): Promise<DevCluster> {
  const dataDir = resolve(options.dataDir);
  const controller = await startController({
    nodeId: 1,
    listen: options.controllerListen,
    dataDir: resolve(dataDir, 'controller-1'),
    voters: [{ id: 1, address: options.controllerListen }],
    logger: options.logger.child({ component: 'controller' }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.security === undefined ? {} : { security: options.security }),
    ...(options.bootstrapUser === undefined ? {} : { bootstrapUser: options.bootstrapUser }),
  });
  let broker: BrokerHandle;
  try {
    broker = await startBroker({
      nodeId: 1,
      listen: options.brokerListen ?? DEV_DEFAULTS.brokerListen,
      dataDir: resolve(dataDir, 'broker-1'),
      controllers: [`${hostOf(options.controllerListen)}:${controller.port}`],
      logger: options.logger.child({ component: 'broker' }),
      autoCreateTopics: true,
      defaultPartitions: options.defaultPartitions ?? DEV_DEFAULTS.defaultPartitions,
      defaultReplicationFactor: 1,
      groupInitialRebalanceDelayMs: DEV_DEFAULTS.groupInitialRebalanceDelayMs,
      ...kafkaListenOption(options.kafkaListen ?? DEV_DEFAULTS.kafkaListen),
      ...logCleanerOptions(options),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.security === undefined ? {} : { security: options.security }),
    });
  } catch (error) {
    await controller.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await broker.close();
    await controller.close();
  };
  return {
    controller,
    broker,
    close: () => {
      closing ??= close();
      return closing;
    },
    reload: () => {
      reloadTls(options.tls, options.logger);
    },
  };
}

/** What `tributary dev` prints once it is ready: where it listens and what to try next. */
export function devBanner(options: {
  controllerAddress: string;
  brokerAddress: string;
  kafkaAddress: string | null;
  dataDir: string;
}): string[] {
  const kafka =
    options.kafkaAddress === null ? [] : [`  Kafka protocol (kcat, KafkaJS...): ${options.kafkaAddress}`];
  const kcat = options.kafkaAddress === null ? [] : [`  kcat -b ${options.kafkaAddress} -L`];
  const c = `--controllers ${options.controllerAddress}`;
  const b = `--bootstrap ${options.brokerAddress}`;
  return [
    '',
    `Tributary dev cluster is up.`,
    `  broker:                          ${options.brokerAddress}`,
    ...kafka,
    `  controller (Raft quorum of one): ${options.controllerAddress}`,
    `  data:                            ${resolve(options.dataDir)}`,
    '',
    'Try, in another terminal:',
    `  npx trib brokers list ${b}`,
    `  npx trib topics create demo --partitions 1 --replication-factor 1 ${b}`,
    `  echo hello | npx trib produce demo ${b}`,
    `  npx trib consume demo --from-beginning --max-messages 1 ${b}`,
    `  npx trib quorum describe ${c}`,
    `  npx trib metadata log ${c}`,
    ...kcat,
    '',
    'Topics are also created on first use (1 partition, replication factor 1).',
    'Stop with Ctrl-C.',
    '',
  ];
}
