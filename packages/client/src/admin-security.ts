/**
 * The Admin's security calls (DESIGN §10): ACLs, SCRAM credentials and client quotas, as Kafka's Admin
 * offers them (createAcls/describeAcls/deleteAcls, alterUserScramCredentials/describeUserScramCredentials,
 * alterClientQuotas/describeClientQuotas). Plain objects in and out; where the controller answers per item
 * (an ACL, a filter, a user, a quota entity) each item carries its own TributaryError or null, and the call
 * fails only when the request as a whole does.
 *
 * SCRAM passwords never leave this process: as Kafka's admin client does (KIP-554), the client picks a
 * random salt and sends only Hi(password, salt, iterations), from which the controller derives StoredKey
 * and ServerKey. Nothing here logs or returns a password, a salt or a salted password.
 */
import { pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { type ErrorCode, isErrorCode, LIMITS, TributaryError } from '@tributary/core';
import type {
  AclBinding__Output,
  AclFilter,
  ClientQuotaEntity,
  ClientQuotaEntity__Output,
  ClientQuotaEntityPart__Output,
  ConnectionCallOptions,
  ControllerConnection,
  QuotaFilterComponent,
  ScramCredentialUpsertion,
} from '@tributary/protocol';
import {
  type AclBindingFilter,
  type AclEntry,
  parseOperation,
  parsePatternType,
  parsePermission,
  parseResourceType,
  QUOTA_KEYS,
  type QuotaEntity,
  type QuotaKey,
  SCRAM_MECHANISMS,
  SCRAM_SUITES,
  type ScramMechanism,
  SECURITY_LIMITS,
} from '@tributary/security';

const pbkdf2Async = promisify(pbkdf2);

/** Bounds of what one call may carry, the controller's own (core's LIMITS), checked before sending. */
export const ADMIN_SECURITY_LIMITS = {
  aclsPerRequestMax: LIMITS.aclsPerRequestMax,
  aclFiltersPerRequestMax: LIMITS.aclFiltersPerRequestMax,
  scramChangesPerRequestMax: LIMITS.scramChangesPerRequestMax,
  scramUsersMax: LIMITS.scramUsersMax,
  quotaChangesPerRequestMax: LIMITS.quotaChangesPerRequestMax,
} as const;

export const SCRAM_CLIENT_DEFAULTS = {
  /** Twice RFC 7677's minimum, as the bootstrap user (Kafka's tools default to the minimum, 4096). */
  iterations: 2 * LIMITS.scramIterationsMin,
  /** Random salt per credential: 256 bits, twice the controller's minimum. */
  saltBytes: 32,
} as const;

/** An ACL to create: every field of AclEntry but the id, which the controller assigns. */
export type NewAclBinding = Omit<AclEntry, 'id'>;

export interface AclCreationOutcome {
  readonly binding: NewAclBinding;
  /** The new ACL's id, or the id of the identical ACL that already existed; null when refused. */
  readonly id: string | null;
  /** INVALID_REQUEST (a bad binding), POLICY_VIOLATION (too many ACLs), ...; null on success. */
  readonly error: TributaryError | null;
}

/** Kafka's AclBindingFilter; an absent field matches anything. */
export type AclBindingFilterSpec = Partial<AclBindingFilter>;

export interface AclDeletionOutcome {
  readonly filter: AclBindingFilterSpec;
  /** The ACLs this filter removed (one matched by an earlier filter is listed under that one only). */
  readonly deleted: AclEntry[];
  readonly error: TributaryError | null;
}

export interface ScramCredentialSpec {
  readonly user: string;
  readonly mechanism: ScramMechanism;
  readonly password: string;
  /** SCRAM iterations, 4096..16384 (default SCRAM_CLIENT_DEFAULTS.iterations). */
  readonly iterations?: number;
}

export interface ScramCredentialRef {
  readonly user: string;
  readonly mechanism: ScramMechanism;
}

export interface ScramUserOutcome {
  readonly user: string;
  /** UNACCEPTABLE_CREDENTIAL, UNSUPPORTED_SASL_MECHANISM, RESOURCE_NOT_FOUND, DUPLICATE_RESOURCE, ... */
  readonly error: TributaryError | null;
}

export interface ScramCredentialDescription {
  readonly mechanism: ScramMechanism;
  readonly iterations: number;
}

export interface ScramUserDescription {
  readonly user: string;
  /** Mechanisms and iterations only: the controller never gives out salts or keys. */
  readonly credentials: ScramCredentialDescription[];
  /** RESOURCE_NOT_FOUND for a named user without credentials; null otherwise. */
  readonly error: TributaryError | null;
}

/** One quota change: a value to set, or null to remove the key. */
export interface QuotaChange {
  readonly key: QuotaKey;
  readonly value: number | null;
}

export interface ClientQuotaAlteration {
  readonly entity: QuotaEntity;
  readonly changes: readonly QuotaChange[];
}

export interface ClientQuotaAlterationOutcome {
  readonly entity: QuotaEntity;
  readonly error: TributaryError | null;
}

export type QuotaEntityType = 'user' | 'client-id';

/** Kafka's ClientQuotaFilterComponent: ofEntity (exact), ofDefaultEntity (default), ofEntityType (any). */
export type ClientQuotaFilterComponent =
  | { readonly entityType: QuotaEntityType; readonly match: 'exact'; readonly name: string }
  | { readonly entityType: QuotaEntityType; readonly match: 'default' | 'any' };

export interface ClientQuotaDescription {
  readonly entity: QuotaEntity;
  readonly values: Partial<Record<QuotaKey, number>>;
}

/** A per-item error from the wire: null when the code is empty; an unknown code becomes UNKNOWN. */
export function itemError(code: string, message: string): TributaryError | null {
  if (code === '') return null;
  const known: ErrorCode = isErrorCode(code) ? code : 'UNKNOWN';
  return new TributaryError(known, known === code ? message : `${code}: ${message}`);
}

function requireAtMost(count: number, max: number, what: string): void {
  if (count > max) throw new TributaryError('INVALID_REQUEST', `${count} ${what}; the limit is ${max}`);
}

function wireName<T>(text: string, field: string, parse: (text: string) => T | undefined): T {
  const value = parse(text);
  if (value === undefined) {
    throw new TributaryError(
      'UNKNOWN',
      `the controller answered an unknown ${field} ${JSON.stringify(text)}`,
    );
  }
  return value;
}

export function aclFromWire(binding: AclBinding__Output): AclEntry {
  return {
    id: binding.id,
    resourceType: wireName(binding.resourceType, 'resource type', parseResourceType),
    resourceName: binding.resourceName,
    patternType: wireName(binding.patternType, 'pattern type', parsePatternType),
    principal: binding.principal,
    host: binding.host,
    operation: wireName(binding.operation, 'operation', parseOperation),
    permission: wireName(binding.permission, 'permission', parsePermission),
  };
}

/** An empty wire field is "any" (controller.proto's AclFilter). */
export function aclFilterToWire(filter: AclBindingFilterSpec): AclFilter {
  const name = (value: string | null | undefined): string => value ?? '';
  const named = (value: string | undefined): string => (value === undefined || value === 'Any' ? '' : value);
  return {
    resourceType: named(filter.resourceType),
    resourceName: name(filter.resourceName),
    patternType: named(filter.patternType),
    principal: name(filter.principal),
    host: name(filter.host),
    operation: named(filter.operation),
    permission: named(filter.permission),
  };
}

export async function createAcls(
  connection: ControllerConnection,
  bindings: readonly NewAclBinding[],
  options: ConnectionCallOptions,
): Promise<AclCreationOutcome[]> {
  requireAtMost(bindings.length, ADMIN_SECURITY_LIMITS.aclsPerRequestMax, 'ACLs in one request');
  if (bindings.length === 0) return [];
  const response = await connection.admin(
    'CreateAcls',
    { creations: bindings.map((binding) => ({ ...binding, id: '' })) },
    options,
  );
  requireOnePerItem(response.results.length, bindings.length, 'CreateAcls');
  return bindings.map((binding, i) => {
    const result = response.results[i];
    const error = itemError(result?.errorCode ?? '', result?.errorMessage ?? '');
    return { binding, id: error === null ? (result?.id ?? null) : null, error };
  });
}

export async function describeAcls(
  connection: ControllerConnection,
  filter: AclBindingFilterSpec,
  options: ConnectionCallOptions,
): Promise<AclEntry[]> {
  const response = await connection.admin('DescribeAcls', { filter: aclFilterToWire(filter) }, options);
  return response.acls.map(aclFromWire);
}

export async function deleteAcls(
  connection: ControllerConnection,
  filters: readonly AclBindingFilterSpec[],
  options: ConnectionCallOptions,
): Promise<AclDeletionOutcome[]> {
  requireAtMost(filters.length, ADMIN_SECURITY_LIMITS.aclFiltersPerRequestMax, 'ACL filters in one request');
  if (filters.length === 0) return [];
  const response = await connection.admin('DeleteAcls', { filters: filters.map(aclFilterToWire) }, options);
  requireOnePerItem(response.results.length, filters.length, 'DeleteAcls');
  return filters.map((filter, i) => {
    const result = response.results[i];
    return {
      filter,
      deleted: (result?.deleted ?? []).map(aclFromWire),
      error: itemError(result?.errorCode ?? '', result?.errorMessage ?? ''),
    };
  });
}

function requireOnePerItem(answered: number, asked: number, method: string): void {
  if (answered !== asked) {
    throw new TributaryError('UNKNOWN', `${method}: ${answered} results for ${asked} items`);
  }
}

export function isQuotaKey(text: string): text is QuotaKey {
  return (QUOTA_KEYS as readonly string[]).includes(text);
}

export function isScramMechanism(text: string): text is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(text);
}

