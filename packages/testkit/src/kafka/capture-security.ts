/**
 * The security scenario of `npm run kafka:capture-goldens` (issue 13): real clients authenticate with
 * SASL/SCRAM over a plaintext Kafka listener (SASL_PLAINTEXT, so the recording proxy sees every frame in
 * clear) as the controller's bootstrap SCRAM user, then use the ACL, SCRAM-credential and client-quota
 * admin APIs they offer. Failed exchanges are driven on purpose too (a wrong password, PLAIN without TLS),
 * so that error responses are captured as well. SCRAM nonces are random: every run's frames differ.
 */
import {
  Admin,
  ClientQuotaEntityTypes,
  ClientQuotaKeys,
  ClientQuotaMatchTypes,
  Connection,
  createAclsV2,
  deleteAclsV2,
  describeAclsV2,
  describeUserScramCredentialsV0,
  AclOperations as PltAclOperations,
  AclPermissionTypes as PltAclPermissionTypes,
  ResourcePatternTypes as PltResourcePatternTypes,
  ResourceTypes as PltResourceTypes,
  ResponseError,
} from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import type { CapturedExchange } from './recording-proxy.js';
import { kcat, kcatPath, run } from './tools.js';

export const SECURITY_USER = 'golden-admin';
export const SECURITY_PASSWORD = 'golden-sasl-secret';
const WRONG_PASSWORD = 'not-the-password';

/** Where a security driver connects: through the recording proxy, or straight to the broker. */
export interface SecurityTarget {
  /** The proxy's address (recorded). */
  readonly bootstrap: string;
  /** The broker's own Kafka listener (not recorded): readiness checks go there. */
  readonly direct: string;
}

/** The APIs the security scenario is about; its other frames are captured by the plain scenarios. */
export const SECURITY_API_KEYS: ReadonlySet<number> = new Set([17, 29, 30, 31, 36, 48, 49, 50, 51]);

function hostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/**
 * Waits (up to 30 s) until the bootstrap SCRAM user authenticates on the broker's own listener: the user
 * exists once the controller has committed it and the broker has replayed it. Straight to the broker so
 * that no client's capture holds another client's attempts.
 */
export async function waitForScramUser(direct: string): Promise<void> {
  const { host, port } = hostPort(direct);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const connection = new Connection('golden-ready', {
      sasl: { mechanism: 'SCRAM-SHA-256', username: SECURITY_USER, password: SECURITY_PASSWORD },
      connectTimeout: 5_000,
    });
    try {
      await connection.connect(host, port);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await connection.close().catch(() => {});
    }
  }
}

/** Names the step that failed (a client's own error rarely says which call it was). */
async function step<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

async function expectFailure(what: string, work: Promise<unknown>): Promise<void> {
  const failed = await work.then(
    () => false,
    () => true,
  );
  if (!failed) throw new Error(`${what} succeeded but should have failed`);
}

function kcatSasl(bootstrap: string, mechanism: string, password: string): string[] {
  return [
    '-b',
    bootstrap,
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    `sasl.mechanisms=${mechanism}`,
    '-X',
    `sasl.username=${SECURITY_USER}`,
    '-X',
    `sasl.password=${password}`,
  ];
}

export async function driveKcatSecurity(target: SecurityTarget): Promise<void> {
  const { bootstrap } = target;
  await waitForScramUser(target.direct);
  await kcat([...kcatSasl(bootstrap, 'SCRAM-SHA-256', SECURITY_PASSWORD), '-L']);
  await kcat([...kcatSasl(bootstrap, 'SCRAM-SHA-256', SECURITY_PASSWORD), '-P', '-t', 'golden-kcat-sasl'], {
    input: 'k\tv\n',
  });
  await kcat([
    ...kcatSasl(bootstrap, 'SCRAM-SHA-512', SECURITY_PASSWORD),
    '-C',
    '-t',
    'golden-kcat-sasl',
    '-o',
    'beginning',
    '-e',
    '-q',
  ]);
  const refused = await run(
    kcatPath(),
    [...kcatSasl(bootstrap, 'SCRAM-SHA-256', WRONG_PASSWORD), '-L', '-m', '5'],
    { timeoutMs: 30_000 },
  );
  if (refused.code === 0) throw new Error('kcat authenticated with a wrong password');
}

// kafkajs is CommonJS: its enums are not named exports Node's ESM loader can see.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } =
  kafkajs;

function kafkaJs(
  bootstrap: string,
  mechanism: 'scram-sha-256' | 'scram-sha-512',
  password: string,
): InstanceType<typeof Kafka> {
  return new Kafka({
    clientId: 'golden',
    brokers: [bootstrap],
    sasl:
      mechanism === 'scram-sha-256'
        ? { mechanism, username: SECURITY_USER, password }
        : { mechanism, username: SECURITY_USER, password },
    logLevel: logLevel.NOTHING,
    // A refused login fails at once; the rest may wait for a new topic's leader.
    retry: { retries: password === SECURITY_PASSWORD ? 5 : 0 },
  });
}

