import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ManualClock, TributaryError } from '@tributary/core';
import {
  createScramCredential,
  parsePrincipalMappingRules,
  principalToString,
  type RequestCaller,
  type ScramCredential,
  type ScramMechanism,
  TRIBUTARY_PRINCIPAL_MAPPING_RULES,
} from '@tributary/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallAuthentication, createBrokerClient } from '../clients.js';
import { loadTributaryProtos } from '../protos.js';
import { bindServer, createServer } from '../server.js';
import { clientCredentials, readClientTls } from '../tls/client-tls.js';
import { makeTestCerts, type TestCerts } from '../tls/dev-certs.js';
import { ProcessTls } from '../tls/process-tls.js';
import { unary } from '../unary.js';
import { AuthSessions, createAuthHandlers } from './auth-service.js';
import {
  authenticateServer,
  callerOf,
  FORWARDED_HOST_HEADER,
  FORWARDED_PRINCIPAL_HEADER,
  forwardedCallerMetadata,
  peerHost,
  SESSION_TRAILER,
} from './authenticator.js';
import { ScramSessionAuthentication } from './client-auth.js';

function credential(user: string, password: string, mechanism: ScramMechanism): ScramCredential {
  const made = createScramCredential({ mechanism, user, password, salt: randomBytes(16), iterations: 4096 });
  if (!made.ok) throw new Error(made.error);
  return made.credential;
}

const rules = parsePrincipalMappingRules(TRIBUTARY_PRINCIPAL_MAPPING_RULES);
if (!rules.ok) throw new Error(rules.error);

interface TestServer {
  readonly address: string;
  readonly users: Map<string, ScramCredential>;
  readonly clock: ManualClock;
  readonly callers: RequestCaller[];
  readonly logins: string[];
  close(): void;
}

async function startServer(options: {
  readonly tls?: ProcessTls;
  readonly requireAuthentication?: boolean;
  readonly trustForwardedFrom?: ReadonlySet<string>;
}): Promise<TestServer> {
  const users = new Map<string, ScramCredential>();
  const clock = new ManualClock();
  const callers: RequestCaller[] = [];
  const logins: string[] = [];
  const sessions = new AuthSessions({
    credential: (user, mechanism) => users.get(`${user}/${mechanism}`),
    sessionLifetimeMs: 60_000,
    unknownUserSecret: Buffer.alloc(32, 1),
    clock,
    logger: { info: (fields) => logins.push(JSON.stringify(fields)), warn: () => {} },
  });
  const server = createServer();
  authenticateServer(server, {
    requireAuthentication: options.requireAuthentication ?? false,
    principalMapping: rules.ok ? rules.rules : [],
    sessions,
    ...(options.trustForwardedFrom === undefined ? {} : { trustForwardedFrom: options.trustForwardedFrom }),
  });
  const protos = loadTributaryProtos();
  server.addService(protos.Auth.service, createAuthHandlers(sessions));
  server.addService(protos.Broker.service, {
    Metadata: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      callers.push(callerOf(call));
      callback(null, {});
    },
  });
  const port = await bindServer(server, '127.0.0.1:0', options.tls?.serverCredentials());
  return { address: `127.0.0.1:${port}`, users, clock, callers, logins, close: () => server.forceShutdown() };
}

function addUser(server: TestServer, user: string, password: string): void {
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    server.users.set(`${user}/${mechanism}`, credential(user, password, mechanism));
  }
}

async function metadata(
  server: TestServer,
  options: {
    credentials?: grpc.ChannelCredentials;
    auth?: CallAuthentication;
    metadata?: grpc.Metadata;
  } = {},
): Promise<RequestCaller> {
  const client = createBrokerClient(server.address, {
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.auth === undefined ? {} : { auth: options.auth }),
  });
  try {
    const before = server.callers.length;
    await unary(
      client,
      'Metadata',
      { topics: [] },
      {
        deadlineMs: 5_000,
        ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
      },
    );
    const caller = server.callers[before];
    if (caller === undefined) throw new Error('the handler did not run');
    return caller;
  } finally {
    client.close();
  }
}

