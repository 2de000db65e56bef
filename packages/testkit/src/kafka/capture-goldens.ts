#!/usr/bin/env node
/**
 * Captures golden Kafka frames from real clients (kcat/librdkafka, KafkaJS, @platformatic/kafka) talking
 * to a real Tributary cluster through a recording proxy, and writes the first exchange of every
 * (client, API, version) to packages/kafka-protocol/testdata/captured/<client>/ with a manifest. The
 * codec's golden test then decodes each request and response and re-encodes it byte for byte.
 *
 *   npm run kafka:capture-goldens                  (builds first; needs kcat)
 *   npm run kafka:capture-goldens -- security      (only the named clients or `security`/`plain`/`transactions`)
 *
 * Each client has a plain scenario (kcat, kafkajs, platformatic: no authentication) and a security one
 * (kcat-security, ...: SASL/SCRAM over plaintext as a bootstrap SCRAM user, the ACL, SCRAM-credential and
 * client-quota APIs, and refused logins; capture-security.ts), each against its own cluster. The transactions
 * scenarios (kafkajs-transactions, platformatic-transactions; capture-transactions.ts) run against a scripted
 * broker instead, until the real one serves the transaction APIs (issue 14). Capturing only
 * some of them keeps the others' files and manifest entries. Re-run on purpose when a client or the codec
 * changes, and review the diff of testdata/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { startCluster } from '../cluster.js';
import {
  driveKafkaJsSecurity,
  driveKcatSecurity,
  drivePlatformaticSecurity,
  SECURITY_API_KEYS,
  SECURITY_PASSWORD,
  SECURITY_USER,
  type SecurityTarget,
  securityVariants,
} from './capture-security.js';
import {
  driveKafkaJsTransactions,
  drivePlatformaticTransactions,
  TRANSACTION_API_KEYS,
  transactionVariants,
} from './capture-transactions.js';
import { type CapturedExchange, RecordingProxy } from './recording-proxy.js';
import { ScriptedBroker } from './scripted-broker.js';
import { kcat, kcatPath, run } from './tools.js';

const OUT_DIR = fileURLToPath(new URL('../../../kafka-protocol/testdata/captured/', import.meta.url));
const CLIENT_RUN_MS = 8_000;

interface ManifestEntry {
  readonly client: string;
  readonly clientVersion: string;
  readonly apiKey: number;
  readonly apiVersion: number;
  /** Which of several kept exchanges of one API and version this is (e.g. SaslAuthenticate `first`). */
  readonly variant?: string;
  readonly request: string;
  readonly response: string | null;
}

/** A dependency's version from its package.json (read from disk: not every package exports it). */
function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  for (let depth = 0; depth < 6; depth++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name && manifest.version !== undefined) return manifest.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

async function withTimeout<T>(what: string, work: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function driveKcat({ bootstrap }: SecurityTarget): Promise<void> {
  await kcat(['-b', bootstrap, '-L']);
  const lines = `${Array.from({ length: 50 }, (_, i) => `k${i}\tv${i}`).join('\n')}\n`;
  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    await kcat(
      ['-b', bootstrap, '-P', '-t', 'golden-kcat', '-K', '\t', '-z', codec, '-X', 'enable.idempotence=true'],
      { input: lines },
    );
  }
  await kcat(['-b', bootstrap, '-C', '-t', 'golden-kcat', '-o', 'beginning', '-e', '-q']);
  // A group member: join, sync, fetch, commit, heartbeat, leave (kcat exits at the end with -e).
  await run(
    kcatPath(),
    ['-b', bootstrap, '-G', 'golden-kcat-group', '-o', 'beginning', '-e', '-q', 'golden-kcat'],
    {
      timeoutMs: 30_000,
    },
  );
}

