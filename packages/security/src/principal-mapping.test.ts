import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SECURITY_LIMITS } from './limits.js';
import {
  distinguishedNameFromX509Subject,
  mapDistinguishedName,
  type PrincipalMappingRules,
  parsePrincipalMappingRules,
  principalFromCertificateSubject,
  TRIBUTARY_PRINCIPAL_MAPPING_RULES,
} from './principal-mapping.js';

function rules(text: string): PrincipalMappingRules {
  const parsed = parsePrincipalMappingRules(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rules;
}

/** Certificates made with openssl (testdata/certs); their subjects as Node reads them. */
function subjectOf(file: string): string {
  return new X509Certificate(readFileSync(new URL(`../testdata/certs/${file}`, import.meta.url))).subject;
}

describe('ssl.principal.mapping.rules', () => {
  // Kafka's documentation example and SslPrincipalMapperTest cases.
  const KAFKA_DOC = [
    'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L,',
    'RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L,',
    'RULE:^cn=(.*?),ou=(.*?),dc=(.*?),dc=(.*?)$/$1@$2/U,',
    'RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/U,',
    'DEFAULT',
  ].join(' ');

  it.each([
    ['CN=Duke,OU=ServiceUsers,O=Org,C=US', 'duke'],
    ['CN=Duke,OU=SME,O=mycp,L=Fulton,ST=MD,C=US', 'duke@sme'],
    ['cn=duke,ou=sme,dc=mycp,dc=com', 'DUKE@SME'],
    ['cN=duke,OU=JavaSoft,O=Sun Microsystems', 'DUKE'],
    ['OU=JavaSoft,O=Sun Microsystems,C=US', 'OU=JavaSoft,O=Sun Microsystems,C=US'],
  ])("map %s to %s as Kafka's SslPrincipalMapper does", (dn, name) => {
    expect(mapDistinguishedName(rules(KAFKA_DOC), dn)).toBe(name);
  });

  it('keep escapes in patterns (a comma with spaces inside a CN)', () => {
    const parsed = rules(String.raw`RULE:^CN=((\\, *|\w)+)(,.*|$)/$1/,DEFAULT`);
    expect(mapDistinguishedName(parsed, String.raw`CN=Tkac\, Adam,OU=ITZ,DC=geodis,DC=cz`)).toBe(
      String.raw`Tkac\, Adam`,
    );
  });

  it("expand replacements as Java's replaceAll, with Kafka's literal $n past the last group", () => {
    const dn = 'CN=alice,OU=eng';
    expect(mapDistinguishedName(rules('RULE:^CN=([^,]*),OU=(.*)$/$2-$1/'), dn)).toBe('eng-alice');
    expect(mapDistinguishedName(rules('RULE:^CN=([^,]*),OU=(.*)$/$1$3/'), dn)).toBe('alice$3');
    expect(mapDistinguishedName(rules('RULE:^CN=([^,]*),OU=(.*)$/$12/'), dn)).toBe('alice2');
    expect(mapDistinguishedName(rules(String.raw`RULE:^CN=([^,]*),OU=(.*)$/\$1 $0/`), dn)).toBe(
      '$1 CN=alice,OU=eng',
    );
    expect(mapDistinguishedName(rules('RULE:^CN=(?<user>[^,]*),.*$/${user}/U'), dn)).toBe('ALICE');
    expect(mapDistinguishedName(rules('RULE:^CN=([^,]*),.*$/$1\\/x/'), dn)).toBe('alice/x');
  });

  it('answer undefined when no rule applies (Kafka: NoMatchingRule), and need the whole DN to match', () => {
    expect(mapDistinguishedName(rules('RULE:CN=alice/x/'), 'CN=alice,OU=eng')).toBeUndefined();
    expect(mapDistinguishedName(rules('RULE:^CN=alice$/x/'), 'CN=alice')).toBe('x');
  });

  it('parse rules separated by commas, spaces and newlines, skipping empty ones', () => {
    expect(rules(' RULE:^a$/b/ ,\n,DEFAULT ,')).toHaveLength(2);
  });

  it.each([
    ['', 'has no rule'],
    ['default', 'rule 1 `default`: a rule is DEFAULT or RULE:pattern/replacement/[LU]'],
    ['DEFAUL', 'rule 1 `DEFAUL`'],
    ['DEFAULT/L', 'unexpected text after the rule'],
    ['DEFAULT, rule:^CN=(.*?)$/$1/', 'rule 2 `rule:^CN=(.*?)$/$1/`'],
    ['RULE:CN=(.*?),OU=ServiceUsers.*/$1', 'expected RULE:pattern/replacement/[LU]'],
    ['RULE:^CN=(.*?)$/$1/L/U', 'unexpected text after the rule: `/U`'],
    ['RULE:^CN=(.*?)$/L', 'expected RULE:pattern/replacement/[LU]'],
    ['RULE:^CN=(.*?)$/$1/LU', 'unexpected text after the rule: `U`'],
    ['RULE:^CN=(.*?$/$1/', 'the pattern is not a valid regular expression'],
    ['RULE:^CN=.*$/$1/', 'refers to group 1 but the pattern has no group'],
    ['RULE:^CN=(.*)$/$x/', 'a "$" that is not a group reference'],
    ['RULE:^CN=(.*)$/cost: $/', 'a "$" that is not a group reference'],
    ['RULE:^CN=(.*)$/${name}/', 'names a group the pattern does not have: ${name}'],
    ['RULE:^CN=(.*)$/a\\/', 'expected RULE:pattern/replacement/[LU]'],
    ['x'.repeat(SECURITY_LIMITS.principalMappingRulesLengthMax + 1), 'longer than'],
    [
      Array(SECURITY_LIMITS.principalMappingRulesMax + 1)
        .fill('DEFAULT')
        .join(','),
      'more than 64 rules',
    ],
  ])('refuse %j at parse time, naming the rule', (text, error) => {
    const parsed = parsePrincipalMappingRules(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});

describe('certificate subjects', () => {
  it('turn Node’s X509Certificate.subject into the RFC 4514 DN (as openssl -nameopt RFC2253 prints it)', () => {
    // Captured: openssl x509 -noout -subject -nameopt RFC2253 (which orders a multi-valued RDN by type).
    expect(distinguishedNameFromX509Subject(subjectOf('no-cn.pem'))).toBe(
      String.raw`OU=x\,CN=admin,O=Acme,C=US`,
    );
    expect(distinguishedNameFromX509Subject(subjectOf('tricky.pem'))).toBe(
      String.raw`emailAddress=alice@example.com,CN=alice+UID=7,OU=x\,CN=admin,O=Acme\, Inc.,C=US`,
    );
    expect(distinguishedNameFromX509Subject('')).toBe('');
  });

  it("map to User:CN with Tributary's default, never to a CN smuggled into another value", () => {
    const defaults = rules(TRIBUTARY_PRINCIPAL_MAPPING_RULES);
    expect(principalFromCertificateSubject(defaults, subjectOf('tricky.pem'))).toEqual({
      ok: true,
      principal: { type: 'User', name: 'alice' },
      distinguishedName: String.raw`emailAddress=alice@example.com,CN=alice+UID=7,OU=x\,CN=admin,O=Acme\, Inc.,C=US`,
    });
    // No CN: the whole DN (DEFAULT), not the "CN=admin" inside the OU.
    const noCn = principalFromCertificateSubject(defaults, subjectOf('no-cn.pem'));
    expect(noCn.ok && noCn.principal.name).toBe(String.raw`OU=x\,CN=admin,O=Acme,C=US`);
    // A greedy `^.*CN=([^,]+).*$` would take the smuggled CN: why the default anchors at an RDN boundary.
    const greedy = rules('RULE:^.*CN=([^,]+).*$/$1/,DEFAULT');
    expect(mapDistinguishedName(greedy, String.raw`CN=mallory,OU=x\,CN=admin,C=US`)).toBe('admin');
    expect(mapDistinguishedName(defaults, String.raw`CN=mallory,OU=x\,CN=admin,C=US`)).toBe('mallory');
  });

  it.each([
    ['CN=node-1', 'node-1'],
    ['C=US\nO=Tributary\nCN=node-1', 'node-1'],
    ['CN=a\\, b\nCN=second', 'second'],
    ['O=x\nCN=one + CN=two', 'one'],
  ])('default rules map %j to %s', (subject, name) => {
    const mapped = principalFromCertificateSubject(rules(TRIBUTARY_PRINCIPAL_MAPPING_RULES), subject);
    expect(mapped.ok && mapped.principal.name).toBe(name);
  });

  it('refuse subjects that map to nothing usable', () => {
    expect(principalFromCertificateSubject(rules('RULE:^CN=(.*)$/$1/'), 'O=x')).toEqual({
      ok: false,
      error: 'no ssl.principal.mapping.rules rule applies to O=x',
    });
    const empty = principalFromCertificateSubject(rules('DEFAULT'), '');
    expect(empty.ok).toBe(false);
    const long = principalFromCertificateSubject(
      rules('DEFAULT'),
      `CN=${'x'.repeat(SECURITY_LIMITS.distinguishedNameLengthMax)}`,
    );
    expect(long.ok).toBe(false);
  });
});