/** Checks a credential locally, so a bad one fails before any key derivation or RPC. */
function requireValidCredentialSpec(spec: ScramCredentialSpec, iterations: number): void {
  const unacceptable = (message: string) =>
    new TributaryError('UNACCEPTABLE_CREDENTIAL', `user ${JSON.stringify(spec.user)}: ${message}`);
  if (spec.user === '') throw unacceptable('the user name is empty');
  if (spec.user.length > LIMITS.scramUserNameLengthMax) {
    throw unacceptable(`the user name is longer than ${LIMITS.scramUserNameLengthMax} characters`);
  }
  if (!isScramMechanism(spec.mechanism)) {
    throw new TributaryError(
      'UNSUPPORTED_SASL_MECHANISM',
      `${JSON.stringify(spec.mechanism)} is not one of ${SCRAM_MECHANISMS.join(', ')}`,
    );
  }
  if (spec.password === '') throw unacceptable('the password is empty');
  if (spec.password.length > SECURITY_LIMITS.passwordLengthMax) {
    throw unacceptable(`the password is longer than ${SECURITY_LIMITS.passwordLengthMax} characters`);
  }
  if (
    !Number.isSafeInteger(iterations) ||
    iterations < LIMITS.scramIterationsMin ||
    iterations > LIMITS.scramIterationsMax
  ) {
    throw unacceptable(
      `iterations must be an integer from ${LIMITS.scramIterationsMin} to ${LIMITS.scramIterationsMax}, got ${iterations}`,
    );
  }
}