async function refusal(work: Promise<unknown>): Promise<TributaryError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected the call to be refused');
}

function scram(
  username: string,
  password: string,
  extra: { clock?: ManualClock; credentials?: grpc.ChannelCredentials } = {},
) {
  return new ScramSessionAuthentication({
    sasl: { mechanism: 'SCRAM-SHA-512', username, password },
    ...extra,
  });
}

const text = (caller: RequestCaller) => ({ ...caller, principal: principalToString(caller.principal) });

describe('peerHost', () => {
  it('strips ports and IPv6 brackets', () => {
    expect(peerHost('127.0.0.1:5000')).toBe('127.0.0.1');
    expect(peerHost('[::1]:5000')).toBe('::1');
    expect(peerHost('[::ffff:10.0.0.1]:5000')).toBe('10.0.0.1');
    expect(peerHost('unknown')).toBe('unknown');
  });
});

describe('the call authenticator over plaintext', () => {
  let open: TestServer;
  let required: TestServer;
  beforeAll(async () => {
    open = await startServer({});
    required = await startServer({ requireAuthentication: true });
    addUser(open, 'alice', 'secret');
    addUser(required, 'alice', 'secret');
  });
  afterAll(() => {
    open.close();
    required.close();
  });

  it('serves a caller without credentials as User:ANONYMOUS from its address', async () => {
    expect(text(await metadata(open))).toEqual({
      principal: 'User:ANONYMOUS',
      host: '127.0.0.1',
      authenticatedBy: 'none',
    });
  });

  it('refuses a caller without credentials when authentication is required', async () => {
    const error = await refusal(metadata(required));
    expect(error.code).toBe('SASL_AUTHENTICATION_FAILED');
    expect(error.message).toMatch(/authentication is required/);
    expect((error.cause as grpc.ServiceError).code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('logs in once per address with SCRAM and sends the session on every call', async () => {
    const auth = scram('alice', 'secret');
    try {
      const before = required.logins.length;
      for (let i = 0; i < 3; i++) {
        expect(text(await metadata(required, { auth }))).toEqual({
          principal: 'User:alice',
          host: '127.0.0.1',
          authenticatedBy: 'scram',
        });
      }
      expect(required.logins.length - before).toBe(1);
    } finally {
      auth.close();
    }
  });

  it('fails a wrong password and an unknown user with the same authentication error', async () => {
    const wrong = scram('alice', 'wrong');
    const unknown = scram('mallory', 'secret');
    try {
      const a = await refusal(metadata(required, { auth: wrong }));
      const b = await refusal(metadata(open, { auth: unknown }));
      expect(a.code).toBe('SASL_AUTHENTICATION_FAILED');
      expect(b.code).toBe('SASL_AUTHENTICATION_FAILED');
      expect(a.message).toBe(b.message);
      expect(a.message).toMatch(/invalid credentials/);
    } finally {
      wrong.close();
      unknown.close();
    }
  });

  it('refuses an invalid token even where anonymous callers are served', async () => {
    const bogus = new grpc.Metadata();
    bogus.set('authorization', 'Bearer not-a-session');
    const error = await refusal(metadata(open, { metadata: bogus }));
    expect(error.code).toBe('SASL_AUTHENTICATION_FAILED');
    expect((error.cause as grpc.ServiceError).metadata.get(SESSION_TRAILER)).toEqual(['invalid']);
    const basic = new grpc.Metadata();
    basic.set('authorization', 'Basic YWxpY2U6c2VjcmV0');
    expect((await refusal(metadata(open, { metadata: basic }))).code).toBe('SASL_AUTHENTICATION_FAILED');
  });

  it('logs in again and retries once when the session expired on the server', async () => {
    const auth = scram('alice', 'secret', { clock: new ManualClock() });
    try {
      await metadata(required, { auth });
      const before = required.logins.length;
      required.clock.advance(60_000);
      expect((await metadata(required, { auth })).authenticatedBy).toBe('scram');
      expect(required.logins.length - before).toBe(1);
    } finally {
      auth.close();
    }
  });

  it('ends the session when the user is deleted', async () => {
    addUser(required, 'bob', 'secret');
    const auth = scram('bob', 'secret');
    try {
      await metadata(required, { auth });
      required.users.delete('bob/SCRAM-SHA-512');
      const error = await refusal(metadata(required, { auth }));
      expect(error.code).toBe('SASL_AUTHENTICATION_FAILED');
      expect(error.message).toMatch(/invalid credentials/);
    } finally {
      auth.close();
    }
  });

  it('ignores a forwarded principal from a caller that is not trusted', async () => {
    const anonymousTrusted = await startServer({ trustForwardedFrom: new Set(['User:ANONYMOUS']) });
    try {
      const forged = forwardedCallerMetadata(
        { principal: { type: 'User', name: 'admin' }, host: '10.0.0.9', authenticatedBy: 'scram' },
        new grpc.Metadata(),
      );
      expect(text(await metadata(anonymousTrusted, { metadata: forged }))).toMatchObject({
        principal: 'User:ANONYMOUS',
        authenticatedBy: 'none',
      });
    } finally {
      anonymousTrusted.close();
    }
  });
});

describe('the call authenticator with mutual TLS', () => {
  let certs: TestCerts;
  let server: TestServer;
  const clientTls = (name: 'alice' | 'admin') => {
    const files = certs.main.clients[name];
    if (files === undefined) throw new Error(name);
    return clientCredentials(
      readClientTls({ caFile: certs.main.ca, certFile: files.cert, keyFile: files.key }),
    );
  };
  let nodeCredentials: grpc.ChannelCredentials;

  beforeAll(async () => {
    certs = await makeTestCerts({ nodes: 1 });
    const node = certs.main.nodes[0];
    if (node === undefined) throw new Error('no node certificate');
    const tls = ProcessTls.load({
      certFile: node.cert,
      keyFile: node.key,
      caFile: certs.main.ca,
      clientAuth: 'required',
    });
    nodeCredentials = tls.channelCredentials();
    server = await startServer({ tls, trustForwardedFrom: new Set(['User:node']) });
    addUser(server, 'bob', 'secret');
  });
  afterAll(async () => {
    server?.close();
    await certs?.remove();
  });

  it('maps a verified client certificate to User:CN', async () => {
    expect(text(await metadata(server, { credentials: clientTls('alice') }))).toEqual({
      principal: 'User:alice',
      host: '127.0.0.1',
      authenticatedBy: 'certificate',
    });
  });

  it('prefers the SCRAM session over the certificate', async () => {
    const credentials = clientTls('alice');
    const auth = scram('bob', 'secret', { credentials });
    try {
      expect(text(await metadata(server, { credentials, auth }))).toMatchObject({
        principal: 'User:bob',
        authenticatedBy: 'scram',
      });
    } finally {
      auth.close();
    }
  });

  it('honours a forwarded principal from a trusted node only', async () => {
    const forwarded = () =>
      forwardedCallerMetadata(
        { principal: { type: 'User', name: 'carol' }, host: '10.1.2.3', authenticatedBy: 'scram' },
        new grpc.Metadata(),
      );
    expect(text(await metadata(server, { credentials: nodeCredentials, metadata: forwarded() }))).toEqual({
      principal: 'User:carol',
      host: '10.1.2.3',
      authenticatedBy: 'forwarded',
    });
    expect(text(await metadata(server, { credentials: clientTls('alice'), metadata: forwarded() }))).toEqual({
      principal: 'User:alice',
      host: '127.0.0.1',
      authenticatedBy: 'certificate',
    });
    const bad = new grpc.Metadata();
    bad.set(FORWARDED_PRINCIPAL_HEADER, 'no-colon');
    bad.set(FORWARDED_HOST_HEADER, '10.1.2.3');
    expect((await refusal(metadata(server, { credentials: nodeCredentials, metadata: bad }))).code).toBe(
      'INVALID_REQUEST',
    );
  });
});
