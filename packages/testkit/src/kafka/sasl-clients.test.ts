/**
 * Real Kafka clients authenticate with SASL over TLS on a broker's Kafka listener (issue 13): KafkaJS 2.2.4
 * with `ssl` + SCRAM-SHA-512 and kcat (librdkafka 2.0) with SASL_SSL + SCRAM-SHA-256 produce and consume as the
 * bootstrap SCRAM user (real processes: 3 controllers and a broker, certificates from dev-certs' code); a
 * wrong password fails with an authentication error in both.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientCredentials, readClientTls } from '@tributary/protocol';
import { makeTestCerts, type TestCerts } from '@tributary/protocol/dev-certs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../cluster.js';
import { kcat, kcatPath, run } from './tools.js';

const USER = 'admin';
const PASSWORD = 'admin-sasl-secret';
const TOPIC = 'sasl-clients';

let certs: TestCerts;
let caPem: string;
let cluster: Cluster;

function tlsArgs(node: number): string[] {
  const files = certs.main.nodes[node];
  if (files === undefined) throw new Error(`no certificate for node ${node}`);
  return [
    '--tls-cert',
    files.cert,
    '--tls-key',
    files.key,
    '--tls-ca',
    certs.main.ca,
    '--tls-client-auth',
    'none',
  ];
}

function bootstrap(): string {
  const first = cluster.kafkaBootstrap[0];
  if (first === undefined) throw new Error('no Kafka listener');
  return first;
}

function kafkaJs(password: string): Kafka {
  return new Kafka({
    clientId: 'sasl-test',
    brokers: [bootstrap()],
    ssl: { ca: [caPem] },
    sasl: { mechanism: 'scram-sha-512', username: USER, password },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
}

function kcatSasl(password: string): string[] {
  return [
    '-b',
    bootstrap(),
    '-X',
    'security.protocol=SASL_SSL',
    '-X',
    'sasl.mechanisms=SCRAM-SHA-256',
    '-X',
    `sasl.username=${USER}`,
    '-X',
    `sasl.password=${password}`,
    '-X',
    `ssl.ca.location=${certs.main.ca}`,
  ];
}

beforeAll(async () => {
  certs = await makeTestCerts({ nodes: 4 });
  caPem = await readFile(certs.main.ca, 'utf8');
  const passwordFile = join(certs.main.dir, 'sasl-password');
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  cluster = await startCluster({
    brokers: 1,
    kafka: true,
    credentials: clientCredentials(readClientTls({ caFile: certs.main.ca })),
    controllerArgs: [
      ...tlsArgs(0),
      '--bootstrap-scram-user',
      USER,
      '--bootstrap-scram-password-file',
      passwordFile,
    ],
    brokerArgs: [...tlsArgs(3), '--auto-create-topics', '--offsets-topic-replication-factor', '1'],
  });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await certs?.remove();
});

describe('SASL over TLS with real Kafka clients', () => {
  it('KafkaJS (scram-sha-512 over ssl) creates a topic, produces and consumes; a wrong password fails', async () => {
    const kafka = kafkaJs(PASSWORD);
    const admin = kafka.admin();
    // The bootstrap user appears once the controller has committed it and the broker has replayed it.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await admin.connect();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: [{ key: 'k', value: 'from-kafkajs' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'sasl-kafkajs' });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    const values: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value?.toString() ?? '');
      },
    });
    const until = Date.now() + 30_000;
    while (values.length === 0 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await consumer.disconnect();
    expect(values).toContain('from-kafkajs');

    const wrong = kafkaJs('not-the-password').admin();
    await expect(wrong.connect()).rejects.toThrow(/SASL|authentication/i);
  }, 90_000);

  it('kcat (SASL_SSL, SCRAM-SHA-256) produces and consumes; a wrong password fails', async () => {
    await kcat([...kcatSasl(PASSWORD), '-P', '-t', TOPIC], { input: 'from-kcat\n' });
    const out = await kcat([...kcatSasl(PASSWORD), '-C', '-t', TOPIC, '-o', 'beginning', '-e', '-q']);
    expect(out).toContain('from-kcat');
    const refused = await run(kcatPath(), [...kcatSasl('not-the-password'), '-L', '-m', '5'], {
      timeoutMs: 30_000,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/SASL|[Aa]uthentication/);
  }, 90_000);
});
