import { readFile } from 'node:fs/promises';
import { ApiVersions } from '@tributary/kafka-protocol';
import { ProcessTls, socketPeerIdentity } from '@tributary/protocol';
import { makeTestCerts, type TestCerts } from '@tributary/protocol/dev-certs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiVersionsHandler } from './handlers/api-versions.js';
import { type KafkaListener, startKafkaListener } from './listener.js';
import { KafkaApiRegistry } from './registry.js';
import { RawKafkaClient } from './testing/raw-client.js';

const logger = pino({ level: 'silent' });
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

function nodeTls(): ProcessTls {
  const node = certs.main.nodes[0];
  if (node === undefined) throw new Error('no node certificate');
  return ProcessTls.load({
    certFile: node.cert,
    keyFile: node.key,
    caFile: certs.main.ca,
    clientAuth: 'required',
  });
}

async function listen(tls: ProcessTls): Promise<KafkaListener> {
  const registry: KafkaApiRegistry = new KafkaApiRegistry([
    apiVersionsHandler(() => registry.advertisedVersions()),
  ]);
  const listener = await startKafkaListener({ listen: '127.0.0.1:0', registry, logger, tls });
  open.push(listener);
  return listener;
}

async function clientFiles(set: 'main' | 'other', name = 'admin') {
  const files = certs[set].clients[name];
  if (files === undefined) throw new Error(`no client ${name}`);
  return {
    ca: await readFile(certs.main.ca),
    cert: await readFile(files.cert),
    key: await readFile(files.key),
  };
}

const v3 = { clientSoftwareName: 'tls-test', clientSoftwareVersion: '0' };

/** Connects and asks ApiVersions; the error of whichever step fails (with TLS 1.3 the client's handshake can
 * finish before the server refuses its certificate, so a refusal may surface on the first request). */
async function apiVersions(port: number, connect: () => Promise<RawKafkaClient>): Promise<number> {
  const client = await connect();
  open.push(client);
  const response = await client.request(ApiVersions, 3, v3);
  expect(port).toBeGreaterThan(0);
  return response.errorCode;
}

describe('Kafka listener over TLS', () => {
  it('serves a client with a certificate from the CA', async () => {
    const listener = await listen(nodeTls());
    const identity = await clientFiles('main');
    expect(
      await apiVersions(listener.port, () =>
        RawKafkaClient.connectTls(listener.port, { ...identity, servername: 'localhost' }),
      ),
    ).toBe(0);
  });

  it('refuses plaintext, a client without a certificate and one from another CA', async () => {
    const listener = await listen(nodeTls());
    await expect(apiVersions(listener.port, () => RawKafkaClient.connect(listener.port))).rejects.toThrow();
    const { ca } = await clientFiles('main');
    await expect(
      apiVersions(listener.port, () =>
        RawKafkaClient.connectTls(listener.port, { ca, servername: 'localhost' }),
      ),
    ).rejects.toThrow();
    const foreign = await clientFiles('other');
    await expect(
      apiVersions(listener.port, () =>
        RawKafkaClient.connectTls(listener.port, { ...foreign, ca, servername: 'localhost' }),
      ),
    ).rejects.toThrow();
  });

  it('takes reloaded files for new handshakes', async () => {
    const tls = nodeTls();
    const listener = await listen(tls);
    const identity = await clientFiles('main');
    const served = async (): Promise<string> => {
      const socket = await import('node:tls').then(
        ({ connect }) =>
          new Promise<string>((resolve, reject) => {
            const s = connect(
              { port: listener.port, host: '127.0.0.1', ...identity, servername: 'localhost' },
              () => {
                resolve(s.getPeerCertificate().serialNumber);
                s.destroy();
              },
            );
            s.once('error', reject);
          }),
      );
      return socket;
    };
    const before = await served();
    const { makeDevCerts } = await import('@tributary/protocol/dev-certs');
    await makeDevCerts({ dir: certs.main.dir, nodes: 1, clients: [] });
    expect(tls.reload().ok).toBe(true);
    expect(await served()).not.toBe(before);
  });
});

describe('socketPeerIdentity', () => {
  it('names the verified client certificate of a TLS connection, nothing on plaintext', async () => {
    const { createServer } = await import('node:tls');
    const tls = nodeTls();
    const seen = new Promise<string | null>((resolve) => {
      const server = createServer(tls.serverOptions(), (socket) => {
        resolve(socketPeerIdentity(socket)?.commonName ?? null);
        socket.destroy();
      });
      open.push({ close: () => new Promise((done) => server.close(done)) });
      server.listen(0, '127.0.0.1', async () => {
        const address = server.address();
        if (address === null || typeof address === 'string') return;
        const identity = await clientFiles('main', 'alice');
        const client = await RawKafkaClient.connectTls(address.port, {
          ...identity,
          servername: 'localhost',
        });
        open.push(client);
      });
    });
    expect(await seen).toBe('alice');
    const { Socket } = await import('node:net');
    expect(socketPeerIdentity(new Socket())).toBeNull();
  });
});
