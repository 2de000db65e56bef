/**
 * The authentication and authorization options of every Tributary process (DESIGN §10), defined once and
 * spread into the controller's, the broker's and `tributary dev`'s config schemas (as TLS_CONFIG_OPTIONS), so
 * flags, TRIBUTARY_* variables, config-file keys, help and docs agree everywhere:
 *
 *   --require-authentication --tls-principal-mapping-rules RULES --authorizer none|standard
 *   --super-users 'User:a;User:b' --allow-everyone-if-no-acl-found --session-lifetime-ms MS
 *
 * securityOf turns the parsed values into the one `security` object a node is started with. Rules and
 * principals are checked at parse time: a bad value is a ConfigError with one line, never a start-up crash.
 */
import { type ConfigRule, option, z } from '@tributary/core/config';
import {
  type PrincipalMappingRules,
  parsePrincipalMappingRules,
  parseSuperUsers,
  SECURITY_LIMITS,
  TRIBUTARY_PRINCIPAL_MAPPING_RULES,
} from '@tributary/security';

export const AUTHORIZER_KINDS = ['none', 'standard'] as const;
/** `standard`: ACLs from the metadata log are enforced (Kafka's StandardAuthorizer); `none`: everything is allowed. */
export type AuthorizerKind = (typeof AUTHORIZER_KINDS)[number];

export const AUTH_CONFIG_OPTIONS = {
  requireAuthentication: option
    .boolean(
      'refuse gRPC calls (UNAUTHENTICATED) from callers with neither a SCRAM session nor a verified client certificate, instead of serving them as `User:ANONYMOUS`',
    )
    .default(false),
  tlsPrincipalMappingRules: option
    .text(
      "Kafka's `ssl.principal.mapping.rules`: how a verified client certificate's DN becomes `User:NAME` (`RULE:pattern/replacement/[LU],...,DEFAULT`)",
      'RULES',
    )
    .optional('`User:` + the first CN, else the whole DN'),
  authorizer: option
    .custom<AuthorizerKind>({
      kind: 'string',
      schema: z.enum(AUTHORIZER_KINDS, { error: `must be one of ${AUTHORIZER_KINDS.join(', ')}` }),
      placeholder: 'none|standard',
      doc: '`standard`: enforce the ACLs stored in the metadata log (deny by default, any matching Deny wins); `none`: allow everything',
    })
    .default('none'),
  superUsers: option
    .text(
      'principals allowed everything, `;`-separated (`User:admin;User:node`); brokers and controllers must be listed (their certificates map to them) for cluster-internal calls',
      'PRINCIPALS',
    )
    .optional('none'),
  allowEveryoneIfNoAclFound: option
    .boolean(
      "with `--authorizer standard`: allow an operation on a resource no ACL matches (Kafka's flag; off = deny)",
    )
    .default(false),
  sessionLifetimeMs: option
    .integer(
      'how long a gRPC SCRAM session stays valid before the client authenticates again (sessions also end when the user is deleted or its password changed)',
      { min: SECURITY_LIMITS.sessionLifetimeMsMin, max: SECURITY_LIMITS.sessionLifetimeMsMax },
      'MS',
    )
    .default(SECURITY_LIMITS.sessionLifetimeMsDefault),
} as const;

/** The parsed values of AUTH_CONFIG_OPTIONS, as any schema that spreads them has them. */
export interface AuthConfigValues {
  readonly requireAuthentication: boolean;
  readonly tlsPrincipalMappingRules?: string;
  readonly authorizer: AuthorizerKind;
  readonly superUsers?: string;
  readonly allowEveryoneIfNoAclFound: boolean;
  readonly sessionLifetimeMs: number;
}

/** What the lead's authorization (ACL enforcement) is configured with. */
export interface AuthorizerSettings {
  readonly enabled: boolean;
  /** Principals as text (`User:admin`), compared with principalToString of a caller's principal. */
  readonly superUsers: ReadonlySet<string>;
  readonly allowEveryoneIfNoAclFound: boolean;
}

/** One process's security settings: handed to startBroker / startController as `security`. */
export interface ProcessSecurity {
  readonly requireAuthentication: boolean;
  /** How verified client certificates map to principals. */
  readonly principalMapping: PrincipalMappingRules;
  readonly authorizer: AuthorizerSettings;
  readonly sessionLifetimeMs: number;
}

function mappingRulesOf(values: AuthConfigValues): ReturnType<typeof parsePrincipalMappingRules> {
  return parsePrincipalMappingRules(values.tlsPrincipalMappingRules ?? TRIBUTARY_PRINCIPAL_MAPPING_RULES);
}

/** The cross-key rules of the auth options; spread them into the schema's rules. */
export const AUTH_CONFIG_RULES: readonly ConfigRule<AuthConfigValues>[] = [
  {
    holds: (values) => mappingRulesOf(values).ok,
    message: (values) => {
      const parsed = mappingRulesOf(values);
      return `--tls-principal-mapping-rules: ${parsed.ok ? 'is invalid' : parsed.error}`;
    },
  },
  {
    holds: (values) => parseSuperUsers(values.superUsers ?? '').ok,
    message: (values) => {
      const parsed = parseSuperUsers(values.superUsers ?? '');
      return `--super-users: ${parsed.ok ? 'is invalid' : parsed.error}`;
    },
  },
  {
    // Brokers and controllers prove who they are with their node certificates only (there is no inter-node
    // SCRAM): without client certificates they would be anonymous, and refused, on each other's links.
    holds: (values) =>
      !values.requireAuthentication || (values as { readonly tlsCa?: string }).tlsCa !== undefined,
    // Not --tls-client-auth required: a listener with a CA asks every client for a certificate, so the
    // processes' own certificates name them (User:node) while SCRAM clients need none, as on SASL_SSL.
    message:
      '--require-authentication needs TLS (--tls-cert, --tls-key, --tls-ca): brokers and controllers authenticate to each other with their certificates',
  },
  {
    holds: (values) => !values.allowEveryoneIfNoAclFound || values.authorizer === 'standard',
    message: '--allow-everyone-if-no-acl-found needs --authorizer standard',
  },
];

/** Security with every default: anonymous callers allowed, no authorizer (what tests and `tributary dev` get). */
export const DEFAULT_PROCESS_SECURITY: ProcessSecurity = securityOf({
  requireAuthentication: false,
  authorizer: 'none',
  allowEveryoneIfNoAclFound: false,
  sessionLifetimeMs: SECURITY_LIMITS.sessionLifetimeMsDefault,
});

/**
 * The `security` object of a process from its parsed config. The rules above have checked the texts; a
 * value that still fails to parse here is a bug, not a configuration mistake.
 */
export function securityOf(values: AuthConfigValues): ProcessSecurity {
  const rules = mappingRulesOf(values);
  const superUsers = parseSuperUsers(values.superUsers ?? '');
  if (!rules.ok) throw new RangeError(`--tls-principal-mapping-rules: ${rules.error}`);
  if (!superUsers.ok) throw new RangeError(`--super-users: ${superUsers.error}`);
  return {
    requireAuthentication: values.requireAuthentication,
    principalMapping: rules.rules,
    authorizer: {
      enabled: values.authorizer === 'standard',
      superUsers: superUsers.superUsers,
      allowEveryoneIfNoAclFound: values.allowEveryoneIfNoAclFound,
    },
    sessionLifetimeMs: values.sessionLifetimeMs,
  };
}
