/**
 * The metadata record encoding, version 1: a JSON object in UTF-8,
 *
 *   {"v":1,"type":"<record type>", <the record's fields in the order of FIELDS below>}
 *
 * JSON because metadata records are few and small next to the data plane, and `trib metadata log` and a
 * person with `xxd` can read them. Field order is fixed, so one record has exactly one encoding (the
 * golden fixtures in testdata/records/ pin it). Optional fields (PartitionChange's leader, isr,
 * replicas; the reassignment sets of both partition records; RegisterBroker's kafkaAddress) are left out when absent, never written
 * as null, so records written before reassignment existed keep their exact bytes. Bytes (a SCRAM
 * credential's salt and keys) are standard base64 with padding, and only the canonical spelling decodes.
 *
 * Decoding is strict: the bytes must be UTF-8, the JSON an object with v = 1, a known type, every
 * required field present with the right type and range, and no other field. Anything else is
 * INVALID_REQUEST naming the problem. A change to any record's shape is a new version number.
 */
import { assert, LIMITS, TributaryError } from '@tributary/core';
import {
  OPERATIONS,
  PATTERN_TYPES,
  PERMISSIONS,
  QUOTA_KEYS,
  RESOURCE_TYPES,
  SCRAM_MECHANISMS,
} from '@tributary/security';
import type { MetadataRecord, MetadataRecordType } from './records.js';

export const METADATA_RECORD_VERSION = 1;

type FieldKind =
  | 'id' // a non-negative safe integer: broker id, epoch, partition index, producer id
  | 'leader' // a broker id or NO_LEADER (-1)
  | 'brokerIds' // an array of broker ids
  | 'string'
  | 'nonEmptyString'
  | 'nullableString'
  | 'boolean'
  | 'resourceType'
  | EnumKind
  | 'bytes' // Uint8Array in memory, base64 in JSON
  | 'quotaEntity' // {user?: string | null, clientId?: string | null}, at least one of them
  | 'nullableNumber'; // a finite number or null

/** Fields whose value is one of a fixed list of names (the security model's, as Kafka spells them). */
const ENUMS = {
  aclResourceType: RESOURCE_TYPES,
  aclPatternType: PATTERN_TYPES,
  aclOperation: OPERATIONS,
  aclPermission: PERMISSIONS,
  scramMechanism: SCRAM_MECHANISMS,
  quotaKey: QUOTA_KEYS,
} as const satisfies Record<string, readonly string[]>;
type EnumKind = keyof typeof ENUMS;

type RecordOf<T extends MetadataRecordType> = Extract<MetadataRecord, { type: T }>;

interface FieldSpec<T extends MetadataRecordType> {
  readonly name: Exclude<keyof RecordOf<T>, 'type'> & string;
  readonly kind: FieldKind;
  readonly optional?: true;
}

type FieldTable = { readonly [T in MetadataRecordType]: readonly FieldSpec<T>[] };

