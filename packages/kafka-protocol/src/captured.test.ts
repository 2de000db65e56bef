/**
 * Golden frames captured from real clients (kcat/librdkafka 2.0, KafkaJS 2.2.4, @platformatic/kafka 1.x)
 * talking to a real Tributary broker through a recording proxy (`npm run kafka:capture-goldens`,
 * testdata/captured/manifest.json): each client's plain scenario (`kcat/`, ...) and its security one
 * (`kcat-security/`, ...: SASL/SCRAM over plaintext, ACL, SCRAM-credential and client-quota admin, refused
 * logins; only those APIs' frames are kept), and for KafkaJS and @platformatic/kafka a transactions one
 * (`kafkajs-transactions/`, ...: issue 14's APIs against a scripted broker, whose responses are built by this
 * codec). Every captured request must decode strictly with our definitions and encode back to the same
 * bytes; so must every response our broker sent. This pins the definitions' field order, types, nullability
 * and tags to what the clients really speak.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KAFKA_APIS } from './apis/index.js';
import { decodeRequestFrame, decodeResponseFrame, encodeRequestFrame, encodeResponseFrame } from './frame.js';

interface ManifestEntry {
  readonly client: string;
  readonly clientVersion: string;
  readonly apiKey: number;
  readonly apiVersion: number;
  /** Which of several kept exchanges of one API and version (SaslAuthenticate `first`, `final-failed`). */
  readonly variant?: string;
  readonly request: string;
  readonly response: string | null;
}

const CAPTURED = new URL('../testdata/captured/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', CAPTURED), 'utf8')) as ManifestEntry[];

function frame(file: string): Buffer {
  return readFileSync(new URL(file, CAPTURED));
}

