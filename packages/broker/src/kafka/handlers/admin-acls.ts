/**
 * Kafka's ACL APIs on the listener (KIP-140, KIP-290): CreateAcls, DescribeAcls and DeleteAcls 0–3, each
 * forwarded whole to the active controller (ControllerAdmin CreateAcls / DescribeAcls / DeleteAcls), which
 * validates and decides as for gRPC clients. The broker only translates Kafka's codes (resource type,
 * pattern type, operation, permission: the security package's KAFKA_*_CODES) to the names the controller
 * speaks and back. A code that names nothing (UNKNOWN, or ANY in a creation) is refused here with
 * INVALID_REQUEST, as Kafka's broker refuses it. v0 knows literal patterns only: its filters mean literal,
 * and its answers leave prefixed ACLs out (Kafka does the same).
 */

import {
  CreateAcls,
  DeleteAcls,
  DescribeAcls,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import {
  fromKafkaCode,
  KAFKA_OPERATION_CODES,
  KAFKA_PATTERN_TYPE_CODES,
  KAFKA_PERMISSION_CODES,
  KAFKA_RESOURCE_TYPE_CODES,
} from '@tributary/security';
import type { ForwardedAdminRequest } from '../../services/admin-forwarding.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfName } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';
import { AdminBudget, type AdminError, forward, refusal, tooManyResources } from './admin-common.js';

type Creation = RequestOf<typeof CreateAcls>['creations'][number];
type Filter = RequestOf<typeof DeleteAcls>['filters'][number];
type WireBinding = ForwardedAdminRequest<'CreateAcls'>['creations'] extends (infer B)[] | undefined
  ? B
  : never;
type WireFilter = NonNullable<ForwardedAdminRequest<'DescribeAcls'>['filter']>;
type DescribedResource = ResponseInputOf<typeof DescribeAcls>['resources'][number];
type DeleteFilterResult = ResponseInputOf<typeof DeleteAcls>['filterResults'][number];

/** The ACL fields the controller answers with (AclBinding__Output). */
interface AnsweredBinding {
  readonly resourceType: string;
  readonly resourceName: string;
  readonly patternType: string;
  readonly principal: string;
  readonly host: string;
  readonly operation: string;
  readonly permission: string;
}

const ADVERTISED = parseVersions('0-3');
const LITERAL = 'Literal';

/** A creation's names, or why it cannot be one (a code that names no concrete value). */
function bindingOf(creation: Creation): WireBinding | AdminError {
  const resourceType = fromKafkaCode(KAFKA_RESOURCE_TYPE_CODES, creation.resourceType);
  const patternType = fromKafkaCode(KAFKA_PATTERN_TYPE_CODES, creation.resourcePatternType);
  const operation = fromKafkaCode(KAFKA_OPERATION_CODES, creation.operation);
  const permission = fromKafkaCode(KAFKA_PERMISSION_CODES, creation.permissionType);
  if (resourceType === undefined || resourceType === 'Any')
    return refusal('INVALID_REQUEST', `resource type ${creation.resourceType} cannot be given an ACL`);
  if (patternType !== 'Literal' && patternType !== 'Prefixed')
    return refusal(
      'INVALID_REQUEST',
      `pattern type ${creation.resourcePatternType} is not literal (3) or prefixed (4)`,
    );
  if (operation === undefined || operation === 'Any')
    return refusal('INVALID_REQUEST', `operation ${creation.operation} is not one an ACL can name`);
  if (permission === undefined || permission === 'Any')
    return refusal(
      'INVALID_REQUEST',
      `permission type ${creation.permissionType} is not allow (3) or deny (2)`,
    );
  return {
    resourceType,
    resourceName: creation.resourceName,
    patternType,
    principal: creation.principal,
    host: creation.host,
    operation,
    permission,
  };
}

/** Kafka's filter as the controller's AclFilter ('' = any), or why it matches nothing expressible. */
function filterOf(filter: Filter): WireFilter | AdminError {
  const isAnyCode = (code: number): boolean => code === 1; // Kafka's ANY in every filter enum
  const resourceType = isAnyCode(filter.resourceTypeFilter)
    ? ''
    : fromKafkaCode(KAFKA_RESOURCE_TYPE_CODES, filter.resourceTypeFilter);
  const patternType = isAnyCode(filter.patternTypeFilter)
    ? ''
    : fromKafkaCode(KAFKA_PATTERN_TYPE_CODES, filter.patternTypeFilter);
  const operation = isAnyCode(filter.operation) ? '' : fromKafkaCode(KAFKA_OPERATION_CODES, filter.operation);
  const permission = isAnyCode(filter.permissionType)
    ? ''
    : fromKafkaCode(KAFKA_PERMISSION_CODES, filter.permissionType);
  if (
    resourceType === undefined ||
    patternType === undefined ||
    operation === undefined ||
    permission === undefined
  )
    return refusal(
      'INVALID_REQUEST',
      'the filter has an unknown resource type, pattern type, operation or permission code',
    );
  return {
    resourceType,
    resourceName: filter.resourceNameFilter ?? '',
    patternType,
    principal: filter.principalFilter ?? '',
    host: filter.hostFilter ?? '',
    operation,
    permission,
  };
}

function codeOf<T extends string>(codes: Readonly<Record<T, number>>, name: string): number {
  return (codes as Readonly<Record<string, number>>)[name] ?? 0;
}

/** Whether an answer at `version` can carry this binding (v0 has no pattern type: literal only). */
function visibleAt(version: number, binding: AnsweredBinding): boolean {
  return version >= 1 || binding.patternType === LITERAL;
}

/** The controller's bindings grouped by resource pattern, in first-seen order (Kafka's DescribeAcls shape). */
export function describedResources(bindings: readonly AnsweredBinding[]): DescribedResource[] {
  const byPattern = new Map<
    string,
    { resource: DescribedResource; acls: DescribedResource['acls'][number][] }
  >();
  for (const binding of bindings) {
    const key = JSON.stringify([binding.resourceType, binding.resourceName, binding.patternType]);
    let entry = byPattern.get(key);
    if (entry === undefined) {
      const acls: DescribedResource['acls'][number][] = [];
      entry = {
        acls,
        resource: {
          resourceType: codeOf(KAFKA_RESOURCE_TYPE_CODES, binding.resourceType),
          resourceName: binding.resourceName,
          patternType: codeOf(KAFKA_PATTERN_TYPE_CODES, binding.patternType),
          acls,
        },
      };
      byPattern.set(key, entry);
    }
    entry.acls.push({
      principal: binding.principal,
      host: binding.host,
      operation: codeOf(KAFKA_OPERATION_CODES, binding.operation),
      permissionType: codeOf(KAFKA_PERMISSION_CODES, binding.permission),
    });
  }
  return [...byPattern.values()].map((entry) => entry.resource);
}

export function createAclsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: CreateAcls,
    advertised: ADVERTISED,
    handle: async (request) => {
      const tooMany = tooManyResources(request.creations.length);
      if (tooMany !== null) return { throttleTimeMs: 0, results: request.creations.map(() => tooMany) };
      const bindings = request.creations.map(bindingOf);
      const valid = bindings.filter((b): b is WireBinding => !('errorCode' in b));
      const results: { errorCode: number; errorMessage: string | null }[] = [];
      const forwarded =
        valid.length === 0
          ? { ok: true as const, answer: { results: [] } }
          : await forward(parts, 'CreateAcls', { creations: valid }, new AdminBudget(null));
      let next = 0;
      for (const binding of bindings) {
        if ('errorCode' in binding) {
          results.push(binding);
          continue;
        }
        if (!forwarded.ok) {
          results.push(forwarded.error);
          continue;
        }
        const answer = forwarded.answer.results[next++];
        results.push(
          answer === undefined
            ? refusal('UNKNOWN', 'the controller gave no result for this ACL')
            : {
                errorCode: kafkaCodeOfName(answer.errorCode),
                errorMessage: answer.errorCode === '' ? null : answer.errorMessage,
              },
        );
      }
      return { throttleTimeMs: 0, results };
    },
  });
}

