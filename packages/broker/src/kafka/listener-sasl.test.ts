/**
 * SASL on the Kafka listener through raw frames: SCRAM-SHA-256/512 succeed and name the caller, a wrong
 * password and an unknown user fail alike, PLAIN only over TLS, out-of-order steps, requests before
 * authentication when it is required, and the client certificate's principal.
 */
import { readFile } from 'node:fs/promises';
import { ApiVersions, SaslAuthenticate } from '@tributary/kafka-protocol';
import { ProcessTls } from '@tributary/protocol';
import { makeTestCerts, type TestCerts } from '@tributary/protocol/dev-certs';
import { formatSaslPlain } from '@tributary/security';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RawKafkaClient } from './testing/raw-client.js';
import { handshake, PASSWORD, scram, startSaslListener, USER, whoAmI } from './testing/sasl-fixture.js';

const SASL_AUTHENTICATION_FAILED = 58;
const UNSUPPORTED_SASL_MECHANISM = 33;
const ILLEGAL_SASL_STATE = 34;

const open: Array<{ close(): unknown }> = [];
let certs: TestCerts;

beforeAll(async () => {
  certs = await makeTestCerts({ nodes: 1 });
});
afterAll(async () => {
  await certs.remove();
});
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function listen(options: Parameters<typeof startSaslListener>[0]) {
  const started = await startSaslListener(options);
  open.push(started.listener);
  return started;
}

async function connect(port: number): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(port);
  open.push(client);
  return client;
}

function nodeTls(clientAuth: 'none' | 'required'): ProcessTls {
  const node = certs.main.nodes[0];
  if (node === undefined) throw new Error('no node certificate');
  return ProcessTls.load({ certFile: node.cert, keyFile: node.key, caFile: certs.main.ca, clientAuth });
}

async function connectTls(port: number, withCertificate: boolean): Promise<RawKafkaClient> {
  const files = certs.main.clients.admin;
  if (files === undefined) throw new Error('no client certificate');
  const identity = withCertificate
    ? { cert: await readFile(files.cert), key: await readFile(files.key) }
    : {};
  const client = await RawKafkaClient.connectTls(port, {
    ca: await readFile(certs.main.ca),
    servername: 'localhost',
    ...identity,
  });
  open.push(client);
  return client;
}

describe('SASL on a plaintext listener', () => {
  it('advertises SaslHandshake v0-1 and SaslAuthenticate v0-2, and offers the SCRAM mechanisms', async () => {
    const { listener } = await listen({ required: false });
    const client = await connect(listener.port);
    const versions = await client.request(ApiVersions, 3, {
      clientSoftwareName: 't',
      clientSoftwareVersion: '0',
    });
    expect(versions.apiKeys).toContainEqual({ apiKey: 17, minVersion: 0, maxVersion: 1 });
    expect(versions.apiKeys).toContainEqual({ apiKey: 36, minVersion: 0, maxVersion: 2 });
    expect(await whoAmI(client)).toBe('User:ANONYMOUS|none');
  });

  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    for (const version of [0, 1, 2]) {
      it(`${mechanism} (SaslAuthenticate v${version}) authenticates the user`, async () => {
        const { listener, counts } = await listen({ required: true });
        const client = await connect(listener.port);
        expect(await scram(client, { mechanism, version })).toEqual({ errorCode: 0, errorMessage: null });
        expect(await whoAmI(client)).toBe(`User:${USER}|scram`);
        expect(counts.authenticated).toEqual([mechanism]);
      });
    }
  }

  it('a wrong password and an unknown user fail alike, are counted, and close the connection', async () => {
    const { listener, counts } = await listen({ required: false });
    const answers = [];
    for (const attempt of [{ password: 'wrong' }, { user: 'mallory' }]) {
      const client = await connect(listener.port);
      answers.push(await scram(client, { mechanism: 'SCRAM-SHA-256', ...attempt }));
      await client.waitClosed();
    }
    expect(answers[0]?.errorCode).toBe(SASL_AUTHENTICATION_FAILED);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]?.errorMessage).not.toMatch(/mallory|unknown|exist/i);
    expect(counts.failed).toEqual(['SCRAM-SHA-256:invalid-proof', 'SCRAM-SHA-256:unknown-user']);
  });

  it('refuses PLAIN (it would send the password in the clear) with the enabled mechanisms', async () => {
    const { listener } = await listen({ required: false });
    const client = await connect(listener.port);
    const { SaslHandshake } = await import('@tributary/kafka-protocol');
    const answer = await client.request(SaslHandshake, 1, { mechanism: 'PLAIN' });
    expect(answer).toEqual({
      errorCode: UNSUPPORTED_SASL_MECHANISM,
      mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
    });
    await client.waitClosed();
  });

  it('answers ILLEGAL_SASL_STATE to SaslAuthenticate before SaslHandshake, and closes', async () => {
    const { listener } = await listen({ required: false });
    const client = await connect(listener.port);
    const answer = await client.request(SaslAuthenticate, 2, {
      authBytes: Buffer.from('n,,n=alice,r=abcdefghijklmnopq'),
    });
    expect(answer.errorCode).toBe(ILLEGAL_SASL_STATE);
    await client.waitClosed();
  });

  it('allows one exchange per connection: a second handshake is ILLEGAL_SASL_STATE', async () => {
    const { listener } = await listen({ required: false });
    const client = await connect(listener.port);
    expect((await scram(client, { mechanism: 'SCRAM-SHA-512' })).errorCode).toBe(0);
    expect(await handshake(client, 'SCRAM-SHA-512')).toBe(ILLEGAL_SASL_STATE);
    await client.waitClosed();
  });

  it('refuses an oversized SASL message', async () => {
    const { listener, counts } = await listen({ required: false });
    const client = await connect(listener.port);
    expect(await handshake(client, 'SCRAM-SHA-256')).toBe(0);
    const answer = await client.request(SaslAuthenticate, 2, { authBytes: Buffer.alloc(100_000, 0x61) });
    expect(answer.errorCode).toBe(SASL_AUTHENTICATION_FAILED);
    expect(counts.failed).toEqual(['SCRAM-SHA-256:invalid-message']);
    await client.waitClosed();
  });
});

