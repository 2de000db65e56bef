/**
 * Certificates for local clusters, tests and the deploy/ examples (`trib dev-certs DIR`, `npm run certs`): a CA,
 * one certificate per node (controller or broker) and one per client, as PEM files in one directory.
 *
 * - Every node certificate has CN=node: DESIGN §10 maps a certificate's CN to the principal `User:CN`, and the
 *   cluster-internal super user is `User:node` (`--super-users 'User:admin;User:node'`). Each node still has its
 *   own key and file, so one node's key can be replaced alone. Node certificates serve and connect (server and
 *   client auth), and name the given hosts as SANs (IP and DNS), which is what clients verify.
 * - Client certificates have CN=<name> (`User:<name>`), client auth only.
 * - Keys are EC P-256 (small, fast handshakes, supported by OpenSSL/librdkafka, Node and grpc-js), PKCS#8,
 *   written 0600; certificates 0644. A CA is valid for 10 years, other certificates for 1 year (bounded by the
 *   CA's own expiry).
 * - A directory that already has a CA keeps it: running the helper again issues new node and client
 *   certificates under the same CA (a rotation to try SIGHUP with). Every file is written to a temporary name and
 *   renamed, so a process reloading meanwhile reads either the old file or the new one, never half of one.
 *
 * Built with @peculiar/x509: maintained, typed, and based on WebCrypto, so the keys come from Node's own crypto
 * (node-forge implements the cryptography in JavaScript and signs with RSA only; selfsigned makes one
 * self-signed certificate, not a CA with leaves). It needs a Reflect metadata polyfill (its dependency
 * injection), loaded here and only where this module is imported (`@tributary/protocol/dev-certs`).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto);

export const DEV_CERTS_DEFAULTS = {
  hosts: ['127.0.0.1', 'localhost', '::1'],
  /** Three controllers and three brokers: the local cluster of deploy/local and the tests. */
  nodes: 6,
  clients: ['admin'],
  caValidityDays: 3_650,
  validityDays: 365,
} as const;

export const DEV_CERTS_LIMITS = { nodesMax: 1_000, clientsMax: 1_000, hostsMax: 100 } as const;

/** The subject CN of every node certificate (principal `User:node`). */
export const NODE_COMMON_NAME = 'node';

export interface DevCertsOptions {
  readonly dir: string;
  /** SANs of the node certificates: IPs and DNS names clients dial. */
  readonly hosts?: readonly string[];
  readonly nodes?: number;
  /** Client certificate names (CN). */
  readonly clients?: readonly string[];
  /** Validity of node and client certificates. */
  readonly validityDays?: number;
  readonly now?: Date;
}

export interface CertFiles {
  readonly cert: string;
  readonly key: string;
}

export interface DevCerts {
  readonly dir: string;
  /** ca.pem; its key, ca-key.pem, is kept beside it for later runs. */
  readonly ca: string;
  readonly caReused: boolean;
  /** node-1 ... node-N: node-N.pem and node-N-key.pem. */
  readonly nodes: readonly CertFiles[];
  /** By name: client-NAME.pem and client-NAME-key.pem. */
  readonly clients: Readonly<Record<string, CertFiles>>;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** notBefore is set a little in the past, so a peer whose clock is slightly behind accepts a fresh certificate. */
const CLOCK_SKEW_MS = 5 * 60_000;
const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface Issuer {
  readonly certificate: x509.X509Certificate;
  readonly key: CryptoKey;
}

function checkOptions(nodes: number, clients: readonly string[], hosts: readonly string[]): void {
  if (!Number.isSafeInteger(nodes) || nodes < 0 || nodes > DEV_CERTS_LIMITS.nodesMax) {
    throw new RangeError(`--nodes must be an integer in [0, ${DEV_CERTS_LIMITS.nodesMax}], got ${nodes}`);
  }
  if (clients.length > DEV_CERTS_LIMITS.clientsMax) throw new RangeError('too many --clients');
  for (const name of clients) {
    if (!CLIENT_NAME.test(name)) {
      throw new RangeError(`--clients: "${name}" must be letters, digits, '.', '_' or '-' (at most 64)`);
    }
  }
  if (new Set(clients).size !== clients.length) throw new RangeError('--clients: a name is given twice');
  if (hosts.length === 0 || hosts.length > DEV_CERTS_LIMITS.hostsMax) {
    throw new RangeError(`--hosts: between 1 and ${DEV_CERTS_LIMITS.hostsMax} hosts`);
  }
}

/** Random positive 128-bit serial (RFC 5280 §4.1.2.2: unique per CA, at most 20 bytes, positive). */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Writes to a temporary name and renames: readers see the old file or the new one, never a partial one. */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function createCa(now: Date): Promise<Issuer & { keyPem: string }> {
  const keys = await newKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=Tributary development CA',
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + DEV_CERTS_DEFAULTS.caValidityDays * DAY_MS),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, key: keys.privateKey, keyPem: await keyPem(keys.privateKey) };
}