export function describeAclsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DescribeAcls,
    advertised: ADVERTISED,
    handle: async (request, context) => {
      const filter = filterOf(request);
      if ('errorCode' in filter) return { throttleTimeMs: 0, ...filter, resources: [] };
      const forwarded = await forward(parts, 'DescribeAcls', { filter }, new AdminBudget(null));
      if (!forwarded.ok) return { throttleTimeMs: 0, ...forwarded.error, resources: [] };
      const version = context.header.apiVersion;
      const visible = forwarded.answer.acls.filter((binding) => visibleAt(version, binding));
      return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, resources: describedResources(visible) };
    },
  });
}

export function deleteAclsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DeleteAcls,
    advertised: ADVERTISED,
    handle: async (request, context) => {
      const tooMany = tooManyResources(request.filters.length);
      const failed = (error: AdminError): DeleteFilterResult => ({ ...error, matchingAcls: [] });
      if (tooMany !== null)
        return { throttleTimeMs: 0, filterResults: request.filters.map(() => failed(tooMany)) };
      const filters = request.filters.map(filterOf);
      const valid = filters.filter((f): f is WireFilter => !('errorCode' in f));
      const forwarded =
        valid.length === 0
          ? { ok: true as const, answer: { results: [] } }
          : await forward(parts, 'DeleteAcls', { filters: valid }, new AdminBudget(null));
      const version = context.header.apiVersion;
      let next = 0;
      const filterResults = filters.map((filter): DeleteFilterResult => {
        if ('errorCode' in filter) return failed(filter);
        if (!forwarded.ok) return failed(forwarded.error);
        const answer = forwarded.answer.results[next++];
        if (answer === undefined)
          return failed(refusal('UNKNOWN', 'the controller gave no result for this filter'));
        if (answer.errorCode !== '')
          return failed({ errorCode: kafkaCodeOfName(answer.errorCode), errorMessage: answer.errorMessage });
        return {
          errorCode: 0,
          errorMessage: null,
          matchingAcls: answer.deleted
            .filter((binding) => visibleAt(version, binding))
            .map((binding) => ({
              errorCode: 0,
              errorMessage: null,
              resourceType: codeOf(KAFKA_RESOURCE_TYPE_CODES, binding.resourceType),
              resourceName: binding.resourceName,
              patternType: codeOf(KAFKA_PATTERN_TYPE_CODES, binding.patternType),
              principal: binding.principal,
              host: binding.host,
              operation: codeOf(KAFKA_OPERATION_CODES, binding.operation),
              permissionType: codeOf(KAFKA_PERMISSION_CODES, binding.permission),
            })),
        };
      });
      return { throttleTimeMs: 0, filterResults };
    },
  });
}
