/**
 * The shapes of the Kafka listener's authorization (DESIGN §10), the Kafka half of what
 * packages/protocol/src/access does for gRPC: a rule per API, and for most APIs a guard that reads the
 * decoded request, lets the real handler answer the part the caller may use, and adds the refused parts
 * to its response with Kafka's error codes (or answers the whole request refused, or filters a listing).
 * Guards never throw: a refusal is an answer, as KafkaApis answers one.
 */
import { ERROR_CODES } from '@tributary/core';
import type { ApiDefinition, RequestOf, ResponseInputOf } from '@tributary/kafka-protocol';
import {
  type AccessControl,
  CLUSTER_RESOURCE_NAME,
  DENIAL_CODES,
  denialMessage,
  type RequestCaller,
  type RequestOperation,
  type ResourceType,
} from '@tributary/security';

/** What a guard may consult besides the request. */
export interface KafkaGuardContext {
  readonly access: AccessControl;
  readonly caller: RequestCaller;
  readonly version: number;
  /** A topic's name by its wire id (Fetch v13+, DeleteTopics v6, Metadata v10+), from the current image. */
  readonly topicNameOfId: (topicId: string) => string | undefined;
  /** Whether the topic is in the current image (Metadata's auto-creation rule). */
  readonly topicExists: (name: string) => boolean;
  /** Whether this broker creates topics a Metadata request names (auto.create.topics.enable). */
  readonly autoCreateEnabled: boolean;
}

/**
 * The request to hand the handler (narrowed to what is allowed) and a finisher that adds the refused parts
 * to, or filters, the handler's response; or the answer given without the handler (everything refused;
 * null: no response, Produce with acks=0).
 */
export type KafkaGuardOutcome<Req, Res> =
  | { readonly request: Req; readonly finish?: (response: Res) => Res }
  | { readonly answer: Res | null };

type ErasedGuard = (request: unknown, context: KafkaGuardContext) => KafkaGuardOutcome<unknown, unknown>;

export type KafkaApiAccess =
  /** Served before and without authentication: ApiVersions and the SASL exchange. */
  | { readonly kind: 'public' }
  /** Any caller; what it answers is not secret (DescribeCluster, as Kafka serves it). */
  | { readonly kind: 'authenticated' }
  /** Checked on the decoded request by the API's guard. */
  | { readonly kind: 'request'; readonly apiKey: number; readonly guard: ErasedGuard };

export const PUBLIC: KafkaApiAccess = { kind: 'public' };
export const AUTHENTICATED: KafkaApiAccess = { kind: 'authenticated' };

/** A typed guard of `api`, stored erased in the table (the wrapper hands it that API's decoded request). */
export function guardApi<A extends ApiDefinition>(
  api: A,
  guard: (
    request: RequestOf<A>,
    context: KafkaGuardContext,
  ) => KafkaGuardOutcome<RequestOf<A>, ResponseInputOf<A>>,
): KafkaApiAccess {
  return { kind: 'request', apiKey: api.key, guard: guard as unknown as ErasedGuard };
}

/** Why a part of a request is refused: the Kafka error code and a message naming who and what. */
export interface Refusal {
  readonly code: number;
  readonly message: string;
}

/** Null when `operation` on the resource is allowed; else the refusal (the denial is reported). */
export function refusalOf(
  context: KafkaGuardContext,
  operation: RequestOperation,
  resourceType: ResourceType,
  resourceName: string,
): Refusal | null {
  if (context.access.allowed(context.caller, operation, resourceType, resourceName)) return null;
  return deniedAs(context, operation, resourceType, resourceName);
}

/** The refusal of a denial already decided (and reported). */
export function deniedAs(
  context: KafkaGuardContext,
  operation: RequestOperation,
  resourceType: ResourceType,
  resourceName: string,
): Refusal {
  return {
    code: ERROR_CODES[DENIAL_CODES[resourceType]].kafka,
    message: denialMessage({ caller: context.caller, operation, resourceType, resourceName }),
  };
}

export function clusterRefusal(context: KafkaGuardContext, operation: RequestOperation): Refusal | null {
  return refusalOf(context, operation, 'Cluster', CLUSTER_RESOURCE_NAME);
}

/**
 * `refusalOf` decided once per name within a request, as Kafka's filterByAuthorized does: a topic named
 * twice (or in two groups) is one decision and at most one reported denial.
 */
export function checkerOf(
  context: KafkaGuardContext,
  operation: RequestOperation,
  resourceType: ResourceType,
): (name: string) => Refusal | null {
  const decided = new Map<string, Refusal | null>();
  return (name) => {
    let refusal = decided.get(name);
    if (refusal === undefined) {
      refusal = refusalOf(context, operation, resourceType, name);
      decided.set(name, refusal);
    }
    return refusal;
  };
}

/** Whether the caller may list `name` (no denial reported: filtering a listing is not a refusal). */
export function visible(
  context: KafkaGuardContext,
  operation: RequestOperation,
  resourceType: ResourceType,
  name: string,
): boolean {
  return context.access.visible(context.caller, operation, resourceType, name);
}

/** Kafka's rule for creating a topic: Create on the cluster (not reported when missing), or on the topic. */
export function topicCreationRefusal(context: KafkaGuardContext, name: string): Refusal | null {
  if (visible(context, 'Create', 'Cluster', CLUSTER_RESOURCE_NAME)) return null;
  return refusalOf(context, 'Create', 'Topic', name);
}

export interface Split<T> {
  readonly allowed: T[];
  readonly refused: { readonly item: T; readonly refusal: Refusal }[];
}

/** Splits items by their refusal (null: allowed), keeping the request's order within each side. */
export function split<T>(items: readonly T[], refusalOfItem: (item: T) => Refusal | null): Split<T> {
  const out: Split<T> = { allowed: [], refused: [] };
  for (const item of items) {
    const refusal = refusalOfItem(item);
    if (refusal === null) out.allowed.push(item);
    else out.refused.push({ item, refusal });
  }
  return out;
}

/**
 * The usual answer to a request of many parts: nothing refused, the request as it is; everything refused,
 * answered without the handler; else the handler answers the allowed parts and the refused ones are added
 * to its response (clients match results by topic, partition or group, not by position).
 */
export function perPart<Req, Res, T, R>(options: {
  readonly request: Req;
  readonly split: Split<T>;
  readonly refuse: (item: T, refusal: Refusal) => R;
  readonly narrow: (allowed: T[]) => Req;
  readonly merge: (response: NoInfer<Res>, refused: readonly R[]) => NoInfer<Res>;
  readonly answer: (refused: readonly R[]) => NoInfer<Res> | null;
}): KafkaGuardOutcome<Req, Res> {
  const { allowed, refused } = options.split;
  if (refused.length === 0) return { request: options.request };
  const answered = refused.map(({ item, refusal }) => options.refuse(item, refusal));
  if (allowed.length === 0) return { answer: options.answer(answered) };
  return { request: options.narrow(allowed), finish: (response) => options.merge(response, answered) };
}

/** The whole request refused when `refusal` is not null, else served as it is. */
export function wholeRequest<Req, Res>(
  request: Req,
  refusal: Refusal | null,
  answer: (refusal: Refusal) => NoInfer<Res> | null,
): KafkaGuardOutcome<Req, Res> {
  return refusal === null ? { request } : { answer: answer(refusal) };
}
