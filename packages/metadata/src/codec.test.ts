import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brokerEpoch, brokerId, leaderEpoch, partitionEpoch, TributaryError } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from './codec.js';
import type { MetadataRecord, MetadataRecordType } from './records.js';

const TESTDATA = new URL('../testdata/records/', import.meta.url);
/** Regenerate on purpose with UPDATE_GOLDEN=1 and review the diff. */
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

const SAMPLES: { readonly [T in MetadataRecordType]: Extract<MetadataRecord, { type: T }> } = {
  RegisterBroker: {
    type: 'RegisterBroker',
    brokerId: brokerId(1),
    brokerEpoch: brokerEpoch(17),
    incarnationId: 'b1a3c2d4-0001',
    address: 'localhost:9092',
    rack: 'rack-a',
    fenced: true,
  },
  UnregisterBroker: { type: 'UnregisterBroker', brokerId: brokerId(2), brokerEpoch: brokerEpoch(5) },
  FenceBroker: { type: 'FenceBroker', brokerId: brokerId(3), brokerEpoch: brokerEpoch(9) },
  UnfenceBroker: { type: 'UnfenceBroker', brokerId: brokerId(3), brokerEpoch: brokerEpoch(9) },
  Topic: { type: 'Topic', name: 'orders', topicId: '7f1c6c5e-8f4d-4a43-9a8e-0c1d2e3f4a5b' },
  RemoveTopic: { type: 'RemoveTopic', topicId: '7f1c6c5e-8f4d-4a43-9a8e-0c1d2e3f4a5b' },
  Partition: {
    type: 'Partition',
    topicId: '7f1c6c5e-8f4d-4a43-9a8e-0c1d2e3f4a5b',
    partition: 4,
    replicas: [brokerId(1), brokerId(2), brokerId(3)],
    isr: [brokerId(1), brokerId(3)],
    leader: brokerId(1),
    leaderEpoch: leaderEpoch(0),
    partitionEpoch: partitionEpoch(0),
  },
  PartitionChange: {
    type: 'PartitionChange',
    topicId: '7f1c6c5e-8f4d-4a43-9a8e-0c1d2e3f4a5b',
    partition: 4,
    leader: -1,
    isr: [brokerId(3)],
    leaderEpoch: leaderEpoch(1),
    partitionEpoch: partitionEpoch(2),
  },
  Config: {
    type: 'Config',
    resourceType: 'topic',
    resourceName: 'orders',
    name: 'retention.ms',
    value: null,
  },
  ProducerIds: {
    type: 'ProducerIds',
    brokerId: brokerId(2),
    brokerEpoch: brokerEpoch(5),
    nextProducerId: 2000,
  },
  AccessControlEntry: {
    type: 'AccessControlEntry',
    id: '0b8f2b8e-6b0e-4d7c-9a51-3f0f6c1d2e4a',
    resourceType: 'Topic',
    resourceName: 'orders-',
    patternType: 'Prefixed',
    principal: 'User:alice',
    host: '*',
    operation: 'Write',
    permission: 'Allow',
  },
  RemoveAccessControlEntry: { type: 'RemoveAccessControlEntry', id: '0b8f2b8e-6b0e-4d7c-9a51-3f0f6c1d2e4a' },
  UserScramCredential: {
    type: 'UserScramCredential',
    user: 'alice',
    mechanism: 'SCRAM-SHA-256',
    salt: bytes(16, 1),
    storedKey: bytes(32, 2),
    serverKey: bytes(32, 3),
    iterations: 8192,
  },
  RemoveUserScramCredential: { type: 'RemoveUserScramCredential', user: 'alice', mechanism: 'SCRAM-SHA-512' },
  ClientQuota: {
    type: 'ClientQuota',
    entity: { user: 'alice', clientId: null },
    key: 'producer_byte_rate',
    value: 1048576,
  },
};

/** `length` bytes counting up from `first` (fixture bytes, not a real credential). */
function bytes(length: number, first: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (first + i) & 0xff);
}