async function loadCa(certPath: string, keyPath: string): Promise<Issuer> {
  const certificate = new x509.X509Certificate(await readFile(certPath, 'utf8'));
  const der = x509.PemConverter.decodeFirst(await readFile(keyPath, 'utf8'));
  try {
    const key = await webcrypto.subtle.importKey('pkcs8', der, EC, false, ['sign']);
    return { certificate, key };
  } catch (error) {
    throw new Error(`${keyPath}: not an EC P-256 PKCS#8 key made by dev-certs (${(error as Error).message})`);
  }
}

interface LeafSpec {
  readonly commonName: string;
  readonly hosts: readonly string[];
  readonly server: boolean;
  readonly notAfter: Date;
  readonly now: Date;
}

async function issue(issuer: Issuer, spec: LeafSpec): Promise<{ cert: string; key: string }> {
  const keys = await newKeys();
  const names = spec.hosts.map((host) => ({ type: isIP(host) === 0 ? 'dns' : 'ip', value: host }) as const);
  const usages = spec.server
    ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]
    : [x509.ExtendedKeyUsage.clientAuth];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${spec.commonName}`,
    issuer: issuer.certificate.subject,
    notBefore: new Date(spec.now.getTime() - CLOCK_SKEW_MS),
    notAfter: spec.notAfter,
    publicKey: keys.publicKey,
    signingKey: issuer.key,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(usages),
      ...(names.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(names)]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate.publicKey),
    ],
  });
  return { cert: certificate.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** Makes (or extends) a directory of development certificates; see the file comment for what is in it. */
export async function makeDevCerts(options: DevCertsOptions): Promise<DevCerts> {
  const hosts = options.hosts ?? DEV_CERTS_DEFAULTS.hosts;
  const nodeCount = options.nodes ?? DEV_CERTS_DEFAULTS.nodes;
  const clientNames = options.clients ?? DEV_CERTS_DEFAULTS.clients;
  checkOptions(nodeCount, clientNames, hosts);
  const now = options.now ?? new Date();
  const { dir } = options;
  await mkdir(dir, { recursive: true });
  const caPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  const caReused = (await exists(caPath)) && (await exists(caKeyPath));
  let issuer: Issuer;
  if (caReused) {
    issuer = await loadCa(caPath, caKeyPath);
  } else {
    const created = await createCa(now);
    await writeAtomically(caKeyPath, created.keyPem, 0o600);
    await writeAtomically(caPath, created.certificate.toString('pem'), 0o644);
    issuer = created;
  }
  const validityMs = (options.validityDays ?? DEV_CERTS_DEFAULTS.validityDays) * DAY_MS;
  const notAfter = new Date(Math.min(now.getTime() + validityMs, issuer.certificate.notAfter.getTime()));
  const write = async (name: string, spec: Omit<LeafSpec, 'notAfter' | 'now'>): Promise<CertFiles> => {
    const made = await issue(issuer, { ...spec, notAfter, now });
    const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}-key.pem`) };
    await writeAtomically(files.key, made.key, 0o600);
    await writeAtomically(files.cert, made.cert, 0o644);
    return files;
  };
  const nodes: CertFiles[] = [];
  for (let index = 1; index <= nodeCount; index++) {
    nodes.push(await write(`node-${index}`, { commonName: NODE_COMMON_NAME, hosts, server: true }));
  }
  const clients: Record<string, CertFiles> = {};
  for (const name of clientNames) {
    clients[name] = await write(`client-${name}`, { commonName: name, hosts: [], server: false });
  }
  return { dir, ca: caPath, caReused, nodes, clients };
}

/** Certificates for one test file: the cluster's (`main`) and another CA's (`other`), in a temp dir. */
export interface TestCerts {
  readonly main: DevCerts;
  readonly other: DevCerts;
  remove(): Promise<void>;
}

/**
 * Makes test certificates once (call it in beforeAll; about 50 ms): `main` with `nodes` node certificates and
 * clients admin and alice, `other` from an unrelated CA with one node and one client, `admin`.
 */
export async function makeTestCerts(options: { readonly nodes?: number } = {}): Promise<TestCerts> {
  const root = await mkdtemp(join(tmpdir(), 'tributary-certs-'));
  const main = await makeDevCerts({
    dir: join(root, 'main'),
    nodes: options.nodes ?? DEV_CERTS_DEFAULTS.nodes,
    clients: ['admin', 'alice'],
  });
  const other = await makeDevCerts({ dir: join(root, 'other'), nodes: 1, clients: ['admin'] });
  return { main, other, remove: () => rm(root, { recursive: true, force: true }) };
}
