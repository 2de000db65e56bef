/**
 * SCRAM credential commands (KRaft's ScramControlManager; KIP-554), Kafka-shaped so the Kafka listener's
 * AlterUserScramCredentials and DescribeUserScramCredentials map onto them directly.
 *
 * An upsertion carries what Kafka's does: user, mechanism, iterations, salt and the SALTED password
 * (Hi(password, salt, i) of RFC 5802, computed by the client: the password never leaves it). The
 * controller derives StoredKey and ServerKey from it, writes those, and forgets the salted password; it
 * is never stored and never logged. Errors are Kafka's, per user (one result per user, as Kafka answers):
 * UNACCEPTABLE_CREDENTIAL (empty or long name, iterations, salt or salted-password length out of range),
 * UNSUPPORTED_SASL_MECHANISM, RESOURCE_NOT_FOUND (deleting a credential that does not exist) and
 * DUPLICATE_RESOURCE (two changes to one user and mechanism in one request). A user's changes apply
 * together or not at all: one bad change fails every change of that user.
 */
import { type ErrorCode, LIMITS, TributaryError } from '@tributary/core';
import { type MetadataImage, type MetadataRecord, SCRAM_KEY_BYTES } from '@tributary/metadata';
import { SCRAM_MECHANISMS, type ScramMechanism } from '@tributary/security';
import type { ControlResult } from './context.js';
import { type ScramKeyDerivation, scramServerKeys } from './scram-keys.js';

export interface ScramDeletion {
  readonly user: string;
  /** A mechanism name (SCRAM-SHA-256, SCRAM-SHA-512); others are refused, as Kafka refuses UNKNOWN. */
  readonly mechanism: string;
}

export interface ScramUpsertion extends ScramDeletion {
  readonly iterations: number;
  readonly salt: Uint8Array;
  /** Hi(normalize(password), salt, iterations): as long as the mechanism's hash. */
  readonly saltedPassword: Uint8Array;
}

export interface AlterScramCredentialsRequest {
  readonly deletions: readonly ScramDeletion[];
  readonly upsertions: readonly ScramUpsertion[];
}

export interface ScramItemError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ScramUserResult {
  readonly user: string;
  readonly error: ScramItemError | null;
}

export interface AlterScramCredentialsResponse {
  /** One per user named in the request, in order of first mention (deletions first, as Kafka reads them). */
  readonly results: readonly ScramUserResult[];
}

export interface ScramCredentialInfo {
  readonly mechanism: ScramMechanism;
  readonly iterations: number;
}

export interface DescribedScramUser {
  readonly user: string;
  readonly error: ScramItemError | null;
  /** Mechanisms and iterations only: never salt or keys. */
  readonly credentials: readonly ScramCredentialInfo[];
}

type Change =
  | { readonly kind: 'delete'; readonly change: ScramDeletion }
  | { readonly kind: 'upsert'; readonly change: ScramUpsertion };

interface UserChanges {
  readonly changes: Change[];
  error: ScramItemError | null;
}

function isMechanism(name: string): name is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

function unacceptable(message: string): ScramItemError {
  return { code: 'UNACCEPTABLE_CREDENTIAL', message };
}

/** What is wrong with one change on its own (not counting duplicates), or null. */
function changeError(image: MetadataImage, { kind, change }: Change): ScramItemError | null {
  if (change.user.length === 0) return unacceptable('the user name must not be empty');
  if (change.user.length > LIMITS.scramUserNameLengthMax) {
    return unacceptable(
      `the user name is ${change.user.length} characters; the limit is ${LIMITS.scramUserNameLengthMax}`,
    );
  }
  const mechanism = change.mechanism;
  if (!isMechanism(mechanism)) {
    return {
      code: 'UNSUPPORTED_SASL_MECHANISM',
      message: `unknown SCRAM mechanism ${JSON.stringify(mechanism)}`,
    };
  }
  if (kind === 'delete') {
    return image.scram.credential(change.user, mechanism) === undefined
      ? {
          code: 'RESOURCE_NOT_FOUND',
          message: `user ${change.user} has no ${mechanism} credential to delete`,
        }
      : null;
  }
  const { iterations, salt, saltedPassword } = change;
  if (!Number.isSafeInteger(iterations) || iterations < LIMITS.scramIterationsMin) {
    return unacceptable(`too few iterations (${iterations}); the minimum is ${LIMITS.scramIterationsMin}`);
  }
  if (iterations > LIMITS.scramIterationsMax) {
    return unacceptable(`too many iterations (${iterations}); the maximum is ${LIMITS.scramIterationsMax}`);
  }
  if (salt.length < LIMITS.scramSaltBytesMin || salt.length > LIMITS.scramSaltBytesMax) {
    return unacceptable(
      `the salt is ${salt.length} bytes; it must be ${LIMITS.scramSaltBytesMin} to ${LIMITS.scramSaltBytesMax}`,
    );
  }
  if (saltedPassword.length !== SCRAM_KEY_BYTES[mechanism]) {
    return unacceptable(
      `a ${mechanism} salted password is ${SCRAM_KEY_BYTES[mechanism]} bytes, not ${saltedPassword.length}`,
    );
  }
  return null;
}