describe('record codec golden fixtures', () => {
  if (UPDATE_GOLDEN) mkdirSync(TESTDATA, { recursive: true });
  for (const sample of Object.values(SAMPLES)) {
    it(`${sample.type} encodes to and decodes from testdata/records/${sample.type}.json`, () => {
      const file = new URL(`${sample.type}.json`, TESTDATA);
      const bytes = encodeRecord(sample);
      if (UPDATE_GOLDEN) writeFileSync(file, bytes);
      const golden = new Uint8Array(readFileSync(file));
      expect(Buffer.from(bytes).toString('utf8')).toBe(Buffer.from(golden).toString('utf8'));
      expect(decodeRecord(golden)).toEqual(sample);
    });
  }
});

const id = fc.nat({ max: 1_000_000 });
const ids = fc.array(id, { maxLength: 16 });
const text = fc.string({ maxLength: 40 });
const nonEmpty = fc.string({ minLength: 1, maxLength: 40 });
const leader = fc.oneof(id, fc.constant(-1));
const brokerAndEpoch = { brokerId: id, brokerEpoch: id };
const byteArray = fc.uint8Array({ maxLength: 64 });
const entityPart = fc.option(nonEmpty);
const quotaEntity = fc.oneof(
  fc.record({ user: entityPart }),
  fc.record({ clientId: entityPart }),
  fc.record({ user: entityPart, clientId: entityPart }),
);
const mechanism = fc.constantFrom('SCRAM-SHA-256', 'SCRAM-SHA-512');

/** Any structurally valid record (the codec checks shape; replay checks meaning). */
const arbitraryRecord: fc.Arbitrary<MetadataRecord> = fc.oneof(
  fc.record(
    {
      type: fc.constant('RegisterBroker'),
      ...brokerAndEpoch,
      incarnationId: nonEmpty,
      address: text,
      rack: fc.option(text),
      fenced: fc.boolean(),
      kafkaAddress: nonEmpty,
    },
    { requiredKeys: ['type', 'brokerId', 'brokerEpoch', 'incarnationId', 'address', 'rack', 'fenced'] },
  ),
  fc.record({ type: fc.constantFrom('UnregisterBroker', 'FenceBroker', 'UnfenceBroker'), ...brokerAndEpoch }),
  fc.record({ type: fc.constant('Topic'), name: nonEmpty, topicId: nonEmpty }),
  fc.record({ type: fc.constant('RemoveTopic'), topicId: nonEmpty }),
  fc.record({
    type: fc.constant('Partition'),
    topicId: nonEmpty,
    partition: id,
    replicas: ids,
    isr: ids,
    leader,
    leaderEpoch: id,
    partitionEpoch: id,
  }),
  fc.record(
    {
      type: fc.constant('PartitionChange'),
      topicId: nonEmpty,
      partition: id,
      leader,
      isr: ids,
      replicas: ids,
      leaderEpoch: id,
      partitionEpoch: id,
    },
    { requiredKeys: ['type', 'topicId', 'partition', 'leaderEpoch', 'partitionEpoch'] },
  ),
  fc.record({
    type: fc.constant('Config'),
    resourceType: fc.constantFrom('topic', 'broker', 'cluster'),
    resourceName: text,
    name: nonEmpty,
    value: fc.option(text),
  }),
  fc.record({ type: fc.constant('ProducerIds'), ...brokerAndEpoch, nextProducerId: id }),
  fc.record({
    type: fc.constant('AccessControlEntry'),
    id: nonEmpty,
    resourceType: fc.constantFrom('Topic', 'Group', 'Cluster', 'TransactionalId'),
    resourceName: nonEmpty,
    patternType: fc.constantFrom('Literal', 'Prefixed'),
    principal: nonEmpty,
    host: nonEmpty,
    operation: fc.constantFrom('All', 'Read', 'Write', 'IdempotentWrite'),
    permission: fc.constantFrom('Allow', 'Deny'),
  }),
  fc.record({ type: fc.constant('RemoveAccessControlEntry'), id: nonEmpty }),
  fc.record({
    type: fc.constant('UserScramCredential'),
    user: nonEmpty,
    mechanism,
    salt: byteArray,
    storedKey: byteArray,
    serverKey: byteArray,
    iterations: id,
  }),
  fc.record({ type: fc.constant('RemoveUserScramCredential'), user: nonEmpty, mechanism }),
  fc.record({
    type: fc.constant('ClientQuota'),
    entity: quotaEntity,
    key: fc.constantFrom('producer_byte_rate', 'consumer_byte_rate', 'request_percentage'),
    // JSON has no -0 (it reads back as 0), and the controller writes only positive values.
    value: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0))),
  }),
) as fc.Arbitrary<MetadataRecord>;

