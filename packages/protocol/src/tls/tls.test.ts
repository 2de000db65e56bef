import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { connect as tlsConnect } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { ConfigError, defineConfig, option, parseConfig } from '@tributary/core/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindServer, createServer, shutdownServer } from '../server.js';
import { clientCredentials, readClientTls } from './client-tls.js';
import {
  METRICS_TLS_OPTIONS,
  METRICS_TLS_RULES,
  TLS_CONFIG_OPTIONS,
  TLS_CONFIG_RULES,
  tlsFilesOf,
} from './config.js';
import { type DevCerts, makeDevCerts, makeTestCerts, type TestCerts } from './dev-certs.js';
import { loadTlsMaterial } from './material.js';
import { callPeerIdentity } from './peer.js';
import { ProcessTls, reloadTls } from './process-tls.js';

const SCHEMA = defineConfig({
  command: 'tls-test',
  summary: 'TLS options only.',
  options: {
    nodeId: option.integer('id', { min: 0, max: 9 }).default(1),
    ...TLS_CONFIG_OPTIONS,
    ...METRICS_TLS_OPTIONS,
  },
  rules: [...TLS_CONFIG_RULES, ...METRICS_TLS_RULES],
});
const parse = (argv: string[]) => parseConfig(SCHEMA, { argv, env: {} });

let certs: TestCerts;
beforeAll(async () => {
  certs = await makeTestCerts({ nodes: 2 });
});
afterAll(async () => {
  await certs.remove();
});

function node(set: DevCerts, index = 0, clientAuth: 'none' | 'required' = 'required') {
  const files = set.nodes[index];
  if (files === undefined) throw new Error('no such node certificate');
  return { certFile: files.cert, keyFile: files.key, caFile: set.ca, clientAuth };
}

describe('TLS options', () => {
  it('reads the three files and the client auth mode from flags', () => {
    const values = parse(['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--tls-ca', 'ca.pem']);
    expect(values && tlsFilesOf(values)).toEqual({
      certFile: 'c.pem',
      keyFile: 'k.pem',
      caFile: 'ca.pem',
      clientAuth: 'none',
    });
    expect(tlsFilesOf(parse([]) ?? { tlsClientAuth: 'none' })).toBeUndefined();
  });
  it.each([
    [
      ['--tls-cert', 'c.pem'],
      '--tls-cert, --tls-key and --tls-ca go together: --tls-key and --tls-ca missing',
    ],
    [
      ['--tls-cert', 'c', '--tls-key', 'k'],
      '--tls-cert, --tls-key and --tls-ca go together: --tls-ca missing',
    ],
    [
      ['--tls-client-auth', 'required'],
      '--tls-client-auth required needs --tls-ca (and --tls-cert, --tls-key)',
    ],
    [['--tls-client-auth', 'requested'], '--tls-client-auth: must be one of none, required, got "requested"'],
    [['--metrics-tls'], '--metrics-tls needs --tls-cert, --tls-key and --tls-ca'],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(new ConfigError(message));
  });
});

describe('loadTlsMaterial', () => {
  const oneLine = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      return message;
    }
    throw new Error('expected a ConfigError');
  };

  it('loads matching files and names the subject', () => {
    const material = loadTlsMaterial(node(certs.main));
    expect(material.certificate.subject).toBe('CN=node');
    expect(material.caCertificates).toHaveLength(1);
  });
  it('names a missing file', () => {
    const files = { ...node(certs.main), certFile: '/nonexistent/cert.pem' };
    expect(oneLine(() => loadTlsMaterial(files))).toBe(
      '--tls-cert /nonexistent/cert.pem: cannot read it (ENOENT)',
    );
  });
  it('refuses text that is not PEM, a key of another certificate, a leaf as CA, an expired certificate', () => {
    const main = node(certs.main);
    expect(oneLine(() => loadTlsMaterial({ ...main, caFile: main.keyFile }))).toMatch(
      /^--tls-ca .*: no PEM certificate in it$/,
    );
    expect(oneLine(() => loadTlsMaterial({ ...main, keyFile: main.certFile }))).toMatch(
      /^--tls-key .*: not an unencrypted PEM private key/,
    );
    expect(oneLine(() => loadTlsMaterial({ ...main, keyFile: node(certs.other).keyFile }))).toMatch(
      /^--tls-key .* does not match the certificate in --tls-cert /,
    );
    expect(oneLine(() => loadTlsMaterial({ ...main, caFile: main.certFile }))).toMatch(
      /CN=node is not a CA certificate$/,
    );
    const later = Date.now() + 2 * 365 * 86_400_000;
    expect(oneLine(() => loadTlsMaterial(main, { nowMs: later }))).toMatch(/CN=node expired on /);
  });
  it('reads a client without a certificate, and refuses half an identity', () => {
    expect(readClientTls({ caFile: certs.main.ca }).cert).toBeUndefined();
    expect(() => readClientTls({ caFile: certs.main.ca, certFile: 'c.pem' })).toThrow(
      new ConfigError('--tls-cert and --tls-key go together: --tls-key missing'),
    );
  });
});