export async function driveKafkaJsSecurity(target: SecurityTarget): Promise<void> {
  const { bootstrap } = target;
  await waitForScramUser(target.direct);
  const admin = kafkaJs(bootstrap, 'scram-sha-256', SECURITY_PASSWORD).admin();
  await admin.connect();
  await admin.createAcls({
    acl: [
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'golden-',
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        principal: 'User:golden-reader',
        host: '*',
        operation: AclOperationTypes.READ,
        permissionType: AclPermissionTypes.ALLOW,
      },
      {
        resourceType: AclResourceTypes.GROUP,
        resourceName: 'golden-group',
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: 'User:golden-reader',
        host: '10.0.0.1',
        operation: AclOperationTypes.READ,
        permissionType: AclPermissionTypes.DENY,
      },
    ],
  });
  await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  await admin.deleteAcls({
    filters: [
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'golden-',
        resourcePatternType: ResourcePatternTypes.MATCH,
        principal: 'User:golden-reader',
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      },
      {
        resourceType: AclResourceTypes.GROUP,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.DENY,
      },
    ],
  });
  await admin.disconnect();
  const producer = kafkaJs(bootstrap, 'scram-sha-512', SECURITY_PASSWORD).producer({
    allowAutoTopicCreation: true,
  });
  await producer.connect();
  await producer.send({ topic: 'golden-kafkajs-sasl', messages: [{ key: 'k', value: 'v' }] });
  await producer.disconnect();
  await expectFailure(
    'KafkaJS with a wrong password',
    kafkaJs(bootstrap, 'scram-sha-512', WRONG_PASSWORD).admin().connect(),
  );
}

function platformaticConnection(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN', password: string) {
  return new Connection('golden', {
    sasl: { mechanism, username: SECURITY_USER, password },
    connectTimeout: 10_000,
    requestTimeout: 10_000,
  });
}