describe('RegisterBroker with a Kafka listener', () => {
  it('adds kafkaAddress after the other fields; records without it keep their golden bytes', () => {
    const withKafka = { ...SAMPLES.RegisterBroker, kafkaAddress: 'localhost:9094' };
    const text = Buffer.from(encodeRecord(withKafka)).toString('utf8');
    expect(text.endsWith('"fenced":true,"kafkaAddress":"localhost:9094"}')).toBe(true);
    expect(decodeRecord(encodeRecord(withKafka))).toEqual(withKafka);
    expect(() => decodeJson({ ...JSON.parse(text), kafkaAddress: '' })).toThrow(/kafkaAddress/);
  });
});

describe('security records', () => {
  it('writes bytes as base64 and quota entities with their parts in a fixed order', () => {
    const text = Buffer.from(encodeRecord(SAMPLES.UserScramCredential)).toString('utf8');
    expect(JSON.parse(text).salt).toBe(Buffer.from(bytes(16, 1)).toString('base64'));
    const quota = { ...SAMPLES.ClientQuota, entity: { clientId: 'app', user: 'bob' } };
    const encoded = Buffer.from(encodeRecord(quota)).toString('utf8');
    expect(encoded).toContain('"entity":{"user":"bob","clientId":"app"}');
    // A decoded credential holds plain Uint8Arrays, whatever the encoder was given.
    const decoded = decodeRecord(encodeRecord({ ...SAMPLES.UserScramCredential, salt: Buffer.from('salt') }));
    expect(decoded.type === 'UserScramCredential' && decoded.salt.constructor).toBe(Uint8Array);
  });
});

