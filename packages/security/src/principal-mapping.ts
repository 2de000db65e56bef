/**
 * A TLS client certificate's subject to a principal, with Kafka's `ssl.principal.mapping.rules`
 * (SslPrincipalMapper, KIP-371): a comma-separated list of `RULE:pattern/replacement/[LU]` and `DEFAULT`,
 * tried in order; a rule applies when its pattern matches the WHOLE distinguished name, and yields the DN
 * with the pattern replaced (Java's replaceAll), lower- or upper-cased with L or U; DEFAULT yields the
 * whole DN; when no rule applies, authentication fails.
 *
 * The DN the rules see is an RFC 4514 string, most specific RDN first (`CN=alice,OU=eng,O=Acme`), as
 * Kafka's X500Principal.getName() gives it, so Kafka rules carry over. Node gives the subject as
 * X509Certificate.subject: one RDN per line, least specific first, values already escaped RFC 2253-style
 * by OpenSSL (`\,`, `\+`, a newline as `\0A`), multi-valued RDNs joined by ` + `;
 * distinguishedNameFromX509Subject turns that into the RFC 4514 string. (OpenSSL names attributes such as
 * emailAddress by name where Java writes an OID; rules about CN, OU, O, L, ST, C, DC and UID are the same.)
 *
 * Patterns are JavaScript regular expressions; the syntax Kafka's documented rules use (groups, classes,
 * lazy quantifiers, anchors) means the same in both. Replacements follow Java's rules: `$n` is group n
 * (the longest run of digits naming an existing group; a `$n` past the last group is literal, as Kafka's
 * escapeLiteralBackReferences makes it), `${name}` a named group, `\x` a literal x. Every rule is checked
 * once, when parsed, so a bad rule is reported at startup and never fails a handshake later.
 */
import { SECURITY_LIMITS } from './limits.js';
import { parsePrincipal, USER_PRINCIPAL_TYPE } from './principal.js';
import type { Principal } from './types.js';

export type PrincipalMappingRule =
  | { readonly kind: 'default' }
  | {
      readonly kind: 'rule';
      readonly text: string;
      readonly pattern: RegExp;
      readonly wholeMatch: RegExp;
      readonly replacement: string;
      readonly groupCount: number;
      readonly caseChange: 'none' | 'lower' | 'upper';
    };

export type PrincipalMappingRules = readonly PrincipalMappingRule[];

/**
 * Tributary's default (DESIGN §10: `User:CN`): the first (most specific) CN, found only at an RDN boundary
 * so that an escaped `\,CN=` inside another value cannot pose as one, kept in its escaped form; a
 * certificate without a CN maps to its whole DN. Kafka's own default is DEFAULT alone.
 */
export const TRIBUTARY_PRINCIPAL_MAPPING_RULES = String.raw`RULE:^(?:(?:\\.|[^,+\\])*[,+])*?CN=((?:\\.|[^,+\\])+)(?:[,+].*)?$/$1/,DEFAULT`;

export type PrincipalMappingParse =
  | { readonly ok: true; readonly rules: PrincipalMappingRules }
  | { readonly ok: false; readonly error: string };

/** Reads up to an unescaped `/`; returns the raw text (escapes kept, as Kafka keeps them) and the next index. */
function readUntilSlash(text: string, start: number): { value: string; next: number } | undefined {
  let i = start;
  while (i < text.length && text[i] !== '/') i += text[i] === '\\' ? 2 : 1;
  if (i >= text.length) return undefined;
  return { value: text.slice(start, i), next: i + 1 };
}

