/**
 * Golden frames captured from real clients (kcat/librdkafka 2.0, KafkaJS 2.2.4, @platformatic/kafka 1.x)
 * talking to a real Tributary broker through a recording proxy (`npm run kafka:capture-goldens`,
 * testdata/captured/manifest.json). Every captured request must decode strictly with our definitions
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
    expect(new Set(manifest.map((e) => e.client))).toEqual(new Set(['kcat', 'kafkajs', 'platformatic']));
    expect(manifest.length).toBeGreaterThan(40);
  });

  for (const entry of manifest) {
    const api = KAFKA_APIS.get(entry.apiKey);
    const name = `${entry.client} (${entry.clientVersion}) ${api?.name ?? entry.apiKey} v${entry.apiVersion}`;
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
