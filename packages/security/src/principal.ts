/**
 * Principals as Kafka writes them: `Type:name` (KafkaPrincipal.toString), parsed at the FIRST colon as
 * SecurityUtils.parseKafkaPrincipal does, so a name may itself contain colons (a DN, an e-mail address).
 * Kafka also accepts an empty type or name; Tributary refuses both, as no listener ever produces them.
 */
import { SECURITY_LIMITS } from './limits.js';
import type { Principal } from './types.js';

export const USER_PRINCIPAL_TYPE = 'User';

export type PrincipalParse =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly error: string };

export function parsePrincipal(text: string): PrincipalParse {
  if (text.length > SECURITY_LIMITS.principalLengthMax) {
    return {
      ok: false,
      error: `principal is ${text.length} characters; the limit is ${SECURITY_LIMITS.principalLengthMax}`,
    };
  }
  const colon = text.indexOf(':');
  if (colon < 0) {
    return {
      ok: false,
      error: `principal ${JSON.stringify(text)} is not Type:name (no colon between type and name)`,
    };
  }
  const type = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (type.trim() === '') return { ok: false, error: `principal ${JSON.stringify(text)} has an empty type` };
  if (name === '') return { ok: false, error: `principal ${JSON.stringify(text)} has an empty name` };
  return { ok: true, principal: { type, name } };
}

/** `User:NAME` for a user name (SCRAM, PLAIN, or a certificate's mapped name). */
export function userPrincipal(name: string): Principal {
  return { type: USER_PRINCIPAL_TYPE, name };
}

export type SuperUsersParse =
  | { readonly ok: true; readonly superUsers: ReadonlySet<string> }
  | { readonly ok: false; readonly error: string };

/**
 * `super.users`: principals separated by `;` (not `,`, which certificate DNs contain), each trimmed,
 * empty entries skipped, as Kafka's StandardAuthorizer.getConfiguredSuperUsers reads them.
 */
export function parseSuperUsers(text: string): SuperUsersParse {
  const superUsers = new Set<string>();
  for (const part of text.split(';')) {
    const entry = part.trim();
    if (entry === '') continue;
    const parsed = parsePrincipal(entry);
    if (!parsed.ok) return { ok: false, error: `super.users: ${parsed.error}` };
    superUsers.add(entry);
    if (superUsers.size > SECURITY_LIMITS.superUsersMax) {
      return { ok: false, error: `super.users lists more than ${SECURITY_LIMITS.superUsersMax} principals` };
    }
  }
  return { ok: true, superUsers };
}
