/**
 * The security model's data (DESIGN §10), as Kafka names it: ACL entries (KRaft's
 * AccessControlEntryRecord), SCRAM credentials (UserScramCredentialRecord) and client quotas
 * (ClientQuotaRecord). These are the shapes the metadata log stores and every broker and controller
 * enforces; the authorizer, SCRAM and quota arithmetic in this package work on them. Pure data.
 */

/** Kafka's ACL resource types that Tributary enforces (Kafka's codes: Topic 2, Group 3, Cluster 4, TransactionalId 5). */
export const RESOURCE_TYPES = ['Topic', 'Group', 'Cluster', 'TransactionalId'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Kafka's operations (codes: All 2, Read 3, Write 4, Create 5, Delete 6, Alter 7, Describe 8, ClusterAction 9, DescribeConfigs 10, AlterConfigs 11, IdempotentWrite 12). */
export const OPERATIONS = [
  'All',
  'Read',
  'Write',
  'Create',
  'Delete',
  'Alter',
  'Describe',
  'ClusterAction',
  'DescribeConfigs',
  'AlterConfigs',
  'IdempotentWrite',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Literal: the name must equal (or be `*`, every resource of the type); Prefixed: the name is a prefix. */
export const PATTERN_TYPES = ['Literal', 'Prefixed'] as const;
export type PatternType = (typeof PATTERN_TYPES)[number];

export const PERMISSIONS = ['Allow', 'Deny'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The name of the one Cluster resource (Kafka's "kafka-cluster"). */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';
/** A literal resource name or principal or host that matches every one. */
export const WILDCARD = '*';

/** One ACL: principal P is Allowed/Denied operation O from host H on resources matching the pattern. */
export interface AclEntry {
  /** Chosen by the active controller (a UUID), so one entry can be removed by id. */
  readonly id: string;
  readonly resourceType: ResourceType;
  readonly resourceName: string;
  readonly patternType: PatternType;
  /** `User:NAME`, or `User:*` for every principal. */
  readonly principal: string;
  /** An IP address, or `*`. */
  readonly host: string;
  readonly operation: Operation;
  readonly permission: Permission;
}

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/**
 * What the server keeps of a SCRAM user (RFC 5802 §3): never the password. StoredKey = H(ClientKey),
 * ServerKey = HMAC(SaltedPassword, "Server Key"); salt and keys as raw bytes.
 */
export interface ScramCredential {
  readonly user: string;
  readonly mechanism: ScramMechanism;
  readonly salt: Uint8Array;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
  readonly iterations: number;
}

/** Kafka's quota keys: bytes/s produced and fetched, and a share of request-handling time in percent. */
export const QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];

/**
 * Who a quota applies to, as Kafka's client quota entities: a user and/or a client id; `null` names the
 * default for that entity type (Kafka's `<default>`); an absent key means "any".
 */
export interface QuotaEntity {
  readonly user?: string | null;
  readonly clientId?: string | null;
}

export interface QuotaSetting {
  readonly entity: QuotaEntity;
  readonly key: QuotaKey;
  readonly value: number;
}

/** `User:NAME` as Kafka writes principals (type, colon, name). */
export interface Principal {
  readonly type: string;
  readonly name: string;
}

export const ANONYMOUS: Principal = { type: 'User', name: 'ANONYMOUS' };

export function principalToString(principal: Principal): string {
  return `${principal.type}:${principal.name}`;
}

/** How a request's principal was established (for logs and metrics; never a secret). */
export const AUTHENTICATION_METHODS = ['scram', 'plain', 'certificate', 'forwarded', 'none'] as const;
export type AuthenticationMethod = (typeof AUTHENTICATION_METHODS)[number];

/**
 * Who makes a request and from where: what every authorization decision is made on (DESIGN §10). gRPC calls
 * get one from the process's call authenticator, Kafka connections from SASL or their client certificate.
 */
export interface RequestCaller {
  readonly principal: Principal;
  /** The client's IP address as the listener sees it (for host-scoped ACLs). */
  readonly host: string;
  readonly authenticatedBy: AuthenticationMethod;
}
