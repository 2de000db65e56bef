/**
 * Golden frames captured from real clients (kcat/librdkafka 2.0, KafkaJS 2.2.4, @platformatic/kafka 1.x)
 * talking to a real Tributary broker through a recording proxy (`npm run kafka:capture-goldens`,
 * testdata/captured/manifest.json): each client's plain scenario (`kcat/`, ...) and its security one
 * (`kcat-security/`, ...: SASL/SCRAM over plaintext, ACL, SCRAM-credential and client-quota admin, refused
 * logins; only those APIs' frames are kept). Every captured request must decode strictly with our definitions
 * and encode back to the same bytes; so must every response our broker sent. This pins the definitions'
 * field order, types, nullability and tags to what the clients really speak.
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
      new Set([...clients, ...clients.map((c) => `${c}-security`)]),
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
