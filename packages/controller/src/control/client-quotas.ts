/**
 * Client quota commands (KRaft's ClientQuotaControlManager and ClientQuotasImage.describe), Kafka-shaped
 * so the Kafka listener's AlterClientQuotas and DescribeClientQuotas map onto them directly. Entities are
 * a user and/or a client id, each a name or the default (null); Kafka's ip entities are not supported.
 *
 * Alter: each entry (an entity and its ops) is checked alone and applies whole or not at all; an op
 * sets a key (value > 0; the byte rates are whole bytes per second) or removes it (value null). Only real
 * changes become records, so repeating a request writes nothing. Describe filters as Kafka does: a
 * component per entity type matching an exact name, the default, or any name (the default included);
 * strict keeps only entities with no other part.
 */
import { type ErrorCode, LIMITS, TributaryError } from '@tributary/core';
import {
  type ClientQuotaEntry,
  type MetadataImage,
  type MetadataRecord,
  quotaEntityKey,
} from '@tributary/metadata';
import { QUOTA_KEYS, type QuotaEntity, type QuotaKey } from '@tributary/security';
import type { ControlResult } from './context.js';

/** Kafka's entity type names (ClientQuotaEntity.USER, CLIENT_ID). */
export type QuotaEntityType = 'user' | 'client-id';

export interface QuotaOp {
  /** A quota key (producer_byte_rate, consumer_byte_rate, request_percentage); others are refused. */
  readonly key: string;
  /** null removes the key (Kafka's `remove`). */
  readonly value: number | null;
}

export interface QuotaAlteration {
  readonly entity: QuotaEntity;
  readonly ops: readonly QuotaOp[];
}

export interface AlterClientQuotasRequest {
  readonly entries: readonly QuotaAlteration[];
  readonly validateOnly: boolean;
}

export interface QuotaItemError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface QuotaEntryResult {
  readonly entity: QuotaEntity;
  readonly error: QuotaItemError | null;
}

export interface AlterClientQuotasResponse {
  /** One per entry, in request order. */
  readonly results: readonly QuotaEntryResult[];
}

export type QuotaEntityMatch =
  | { readonly kind: 'exact'; readonly name: string }
  | { readonly kind: 'default' }
  | { readonly kind: 'any' };

export interface QuotaFilterComponent {
  readonly entityType: QuotaEntityType;
  readonly match: QuotaEntityMatch;
}

export interface ClientQuotaFilter {
  readonly components: readonly QuotaFilterComponent[];
  /** Only entities with exactly the filtered parts (Kafka's ClientQuotaFilter.containsOnly). */
  readonly strict: boolean;
}

/** Ops one entry may carry: one per key at most. */
const OPS_PER_ENTRY_MAX = QUOTA_KEYS.length;

function isQuotaKey(key: string): key is QuotaKey {
  return (QUOTA_KEYS as readonly string[]).includes(key);
}

function invalid(message: string): QuotaItemError {
  return { code: 'INVALID_REQUEST', message };
}

/** What is wrong with an entity, or null: at least one part, each the default or a bounded name. */
export function quotaEntityProblem(entity: QuotaEntity): string | null {
  const parts: [string, string | null | undefined][] = [
    ['user', entity.user],
    ['client id', entity.clientId],
  ];
  if (parts.every(([, value]) => value === undefined))
    return 'the entity names neither a user nor a client id';
  for (const [what, value] of parts) {
    if (value === undefined || value === null) continue;
    if (value.length === 0) return `the ${what} is empty (the default is null)`;
    if (value.length > LIMITS.quotaEntityNameLengthMax) {
      return `the ${what} is ${value.length} characters; the limit is ${LIMITS.quotaEntityNameLengthMax}`;
    }
  }
  return null;
}

function opProblem(op: QuotaOp): string | null {
  if (!isQuotaKey(op.key))
    return `unknown quota key ${JSON.stringify(op.key)} (known: ${QUOTA_KEYS.join(', ')})`;
  if (op.value === null) return null;
  if (!Number.isFinite(op.value) || op.value <= 0)
    return `quota ${op.key} must be greater than 0, got ${op.value}`;
  if (op.key !== 'request_percentage' && !Number.isSafeInteger(op.value)) {
    return `quota ${op.key} is whole bytes per second, got ${op.value}`;
  }
  return null;
}