const FIELDS: FieldTable = {
  RegisterBroker: [
    { name: 'brokerId', kind: 'id' },
    { name: 'brokerEpoch', kind: 'id' },
    { name: 'incarnationId', kind: 'nonEmptyString' },
    { name: 'address', kind: 'string' },
    { name: 'rack', kind: 'nullableString' },
    { name: 'fenced', kind: 'boolean' },
    { name: 'kafkaAddress', kind: 'nonEmptyString', optional: true },
  ],
  UnregisterBroker: [
    { name: 'brokerId', kind: 'id' },
    { name: 'brokerEpoch', kind: 'id' },
  ],
  FenceBroker: [
    { name: 'brokerId', kind: 'id' },
    { name: 'brokerEpoch', kind: 'id' },
  ],
  UnfenceBroker: [
    { name: 'brokerId', kind: 'id' },
    { name: 'brokerEpoch', kind: 'id' },
  ],
  Topic: [
    { name: 'name', kind: 'nonEmptyString' },
    { name: 'topicId', kind: 'nonEmptyString' },
  ],
  RemoveTopic: [{ name: 'topicId', kind: 'nonEmptyString' }],
  Partition: [
    { name: 'topicId', kind: 'nonEmptyString' },
    { name: 'partition', kind: 'id' },
    { name: 'replicas', kind: 'brokerIds' },
    { name: 'isr', kind: 'brokerIds' },
    { name: 'leader', kind: 'leader' },
    { name: 'leaderEpoch', kind: 'id' },
    { name: 'partitionEpoch', kind: 'id' },
    { name: 'addingReplicas', kind: 'brokerIds', optional: true },
    { name: 'removingReplicas', kind: 'brokerIds', optional: true },
  ],
  PartitionChange: [
    { name: 'topicId', kind: 'nonEmptyString' },
    { name: 'partition', kind: 'id' },
    { name: 'leader', kind: 'leader', optional: true },
    { name: 'isr', kind: 'brokerIds', optional: true },
    { name: 'replicas', kind: 'brokerIds', optional: true },
    { name: 'addingReplicas', kind: 'brokerIds', optional: true },
    { name: 'removingReplicas', kind: 'brokerIds', optional: true },
    { name: 'leaderEpoch', kind: 'id' },
    { name: 'partitionEpoch', kind: 'id' },
  ],
  Config: [
    { name: 'resourceType', kind: 'resourceType' },
    { name: 'resourceName', kind: 'string' },
    { name: 'name', kind: 'nonEmptyString' },
    { name: 'value', kind: 'nullableString' },
  ],
  ProducerIds: [
    { name: 'brokerId', kind: 'id' },
    { name: 'brokerEpoch', kind: 'id' },
    { name: 'nextProducerId', kind: 'id' },
  ],
  AccessControlEntry: [
    { name: 'id', kind: 'nonEmptyString' },
    { name: 'resourceType', kind: 'aclResourceType' },
    { name: 'resourceName', kind: 'nonEmptyString' },
    { name: 'patternType', kind: 'aclPatternType' },
    { name: 'principal', kind: 'nonEmptyString' },
    { name: 'host', kind: 'nonEmptyString' },
    { name: 'operation', kind: 'aclOperation' },
    { name: 'permission', kind: 'aclPermission' },
  ],
  RemoveAccessControlEntry: [{ name: 'id', kind: 'nonEmptyString' }],
  UserScramCredential: [
    { name: 'user', kind: 'nonEmptyString' },
    { name: 'mechanism', kind: 'scramMechanism' },
    { name: 'salt', kind: 'bytes' },
    { name: 'storedKey', kind: 'bytes' },
    { name: 'serverKey', kind: 'bytes' },
    { name: 'iterations', kind: 'id' },
  ],
  RemoveUserScramCredential: [
    { name: 'user', kind: 'nonEmptyString' },
    { name: 'mechanism', kind: 'scramMechanism' },
  ],
  ClientQuota: [
    { name: 'entity', kind: 'quotaEntity' },
    { name: 'key', kind: 'quotaKey' },
    { name: 'value', kind: 'nullableNumber' },
  ],
};