/** A one-method service without protos: answers with the CN of the verified client certificate. */
const WHO = {
  path: '/test.Who/Who',
  requestStream: false,
  responseStream: false,
  requestSerialize: (value: Buffer) => value,
  requestDeserialize: (value: Buffer) => value,
  responseSerialize: (value: Buffer) => value,
  responseDeserialize: (value: Buffer) => value,
} as const;

async function startWhoServer(
  credentials: grpc.ServerCredentials,
): Promise<{ server: grpc.Server; port: number }> {
  const server = createServer();
  server.addService(
    { who: WHO },
    {
      who: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        callback(null, Buffer.from(callPeerIdentity(call)?.commonName ?? 'anonymous'));
      },
    },
  );
  return { server, port: await bindServer(server, '127.0.0.1:0', credentials) };
}

function who(address: string, credentials: grpc.ChannelCredentials): Promise<string> {
  const client = new grpc.Client(address, credentials);
  return new Promise<string>((resolve, reject) => {
    client.makeUnaryRequest(
      WHO.path,
      WHO.requestSerialize,
      WHO.responseDeserialize,
      Buffer.alloc(0),
      { deadline: Date.now() + 3_000 },
      (error, value) => {
        client.close();
        if (error !== null) reject(error);
        else resolve(value?.toString() ?? '');
      },
    );
  });
}

async function clientOf(set: DevCerts, name?: string): Promise<grpc.ChannelCredentials> {
  const files = name === undefined ? undefined : set.clients[name];
  return clientCredentials({
    ca: await readFile(certs.main.ca),
    ...(files === undefined ? {} : { cert: await readFile(files.cert), key: await readFile(files.key) }),
  });
}

describe('gRPC over TLS', () => {
  let required: { server: grpc.Server; port: number };
  let optional: { server: grpc.Server; port: number };
  beforeAll(async () => {
    required = await startWhoServer(ProcessTls.load(node(certs.main, 0, 'required')).serverCredentials());
    optional = await startWhoServer(ProcessTls.load(node(certs.main, 1, 'none')).serverCredentials());
  });
  afterAll(async () => {
    await shutdownServer(required.server, 100);
    await shutdownServer(optional.server, 100);
  });

  it('a client certificate from the CA is accepted and its CN is the peer identity', async () => {
    expect(await who(`127.0.0.1:${required.port}`, await clientOf(certs.main, 'alice'))).toBe('alice');
    expect(await who(`localhost:${required.port}`, await clientOf(certs.main, 'admin'))).toBe('admin');
  });
  it('refuses plaintext', async () => {
    await expect(who(`127.0.0.1:${required.port}`, grpc.credentials.createInsecure())).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
    await expect(who(`127.0.0.1:${optional.port}`, grpc.credentials.createInsecure())).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
  });
  it('with client auth required, refuses a client without a certificate and one from another CA', async () => {
    await expect(who(`127.0.0.1:${required.port}`, await clientOf(certs.main))).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
    const otherClient = certs.other.clients.admin;
    if (otherClient === undefined) throw new Error('no other admin');
    const foreign = clientCredentials({
      ca: await readFile(certs.main.ca),
      cert: await readFile(otherClient.cert),
      key: await readFile(otherClient.key),
    });
    await expect(who(`127.0.0.1:${required.port}`, foreign)).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
  });
  it('with client auth none, serves a client without a certificate as anonymous', async () => {
    expect(await who(`127.0.0.1:${optional.port}`, await clientOf(certs.main))).toBe('anonymous');
  });
  it('a client pinned to its CA refuses a server whose certificate comes from another CA', async () => {
    const foreignServer = await startWhoServer(
      ProcessTls.load(node(certs.other, 0, 'none')).serverCredentials(),
    );
    try {
      await expect(
        who(`127.0.0.1:${foreignServer.port}`, await clientOf(certs.main, 'admin')),
      ).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      await shutdownServer(foreignServer.server, 100);
    }
  });
  it('a process links to another with its own certificate (mutual TLS through the provider)', async () => {
    const peer = ProcessTls.load(node(certs.main, 1, 'required'));
    expect(await who(`127.0.0.1:${required.port}`, peer.channelCredentials())).toBe('node');
  });
});