/** The entity's quotas after `ops`, or an error. */
function nextValues(
  current: ReadonlyMap<QuotaKey, number> | undefined,
  ops: readonly QuotaOp[],
): Map<QuotaKey, number> | QuotaItemError {
  if (ops.length > OPS_PER_ENTRY_MAX)
    return invalid(`${ops.length} ops for one entity; the limit is ${OPS_PER_ENTRY_MAX}`);
  const next = new Map(current);
  const keys = new Set<string>();
  for (const op of ops) {
    const problem = opProblem(op);
    if (problem !== null) return invalid(problem);
    if (keys.has(op.key)) return invalid(`quota ${op.key} is changed twice for one entity`);
    keys.add(op.key);
    const key = op.key as QuotaKey;
    if (op.value === null) next.delete(key);
    else next.set(key, op.value);
  }
  return next;
}

export function alterClientQuotas(
  image: MetadataImage,
  request: AlterClientQuotasRequest,
): ControlResult<AlterClientQuotasResponse> {
  if (request.entries.length > LIMITS.quotaChangesPerRequestMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${request.entries.length} quota entries in one request; the limit is ${LIMITS.quotaChangesPerRequestMax}`,
    );
  }
  const records: MetadataRecord[] = [];
  const seen = new Set<string>();
  let entityCount = image.clientQuotas.byEntity.size;
  const results = request.entries.map(({ entity, ops }): QuotaEntryResult => {
    const problem = quotaEntityProblem(entity);
    if (problem !== null) return { entity, error: invalid(problem) };
    const key = quotaEntityKey(entity);
    if (seen.has(key)) return { entity, error: invalid('the entity is given twice in one request') };
    seen.add(key);
    const current = image.clientQuotas.byEntity.get(key)?.values;
    const next = nextValues(current, ops);
    if (!(next instanceof Map)) return { entity, error: next };
    if (current === undefined && next.size > 0) {
      if (entityCount >= LIMITS.quotaEntitiesMax) {
        const message = `the cluster has quotas for ${entityCount} entities; the limit is ${LIMITS.quotaEntitiesMax}`;
        return { entity, error: { code: 'POLICY_VIOLATION', message } };
      }
      entityCount++;
    }
    if (!request.validateOnly) records.push(...changeRecords(copyEntity(entity), current, next));
    return { entity, error: null };
  });
  return { records, response: { results } };
}

/** One ClientQuota record per key whose value differs, in QUOTA_KEYS order. */
function changeRecords(
  entity: QuotaEntity,
  current: ReadonlyMap<QuotaKey, number> | undefined,
  next: ReadonlyMap<QuotaKey, number>,
): MetadataRecord[] {
  const records: MetadataRecord[] = [];
  for (const key of QUOTA_KEYS) {
    const before = current?.get(key);
    const after = next.get(key);
    if (before === after) continue;
    records.push({ type: 'ClientQuota', entity, key, value: after ?? null });
  }
  return records;
}

/** The entity's parts only, so a request object's other fields never reach a record. */
function copyEntity(entity: QuotaEntity): QuotaEntity {
  return {
    ...(entity.user === undefined ? {} : { user: entity.user }),
    ...(entity.clientId === undefined ? {} : { clientId: entity.clientId }),
  };
}

function partOf(entity: QuotaEntity, type: QuotaEntityType): string | null | undefined {
  return type === 'user' ? entity.user : entity.clientId;
}

function matches(entity: QuotaEntity, { entityType, match }: QuotaFilterComponent): boolean {
  const part = partOf(entity, entityType);
  switch (match.kind) {
    case 'exact':
      return part === match.name;
    case 'default':
      return part === null;
    case 'any':
      return part !== undefined;
  }
}

/** The entities `filter` selects with their quotas, ordered by entity. */
export function describeClientQuotas(image: MetadataImage, filter: ClientQuotaFilter): ClientQuotaEntry[] {
  const types = new Set<QuotaEntityType>();
  for (const component of filter.components) {
    if (types.has(component.entityType)) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `entity type ${component.entityType} appears twice in the filter`,
      );
    }
    types.add(component.entityType);
    if (component.match.kind === 'exact') {
      const problem = quotaEntityProblem(
        component.entityType === 'user' ? { user: component.match.name } : { clientId: component.match.name },
      );
      if (problem !== null) throw new TributaryError('INVALID_REQUEST', problem);
    }
  }
  const selected: [string, ClientQuotaEntry][] = [];
  for (const [key, entry] of image.clientQuotas.byEntity) {
    if (!filter.components.every((component) => matches(entry.entity, component))) continue;
    const parts = (entry.entity.user === undefined ? 0 : 1) + (entry.entity.clientId === undefined ? 0 : 1);
    if (filter.strict && parts !== filter.components.length) continue;
    selected.push([key, entry]);
  }
  return selected.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}
