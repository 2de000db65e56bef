/**
 * A secure 3+3 cluster of real processes (issue 13, DESIGN §10): TLS on every listener and link with
 * certificates from `trib dev-certs`'s code, SCRAM users, `--authorizer standard`, authentication required.
 * The harness itself is `User:admin` by its client certificate (a super user). Alice authenticates with
 * SCRAM over TLS and meets the ACLs: what she may not do is refused with the typed denial, a grant lets her
 * in within one metadata propagation, a revoke shuts her out again; the same rules hold for kcat on the
 * Kafka listener (kcat and KafkaJS authenticating with SCRAM over TLS); a process with another CA's certificate or without the cluster's rights gets nowhere.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewAclBinding } from '@tributary/client';
import { type Admin, TributaryClient, type TributaryClientOptions } from '@tributary/client';
import { TributaryError } from '@tributary/core';
import {
  clientCredentials,
  createBrokerClient,
  createBrokerLifecycleClient,
  readClientTls,
  unary,
} from '@tributary/protocol';
import { makeTestCerts, type TestCerts } from '@tributary/protocol/dev-certs';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../broker-process.js';
import { type Cluster, startCluster } from '../cluster.js';
import { kcat, kcatPath, run, TRIB_BIN } from '../kafka/tools.js';
import { freePorts } from '../ports.js';
import { sleep, waitFor } from '../wait.js';

const ADMIN_PASSWORD = 'admin-secret-1';
const ALICE_PASSWORD = 'alice-secret-1';
/** One metadata propagation and then some, on a loaded 2-core machine. */
const PROPAGATION_MS = 15_000;

let certs: TestCerts;
let cluster: Cluster;
let admin: Admin;
let adminClient: TributaryClient;
const clients: TributaryClient[] = [];
const topicA = 'secure-a';
const topicB = 'secure-b';

function bootstrap(): string[] {
  return cluster.brokers.map((broker) => broker.address);
}

function tlsArgs(node: number, clientAuth: 'none' | 'required'): string[] {
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
    clientAuth,
  ];
}

const SECURITY_ARGS = [
  '--authorizer',
  'standard',
  '--super-users',
  'User:admin;User:node',
  '--require-authentication',
];

function client(options: Partial<TributaryClientOptions>): TributaryClient {
  const made = new TributaryClient({ bootstrap: bootstrap(), timeoutMs: 8_000, ...options });
  clients.push(made);
  return made;
}

function asAlice(password = ALICE_PASSWORD, username = 'alice'): TributaryClient {
  return client({
    tls: readClientTls({ caFile: certs.main.ca }),
    sasl: { mechanism: 'SCRAM-SHA-512', username, password },
  });
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'OK';
  } catch (error) {
    return error instanceof TributaryError ? error.code : `not a TributaryError: ${String(error)}`;
  }
}

/** The code of a failed send, or OK; `idempotent` as the producer option (default: on, as acks=all). */
async function produceCode(
  producerClient: TributaryClient,
  topic: string,
  idempotent = true,
): Promise<string> {
  return codeOf(
    producerClient.producer({ idempotent }).send(topic, [{ value: Buffer.from(`v-${Date.now()}`) }]),
  );
}

function aliceOn(topic: string, operation: NewAclBinding['operation']): NewAclBinding {
  return {
    resourceType: 'Topic',
    resourceName: topic,
    patternType: 'Literal',
    principal: 'User:alice',
    host: '*',
    operation,
    permission: 'Allow',
  };
}

