/**
 * A process's authorization decisions (DESIGN §10): the authorizer over the ACLs the process has replayed,
 * with its super users and allow.everyone.if.no.acl.found, and Kafka's denial codes. Brokers and controllers
 * each hold one; the gRPC guard and the Kafka handlers ask it. Pure: the ACLs come from a function the owner
 * supplies (the current image's entries), indexed again only when that collection object changes, so a
 * grant or revoke takes effect on the first request after the process has replayed it.
 */
import { type ErrorCode, TributaryError } from '@tributary/core';
import { type AclIndex, buildAclIndex, canonicalHost } from './acl-index.js';
import { type AuthorizeResult, authorize } from './authorizer.js';
import {
  type AclEntry,
  CLUSTER_RESOURCE_NAME,
  type Operation,
  principalToString,
  type RequestCaller,
  type ResourceType,
} from './types.js';

export type RequestOperation = Exclude<Operation, 'All'>;

export interface AccessControlConfig {
  /** `--authorizer standard`: false lets every request through (no ACL is consulted). */
  readonly enabled: boolean;
  /** `super.users`, each `Type:name`. */
  readonly superUsers: ReadonlySet<string>;
  readonly allowEveryoneIfNoAclFound: boolean;
}

export const ACCESS_CONTROL_DISABLED: AccessControlConfig = {
  enabled: false,
  superUsers: new Set(),
  allowEveryoneIfNoAclFound: false,
};

/** The ACL entries now in force; the same object until they change (an image's ACL map). */
export type AclSource = () => ReadonlyMap<string, AclEntry>;

export interface Denial {
  readonly caller: RequestCaller;
  readonly operation: RequestOperation;
  readonly resourceType: ResourceType;
  readonly resourceName: string;
  readonly reason: AuthorizeResult['reason'];
}

/** The code a denial answers with, by the resource asked for (Kafka's *_AUTHORIZATION_FAILED). */
export const DENIAL_CODES: Readonly<Record<ResourceType, ErrorCode>> = {
  Topic: 'TOPIC_AUTHORIZATION_FAILED',
  Group: 'GROUP_AUTHORIZATION_FAILED',
  Cluster: 'CLUSTER_AUTHORIZATION_FAILED',
  TransactionalId: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
};

/** The message of a denial: who, what, on which resource; never a credential. */
export function denialMessage(denial: Omit<Denial, 'reason'>): string {
  const resource =
    denial.resourceType === 'Cluster'
      ? 'the cluster'
      : `${denial.resourceType} ${JSON.stringify(denial.resourceName)}`;
  return `${principalToString(denial.caller.principal)} may not ${denial.operation} ${resource}`;
}

export function denialError(denial: Omit<Denial, 'reason'>): TributaryError {
  return new TributaryError(DENIAL_CODES[denial.resourceType], denialMessage(denial));
}

export class AccessControl {
  readonly #config: AccessControlConfig;
  readonly #acls: AclSource;
  readonly #onDenied: (denial: Denial) => void;
  #indexedFrom: ReadonlyMap<string, AclEntry> | undefined;
  #index: AclIndex | undefined;

  constructor(config: AccessControlConfig, acls: AclSource, onDenied: (denial: Denial) => void = () => {}) {
    this.#config = config;
    this.#acls = acls;
    this.#onDenied = onDenied;
  }

  get enabled(): boolean {
    return this.#config.enabled;
  }

  /** Whether `caller` is a super user (the cluster's own processes are). */
  isSuperUser(caller: RequestCaller): boolean {
    return this.#config.superUsers.has(principalToString(caller.principal));
  }

  #currentIndex(): AclIndex {
    const entries = this.#acls();
    if (this.#index === undefined || entries !== this.#indexedFrom) {
      this.#index = buildAclIndex([...entries.values()]);
      this.#indexedFrom = entries;
    }
    return this.#index;
  }

  /** The decision, without side effects (no denial is reported). */
  decide(
    caller: RequestCaller,
    operation: RequestOperation,
    resourceType: ResourceType,
    resourceName: string,
  ): AuthorizeResult {
    if (!this.#config.enabled) return { allowed: true, reason: 'no-acl-found' };
    return authorize(
      this.#currentIndex(),
      {
        principal: principalToString(caller.principal),
        host: caller.host,
        operation,
        resource: { type: resourceType, name: resourceName },
      },
      this.#config,
    );
  }

  /** Whether allowed; a denial is reported (metrics, log) as Kafka's authorizer logs it. */
  allowed(
    caller: RequestCaller,
    operation: RequestOperation,
    resourceType: ResourceType,
    resourceName: string,
  ): boolean {
    const result = this.decide(caller, operation, resourceType, resourceName);
    if (!result.allowed) {
      this.#onDenied({ caller, operation, resourceType, resourceName, reason: result.reason });
    }
    return result.allowed;
  }

  /** Throws the typed denial (TOPIC_/GROUP_/CLUSTER_AUTHORIZATION_FAILED...) unless allowed. */
  requireAllowed(
    caller: RequestCaller,
    operation: RequestOperation,
    resourceType: ResourceType,
    resourceName: string,
  ): void {
    if (!this.allowed(caller, operation, resourceType, resourceName)) {
      throw denialError({ caller, operation, resourceType, resourceName });
    }
  }

  /** `requireAllowed` on the cluster resource. */
  requireCluster(caller: RequestCaller, operation: RequestOperation): void {
    this.requireAllowed(caller, operation, 'Cluster', CLUSTER_RESOURCE_NAME);
  }

  /** Whether `operation` on `name` is allowed, reporting nothing: for filtering lists (Kafka logs those at debug). */
  visible(
    caller: RequestCaller,
    operation: RequestOperation,
    resourceType: ResourceType,
    name: string,
  ): boolean {
    return this.decide(caller, operation, resourceType, name).allowed;
  }

  /**
   * Whether the caller may write idempotently without naming a topic (InitProducerId without a
   * transactional id): IdempotentWrite on the cluster, or, as Kafka ≥ 3.0 (KIP-679), an Allow for Write on
   * some topic. The second is approximated conservatively: an Allow ACL for Write (or All) on a topic
   * pattern for the principal or `User:*` from any host that matches the caller, unless a Deny for Write on
   * every topic (`*`) applies; the produce itself is still checked per topic.
   */
  mayWriteIdempotently(caller: RequestCaller): boolean {
    if (!this.#config.enabled) return true;
    if (this.visible(caller, 'IdempotentWrite', 'Cluster', CLUSTER_RESOURCE_NAME)) return true;
    const everyTopic = this.decide(caller, 'Write', 'Topic', '*');
    if (everyTopic.reason === 'deny-acl') return this.#deny(caller);
    if (everyTopic.allowed) return true;
    const principal = principalToString(caller.principal);
    const host = canonicalHost(caller.host);
    for (const entry of this.#acls().values()) {
      if (
        entry.resourceType === 'Topic' &&
        entry.permission === 'Allow' &&
        (entry.operation === 'Write' || entry.operation === 'All') &&
        (entry.principal === principal || entry.principal === 'User:*') &&
        (entry.host === '*' || canonicalHost(entry.host) === host)
      ) {
        return true;
      }
    }
    return this.#deny(caller);
  }

  #deny(caller: RequestCaller): false {
    this.#onDenied({
      caller,
      operation: 'IdempotentWrite',
      resourceType: 'Cluster',
      resourceName: CLUSTER_RESOURCE_NAME,
      reason: 'no-matching-allow',
    });
    return false;
  }
}