/** Parses and checks `ssl.principal.mapping.rules`. Errors name the rule (its position and text). */
export function parsePrincipalMappingRules(text: string): PrincipalMappingParse {
  if (text.length > SECURITY_LIMITS.principalMappingRulesLengthMax) {
    return {
      ok: false,
      error: `ssl.principal.mapping.rules is longer than ${SECURITY_LIMITS.principalMappingRulesLengthMax} characters`,
    };
  }
  const rules: PrincipalMappingRule[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= text.length) break;
    const start = i;
    const ruleError = (reason: string): PrincipalMappingParse => {
      const end = text.indexOf(',', start);
      const shown = text.slice(start, end < 0 ? text.length : end).trim();
      return {
        ok: false,
        error: `ssl.principal.mapping.rules: rule ${rules.length + 1} \`${shown}\`: ${reason}`,
      };
    };
    if (text[i] === ',') {
      i++; // Kafka ignores empty rules.
      continue;
    }
    let rule: PrincipalMappingRule;
    if (text.startsWith('DEFAULT', i)) {
      i += 'DEFAULT'.length;
      rule = { kind: 'default' };
    } else if (text.startsWith('RULE:', i)) {
      const pattern = readUntilSlash(text, i + 'RULE:'.length);
      const replacement = pattern === undefined ? undefined : readUntilSlash(text, pattern.next);
      if (pattern === undefined || replacement === undefined)
        return ruleError('expected RULE:pattern/replacement/[LU]');
      i = replacement.next;
      const flag = text[i] === 'L' || text[i] === 'U' ? text[i] : undefined;
      if (flag !== undefined) i++;
      const built = buildRule(text.slice(start, i), pattern.value, replacement.value, flag);
      if (typeof built === 'string') return ruleError(built);
      rule = built;
    } else {
      return ruleError('a rule is DEFAULT or RULE:pattern/replacement/[LU]');
    }
    skipSpace();
    if (i < text.length && text[i] !== ',')
      return ruleError(`unexpected text after the rule: \`${text.slice(i).split(',')[0]}\``);
    i++;
    rules.push(rule);
    if (rules.length > SECURITY_LIMITS.principalMappingRulesMax) {
      return {
        ok: false,
        error: `ssl.principal.mapping.rules has more than ${SECURITY_LIMITS.principalMappingRulesMax} rules`,
      };
    }
  }
  if (rules.length === 0)
    return { ok: false, error: 'ssl.principal.mapping.rules has no rule (DEFAULT maps the whole DN)' };
  return { ok: true, rules };
}