/** Salts and hashes one credential here: Hi(password, salt, i) is all that is sent (RFC 5802 §3). */
export async function scramUpsertion(spec: ScramCredentialSpec): Promise<ScramCredentialUpsertion> {
  const iterations = spec.iterations ?? SCRAM_CLIENT_DEFAULTS.iterations;
  requireValidCredentialSpec(spec, iterations);
  const suite = SCRAM_SUITES[spec.mechanism];
  const salt = randomBytes(SCRAM_CLIENT_DEFAULTS.saltBytes);
  // As security's saltedPassword (UTF-8, no SaslPrep, as Kafka), but off the event loop.
  const saltedPassword = await pbkdf2Async(
    Buffer.from(spec.password, 'utf8'),
    salt,
    iterations,
    suite.keyBytes,
    suite.hash,
  );
  return { user: spec.user, mechanism: spec.mechanism, iterations, salt, saltedPassword };
}

/**
 * Creates or replaces SCRAM credentials and deletes others in one request; the controller applies each
 * user's changes together or not at all. One outcome per user named.
 */
export async function alterScramCredentials(
  connection: ControllerConnection,
  changes: {
    readonly upsertions?: readonly ScramCredentialSpec[];
    readonly deletions?: readonly ScramCredentialRef[];
  },
  options: ConnectionCallOptions,
): Promise<ScramUserOutcome[]> {
  const specs = changes.upsertions ?? [];
  const deletions = changes.deletions ?? [];
  requireAtMost(
    specs.length + deletions.length,
    ADMIN_SECURITY_LIMITS.scramChangesPerRequestMax,
    'SCRAM credential changes in one request',
  );
  for (const deletion of deletions) {
    if (!isScramMechanism(deletion.mechanism)) {
      throw new TributaryError(
        'UNSUPPORTED_SASL_MECHANISM',
        `${JSON.stringify(deletion.mechanism)} is not one of ${SCRAM_MECHANISMS.join(', ')}`,
      );
    }
  }
  if (specs.length + deletions.length === 0) return [];
  const upsertions: ScramCredentialUpsertion[] = [];
  for (const spec of specs) upsertions.push(await scramUpsertion(spec));
  const response = await connection.admin(
    'AlterUserScramCredentials',
    {
      deletions: deletions.map(({ user, mechanism }) => ({ user, mechanism })),
      upsertions,
    },
    options,
  );
  return response.results.map((result) => ({
    user: result.user,
    error: itemError(result.errorCode, result.errorMessage),
  }));
}