/** A record is small; anything bigger than one Raft message is corrupt. */
const RECORD_BYTES_MAX = LIMITS.raftBytesPerMessageMax;
/** Replica lists are bounded by the replication factor limit. */
const BROKER_IDS_MAX = LIMITS.replicationFactorMax;
/** A salt or a key: SCRAM's largest key is 64 bytes, a salt at most LIMITS.scramSaltBytesMax. */
const BYTES_FIELD_MAX = LIMITS.scramSaltBytesMax;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Which way copyFields converts: bytes are Uint8Arrays in records and base64 strings in JSON. */
type Direction = 'encode' | 'decode';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function isRecordType(value: unknown): value is MetadataRecordType {
  return typeof value === 'string' && Object.hasOwn(FIELDS, value);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isEnumKind(kind: FieldKind): kind is EnumKind {
  return Object.hasOwn(ENUMS, kind);
}

function checkBytes(value: unknown, direction: Direction): string | undefined {
  if (direction === 'encode') {
    if (!(value instanceof Uint8Array)) return 'must be bytes';
    return value.length > BYTES_FIELD_MAX
      ? `has ${value.length} bytes; the limit is ${BYTES_FIELD_MAX}`
      : undefined;
  }
  if (typeof value !== 'string' || !BASE64.test(value)) return 'must be a base64 string';
  const length = (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
  if (length > BYTES_FIELD_MAX) return `has ${length} bytes; the limit is ${BYTES_FIELD_MAX}`;
  // The regex admits non-zero padding bits; only the canonical spelling round-trips.
  return Buffer.from(value, 'base64').toString('base64') === value ? undefined : 'is not canonical base64';
}

function checkQuotaEntity(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object';
  const keys = Object.keys(value);
  if (keys.length === 0) return 'must name a user or a client id';
  for (const key of keys) {
    if (key !== 'user' && key !== 'clientId') return `has unknown part "${key}"`;
    const name: unknown = (value as Record<string, unknown>)[key];
    if (name !== null && (typeof name !== 'string' || name.length === 0)) {
      return `part "${key}" must be a non-empty string or null (the default)`;
    }
  }
  return undefined;
}

/** Returns what is wrong with a field's value, or undefined when it is fine. */
function checkField(kind: FieldKind, value: unknown, direction: Direction): string | undefined {
  if (isEnumKind(kind)) {
    const names: readonly string[] = ENUMS[kind];
    return typeof value === 'string' && names.includes(value)
      ? undefined
      : `must be one of ${names.join(', ')}`;
  }
  switch (kind) {
    case 'id':
      return isId(value) ? undefined : 'must be a non-negative integer';
    case 'leader':
      return isId(value) || value === -1 ? undefined : 'must be a broker id or -1';
    case 'brokerIds':
      if (!Array.isArray(value)) return 'must be an array of broker ids';
      if (value.length > BROKER_IDS_MAX) return `has ${value.length} entries; the limit is ${BROKER_IDS_MAX}`;
      return value.every(isId) ? undefined : 'must hold only non-negative integers';
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'nonEmptyString':
      return typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty string';
    case 'nullableString':
      return typeof value === 'string' || value === null ? undefined : 'must be a string or null';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'resourceType':
      return value === 'topic' || value === 'broker' || value === 'cluster'
        ? undefined
        : "must be 'topic', 'broker' or 'cluster'";
    case 'bytes':
      return checkBytes(value, direction);
    case 'quotaEntity':
      return checkQuotaEntity(value);
    case 'nullableNumber':
      return value === null || (typeof value === 'number' && Number.isFinite(value))
        ? undefined
        : 'must be a finite number or null';
  }
}

/**
 * A checked field's value as the other side holds it: base64 <-> bytes, entities in key order, array
 * copies on encode (the record's own arrays are never shared with the envelope). A decoded array is the
 * parser's own fresh array, so it is kept as is.
 */
function convertField(kind: FieldKind, value: unknown, direction: Direction): unknown {
  if (kind === 'bytes') {
    return direction === 'encode'
      ? Buffer.from(value as Uint8Array).toString('base64')
      : new Uint8Array(Buffer.from(value as string, 'base64'));
  }
  if (kind === 'quotaEntity') {
    const { user, clientId } = value as { user?: string | null; clientId?: string | null };
    return { ...(user === undefined ? {} : { user }), ...(clientId === undefined ? {} : { clientId }) };
  }
  return value;
}

/** Kinds whose values pass through unchanged in both directions (no copy, no conversion). */
function isPlainKind(kind: FieldKind): boolean {
  return kind !== 'bytes' && kind !== 'quotaEntity';
}

/**
 * A field of the table with its check resolved once (not per record): the hot kinds (ids, broker id
 * lists, strings) get a direct test, so encoding and decoding a Partition record costs a few type tests
 * per field rather than a dispatch through the kind names.
 */
interface CompiledField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly optional: boolean;
  readonly plain: boolean;
  /** True when the value is certainly fine; false sends it to checkField for the exact message. */
  readonly fastOk: (value: unknown) => boolean;
}

function isBrokerIds(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > BROKER_IDS_MAX) return false;
  for (const id of value) if (!isId(id)) return false;
  return true;
}

function fastCheck(kind: FieldKind): (value: unknown) => boolean {
  switch (kind) {
    case 'id':
      return isId;
    case 'leader':
      return (value) => value === -1 || isId(value);
    case 'brokerIds':
      return isBrokerIds;
    case 'string':
      return (value) => typeof value === 'string';
    case 'nonEmptyString':
      return (value) => typeof value === 'string' && value.length > 0;
    case 'boolean':
      return (value) => typeof value === 'boolean';
    default:
      return () => false;
  }
}

