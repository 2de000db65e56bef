/**
 * ACL, SCRAM and quota messages of controller.proto <-> the commands' inputs and outputs. Pure. A wire
 * value no command could take (an unknown enum name, a default entity part with a name, an unknown
 * filter match) is INVALID_REQUEST naming the field; what is wrong with a well-formed item (a principal
 * without a type, too few iterations) is that item's own error, decided by the command as Kafka does.
 */
import { TributaryError } from '@tributary/core';
import type { ClientQuotaEntry } from '@tributary/metadata';
import type {
  AclBinding,
  AclBinding__Output,
  AclFilter__Output,
  ClientQuotaDescription,
  ClientQuotaEntity,
  ClientQuotaEntity__Output,
  ClientQuotaEntityPart__Output,
  QuotaFilterComponent__Output,
} from '@tributary/protocol';
import {
  ACL_BINDING_FILTER_ANY,
  type AclBindingFilter,
  type AclEntry,
  parseOperation,
  parsePatternType,
  parsePatternTypeFilter,
  parsePermission,
  parseResourceType,
  type QuotaEntity,
} from '@tributary/security';
import type { NewAcl } from '../control/acls.js';
import type { QuotaFilterComponent } from '../control/client-quotas.js';

function invalid(field: string, message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', `${field}: ${message}`);
}

/** `parse(text)`, or INVALID_REQUEST naming the field and the value. */
function parsed<T>(text: string, field: string, parse: (text: string) => T | undefined): T {
  const value = parse(text);
  if (value === undefined) throw invalid(field, `${JSON.stringify(text.slice(0, 64))} is not known`);
  return value;
}

export function newAclFromWire(binding: AclBinding__Output, field: string): NewAcl {
  return {
    resourceType: parsed(binding.resourceType, `${field}.resource_type`, parseResourceType),
    resourceName: binding.resourceName,
    patternType: parsed(binding.patternType, `${field}.pattern_type`, parsePatternType),
    principal: binding.principal,
    host: binding.host,
    operation: parsed(binding.operation, `${field}.operation`, parseOperation),
    permission: parsed(binding.permission, `${field}.permission`, parsePermission),
  };
}

export function aclToWire(acl: AclEntry): AclBinding {
  return { ...acl };
}

/** An empty field is "any" (proto3 cannot tell unset from empty, and no real name or principal is empty). */
function anyOr<T>(text: string, field: string, parse: (text: string) => T | undefined): T | 'Any' {
  return text === ''
    ? 'Any'
    : parsed(text, field, (value) => (value.toLowerCase() === 'any' ? 'Any' : parse(value)));
}

export function aclFilterFromWire(filter: AclFilter__Output | null, field: string): AclBindingFilter {
  if (filter === null) return ACL_BINDING_FILTER_ANY;
  const orNull = (text: string): string | null => (text === '' ? null : text);
  return {
    resourceType: anyOr(filter.resourceType, `${field}.resource_type`, parseResourceType),
    resourceName: orNull(filter.resourceName),
    patternType:
      filter.patternType === ''
        ? 'Any'
        : parsed(filter.patternType, `${field}.pattern_type`, parsePatternTypeFilter),
    principal: orNull(filter.principal),
    host: orNull(filter.host),
    operation: anyOr(filter.operation, `${field}.operation`, parseOperation),
    permission: anyOr(filter.permission, `${field}.permission`, parsePermission),
  };
}

function entityPartFromWire(
  part: ClientQuotaEntityPart__Output | null,
  field: string,
): string | null | undefined {
  if (part === null) return undefined;
  if (!part.isDefault) return part.name;
  if (part.name !== '') throw invalid(field, 'a default part has no name');
  return null;
}

export function quotaEntityFromWire(entity: ClientQuotaEntity__Output | null, field: string): QuotaEntity {
  const user = entityPartFromWire(entity?.user ?? null, `${field}.user`);
  const clientId = entityPartFromWire(entity?.clientId ?? null, `${field}.client_id`);
  return { ...(user === undefined ? {} : { user }), ...(clientId === undefined ? {} : { clientId }) };
}

export function quotaEntityToWire(entity: QuotaEntity): ClientQuotaEntity {
  const part = (value: string | null | undefined) =>
    value === undefined
      ? null
      : value === null
        ? { name: '', isDefault: true }
        : { name: value, isDefault: false };
  return { user: part(entity.user), clientId: part(entity.clientId) };
}

export function quotaFilterComponentFromWire(
  component: QuotaFilterComponent__Output,
  field: string,
): QuotaFilterComponent {
  const { entityType, match, name } = component;
  if (entityType !== 'user' && entityType !== 'client-id') {
    throw invalid(
      `${field}.entity_type`,
      `${JSON.stringify(entityType.slice(0, 64))} is not user or client-id`,
    );
  }
  if (match !== 'exact' && name !== '') throw invalid(`${field}.name`, `only an exact match has a name`);
  switch (match) {
    case 'exact':
      return { entityType, match: { kind: 'exact', name } };
    case 'default':
      return { entityType, match: { kind: 'default' } };
    case 'any':
      return { entityType, match: { kind: 'any' } };
    default:
      throw invalid(`${field}.match`, `${JSON.stringify(match.slice(0, 64))} is not exact, default or any`);
  }
}

export function quotaEntryToWire(entry: ClientQuotaEntry): ClientQuotaDescription {
  return {
    entity: quotaEntityToWire(entry.entity),
    values: [...entry.values].map(([key, value]) => ({ key, value })),
  };
}