async function driveKafkaJs({ bootstrap }: SecurityTarget): Promise<void> {
  const kafka = new Kafka({ clientId: 'golden', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: 'golden-kafkajs', numPartitions: 2, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.fetchTopicMetadata({ topics: ['golden-kafkajs'] });
  await admin.describeConfigs({ resources: [{ type: 2, name: 'golden-kafkajs' }], includeSynonyms: true });
  await admin.alterConfigs({
    resources: [
      { type: 2, name: 'golden-kafkajs', configEntries: [{ name: 'retention.ms', value: '3600000' }] },
    ],
    validateOnly: false,
  });
  await admin.createPartitions({ topicPartitions: [{ topic: 'golden-kafkajs', count: 3 }] });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic: 'golden-kafkajs',
    compression: CompressionTypes.GZIP,
    messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { h: 'x' } })),
  });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'golden-kafkajs-group', rebalanceTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['golden-kafkajs'], fromBeginning: true });
  let seen = 0;
  await consumer.run({
    eachMessage: async () => {
      seen++;
    },
  });
  const deadline = Date.now() + 20_000;
  while (seen < 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await consumer.disconnect();
  await admin.listGroups();
  await admin.describeGroups(['golden-kafkajs-group']);
  await admin.fetchOffsets({ groupId: 'golden-kafkajs-group', topics: ['golden-kafkajs'] });
  await admin.deleteTopicRecords({ topic: 'golden-kafkajs', partitions: [{ partition: 0, offset: '-1' }] });
  await admin.deleteGroups(['golden-kafkajs-group']);
  await admin.deleteTopics({ topics: ['golden-kafkajs'] });
  await admin.disconnect();
}