describe('record codec round trip', () => {
  it('decode(encode(r)) equals r and the encoding is canonical', () => {
    fc.assert(
      fc.property(arbitraryRecord, (record) => {
        const bytes = encodeRecord(record);
        const decoded = decodeRecord(bytes);
        expect(decoded).toEqual(record);
        expect(encodeRecord(decoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });
});

function decodeJson(value: unknown): MetadataRecord {
  return decodeRecord(new TextEncoder().encode(JSON.stringify(value)));
}

function expectInvalid(action: () => unknown, fragment: string): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as TributaryError).code).toBe('INVALID_REQUEST');
    expect((error as TributaryError).message).toContain(fragment);
    return;
  }
  expect.fail(`expected INVALID_REQUEST mentioning "${fragment}"`);
}

describe('record codec strict decoding', () => {
  const topic = { v: 1, type: 'Topic', name: 'orders', topicId: 'abc' };
  it('accepts a well-formed record', () => {
    expect(decodeJson(topic)).toEqual({ type: 'Topic', name: 'orders', topicId: 'abc' });
  });
  it.each([
    ['bad UTF-8', () => decodeRecord(new Uint8Array([0xff, 0xfe])), 'not UTF-8 JSON'],
    ['not JSON', () => decodeRecord(new TextEncoder().encode('{"v":1,')), 'not UTF-8 JSON'],
    ['an array', () => decodeJson([1]), 'not a JSON object'],
    ['null', () => decodeJson(null), 'not a JSON object'],
    ['no version', () => decodeJson({ ...topic, v: undefined }), 'unsupported version'],
    ['a newer version', () => decodeJson({ ...topic, v: 2 }), 'unsupported version 2'],
    ['an unknown type', () => decodeJson({ ...topic, type: 'Bogus' }), 'unknown record type "Bogus"'],
    ['a prototype type', () => decodeJson({ ...topic, type: 'toString' }), 'unknown record type'],
    ['a missing field', () => decodeJson({ v: 1, type: 'Topic', name: 'x' }), 'missing field "topicId"'],
    ['an empty string', () => decodeJson({ ...topic, name: '' }), 'field "name" must be a non-empty'],
    ['an unknown field', () => decodeJson({ ...topic, extra: 1 }), 'unknown field "extra"'],
    [
      'a negative id',
      () => decodeJson({ v: 1, type: 'FenceBroker', brokerId: -1, brokerEpoch: 0 }),
      'field "brokerId" must be a non-negative integer',
    ],
    [
      'a fractional epoch',
      () => decodeJson({ v: 1, type: 'FenceBroker', brokerId: 1, brokerEpoch: 1.5 }),
      'field "brokerEpoch"',
    ],
    [
      'a string where a number belongs',
      () => decodeJson({ v: 1, type: 'UnfenceBroker', brokerId: '1', brokerEpoch: 0 }),
      'field "brokerId"',
    ],
    [
      'a leader below -1',
      () => decodeJson({ ...encodedSample('Partition'), leader: -2 }),
      'field "leader" must be a broker id or -1',
    ],
    [
      'replicas that are not ids',
      () => decodeJson({ ...encodedSample('Partition'), replicas: [1, 'x'] }),
      'field "replicas" must hold only',
    ],
    [
      'an unknown resource type',
      () => decodeJson({ ...encodedSample('Config'), resourceType: 'group' }),
      'field "resourceType"',
    ],
    [
      'a null where only a string fits',
      () => decodeJson({ ...encodedSample('RegisterBroker'), address: null }),
      'field "address" must be a string',
    ],
    [
      'a PartitionChange leader of null',
      () => decodeJson({ ...encodedSample('PartitionChange'), leader: null }),
      'field "leader"',
    ],
    [
      'an unknown ACL operation',
      () => decodeJson({ ...encodedSample('AccessControlEntry'), operation: 'Any' }),
      'field "operation" must be one of All, Read',
    ],
    [
      "an ACL pattern type of Kafka's filters only",
      () => decodeJson({ ...encodedSample('AccessControlEntry'), patternType: 'Match' }),
      'field "patternType"',
    ],
    [
      'an unknown SCRAM mechanism',
      () => decodeJson({ ...encodedSample('UserScramCredential'), mechanism: 'SCRAM-SHA-1' }),
      'field "mechanism"',
    ],
    [
      'bytes that are not base64',
      () => decodeJson({ ...encodedSample('UserScramCredential'), salt: 'not base64!' }),
      'field "salt" must be a base64 string',
    ],
    [
      'base64 with stray padding bits',
      () => decodeJson({ ...encodedSample('UserScramCredential'), salt: 'AB==' }),
      'field "salt" is not canonical base64',
    ],
    [
      'bytes as an array',
      () => decodeJson({ ...encodedSample('UserScramCredential'), storedKey: [1, 2] }),
      'field "storedKey"',
    ],
    [
      'a plaintext password (an unknown field)',
      () => decodeJson({ ...encodedSample('UserScramCredential'), password: 'secret' }),
      'unknown field "password"',
    ],
    [
      'a quota entity with no part',
      () => decodeJson({ ...encodedSample('ClientQuota'), entity: {} }),
      'must name a user or a client id',
    ],
    [
      'a quota entity with an unknown part',
      () => decodeJson({ ...encodedSample('ClientQuota'), entity: { ip: '1.2.3.4' } }),
      'unknown part "ip"',
    ],
    [
      'a quota entity with an empty name',
      () => decodeJson({ ...encodedSample('ClientQuota'), entity: { user: '' } }),
      'part "user"',
    ],
    [
      'a quota value that is a string',
      () => decodeJson({ ...encodedSample('ClientQuota'), value: '10' }),
      'field "value" must be a finite number or null',
    ],
  ])('refuses %s', (_what, action, fragment) => expectInvalid(action, fragment));

  it('refuses to encode a malformed record (a bug, so an assertion)', () => {
    const broken = { type: 'FenceBroker', brokerId: -3, brokerEpoch: 0 } as unknown as MetadataRecord;
    expect(() => encodeRecord(broken)).toThrow(/refusing to encode/);
  });
});

function encodedSample(type: MetadataRecordType): Record<string, unknown> {
  return JSON.parse(Buffer.from(encodeRecord(SAMPLES[type])).toString('utf8'));
}