beforeAll(async () => {
  certs = await makeTestCerts({ nodes: 6 });
  const passwordFile = join(certs.main.dir, 'admin-password');
  await writeFile(passwordFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  const harnessTls = readClientTls({
    caFile: certs.main.ca,
    certFile: certs.main.clients.admin?.cert ?? '',
    keyFile: certs.main.clients.admin?.key ?? '',
  });
  // Controllers take nodes 0-2's certificates, brokers 3-5's: every process is User:node.
  cluster = await startCluster({
    brokers: 3,
    kafka: true,
    credentials: clientCredentials(harnessTls),
    controllerArgs: [
      ...tlsArgs(0, 'required'),
      ...SECURITY_ARGS,
      '--bootstrap-scram-user',
      'admin',
      '--bootstrap-scram-password-file',
      passwordFile,
    ],
    brokerArgs: [...tlsArgs(3, 'none'), ...SECURITY_ARGS],
  });
  // The admin by SCRAM (the bootstrap user), as an operator of a new secure cluster would be.
  adminClient = client({
    tls: readClientTls({ caFile: certs.main.ca }),
    sasl: { mechanism: 'SCRAM-SHA-256', username: 'admin', password: ADMIN_PASSWORD },
  });
  admin = adminClient.admin();
  await admin.upsertScramCredential({ user: 'alice', mechanism: 'SCRAM-SHA-512', password: ALICE_PASSWORD });
  for (const name of [topicA, topicB]) {
    await admin.createTopic({ name, partitions: 1, replicationFactor: 3 });
  }
  await admin.createAcls([aliceOn(topicA, 'Read')]);
}, 120_000);

afterAll(async () => {
  for (const made of clients) made.close();
  await cluster?.stop();
  await certs?.remove();
});

describe('a secure 3+3 cluster', () => {
  it('refuses a plaintext client and a client that does not authenticate', async () => {
    const plaintext = createBrokerClient(bootstrap()[0] ?? '');
    try {
      await expect(
        unary(plaintext, 'Metadata', { topics: [], allowAutoTopicCreation: false }, { deadlineMs: 3_000 }),
      ).rejects.toBeDefined();
    } finally {
      plaintext.close();
    }
    const anonymous = client({ tls: readClientTls({ caFile: certs.main.ca }) });
    expect(await codeOf(anonymous.admin().listTopics())).toBe('SASL_AUTHENTICATION_FAILED');
  });

  it('fails a wrong password and an unknown user with an authentication error, in the client and in trib', async () => {
    expect(await codeOf(asAlice('wrong-password').admin().listTopics())).toBe('SASL_AUTHENTICATION_FAILED');
    expect(await codeOf(asAlice(ALICE_PASSWORD, 'mallory').admin().listTopics())).toBe(
      'SASL_AUTHENTICATION_FAILED',
    );
    const tribRun = await run(process.execPath, [
      TRIB_BIN,
      '--bootstrap',
      bootstrap().join(','),
      '--tls-ca',
      certs.main.ca,
      '--user',
      'alice',
      '--password',
      'wrong-password',
      'topics',
      'list',
    ]);
    expect(tribRun.code).not.toBe(0);
    expect(tribRun.stderr).toMatch(/SASL_AUTHENTICATION_FAILED|authentication/i);
    expect(tribRun.stderr).not.toContain('wrong-password');
  });

  it('holds a user with Read on A to what the ACLs allow', async () => {
    const alice = asAlice();
    // Idempotence needs IdempotentWrite on the cluster or Write on some topic (KIP-679), as in Kafka.
    expect(await produceCode(alice, topicA)).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(await produceCode(alice, topicA, false)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await codeOf(alice.consumer().fetch(topicB, 0, 0, { maxWaitMs: 10 }))).toMatch(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    await expect(alice.consumer().fetch(topicA, 0, 0, { maxWaitMs: 10 })).resolves.toBeDefined();
    const listed = (await alice.admin().listTopics()).map((topic) => topic.name);
    expect(listed).toContain(topicA);
    expect(listed).not.toContain(topicB);
    expect(await codeOf(alice.admin().deleteTopic(topicA))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await codeOf(alice.admin().createAcls([aliceOn(topicB, 'All')]))).toBe(
      'CLUSTER_AUTHORIZATION_FAILED',
    );
    const group = alice.groupConsumer({ groupId: 'secure-group' });
    group.subscribe({ topics: [topicA] });
    const joined = codeOf(group.run({ eachMessage: async () => {} }));
    const outcome = await Promise.race([joined, sleep(PROPAGATION_MS).then(() => 'still running')]);
    await group.close();
    expect(outcome).toBe('GROUP_AUTHORIZATION_FAILED');
    const tribList = await run(process.execPath, [
      TRIB_BIN,
      '--bootstrap',
      bootstrap().join(','),
      '--tls-ca',
      certs.main.ca,
      '--user',
      'alice',
      '--password',
      ALICE_PASSWORD,
      '--json',
      'topics',
      'list',
    ]);
    expect(tribList.code, tribList.stderr).toBe(0);
    expect(tribList.stdout).toContain(topicA);
    expect(tribList.stdout).not.toContain(topicB);
  });

  it('lets a grant in within one metadata propagation and a revoke shuts it out again', async () => {
    const alice = asAlice();
    await admin.createAcls([aliceOn(topicA, 'Write')]);
    // The admin reached the controller through a broker (no controllers given): the active controller's
    // audit line names the forwarded caller, not the broker's own User:node.
    await waitFor(
      'the audit line of the grant',
      async () => {
        const lines = cluster.quorum.nodes.flatMap((node) => node.output.tail());
        const audit = lines.filter((line) => line.includes('audit: acl.created') && line.includes(topicA));
        return audit.some((line) => line.includes('"principal":"User:admin"')) ? true : undefined;
      },
      { timeoutMs: PROPAGATION_MS },
    );
    await waitFor(
      'the grant to reach the leader of A',
      async () => ((await produceCode(alice, topicA)) === 'OK' ? true : undefined),
      { timeoutMs: PROPAGATION_MS },
    );
    // kcat (librdkafka, SASL_SSL + SCRAM-SHA-512) as alice: produces to A, reads it back, is refused B.
    const aliceKcat = (password: string) => [
      '-b',
      cluster.kafkaBootstrap.join(','),
      '-X',
      'security.protocol=SASL_SSL',
      '-X',
      'sasl.mechanisms=SCRAM-SHA-512',
      '-X',
      'sasl.username=alice',
      '-X',
      `sasl.password=${password}`,
      '-X',
      `ssl.ca.location=${certs.main.ca}`,
    ];
    await kcat([...aliceKcat(ALICE_PASSWORD), '-P', '-t', topicA], {
      input: 'from-kcat\n',
      timeoutMs: 30_000,
    });
    const consumed = await kcat(
      [...aliceKcat(ALICE_PASSWORD), '-C', '-t', topicA, '-o', 'beginning', '-e', '-q'],
      {
        timeoutMs: 30_000,
      },
    );
    expect(consumed).toContain('from-kcat');
    const kafkaProduce = await run(kcatPath(), [...aliceKcat(ALICE_PASSWORD), '-P', '-t', topicB], {
      input: 'denied\n',
      timeoutMs: 30_000,
    });
    expect(`${kafkaProduce.stdout}${kafkaProduce.stderr}`).toMatch(/authoriz/i);
    const wrongPassword = await run(kcatPath(), [...aliceKcat('not-the-password'), '-L', '-m', '5'], {
      timeoutMs: 30_000,
    });
    expect(wrongPassword.code).not.toBe(0);
    expect(wrongPassword.stderr).toMatch(/SASL|[Aa]uthentication/);
    await admin.deleteAcls([{ principal: 'User:alice', operation: 'Write' }]);
    await waitFor(
      'the revoke to reach the leader of A',
      async () =>
        (await produceCode(alice, topicA, false)) === 'TOPIC_AUTHORIZATION_FAILED' ? true : undefined,
      {
        timeoutMs: PROPAGATION_MS,
      },
    );
  });

  it('holds KafkaJS (SCRAM-SHA-512 over TLS) to the same rules', async () => {
    const kafkaJs = async (username: string, password: string) =>
      new Kafka({
        clientId: 'secure-kafkajs',
        brokers: cluster.kafkaBootstrap,
        ssl: { ca: [await readFile(certs.main.ca, 'utf8')] },
        sasl: { mechanism: 'scram-sha-512', username, password },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
    const admin = (await kafkaJs('admin', ADMIN_PASSWORD)).producer();
    await admin.connect();
    await admin.send({ topic: topicA, messages: [{ value: 'from-admin' }] });
    await admin.disconnect();
    // CreateAcls on the Kafka listener is forwarded to the controller naming its caller: audited as User:admin.
    const kafkaAdmin = (await kafkaJs('admin', ADMIN_PASSWORD)).admin();
    await kafkaAdmin.connect();
    try {
      await kafkaAdmin.createAcls({
        acl: [
          {
            resourceType: AclResourceTypes.GROUP,
            resourceName: 'kafkajs-audited',
            resourcePatternType: ResourcePatternTypes.LITERAL,
            principal: 'User:alice',
            host: '*',
            operation: AclOperationTypes.DESCRIBE,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      });
    } finally {
      await kafkaAdmin.disconnect();
    }
    await waitFor(
      'the audit line of the Kafka CreateAcls',
      async () => {
        const lines = cluster.quorum.nodes.flatMap((node) => node.output.tail());
        return lines.some(
          (line) =>
            line.includes('audit: acl.created') &&
            line.includes('kafkajs-audited') &&
            line.includes('"principal":"User:admin"'),
        )
          ? true
          : undefined;
      },
      { timeoutMs: PROPAGATION_MS },
    );
    const aliceKafka = await kafkaJs('alice', ALICE_PASSWORD);
    const listed = await aliceKafka
      .admin()
      .listTopics()
      .catch((error: unknown) => error);
    expect(listed).toEqual(expect.arrayContaining([topicA]));
    expect(listed).not.toContain(topicB);
    const producer = aliceKafka.producer();
    await producer.connect();
    try {
      const refused = await producer.send({ topic: topicB, messages: [{ value: 'denied' }] }).then(
        () => 'sent',
        (error: { type?: string; message?: string }) => error.type ?? error.message,
      );
      // KafkaJS's words for Kafka's code 29 (TOPIC_AUTHORIZATION_FAILED) from the Metadata answer.
      expect(refused).toMatch(/TOPIC_AUTHORIZATION_FAILED|Not authorized to access topics/);
    } finally {
      await producer.disconnect();
    }
    const wrong = (await kafkaJs('alice', 'not-the-password')).admin();
    await expect(wrong.connect()).rejects.toThrow(/SASL|authentication/i);
  });

  it('gives the cluster rights only to the cluster: another CA is refused, a user certificate is not a broker', async () => {
    const controllers = cluster.quorum.nodes.map((node) => node.address);
    const aliceTls = readClientTls({
      caFile: certs.main.ca,
      certFile: certs.main.clients.alice?.cert ?? '',
      keyFile: certs.main.clients.alice?.key ?? '',
    });
    const lifecycle = createBrokerLifecycleClient(controllers[0] ?? '', {
      credentials: clientCredentials(aliceTls),
    });
    try {
      expect(
        await codeOf(
          unary(
            lifecycle,
            'RegisterBroker',
            { brokerId: 99, incarnationId: 'rogue', address: '127.0.0.1:1' },
            { deadlineMs: 5_000 },
          ),
        ),
      ).toBe('CLUSTER_AUTHORIZATION_FAILED');
    } finally {
      lifecycle.close();
    }
    const [port] = await freePorts(1);
    const otherNode = certs.other.nodes[0];
    if (port === undefined || otherNode === undefined) throw new Error('no port or certificate');
    const rogue = new BrokerProcess({
      nodeId: 77,
      port,
      dataDir: join(certs.main.dir, 'rogue-broker'),
      controllers: controllers.join(','),
      extraArgs: ['--tls-cert', otherNode.cert, '--tls-key', otherNode.key, '--tls-ca', certs.other.ca],
    });
    rogue.start();
    try {
      // Give it time to try: several registration attempts fail in the TLS handshake.
      await sleep(4_000);
      const described = await cluster.quorum.admin().admin('DescribeCluster', {});
      expect(described.brokers.map((broker) => broker.brokerId)).not.toContain(77);
    } finally {
      await rogue.dispose();
    }
  });
});