describe('golden frames captured from real Kafka clients', () => {
  it('covers every client and the APIs they use', () => {
    const clients = ['kcat', 'kafkajs', 'platformatic'];
    expect(new Set(manifest.map((e) => e.client))).toEqual(
      new Set([
        ...clients,
        ...clients.map((c) => `${c}-security`),
        'kafkajs-transactions',
        'platformatic-transactions',
      ]),
    );
    expect(manifest.length).toBeGreaterThan(60);
  });

  it('covers the security APIs (issue 13) from real clients, accepted and refused', () => {
    const captured = (client: string): string[] =>
      manifest
        .filter((e) => e.client === client)
        .map((e) => `${KAFKA_APIS.get(e.apiKey)?.name} v${e.apiVersion}${e.variant ? ` ${e.variant}` : ''}`);
    expect(captured('kcat-security')).toEqual(
      expect.arrayContaining([
        'SaslHandshake v1',
        'SaslAuthenticate v0 first',
        'SaslAuthenticate v0 final',
        'SaslAuthenticate v0 final-failed',
      ]),
    );
    expect(captured('kafkajs-security')).toEqual(
      expect.arrayContaining([
        'SaslHandshake v1',
        'SaslAuthenticate v1 first',
        'SaslAuthenticate v1 final',
        'SaslAuthenticate v1 final-failed',
        'CreateAcls v1',
        'DescribeAcls v1',
        'DeleteAcls v1',
      ]),
    );
    expect(captured('platformatic-security')).toEqual(
      expect.arrayContaining([
        'SaslHandshake v1',
        'SaslHandshake v1 failed',
        'SaslAuthenticate v2 first',
        'SaslAuthenticate v2 final',
        'SaslAuthenticate v2 final-failed',
        'CreateAcls v2',
        'CreateAcls v3',
        'DescribeAcls v2',
        'DescribeAcls v3',
        'DeleteAcls v2',
        'DeleteAcls v3',
        'DescribeClientQuotas v1',
        'AlterClientQuotas v1',
        'DescribeUserScramCredentials v0',
      ]),
    );
  });

  it('covers the transaction APIs (issue 14) from real clients', () => {
    const captured = (client: string): string[] =>
      manifest
        .filter((e) => e.client === client)
        .map((e) => `${KAFKA_APIS.get(e.apiKey)?.name} v${e.apiVersion}${e.variant ? ` ${e.variant}` : ''}`);
    expect(captured('kafkajs-transactions')).toEqual(
      expect.arrayContaining([
        'FindCoordinator v2 transaction',
        'InitProducerId v1 idempotent',
        'InitProducerId v1 transactional',
        'AddPartitionsToTxn v1',
        'Produce v7',
        'AddOffsetsToTxn v1',
        'TxnOffsetCommit v1',
        'EndTxn v1 commit',
        'EndTxn v1 abort',
      ]),
    );
    expect(captured('platformatic-transactions')).toEqual(
      expect.arrayContaining([
        'FindCoordinator v4 transaction',
        'InitProducerId v4 transactional',
        'AddPartitionsToTxn v5',
        'Produce v11',
        'AddOffsetsToTxn v4',
        'TxnOffsetCommit v4',
        'EndTxn v4 commit',
        'EndTxn v4 abort',
        'DescribeTransactions v0',
        'ListTransactions v0',
        'ListTransactions v1',
      ]),
    );
  });

  it('pins what transactional clients send (what the handlers will have to serve)', () => {
    const request = (client: string, apiKey: number, variant?: string): Record<string, unknown> => {
      const entry = manifest.find((e) => e.client === client && e.apiKey === apiKey && e.variant === variant);
      if (entry === undefined) throw new Error(`no ${client} ${apiKey} ${variant}`);
      const decoded = decodeRequestFrame(frame(entry.request).subarray(4), KAFKA_APIS);
      if (decoded.kind !== 'request') throw new Error(`${client} ${apiKey} does not decode`);
      return decoded.body as Record<string, unknown>;
    };
    const kafkajs = 'kafkajs-transactions';
    expect(request(kafkajs, 10, 'transaction')).toMatchObject({ key: 'golden-kafkajs-tx', keyType: 1 });
    // KafkaJS asks for an idempotent producer id when it connects, then the transactional one.
    expect(request(kafkajs, 22, 'idempotent')).toMatchObject({ transactionalId: null });
    expect(request(kafkajs, 22, 'transactional')).toMatchObject({ transactionalId: 'golden-kafkajs-tx' });
    expect(request(kafkajs, 0)).toMatchObject({ transactionalId: 'golden-kafkajs-tx' });
    expect(request(kafkajs, 24)).toMatchObject({
      v3AndBelowTransactionalId: 'golden-kafkajs-tx',
      v3AndBelowTopics: [{ name: 'golden-transactions' }],
    });
    expect(request(kafkajs, 25)).toMatchObject({ groupId: 'golden-transactions-group' });
    expect(request(kafkajs, 28)).toMatchObject({
      groupId: 'golden-transactions-group',
      topics: [{ name: 'golden-input', partitions: [{ partitionIndex: 0, committedOffset: 42 }] }],
    });
    expect(request(kafkajs, 26, 'commit')).toMatchObject({ committed: true });
    expect(request(kafkajs, 26, 'abort')).toMatchObject({ committed: false });

    // @platformatic/kafka takes the highest advertised AddPartitionsToTxn: KIP-890's batched broker form
    // (v4+), which Kafka accepts only from callers with ClusterAction. A handler must decide what to do with it.
    const platformatic = 'platformatic-transactions';
    expect(request(platformatic, 24)).toMatchObject({
      transactions: [
        {
          transactionalId: 'golden-platformatic-tx',
          verifyOnly: false,
          topics: [{ name: 'golden-transactions' }],
        },
      ],
    });
    // KIP-447: the consumer's generation and member id travel with the offsets.
    expect(request(platformatic, 28)).toMatchObject({
      generationId: 3,
      memberId: 'golden-member',
      groupInstanceId: null,
      topics: [{ name: 'golden-input', partitions: [{ partitionIndex: 0, committedOffset: 42 }] }],
    });
    expect(request(platformatic, 65)).toEqual({ transactionalIds: ['golden-platformatic-tx'] });
    // The client's own state constant, not Kafka's state name (Ongoing).
    expect(request(platformatic, 66)).toMatchObject({
      stateFilters: ['ONGOING'],
      producerIdFilters: [4_000],
    });
  });

  it("pins our broker's SASL and SCRAM-credential answers the clients saw", () => {
    const body = (client: string, apiKey: number, variant?: string): Record<string, unknown> => {
      const entry = manifest.find((e) => e.client === client && e.apiKey === apiKey && e.variant === variant);
      const api = KAFKA_APIS.get(apiKey);
      if (entry?.response == null || api === undefined) throw new Error(`no ${client} ${apiKey} ${variant}`);
      return decodeResponseFrame(api, entry.apiVersion, frame(entry.response).subarray(4)).body as Record<
        string,
        unknown
      >;
    };
    for (const client of ['kcat-security', 'kafkajs-security', 'platformatic-security']) {
      // SCRAM only: PLAIN is enabled with TLS only, and these captures run over plaintext.
      expect(body(client, 17)).toEqual({ errorCode: 0, mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'] });
      const first = body(client, 36, 'first');
      expect(first.errorCode).toBe(0);
      expect(String(first.authBytes)).toMatch(/^r=[^,]+,s=[A-Za-z0-9+/=]+,i=\d+$/);
      expect(body(client, 36, 'final')).toMatchObject({ errorCode: 0, errorMessage: null });
      const failed = body(client, 36, 'final-failed');
      expect(failed).toMatchObject({ errorCode: 58 }); // SASL_AUTHENTICATION_FAILED
      expect(String(failed.errorMessage)).not.toContain('not-the-password');
    }
    // UNSUPPORTED_SASL_MECHANISM, still naming the enabled ones.
    expect(body('platformatic-security', 17, 'failed')).toEqual({
      errorCode: 33,
      mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
    });
    // Mechanisms and iterations only (never salts or keys); an unknown user is RESOURCE_NOT_FOUND.
    expect(body('platformatic-security', 50)).toMatchObject({
      errorCode: 0,
      results: [
        { user: 'golden-admin', errorCode: 0, credentialInfos: [{ mechanism: 1 }, { mechanism: 2 }] },
        { user: 'golden-nobody', errorCode: 91, credentialInfos: [] },
      ],
    });
  });

  for (const entry of manifest) {
    const api = KAFKA_APIS.get(entry.apiKey);
    const name = `${entry.client} (${entry.clientVersion}) ${api?.name ?? entry.apiKey} v${entry.apiVersion}${entry.variant ? ` ${entry.variant}` : ''}`;
    it(`${name}: the request decodes and re-encodes byte for byte`, () => {
      const bytes = frame(entry.request);
      const decoded = decodeRequestFrame(bytes.subarray(4), KAFKA_APIS);
      expect(decoded.kind).toBe('request');
      if (decoded.kind !== 'request') return;
      const again = encodeRequestFrame(decoded.api, entry.apiVersion, decoded.header, decoded.body as never);
      expect(again.toString('hex')).toBe(bytes.toString('hex'));
    });
    const response = entry.response;
    if (response === null || api === undefined) continue;
    it(`${name}: our broker's response decodes and re-encodes byte for byte`, () => {
      const bytes = frame(response);
      const { correlationId, body } = decodeResponseFrame(api, entry.apiVersion, bytes.subarray(4));
      const again = Buffer.concat(encodeResponseFrame(api, entry.apiVersion, correlationId, body as never));
      expect(again.toString('hex')).toBe(bytes.toString('hex'));
    });
  }
});
