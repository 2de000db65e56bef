/**
 * How each mode's cluster is started and how `trib perf` connects to it. The secure settings are those of
 * packages/testkit/src/security/secure-cluster.test.ts and docs/security.md: TLS on every listener and link
 * (controllers require client certificates, brokers do not: clients log in with SCRAM), authentication
 * required, the standard authorizer with super users `User:admin;User:node`, a bootstrap SCRAM admin. The
 * `tls` mode has the same TLS files and nothing else, to split the tax into its TLS and its auth parts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryClient } from '@tributary/client';
import { clientCredentials, readClientTls } from '@tributary/protocol';
import type { DevCerts } from '@tributary/protocol/dev-certs';
import { type Cluster, startCluster, waitFor } from '@tributary/testkit';
import type { SecurityMode } from './options.js';

const ADMIN_PASSWORD = 'bench-admin-secret-1';
/**
 * The producing user: a SCRAM credential and one ACL, Write on the benchmark's topics, nothing else. It logs
 * in with SCRAM-SHA-512, trib's default mechanism.
 */
export const PRODUCER_USER = 'bench-producer';
const PRODUCER_PASSWORD = 'bench-producer-secret-1';
const PRODUCER_MECHANISM = 'SCRAM-SHA-512';
const CLIENT_TIMEOUT_MS = 8_000;
/** How long an ACL may take to reach the brokers (one metadata propagation, on a loaded machine). */
const ACL_PROPAGATION_TIMEOUT_MS = 15_000;

function nodeTlsArgs(certs: DevCerts, node: number, clientAuth: 'none' | 'required'): string[] {
  const files = certs.nodes[node];
  if (files === undefined) throw new Error(`no node certificate ${node}`);
  return [
    '--tls-cert',
    files.cert,
    '--tls-key',
    files.key,
    '--tls-ca',
    certs.ca,
    '--tls-client-auth',
    clientAuth,
  ];
}

const AUTH_ARGS = [
  '--authorizer',
  'standard',
  '--super-users',
  'User:admin;User:node',
  '--require-authentication',
];

/** Starts a 3-controller + 3-broker cluster with the mode's settings; the same settings otherwise. */
export async function startModeCluster(mode: SecurityMode, certs: DevCerts): Promise<Cluster> {
  if (mode === 'plaintext') return startCluster({ brokers: 3, logLevel: 'warn' });
  // The harness (readiness probes, CreateTopic) is User:admin by its client certificate.
  const credentials = clientCredentials(
    readClientTls({
      caFile: certs.ca,
      certFile: certs.clients.admin?.cert ?? '',
      keyFile: certs.clients.admin?.key ?? '',
    }),
  );
  // Controllers take node certificates 0-2, brokers 3-5 (all CN=node, so every process is User:node).
  const controllerTls = nodeTlsArgs(certs, 0, 'required');
  const brokerTls = nodeTlsArgs(certs, 3, 'none');
  if (mode === 'tls') {
    return startCluster({
      brokers: 3,
      logLevel: 'warn',
      credentials,
      controllerArgs: controllerTls,
      brokerArgs: brokerTls,
    });
  }
  const passwordFile = join(certs.dir, 'admin-password');
  await writeFile(passwordFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  return startCluster({
    brokers: 3,
    logLevel: 'warn',
    credentials,
    controllerArgs: [
      ...controllerTls,
      ...AUTH_ARGS,
      '--bootstrap-scram-user',
      'admin',
      '--bootstrap-scram-password-file',
      passwordFile,
    ],
    brokerArgs: [...brokerTls, ...AUTH_ARGS],
  });
}

/** The environment `trib` runs with in this mode: the CA, and in secure mode the producer's login. */
export function tribEnv(mode: SecurityMode, certs: DevCerts): Record<string, string> {
  switch (mode) {
    case 'plaintext':
      return {};
    case 'tls':
      return { TRIB_TLS_CA: certs.ca };
    case 'secure':
      return {
        TRIB_TLS_CA: certs.ca,
        TRIB_USER: PRODUCER_USER,
        TRIB_PASSWORD: PRODUCER_PASSWORD,
      };
  }
}

/**
 * Secure mode: as the bootstrap admin (SCRAM over TLS, as an operator would), creates the producer's SCRAM
 * user and one literal ACL per topic allowing it Write (which implies Describe, and allows the idempotent
 * producer: KIP-679), then waits until the producer can send to the first topic. Other modes: nothing.
 */
export async function grantProducer(
  mode: SecurityMode,
  cluster: Cluster,
  certs: DevCerts,
  topics: readonly string[],
): Promise<void> {
  if (mode !== 'secure') return;
  const tls = readClientTls({ caFile: certs.ca });
  const adminClient = new TributaryClient({
    bootstrap: cluster.bootstrap,
    timeoutMs: CLIENT_TIMEOUT_MS,
    tls,
    sasl: { mechanism: 'SCRAM-SHA-256', username: 'admin', password: ADMIN_PASSWORD },
  });
  const producerClient = new TributaryClient({
    bootstrap: cluster.bootstrap,
    timeoutMs: CLIENT_TIMEOUT_MS,
    tls,
    sasl: { mechanism: PRODUCER_MECHANISM, username: PRODUCER_USER, password: PRODUCER_PASSWORD },
  });
  try {
    const admin = adminClient.admin();
    await admin.upsertScramCredential({
      user: PRODUCER_USER,
      mechanism: PRODUCER_MECHANISM,
      password: PRODUCER_PASSWORD,
    });
    const outcomes = await admin.createAcls(
      topics.map((topic) => ({
        resourceType: 'Topic',
        resourceName: topic,
        patternType: 'Literal',
        principal: `User:${PRODUCER_USER}`,
        host: '*',
        operation: 'Write',
        permission: 'Allow',
      })),
    );
    const refused = outcomes.filter((outcome) => outcome.error !== null);
    if (refused.length > 0) {
      throw new Error(`createAcls refused: ${refused.map((o) => o.error?.message).join('; ')}`);
    }
    const producer = producerClient.producer();
    const first = topics[0] ?? '';
    await waitFor(
      `${PRODUCER_USER} may write to ${first}`,
      async () =>
        producer.send(first, [{ value: Buffer.from('acl-probe') }]).then(
          () => true,
          () => undefined,
        ),
      { timeoutMs: ACL_PROPAGATION_TIMEOUT_MS },
    );
  } finally {
    producerClient.close();
    adminClient.close();
  }
}