async function drivePlatformatic({ bootstrap }: SecurityTarget): Promise<void> {
  const admin = new Admin({ clientId: 'golden', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: ['golden-platformatic'], partitions: 2, replicas: 1 });
  await admin.metadata({ topics: ['golden-platformatic'] });
  const producer = new Producer({
    clientId: 'golden',
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
  });
  await producer.send({
    messages: Array.from({ length: 10 }, (_, i) => ({
      topic: 'golden-platformatic',
      key: `k${i}`,
      value: `v${i}`,
    })),
  });
  await producer.close();
  const consumer = new Consumer({
    groupId: 'golden-platformatic-group',
    clientId: 'golden',
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
  });
  const stream = await consumer.consume({
    autocommit: true,
    topics: ['golden-platformatic'],
    mode: 'earliest',
  });
  let seen = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLIENT_RUN_MS);
    stream.on('data', () => {
      seen++;
      if (seen >= 10) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await stream.close();
  await consumer.close();
  await admin.deleteTopics({ topics: ['golden-platformatic'] });
  await admin.close();
}

const API_NAMES: Record<number, string> = {
  0: 'Produce',
  1: 'Fetch',
  2: 'ListOffsets',
  3: 'Metadata',
  8: 'OffsetCommit',
  9: 'OffsetFetch',
  10: 'FindCoordinator',
  11: 'JoinGroup',
  12: 'Heartbeat',
  13: 'LeaveGroup',
  14: 'SyncGroup',
  15: 'DescribeGroups',
  16: 'ListGroups',
  17: 'SaslHandshake',
  18: 'ApiVersions',
  19: 'CreateTopics',
  20: 'DeleteTopics',
  21: 'DeleteRecords',
  22: 'InitProducerId',
  23: 'OffsetForLeaderEpoch',
  24: 'AddPartitionsToTxn',
  25: 'AddOffsetsToTxn',
  26: 'EndTxn',
  27: 'WriteTxnMarkers',
  28: 'TxnOffsetCommit',
  29: 'DescribeAcls',
  30: 'CreateAcls',
  31: 'DeleteAcls',
  32: 'DescribeConfigs',
  33: 'AlterConfigs',
  36: 'SaslAuthenticate',
  37: 'CreatePartitions',
  42: 'DeleteGroups',
  44: 'IncrementalAlterConfigs',
  47: 'OffsetDelete',
  48: 'DescribeClientQuotas',
  49: 'AlterClientQuotas',
  50: 'DescribeUserScramCredentials',
  51: 'AlterUserScramCredentials',
  60: 'DescribeCluster',
  65: 'DescribeTransactions',
  66: 'ListTransactions',
};

/**
 * Writes the first exchange of every API and version (and of every variant, when `variants` names some)
 * to OUT_DIR/<client>/, replacing what was there; returns their manifest entries.
 */
async function save(
  client: string,
  clientVersion: string,
  exchanges: readonly CapturedExchange[],
  variants: ReadonlyMap<CapturedExchange, string> = new Map(),
): Promise<ManifestEntry[]> {
  const dir = join(OUT_DIR, client);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const seen = new Set<string>();
  const entries: ManifestEntry[] = [];
  for (const exchange of exchanges) {
    const variant = variants.get(exchange);
    const key = `${exchange.apiKey}-${exchange.apiVersion}-${variant ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const base = `${String(exchange.apiKey).padStart(2, '0')}-${API_NAMES[exchange.apiKey] ?? 'Unknown'}-v${exchange.apiVersion}${variant === undefined ? '' : `-${variant}`}`;
    await writeFile(join(dir, `${base}.request.bin`), exchange.request);
    if (exchange.response !== null) await writeFile(join(dir, `${base}.response.bin`), exchange.response);
    entries.push({
      client,
      clientVersion,
      apiKey: exchange.apiKey,
      apiVersion: exchange.apiVersion,
      ...(variant === undefined ? {} : { variant }),
      request: `${client}/${base}.request.bin`,
      response: exchange.response === null ? null : `${client}/${base}.response.bin`,
    });
  }
  return entries;
}

interface CaptureClient {
  readonly name: string;
  readonly version: string;
  /** Plain scenarios run without authentication; security ones with a bootstrap SCRAM user. */
  readonly security: boolean;
  /** Against the scripted broker (transaction APIs), not a cluster. */
  readonly transactions?: boolean;
  readonly drive: (target: SecurityTarget) => Promise<void>;
}

function groupOf(client: CaptureClient): string {
  if (client.transactions === true) return 'transactions';
  return client.security ? 'security' : 'plain';
}

/** The clients named on the command line (`security`, `plain` and `transactions` name groups); none = all. */
function selected(clients: readonly CaptureClient[], args: readonly string[]): CaptureClient[] {
  if (args.length === 0) return [...clients];
  const known = new Set(['security', 'plain', 'transactions', ...clients.map((c) => c.name)]);
  const unknown = args.filter((arg) => !known.has(arg));
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')}: one of ${[...known].join(', ')}`);
  return clients.filter((c) => args.includes(c.name) || args.includes(groupOf(c)));
}

function readManifest(): ManifestEntry[] {
  const file = join(OUT_DIR, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ManifestEntry[]) : [];
}

function report(client: CaptureClient, exchanges: number, entries: readonly ManifestEntry[]): void {
  process.stdout.write(
    `${client.name}: ${exchanges} exchanges, kept ${entries.length}: ${entries
      .map((e) => `${API_NAMES[e.apiKey] ?? e.apiKey} v${e.apiVersion}${e.variant ? ` ${e.variant}` : ''}`)
      .join(', ')}\n`,
  );
}

/** A transactions scenario: the client talks to the scripted broker through the proxy. */
async function captureScripted(client: CaptureClient): Promise<ManifestEntry[]> {
  const proxy = await RecordingProxy.start();
  const broker = await ScriptedBroker.start();
  try {
    proxy.target('127.0.0.1', broker.port);
    broker.advertise('127.0.0.1', proxy.port);
    const target = { bootstrap: `127.0.0.1:${proxy.port}`, direct: `127.0.0.1:${broker.port}` };
    await withTimeout(client.name, client.drive(target), 120_000);
    if (broker.failures.length > 0) throw new Error(`${client.name}: ${broker.failures.join('; ')}`);
    const exchanges = proxy.exchanges.filter((e) => TRANSACTION_API_KEYS.has(e.apiKey));
    const entries = await save(client.name, client.version, exchanges, transactionVariants(exchanges));
    report(client, proxy.exchanges.length, entries);
    return entries;
  } finally {
    await proxy.close();
    await broker.close();
  }
}

async function capture(client: CaptureClient, scramPasswordFile: string): Promise<ManifestEntry[]> {
  if (client.transactions === true) return captureScripted(client);
  const proxy = await RecordingProxy.start();
  const cluster = await startCluster({
    brokers: 1,
    kafka: true,
    ...(client.security
      ? {
          controllerArgs: [
            '--bootstrap-scram-user',
            SECURITY_USER,
            '--bootstrap-scram-password-file',
            scramPasswordFile,
          ],
        }
      : {}),
    // Clients must keep talking through the proxy: Metadata names the proxy as the broker.
    brokerArgs: [
      '--kafka-advertised',
      `127.0.0.1:${proxy.port}`,
      '--auto-create-topics',
      '--offsets-topic-replication-factor',
      '1',
      '--group-initial-rebalance-delay-ms',
      '0',
    ],
  });
  try {
    const kafkaAddress = cluster.brokers[0]?.kafkaAddress;
    if (kafkaAddress === null || kafkaAddress === undefined)
      throw new Error('the broker has no Kafka listener');
    const kafkaPort = Number(kafkaAddress.slice(kafkaAddress.lastIndexOf(':') + 1));
    proxy.target('127.0.0.1', kafkaPort);
    await withTimeout(
      client.name,
      client.drive({ bootstrap: `127.0.0.1:${proxy.port}`, direct: `127.0.0.1:${kafkaPort}` }),
      120_000,
    );
    const exchanges = client.security
      ? proxy.exchanges.filter((e) => SECURITY_API_KEYS.has(e.apiKey))
      : proxy.exchanges;
    const variants = client.security ? securityVariants(exchanges) : new Map<CapturedExchange, string>();
    const entries = await save(client.name, client.version, exchanges, variants);
    report(client, proxy.exchanges.length, entries);
    return entries;
  } finally {
    await proxy.close();
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const kcatVersion = (await run(kcatPath(), ['-V'])).stdout.split('\n')[0]?.trim() ?? 'kcat';
  const kafkajsVersion = `kafkajs ${packageVersion('kafkajs')}`;
  const platformaticVersion = `@platformatic/kafka ${packageVersion('@platformatic/kafka')}`;
  const clients = selected(
    [
      { name: 'kcat', version: kcatVersion, security: false, drive: driveKcat },
      { name: 'kafkajs', version: kafkajsVersion, security: false, drive: driveKafkaJs },
      { name: 'platformatic', version: platformaticVersion, security: false, drive: drivePlatformatic },
      { name: 'kcat-security', version: kcatVersion, security: true, drive: driveKcatSecurity },
      { name: 'kafkajs-security', version: kafkajsVersion, security: true, drive: driveKafkaJsSecurity },
      {
        name: 'platformatic-security',
        version: platformaticVersion,
        security: true,
        drive: drivePlatformaticSecurity,
      },
      {
        name: 'kafkajs-transactions',
        version: kafkajsVersion,
        security: false,
        transactions: true,
        drive: driveKafkaJsTransactions,
      },
      {
        name: 'platformatic-transactions',
        version: platformaticVersion,
        security: false,
        transactions: true,
        drive: drivePlatformaticTransactions,
      },
    ],
    process.argv.slice(2),
  );
  const rerun = new Set(clients.map((c) => c.name));
  const manifest = readManifest().filter((entry) => !rerun.has(entry.client));
  const secrets = await mkdtemp(join(tmpdir(), 'tributary-goldens-'));
  try {
    const passwordFile = join(secrets, 'scram-password');
    await writeFile(passwordFile, `${SECURITY_PASSWORD}\n`, { mode: 0o600 });
    for (const client of clients) manifest.push(...(await capture(client, passwordFile)));
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }

  manifest.sort(
    (a, b) =>
      a.client.localeCompare(b.client) ||
      a.apiKey - b.apiKey ||
      a.apiVersion - b.apiVersion ||
      (a.variant ?? '').localeCompare(b.variant ?? ''),
  );
  await writeFile(join(OUT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`wrote ${manifest.length} exchanges to ${OUT_DIR}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`capture-goldens failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
