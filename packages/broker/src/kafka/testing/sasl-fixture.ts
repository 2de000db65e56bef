/**
 * A Kafka listener with the SASL handlers and a probe that answers who the caller is, SCRAM users made in
 * memory, and a raw client that runs SCRAM or PLAIN: what the SASL listener tests and the SASL fuzz test
 * share.
 */
import { randomBytes } from 'node:crypto';
import {
  ApiVersions,
  DescribeCluster,
  parseVersions,
  SaslAuthenticate,
  SaslHandshake,
} from '@tributary/kafka-protocol';
import type { ProcessTls } from '@tributary/protocol';
import {
  createScramCredential,
  SCRAM_MECHANISMS,
  SCRAM_SUITES,
  ScramClient,
  type ScramCredential,
  type ScramMechanism,
  scramNonceFromBytes,
} from '@tributary/security';
import pino from 'pino';
import { registerHandler } from '../handler.js';
import { apiVersionsHandler } from '../handlers/api-versions.js';
import { saslAuthenticateHandler, saslHandshakeHandler } from '../handlers/sasl.js';
import { type KafkaListener, startKafkaListener } from '../listener.js';
import { KafkaApiRegistry } from '../registry.js';
import { DEFAULT_PRINCIPAL_MAPPING, type KafkaAuthenticationOptions } from '../security/authentication.js';
import type { RawKafkaClient } from './raw-client.js';

export const USER = 'alice';
export const PASSWORD = 'alice-secret';

/** alice's credentials for both mechanisms (the fewest iterations Kafka accepts, to keep tests fast). */
export function testCredentials(): Map<string, ScramCredential> {
  const credentials = new Map<string, ScramCredential>();
  for (const mechanism of SCRAM_MECHANISMS) {
    const made = createScramCredential({
      mechanism,
      user: USER,
      password: PASSWORD,
      salt: randomBytes(32),
      iterations: 4096,
    });
    if (!made.ok) throw new Error(made.error);
    credentials.set(`${USER}/${mechanism}`, made.credential);
  }
  return credentials;
}

export interface SaslCounts {
  readonly authenticated: string[];
  readonly failed: string[];
}

export interface SaslListener {
  readonly listener: KafkaListener;
  readonly counts: SaslCounts;
}

/** A listener serving ApiVersions, SASL and a DescribeCluster probe whose cluster id is `principal|method`. */
export async function startSaslListener(options: {
  readonly required: boolean;
  readonly tls?: ProcessTls;
  readonly authenticationTimeoutMs?: number;
}): Promise<SaslListener> {
  const credentials = testCredentials();
  const counts: SaslCounts = { authenticated: [], failed: [] };
  const authentication: KafkaAuthenticationOptions = {
    required: options.required,
    principalMapping: DEFAULT_PRINCIPAL_MAPPING,
    credential: (user, mechanism) => credentials.get(`${user}/${mechanism}`),
    unknownUserSecret: randomBytes(32),
    metrics: {
      authenticated: (mechanism) => counts.authenticated.push(mechanism),
      failed: (mechanism, reason) => counts.failed.push(`${mechanism}:${reason}`),
    },
    ...(options.authenticationTimeoutMs === undefined
      ? {}
      : { authenticationTimeoutMs: options.authenticationTimeoutMs }),
  };
  const registry: KafkaApiRegistry = new KafkaApiRegistry([
    apiVersionsHandler(() => registry.advertisedVersions()),
    saslHandshakeHandler(),
    saslAuthenticateHandler(),
    registerHandler({
      api: DescribeCluster,
      advertised: parseVersions('0'),
      handle: (_request, context) => ({
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        clusterId: `${context.caller.principal.type}:${context.caller.principal.name}|${context.caller.authenticatedBy}`,
        controllerId: -1,
        brokers: [],
        endpointType: 1,
        clusterAuthorizedOperations: 0,
      }),
    }),
  ]);
  const listener = await startKafkaListener({
    listen: '127.0.0.1:0',
    registry,
    logger: pino({ level: 'silent' }),
    authentication,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  return { listener, counts };
}

/** Who the listener says the connection's caller is (`User:alice|scram`). */
export async function whoAmI(client: RawKafkaClient): Promise<string> {
  const answer = await client.request(DescribeCluster, 0, {
    includeClusterAuthorizedOperations: false,
    endpointType: 1,
  });
  return answer.clusterId;
}

export async function handshake(client: RawKafkaClient, mechanism: string): Promise<number> {
  return (await client.request(SaslHandshake, 1, { mechanism })).errorCode;
}

/** A whole SCRAM exchange; the error code and message of the step that failed, or 0. */
export async function scram(
  client: RawKafkaClient,
  options: { mechanism: ScramMechanism; user?: string; password?: string; version?: number },
): Promise<{ errorCode: number; errorMessage: string | null }> {
  const version = options.version ?? 2;
  const handshakeError = await handshake(client, options.mechanism);
  if (handshakeError !== 0) return { errorCode: handshakeError, errorMessage: null };
  const scramClient = new ScramClient({
    suite: SCRAM_SUITES[options.mechanism],
    username: options.user ?? USER,
    password: options.password ?? PASSWORD,
    clientNonce: scramNonceFromBytes(randomBytes(18)),
  });
  const first = await client.request(SaslAuthenticate, version, { authBytes: scramClient.first() });
  if (first.errorCode !== 0) return first;
  const final = scramClient.receiveServerFirst(first.authBytes);
  if (!final.ok) throw new Error(`client: ${final.failure.detail}`);
  const last = await client.request(SaslAuthenticate, version, { authBytes: final.message });
  if (last.errorCode !== 0) return last;
  const checked = scramClient.receiveServerFinal(last.authBytes);
  if (!checked.ok) throw new Error(`client: the server's signature is wrong: ${checked.failure.detail}`);
  return { errorCode: 0, errorMessage: null };
}

export { ApiVersions };
