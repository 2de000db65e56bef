/**
 * Kafka's SCRAM credential APIs (KIP-554: DescribeUserScramCredentials 0, AlterUserScramCredentials 0) and
 * client quota APIs (KIP-546: DescribeClientQuotas 0–1, AlterClientQuotas 0–1) on the listener, forwarded to
 * the active controller as the gRPC ControllerAdmin calls of the same names; the controller validates and
 * decides. The broker translates: Kafka's ScramMechanism codes (1 SCRAM-SHA-256, 2 SCRAM-SHA-512), quota
 * entities as (type, name) lists with null for the default, and match types (0 exact, 1 default, 2 any).
 * Entity types other than `user` and `client-id` (Kafka's `ip`, for connection-rate quotas) are refused
 * with INVALID_REQUEST: Tributary has no IP quotas.
 */
import {
  AlterClientQuotas,
  AlterUserScramCredentials,
  DescribeClientQuotas,
  DescribeUserScramCredentials,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import type { ForwardedAdminRequest, ForwardedAdminResponse } from '../../services/admin-forwarding.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfName } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';
import { AdminBudget, type AdminError, forward, refusal, tooManyResources } from './admin-common.js';

/** Kafka's ScramMechanism codes (0 is UNKNOWN). */
const SCRAM_MECHANISM_CODES: Readonly<Record<string, number>> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 };

function mechanismName(code: number): string {
  for (const [name, value] of Object.entries(SCRAM_MECHANISM_CODES)) if (value === code) return name;
  // The controller answers UNSUPPORTED_SASL_MECHANISM for it.
  return `UNKNOWN(${code})`;
}

function wireError(code: string, message: string): { errorCode: number; errorMessage: string | null } {
  return { errorCode: kafkaCodeOfName(code), errorMessage: code === '' ? null : message };
}

// ---- SCRAM credentials ----

export function describeUserScramCredentialsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DescribeUserScramCredentials,
    advertised: parseVersions('0'),
    handle: async (request) => {
      // null and empty both mean every user, as in Kafka.
      const users = (request.users ?? []).map((user) => user.name);
      const tooMany = tooManyResources(users.length);
      if (tooMany !== null) return { throttleTimeMs: 0, ...tooMany, results: [] };
      const forwarded = await forward(
        parts,
        'DescribeUserScramCredentials',
        { users },
        new AdminBudget(null),
      );
      if (!forwarded.ok) return { throttleTimeMs: 0, ...forwarded.error, results: [] };
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        results: forwarded.answer.results.map((result) => ({
          user: result.user,
          ...wireError(result.errorCode, result.errorMessage),
          credentialInfos: result.credentials.map((info) => ({
            mechanism: SCRAM_MECHANISM_CODES[info.mechanism] ?? 0,
            iterations: info.iterations,
          })),
        })),
      };
    },
  });
}

export function alterUserScramCredentialsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: AlterUserScramCredentials,
    advertised: parseVersions('0'),
    handle: async (request) => {
      const names = [...new Set([...request.deletions, ...request.upsertions].map((change) => change.name))];
      const tooMany = tooManyResources(request.deletions.length + request.upsertions.length);
      if (tooMany !== null)
        return { throttleTimeMs: 0, results: names.map((user) => ({ user, ...tooMany })) };
      const forwarded = await forward(
        parts,
        'AlterUserScramCredentials',
        {
          deletions: request.deletions.map((d) => ({ user: d.name, mechanism: mechanismName(d.mechanism) })),
          upsertions: request.upsertions.map((u) => ({
            user: u.name,
            mechanism: mechanismName(u.mechanism),
            // The controller refuses out-of-range counts (UNACCEPTABLE_CREDENTIAL); uint32 cannot carry < 0.
            iterations: Math.max(0, u.iterations),
            salt: u.salt,
            saltedPassword: u.saltedPassword,
          })),
        },
        new AdminBudget(null),
      );
      if (!forwarded.ok)
        return { throttleTimeMs: 0, results: names.map((user) => ({ user, ...forwarded.error })) };
      return {
        throttleTimeMs: 0,
        results: forwarded.answer.results.map((result) => ({
          user: result.user,
          ...wireError(result.errorCode, result.errorMessage),
        })),
      };
    },
  });
}

// ---- client quotas ----

type WireEntityPart = { readonly entityType: string; readonly entityName: string | null };
type QuotaEntity = NonNullable<
  NonNullable<ForwardedAdminRequest<'AlterClientQuotas'>['entries']>[number]['entity']
>;
type AnsweredEntity = ForwardedAdminResponse<'DescribeClientQuotas'>['entries'][number]['entity'];

const USER = 'user';
const CLIENT_ID = 'client-id';