export async function drivePlatformaticSecurity(target: SecurityTarget): Promise<void> {
  const { bootstrap } = target;
  const { host, port } = hostPort(bootstrap);
  await waitForScramUser(target.direct);

  // The Admin client: SaslHandshake v1 + SaslAuthenticate v2, then the highest versions both sides speak.
  const admin = new Admin({
    clientId: 'golden',
    bootstrapBrokers: [bootstrap],
    sasl: { mechanism: 'SCRAM-SHA-256', username: SECURITY_USER, password: SECURITY_PASSWORD },
    retries: 0,
  });
  try {
    await step(
      'createAcls',
      admin.createAcls({
        creations: [
          {
            resourceType: PltResourceTypes.TOPIC,
            resourceName: 'golden-platformatic',
            resourcePatternType: PltResourcePatternTypes.LITERAL,
            principal: 'User:golden-writer',
            host: '*',
            operation: PltAclOperations.WRITE,
            permissionType: PltAclPermissionTypes.ALLOW,
          },
          {
            resourceType: PltResourceTypes.CLUSTER,
            resourceName: 'kafka-cluster',
            resourcePatternType: PltResourcePatternTypes.LITERAL,
            principal: 'User:golden-writer',
            host: '*',
            operation: PltAclOperations.IDEMPOTENT_WRITE,
            permissionType: PltAclPermissionTypes.ALLOW,
          },
        ],
      }),
    );
    await step(
      'describeAcls',
      admin.describeAcls({
        filter: {
          resourceType: PltResourceTypes.ANY,
          resourceName: null,
          resourcePatternType: PltResourcePatternTypes.ANY,
          principal: 'User:golden-writer',
          host: null,
          operation: PltAclOperations.ANY,
          permissionType: PltAclPermissionTypes.ANY,
        },
      }),
    );
    await step(
      'deleteAcls',
      admin.deleteAcls({
        filters: [
          {
            resourceType: PltResourceTypes.ANY,
            resourceName: null,
            resourcePatternType: PltResourcePatternTypes.ANY,
            principal: 'User:golden-writer',
            host: null,
            operation: PltAclOperations.ANY,
            permissionType: PltAclPermissionTypes.ANY,
          },
        ],
      }),
    );
    await step(
      'alterClientQuotas',
      admin.alterClientQuotas({
        entries: [
          {
            entities: [{ entityType: ClientQuotaEntityTypes.USER, entityName: 'golden-writer' }],
            ops: [
              { key: ClientQuotaKeys.PRODUCER_BYTE_RATE, value: 1_048_576, remove: false },
              { key: ClientQuotaKeys.REQUEST_PERCENTAGE, value: 25, remove: false },
            ],
          },
          {
            entities: [
              { entityType: ClientQuotaEntityTypes.USER, entityName: 'golden-writer' },
              { entityType: ClientQuotaEntityTypes.CLIENT_ID, entityName: 'golden' },
            ],
            ops: [{ key: ClientQuotaKeys.CONSUMER_BYTE_RATE, value: 2_097_152, remove: false }],
          },
          {
            // The default client id (a null name).
            entities: [{ entityType: ClientQuotaEntityTypes.CLIENT_ID, entityName: null }],
            ops: [{ key: ClientQuotaKeys.CONSUMER_BYTE_RATE, remove: true }],
          },
        ],
        validateOnly: false,
      }),
    );
    await step(
      'describeClientQuotas',
      admin.describeClientQuotas({
        components: [
          {
            entityType: ClientQuotaEntityTypes.USER,
            matchType: ClientQuotaMatchTypes.EXACT,
            match: 'golden-writer',
          },
        ],
        strict: false,
      }),
    );
    await step(
      'describeClientQuotas',
      admin.describeClientQuotas({
        components: [{ entityType: ClientQuotaEntityTypes.CLIENT_ID, matchType: ClientQuotaMatchTypes.ANY }],
        strict: true,
      }),
    );
  } finally {
    await admin.close();
  }

  // The APIs Admin has no method for (or only at its highest version), on a raw connection: SCRAM-SHA-512.
  // Not AlterUserScramCredentials: @platformatic/kafka 1.35's v0 request ends with a second, stray tag
  // buffer (one byte after the body), which our strict decoder refuses (TRAILING_BYTES: the connection
  // is closed), so no real client gives a well-formed one here.
  const connection = platformaticConnection('SCRAM-SHA-512', SECURITY_PASSWORD);
  try {
    await step('connect', Promise.resolve(connection.connect(host, port)));
    await step(
      'describeUserScramCredentialsV0',
      // An unknown user is answered with RESOURCE_NOT_FOUND in its result, which the client throws.
      describeUserScramCredentialsV0.api
        .async(connection, [{ name: SECURITY_USER }, { name: 'golden-nobody' }])
        .catch((error: unknown) => {
          if (!(error instanceof ResponseError)) throw error;
        }),
    );
    const acl = {
      resourceType: PltResourceTypes.TOPIC,
      resourceName: 'golden-v2',
      resourcePatternType: PltResourcePatternTypes.PREFIXED,
      principal: 'User:golden-writer',
      host: '*',
      operation: PltAclOperations.DESCRIBE,
      permissionType: PltAclPermissionTypes.ALLOW,
    };
    await step('createAclsV2', createAclsV2.api.async(connection, [acl]));
    await step(
      'describeAclsV2',
      describeAclsV2.api.async(connection, {
        resourceType: PltResourceTypes.TOPIC,
        resourceName: null,
        resourcePatternType: PltResourcePatternTypes.MATCH,
        principal: null,
        host: null,
        operation: PltAclOperations.ANY,
        permissionType: PltAclPermissionTypes.ANY,
      }),
    );
    await step(
      'deleteAclsV2',
      deleteAclsV2.api.async(connection, [{ ...acl, resourceName: null, host: null }]),
    );
  } finally {
    await connection.close();
  }

  // Refused: PLAIN is enabled with TLS only; a wrong SCRAM password.
  for (const [mechanism, password] of [
    ['PLAIN', SECURITY_PASSWORD],
    ['SCRAM-SHA-512', WRONG_PASSWORD],
  ] as const) {
    const refused = platformaticConnection(mechanism, password);
    await expectFailure(`@platformatic/kafka ${mechanism}`, Promise.resolve(refused.connect(host, port)));
    await refused.close().catch(() => {});
  }
}

/** The top-level error code of a SaslHandshake or SaslAuthenticate response frame (size prefix included). */
function saslErrorCode(apiKey: number, apiVersion: number, response: Buffer): number {
  // Size, correlation id, then (SaslAuthenticate v2+: a flexible header) an empty tag buffer.
  const flexibleHeader = apiKey === 36 && apiVersion >= 2;
  return response.readInt16BE(flexibleHeader ? 9 : 8);
}

/**
 * A name for each exchange worth keeping beside the first of its API and version: SaslAuthenticate's
 * first and final SCRAM messages (`first`, `final`), and any SASL exchange the broker refused (`failed`).
 */
export function securityVariants(exchanges: readonly CapturedExchange[]): Map<CapturedExchange, string> {
  const variants = new Map<CapturedExchange, string>();
  const steps = new Map<number, number>();
  for (const exchange of exchanges) {
    if (exchange.apiKey !== 17 && exchange.apiKey !== 36) continue;
    const parts: string[] = [];
    if (exchange.apiKey === 36) {
      const step = (steps.get(exchange.connection) ?? 0) + 1;
      steps.set(exchange.connection, step);
      parts.push(step === 1 ? 'first' : 'final');
    }
    if (
      exchange.response !== null &&
      saslErrorCode(exchange.apiKey, exchange.apiVersion, exchange.response) !== 0
    )
      parts.push('failed');
    if (parts.length > 0) variants.set(exchange, parts.join('-'));
  }
  return variants;
}