interface CompiledType {
  readonly fields: readonly CompiledField[];
  /** 'v', 'type' and every field name: the keys a decoded object may have. */
  readonly allowed: ReadonlySet<string>;
}

const COMPILED = new Map<MetadataRecordType, CompiledType>(
  (Object.keys(FIELDS) as MetadataRecordType[]).map((type) => {
    const specs: readonly { name: string; kind: FieldKind; optional?: true }[] = FIELDS[type];
    const fields = specs.map((spec) => ({
      name: spec.name,
      kind: spec.kind,
      optional: spec.optional === true,
      plain: isPlainKind(spec.kind),
      fastOk: fastCheck(spec.kind),
    }));
    return [type, { fields, allowed: new Set(['v', 'type', ...specs.map((spec) => spec.name)]) }];
  }),
);

function compiled(type: MetadataRecordType): CompiledType {
  const found = COMPILED.get(type);
  assert(found !== undefined, () => `no field table for ${type}`);
  return found;
}

/**
 * Checks `source` against the field table and copies the fields, in table order, into `target`.
 * Returns the problem, or the number of fields copied.
 */
function copyFields(
  type: MetadataRecordType,
  source: Readonly<Record<string, unknown>>,
  target: Record<string, unknown>,
  direction: Direction,
): string | number {
  let copied = 0;
  for (const field of compiled(type).fields) {
    const value = source[field.name];
    if (value === undefined) {
      if (field.optional) continue;
      return `${type} record is missing field "${field.name}"`;
    }
    if (!field.fastOk(value)) {
      const problem = checkField(field.kind, value, direction);
      if (problem !== undefined) return `${type} record field "${field.name}" ${problem}`;
    }
    target[field.name] = field.plain ? value : convertField(field.kind, value, direction);
    copied++;
  }
  return copied;
}

/** A Uint8Array over UTF-8 bytes (Buffer.from takes small strings from its pool: far cheaper than TextEncoder). */
function utf8Bytes(text: string): Uint8Array {
  const buffer = Buffer.from(text, 'utf8');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function encodeRecord(record: MetadataRecord): Uint8Array {
  return utf8Bytes(encodeRecordText(record));
}

/** The record's encoding as a string (its UTF-8 bytes are encodeRecord's), for writers that buffer text. */
export function encodeRecordText(record: MetadataRecord): string {
  const envelope: Record<string, unknown> = { v: METADATA_RECORD_VERSION, type: record.type };
  const copied = copyFields(record.type, record as unknown as Record<string, unknown>, envelope, 'encode');
  assert(typeof copied === 'number', () => `refusing to encode a malformed record: ${copied}`);
  return JSON.stringify(envelope);
}

function invalid(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', `metadata record: ${message}`);
}

export function decodeRecord(bytes: Uint8Array): MetadataRecord {
  if (bytes.length > RECORD_BYTES_MAX) {
    throw invalid(`${bytes.length} bytes; the limit is ${RECORD_BYTES_MAX}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decoder.decode(bytes));
  } catch (cause) {
    throw new TributaryError('INVALID_REQUEST', 'metadata record: not UTF-8 JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('not a JSON object');
  }
  const source = parsed as Record<string, unknown>;
  if (source.v !== METADATA_RECORD_VERSION) {
    throw invalid(`unsupported version ${JSON.stringify(source.v)} (this build reads version 1)`);
  }
  const type = source.type;
  if (!isRecordType(type)) throw invalid(`unknown record type ${JSON.stringify(type)}`);
  const record: Record<string, unknown> = { type };
  const copied = copyFields(type, source, record, 'decode');
  if (typeof copied === 'string') throw invalid(copied);
  // Every key the table knows was counted: any other key makes the count larger than 'v', 'type' and those.
  let keys = 0;
  for (const _ in source) keys++;
  if (keys !== 2 + copied) {
    const { allowed } = compiled(type);
    for (const key of Object.keys(source)) {
      if (!allowed.has(key)) throw invalid(`${type} record has unknown field "${key}"`);
    }
  }
  // copyFields checked every field of this type against the table, so the shape is the record's.
  return record as unknown as MetadataRecord;
}