/** The serial number of the certificate a fresh TLS connection to the port is served. */
function servedSerial(port: number, ca: Buffer, identity: { cert: Buffer; key: Buffer }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: '127.0.0.1', port, ca, ...identity, ALPNProtocols: ['h2'], servername: 'localhost' },
      () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.destroy();
      },
    );
    socket.once('error', reject);
    socket.setTimeout(3_000, () => socket.destroy(new Error('TLS handshake timed out')));
  });
}

describe('reload', () => {
  it('new connections get the re-read certificate; bad files change nothing', async () => {
    const dir = `${certs.main.dir}-reload`;
    const reloadCerts = await makeDevCerts({ dir, nodes: 1, clients: ['admin'] });
    const files = node(reloadCerts, 0, 'required');
    const tls = ProcessTls.load(files);
    const { server, port } = await startWhoServer(tls.serverCredentials());
    const admin = reloadCerts.clients.admin;
    if (admin === undefined) throw new Error('no admin');
    const identity = { cert: await readFile(admin.cert), key: await readFile(admin.key) };
    const ca = await readFile(reloadCerts.ca);
    const logged: string[] = [];
    const logger = {
      info: (_: object, m: string) => logged.push(m),
      error: (_: object, m: string) => logged.push(m),
    };
    try {
      const first = await servedSerial(port, ca, identity);
      // The same CA issues a new node certificate into the same files (as `trib dev-certs DIR` run again).
      await makeDevCerts({ dir, nodes: 1, clients: [] });
      expect(reloadTls(tls, logger)).toBe(true);
      const second = await servedSerial(port, ca, identity);
      expect(second).not.toBe(first);
      expect(second).toBe(tls.material.certificate.serialNumber);

      await copyFile(files.keyFile, `${files.keyFile}.good`);
      await writeFile(files.keyFile, 'not a key');
      expect(reloadTls(tls, logger)).toBe(false);
      expect(await servedSerial(port, ca, identity)).toBe(second);
      expect(logged).toEqual([
        'TLS certificates reloaded; new connections use them',
        'TLS reload failed; the previous certificates stay in force',
      ]);
    } finally {
      await shutdownServer(server, 100);
    }
  });
});

describe('HTTPS /metrics', () => {
  it('serves over TLS with the process files and refuses plain HTTP', async () => {
    const { startMetricsServer } = await import('../metrics-server.js');
    const { Registry } = await import('prom-client');
    const { get: httpsGet } = await import('node:https');
    const { get: httpGet } = await import('node:http');
    const tls = ProcessTls.load(node(certs.main, 0, 'required'));
    const metrics = await startMetricsServer({ listen: '127.0.0.1:0', registry: new Registry(), tls });
    const admin = certs.main.clients.admin;
    if (admin === undefined) throw new Error('no admin');
    try {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const request = httpsGet(
          {
            host: '127.0.0.1',
            port: metrics.port,
            path: '/metrics',
            ca: tls.material.ca,
            cert: tls.material.cert,
            key: tls.material.key,
            timeout: 3_000,
          },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        request.once('error', reject);
      });
      expect(status).toBe(200);
      await expect(
        new Promise((resolve, reject) => {
          const request = httpGet(
            { host: '127.0.0.1', port: metrics.port, path: '/metrics', timeout: 3_000 },
            resolve,
          );
          request.once('error', reject);
          request.once('timeout', () => request.destroy(new Error('timed out')));
        }),
      ).rejects.toThrow();
    } finally {
      await metrics.close();
    }
  });
});