/** The request's changes grouped by user (first mention first), each user with its first error. */
function groupByUser(image: MetadataImage, request: AlterScramCredentialsRequest): Map<string, UserChanges> {
  const users = new Map<string, UserChanges>();
  const seen = new Set<string>();
  const changes: Change[] = [
    ...request.deletions.map((change): Change => ({ kind: 'delete', change })),
    ...request.upsertions.map((change): Change => ({ kind: 'upsert', change })),
  ];
  for (const entry of changes) {
    const { user, mechanism } = entry.change;
    let group = users.get(user);
    if (group === undefined) {
      group = { changes: [], error: null };
      users.set(user, group);
    }
    const key = JSON.stringify([user, mechanism]);
    const error = seen.has(key)
      ? {
          code: 'DUPLICATE_RESOURCE' as const,
          message: `the ${mechanism} credential of ${user} is changed twice in one request`,
        }
      : changeError(image, entry);
    seen.add(key);
    group.changes.push(entry);
    group.error ??= error;
  }
  return users;
}

export function alterUserScramCredentials(
  image: MetadataImage,
  request: AlterScramCredentialsRequest,
  deriveKeys: ScramKeyDerivation = scramServerKeys,
): ControlResult<AlterScramCredentialsResponse> {
  const count = request.deletions.length + request.upsertions.length;
  if (count > LIMITS.scramChangesPerRequestMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${count} credential changes in one request; the limit is ${LIMITS.scramChangesPerRequestMax}`,
    );
  }
  const records: MetadataRecord[] = [];
  let userCount = image.scram.users.size;
  const results: ScramUserResult[] = [];
  for (const [user, group] of groupByUser(image, request)) {
    const adds = !image.scram.users.has(user) && group.changes.some((entry) => entry.kind === 'upsert');
    if (group.error === null && adds && userCount >= LIMITS.scramUsersMax) {
      group.error = {
        code: 'POLICY_VIOLATION',
        message: `the cluster has ${userCount} SCRAM users; the limit is ${LIMITS.scramUsersMax}`,
      };
    }
    results.push({ user, error: group.error });
    if (group.error !== null) continue;
    if (adds) userCount++;
    for (const entry of group.changes) records.push(credentialRecord(entry, deriveKeys));
  }
  return { records, response: { results } };
}

function credentialRecord({ kind, change }: Change, deriveKeys: ScramKeyDerivation): MetadataRecord {
  // changeError accepted the mechanism before any record is made.
  const mechanism = change.mechanism as ScramMechanism;
  if (kind === 'delete') return { type: 'RemoveUserScramCredential', user: change.user, mechanism };
  const { storedKey, serverKey } = deriveKeys(mechanism, change.saltedPassword);
  return {
    type: 'UserScramCredential',
    user: change.user,
    mechanism,
    salt: Uint8Array.from(change.salt),
    storedKey,
    serverKey,
    iterations: change.iterations,
  };
}

/**
 * Describes the named users' credentials (every user, by name, when `users` is empty): mechanisms and
 * iterations, never salt or keys. An unknown user is RESOURCE_NOT_FOUND, a repeated one DUPLICATE_RESOURCE.
 */
export function describeUserScramCredentials(
  image: MetadataImage,
  users: readonly string[],
): DescribedScramUser[] {
  if (users.length > LIMITS.scramUsersMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${users.length} users in one request; the limit is ${LIMITS.scramUsersMax}`,
    );
  }
  const describe = (user: string): DescribedScramUser => {
    const credentials = image.scram.users.get(user);
    if (credentials === undefined) {
      return {
        user,
        error: { code: 'RESOURCE_NOT_FOUND', message: `user ${user} has no SCRAM credential` },
        credentials: [],
      };
    }
    const infos = SCRAM_MECHANISMS.flatMap((mechanism) => {
      const credential = credentials.get(mechanism);
      return credential === undefined ? [] : [{ mechanism, iterations: credential.iterations }];
    });
    return { user, error: null, credentials: infos };
  };
  if (users.length === 0) return [...image.scram.users.keys()].sort().map(describe);
  const counts = new Map<string, number>();
  for (const user of users) counts.set(user, (counts.get(user) ?? 0) + 1);
  return [...counts].map(([user, count]) =>
    count > 1
      ? {
          user,
          error: { code: 'DUPLICATE_RESOURCE', message: `user ${user} is named ${count} times` },
          credentials: [],
        }
      : describe(user),
  );
}

/**
 * The bootstrap super user (tributary-controller --bootstrap-scram-user), as Kafka's `kafka-storage format
 * --add-scram`: when the image has no credential at all for the user, its upsertions are written; once the
 * user has any credential, nothing is (so every activation may run it, on every controller, at no cost,
 * and a credential an operator later changes or deletes is never overwritten by a restart).
 */
export function bootstrapScramUser(
  image: MetadataImage,
  upsertions: readonly ScramUpsertion[],
  deriveKeys: ScramKeyDerivation = scramServerKeys,
): ControlResult<{ readonly created: boolean }> {
  const user = upsertions[0]?.user;
  if (user === undefined || image.scram.users.has(user)) return { records: [], response: { created: false } };
  const { records, response } = alterUserScramCredentials(image, { deletions: [], upsertions }, deriveKeys);
  for (const { error } of response.results) {
    if (error !== null) throw new TributaryError(error.code, `bootstrap user ${user}: ${error.message}`);
  }
  return { records, response: { created: true } };
}