export async function describeScramCredentials(
  connection: ControllerConnection,
  users: readonly string[],
  options: ConnectionCallOptions,
): Promise<ScramUserDescription[]> {
  requireAtMost(users.length, ADMIN_SECURITY_LIMITS.scramUsersMax, 'users in one request');
  const response = await connection.admin('DescribeUserScramCredentials', { users: [...users] }, options);
  return response.results.map((described) => ({
    user: described.user,
    credentials: described.credentials.map((credential) => ({
      mechanism: wireName(credential.mechanism, 'SCRAM mechanism', (text) =>
        isScramMechanism(text) ? text : undefined,
      ),
      iterations: credential.iterations,
    })),
    error: itemError(described.errorCode, described.errorMessage),
  }));
}

/** Fails with the first user's error (the single-user calls' shape). */
export function requireScramSuccess(outcomes: readonly ScramUserOutcome[]): void {
  for (const outcome of outcomes) if (outcome.error !== null) throw outcome.error;
}

function entityPartToWire(part: string | null | undefined) {
  if (part === undefined) return null;
  return part === null ? { name: '', isDefault: true } : { name: part, isDefault: false };
}

export function quotaEntityToWire(entity: QuotaEntity): ClientQuotaEntity {
  return { user: entityPartToWire(entity.user), clientId: entityPartToWire(entity.clientId) };
}

function entityPartFromWire(part: ClientQuotaEntityPart__Output | null): string | null | undefined {
  if (part === null) return undefined;
  return part.isDefault ? null : part.name;
}

export function quotaEntityFromWire(entity: ClientQuotaEntity__Output | null): QuotaEntity {
  const user = entityPartFromWire(entity?.user ?? null);
  const clientId = entityPartFromWire(entity?.clientId ?? null);
  return { ...(user === undefined ? {} : { user }), ...(clientId === undefined ? {} : { clientId }) };
}

export async function alterClientQuotas(
  connection: ControllerConnection,
  alterations: readonly ClientQuotaAlteration[],
  options: ConnectionCallOptions & { readonly validateOnly?: boolean },
): Promise<ClientQuotaAlterationOutcome[]> {
  requireAtMost(
    alterations.length,
    ADMIN_SECURITY_LIMITS.quotaChangesPerRequestMax,
    'quota entities in one request',
  );
  for (const { changes } of alterations) {
    for (const change of changes) {
      if (!isQuotaKey(change.key)) {
        throw new TributaryError(
          'INVALID_REQUEST',
          `unknown quota key ${JSON.stringify(change.key)} (known: ${QUOTA_KEYS.join(', ')})`,
        );
      }
    }
  }
  if (alterations.length === 0) return [];
  const { validateOnly, ...callOptions } = options;
  const response = await connection.admin(
    'AlterClientQuotas',
    {
      entries: alterations.map(({ entity, changes }) => ({
        entity: quotaEntityToWire(entity),
        ops: changes.map(({ key, value }) => ({ key, value: value ?? 0, remove: value === null })),
      })),
      validateOnly: validateOnly ?? false,
    },
    callOptions,
  );
  requireOnePerItem(response.results.length, alterations.length, 'AlterClientQuotas');
  return alterations.map(({ entity }, i) => {
    const result = response.results[i];
    return { entity, error: itemError(result?.errorCode ?? '', result?.errorMessage ?? '') };
  });
}

function filterComponentToWire(component: ClientQuotaFilterComponent): QuotaFilterComponent {
  return {
    entityType: component.entityType,
    match: component.match,
    name: component.match === 'exact' ? component.name : '',
  };
}

export async function describeClientQuotas(
  connection: ControllerConnection,
  components: readonly ClientQuotaFilterComponent[],
  options: ConnectionCallOptions & { readonly strict?: boolean },
): Promise<ClientQuotaDescription[]> {
  const { strict, ...callOptions } = options;
  const response = await connection.admin(
    'DescribeClientQuotas',
    { components: components.map(filterComponentToWire), strict: strict ?? false },
    callOptions,
  );
  return response.entries.map((entry) => {
    const values: Partial<Record<QuotaKey, number>> = {};
    for (const { key, value } of entry.values) if (isQuotaKey(key)) values[key] = value;
    return { entity: quotaEntityFromWire(entry.entity), values };
  });
}