describe('authentication required', () => {
  it('serves ApiVersions but closes the connection on any other request before SASL', async () => {
    const { listener } = await listen({ required: true });
    const client = await connect(listener.port);
    const versions = await client.request(ApiVersions, 3, {
      clientSoftwareName: 't',
      clientSoftwareVersion: '0',
    });
    expect(versions.errorCode).toBe(0);
    await expect(whoAmI(client)).rejects.toThrow();
    await client.waitClosed();
  });

  it('closes a connection that does not authenticate in time', async () => {
    const { listener, counts } = await listen({ required: true, authenticationTimeoutMs: 200 });
    const client = await connect(listener.port);
    await client.waitClosed(5_000);
    expect(counts.failed).toEqual(['none:timeout']);
  });
});

describe('SASL and certificates on a TLS listener', () => {
  it('names the verified client certificate User:CN, and the SCRAM user wins over it', async () => {
    const { listener } = await listen({ required: true, tls: nodeTls('required') });
    const client = await connectTls(listener.port, true);
    expect(await whoAmI(client)).toBe('User:admin|certificate');
    expect((await scram(client, { mechanism: 'SCRAM-SHA-256' })).errorCode).toBe(0);
    expect(await whoAmI(client)).toBe(`User:${USER}|scram`);
  });

  it('offers PLAIN over TLS, checked against the SCRAM credential', async () => {
    const { listener, counts } = await listen({ required: true, tls: nodeTls('none') });
    const good = await connectTls(listener.port, false);
    expect(await handshake(good, 'PLAIN')).toBe(0);
    const ok = await good.request(SaslAuthenticate, 1, {
      authBytes: formatSaslPlain({ username: USER, password: PASSWORD }),
    });
    expect(ok.errorCode).toBe(0);
    expect(await whoAmI(good)).toBe(`User:${USER}|plain`);
    for (const credentials of [
      { username: USER, password: 'nope' },
      { username: 'mallory', password: PASSWORD },
    ]) {
      const bad = await connectTls(listener.port, false);
      expect(await handshake(bad, 'PLAIN')).toBe(0);
      const refused = await bad.request(SaslAuthenticate, 1, { authBytes: formatSaslPlain(credentials) });
      expect(refused.errorCode).toBe(SASL_AUTHENTICATION_FAILED);
      expect(refused.errorMessage).not.toContain('mallory');
      await bad.waitClosed();
    }
    expect(counts.failed).toEqual(['PLAIN:invalid-password', 'PLAIN:unknown-user']);
  });
});