function buildRule(
  text: string,
  source: string,
  replacement: string,
  flag: string | undefined,
): PrincipalMappingRule | string {
  let pattern: RegExp;
  let wholeMatch: RegExp;
  try {
    pattern = new RegExp(source, 'g');
    wholeMatch = new RegExp(`^(?:${source})$`);
  } catch (error) {
    return `the pattern is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  // A pattern that also matches "" reveals its group count and names on an empty match.
  const probe = new RegExp(`${source}|`).exec('');
  const groupCount = (probe?.length ?? 1) - 1;
  const names = new Set(Object.keys(probe?.groups ?? {}));
  const problem = checkReplacement(replacement, groupCount, names);
  if (problem !== undefined) return problem;
  const caseChange = flag === 'L' ? 'lower' : flag === 'U' ? 'upper' : 'none';
  return { kind: 'rule', text, pattern, wholeMatch, replacement, groupCount, caseChange };
}

/** What Java's Matcher.appendReplacement would throw for, found before any certificate arrives. */
function checkReplacement(
  replacement: string,
  groupCount: number,
  names: ReadonlySet<string>,
): string | undefined {
  for (let i = 0; i < replacement.length; i++) {
    const char = replacement[i];
    if (char === '\\') {
      if (i + 1 >= replacement.length) return 'the replacement ends with a lone "\\"';
      i++;
    } else if (char === '$') {
      const next = replacement[i + 1] ?? '';
      if (next === '{') {
        const end = replacement.indexOf('}', i);
        const name = end < 0 ? '' : replacement.slice(i + 2, end);
        if (!names.has(name)) return `the replacement names a group the pattern does not have: \${${name}}`;
        i = end;
      } else if (!/[0-9]/.test(next)) {
        return 'the replacement has a "$" that is not a group reference (write \\$ for a dollar sign)';
      } else if (groupCount === 0 && next !== '0') {
        return `the replacement refers to group ${next} but the pattern has no group`;
      }
    }
  }
  return undefined;
}

/** Java's replacement text for one match (see the file comment for the `$n` rule). */
function expand(
  rule: Extract<PrincipalMappingRule, { kind: 'rule' }>,
  groups: readonly (string | undefined)[],
  named: Record<string, string | undefined>,
): string {
  const r = rule.replacement;
  let out = '';
  for (let i = 0; i < r.length; i++) {
    const char = r[i] ?? '';
    if (char === '\\') {
      out += r[++i] ?? '';
    } else if (char === '$' && r[i + 1] === '{') {
      const end = r.indexOf('}', i);
      out += named[r.slice(i + 2, end)] ?? '';
      i = end;
    } else if (char === '$' && Number(r[i + 1]) <= rule.groupCount) {
      let ref = Number(r[i + 1]);
      let j = i + 2;
      while (j < r.length && /[0-9]/.test(r[j] ?? '') && ref * 10 + Number(r[j]) <= rule.groupCount) {
        ref = ref * 10 + Number(r[j]);
        j++;
      }
      out += groups[ref] ?? '';
      i = j - 1;
    } else {
      out += char; // includes a `$n` past the last group: literal (Kafka's escapeLiteralBackReferences)
    }
  }
  return out;
}

/** The name the first applicable rule yields for an RFC 4514 DN, or undefined if none applies. */
export function mapDistinguishedName(rules: PrincipalMappingRules, dn: string): string | undefined {
  for (const rule of rules) {
    if (rule.kind === 'default') return dn;
    if (!rule.wholeMatch.test(dn)) continue;
    const mapped = dn.replace(rule.pattern, (...args: unknown[]) => {
      const groups = args.slice(0, rule.groupCount + 1) as (string | undefined)[];
      const last = args[args.length - 1];
      const named =
        typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
      return expand(rule, groups, named);
    });
    if (rule.caseChange === 'lower') return mapped.toLowerCase();
    if (rule.caseChange === 'upper') return mapped.toUpperCase();
    return mapped;
  }
  return undefined;
}

/**
 * Node's X509Certificate.subject (`C=US\nO=Acme\nCN=alice`) as an RFC 4514 DN (`CN=alice,O=Acme,C=US`).
 * Values keep OpenSSL's RFC 2253 escapes; a multi-valued RDN (`CN=a + UID=7`) becomes `CN=a+UID=7`.
 */
export function distinguishedNameFromX509Subject(subject: string): string {
  if (subject === '') return '';
  return subject
    .split('\n')
    .reverse()
    .map((rdn) => rdn.replaceAll(' + ', '+'))
    .join(',');
}

export type CertificatePrincipal =
  | { readonly ok: true; readonly principal: Principal; readonly distinguishedName: string }
  | { readonly ok: false; readonly error: string };

/** The principal for a verified client certificate: `User:` + the mapped name (Kafka's SSL principal builder). */
export function principalFromCertificateSubject(
  rules: PrincipalMappingRules,
  x509Subject: string,
): CertificatePrincipal {
  if (x509Subject.length > SECURITY_LIMITS.distinguishedNameLengthMax) {
    return {
      ok: false,
      error: `the certificate subject is longer than ${SECURITY_LIMITS.distinguishedNameLengthMax} characters`,
    };
  }
  const distinguishedName = distinguishedNameFromX509Subject(x509Subject);
  const name = mapDistinguishedName(rules, distinguishedName);
  if (name === undefined)
    return { ok: false, error: `no ssl.principal.mapping.rules rule applies to ${distinguishedName}` };
  const parsed = parsePrincipal(`${USER_PRINCIPAL_TYPE}:${name}`);
  if (!parsed.ok)
    return {
      ok: false,
      error: `the certificate ${JSON.stringify(distinguishedName)} maps to no usable name: ${parsed.error}`,
    };
  return { ok: true, principal: parsed.principal, distinguishedName };
}