/** Kafka's entity parts as the controller's entity, or why they cannot be one. */
function entityOf(parts: readonly WireEntityPart[]): QuotaEntity | AdminError {
  const entity: {
    user?: { name: string; isDefault: boolean };
    clientId?: { name: string; isDefault: boolean };
  } = {};
  for (const part of parts) {
    const value = { name: part.entityName ?? '', isDefault: part.entityName === null };
    const key = part.entityType === USER ? 'user' : part.entityType === CLIENT_ID ? 'clientId' : undefined;
    if (key === undefined)
      return refusal(
        'INVALID_REQUEST',
        `entity type ${JSON.stringify(part.entityType)} is not user or client-id`,
      );
    if (entity[key] !== undefined)
      return refusal('INVALID_REQUEST', `entity type ${part.entityType} is given twice`);
    entity[key] = value;
  }
  if (entity.user === undefined && entity.clientId === undefined)
    return refusal('INVALID_REQUEST', 'the entity has no part');
  return entity;
}

/** The controller's entity as Kafka's parts: user first, then client-id. */
function wireEntity(entity: AnsweredEntity): WireEntityPart[] {
  const out: WireEntityPart[] = [];
  if (entity?.user)
    out.push({ entityType: USER, entityName: entity.user.isDefault ? null : entity.user.name });
  if (entity?.clientId)
    out.push({ entityType: CLIENT_ID, entityName: entity.clientId.isDefault ? null : entity.clientId.name });
  return out;
}

const MATCH_TYPES: Readonly<Record<number, string>> = { 0: 'exact', 1: 'default', 2: 'any' };

type DescribeComponent = RequestOf<typeof DescribeClientQuotas>['components'][number];

export function describeClientQuotasHandler(parts: KafkaBrokerParts): RegisteredHandler {
  const failed = (error: AdminError): ResponseInputOf<typeof DescribeClientQuotas> => ({
    throttleTimeMs: 0,
    ...error,
    entries: null,
  });
  return registerHandler({
    api: DescribeClientQuotas,
    advertised: parseVersions('0-1'),
    handle: async (request) => {
      const components = [];
      for (const component of request.components as readonly DescribeComponent[]) {
        const match = MATCH_TYPES[component.matchType];
        if (match === undefined)
          return failed(refusal('INVALID_REQUEST', `match type ${component.matchType} is unknown`));
        if (component.entityType !== USER && component.entityType !== CLIENT_ID)
          return failed(
            refusal(
              'INVALID_REQUEST',
              `entity type ${JSON.stringify(component.entityType)} is not user or client-id`,
            ),
          );
        components.push({ entityType: component.entityType, match, name: component.match ?? '' });
      }
      const forwarded = await forward(
        parts,
        'DescribeClientQuotas',
        { components, strict: request.strict },
        new AdminBudget(null),
      );
      if (!forwarded.ok) return failed(forwarded.error);
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        entries: forwarded.answer.entries.map((entry) => ({
          entity: wireEntity(entry.entity),
          values: entry.values.map((value) => ({ key: value.key, value: value.value })),
        })),
      };
    },
  });
}

export function alterClientQuotasHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: AlterClientQuotas,
    advertised: parseVersions('0-1'),
    handle: async (request) => {
      const tooMany = tooManyResources(request.entries.length);
      if (tooMany !== null)
        return { throttleTimeMs: 0, entries: request.entries.map((e) => ({ ...tooMany, entity: e.entity })) };
      const entities = request.entries.map((entry) => entityOf(entry.entity));
      const valid = request.entries.flatMap((entry, i) => {
        const entity = entities[i];
        return entity === undefined || 'errorCode' in entity ? [] : [{ entity, ops: entry.ops }];
      });
      const forwarded =
        valid.length === 0
          ? { ok: true as const, answer: { results: [] } }
          : await forward(
              parts,
              'AlterClientQuotas',
              { entries: valid, validateOnly: request.validateOnly },
              new AdminBudget(null),
            );
      let next = 0;
      const entries = request.entries.map((entry, i) => {
        const entity = entities[i];
        if (entity === undefined || 'errorCode' in entity)
          return { ...(entity ?? refusal('UNKNOWN', 'no entity')), entity: entry.entity };
        if (!forwarded.ok) return { ...forwarded.error, entity: entry.entity };
        const answer = forwarded.answer.results[next++];
        if (answer === undefined)
          return {
            ...refusal('UNKNOWN', 'the controller gave no result for this entity'),
            entity: entry.entity,
          };
        return { ...wireError(answer.errorCode, answer.errorMessage), entity: entry.entity };
      });
      return { throttleTimeMs: 0, entries };
    },
  });
}
