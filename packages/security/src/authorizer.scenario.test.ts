/**
 * Runs testdata/authorizer.txt: commands and their expected output, reviewed when regenerated
 * (UPDATE_SCENARIOS=1 rewrites the file with the actual output; the diff is the review).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AclIndex } from './acl-index.js';
import { parseOperation, parsePatternType, parsePermission, parseResourceType } from './acl-names.js';
import { validateAclEntry } from './acl-validate.js';
import { type AuthorizerConfig, authorize } from './authorizer.js';
import { parseSuperUsers } from './principal.js';
import type { AclEntry, Operation } from './types.js';

const FILE = new URL('../testdata/authorizer.txt', import.meta.url);

interface ScenarioCase {
  readonly prelude: readonly string[];
  readonly command: readonly string[];
  readonly expected: readonly string[];
}

function parseScenario(text: string): ScenarioCase[] {
  const cases: ScenarioCase[] = [];
  let prelude: string[] = [];
  let command: string[] = [];
  let expected: string[] = [];
  let state: 'between' | 'command' | 'expected' = 'between';
  const finish = (): void => {
    cases.push({ prelude, command, expected });
    prelude = [];
    command = [];
    expected = [];
    state = 'between';
  };
  for (const line of text.replace(/\n+$/, '').split('\n')) {
    if (state === 'between' && (line === '' || line.startsWith('#'))) prelude.push(line);
    else if (state !== 'expected' && line === '----') state = 'expected';
    else if (state === 'expected' && line === '') finish();
    else if (state === 'expected') expected.push(line);
    else {
      state = 'command';
      command.push(line);
    }
  }
  if (state !== 'between') finish();
  return cases;
}

function formatScenario(cases: readonly ScenarioCase[]): string {
  return `${cases.map((c) => [...c.prelude, ...c.command, '----', ...c.expected].join('\n')).join('\n\n')}\n`;
}

function formatAcl(acl: AclEntry): string {
  const pattern = `${acl.resourceType}:${acl.patternType}:${acl.resourceName}`;
  return `${pattern} ${acl.principal}@${acl.host} ${acl.operation} ${acl.permission}`;
}

function parseAclLine(line: string, id: string): AclEntry {
  const [type, pattern, name, principal, host, operation, permission, ...rest] = line.split(' ');
  const resourceType = parseResourceType(type ?? '');
  const patternType = parsePatternType(pattern ?? '');
  const op = parseOperation(operation ?? '');
  const perm = parsePermission(permission ?? '');
  if (!resourceType || !patternType || !op || !perm || !name || !principal || !host || rest.length > 0) {
    throw new Error(`bad ACL line: ${line}`);
  }
  return {
    id,
    resourceType,
    patternType,
    resourceName: name,
    principal,
    host,
    operation: op,
    permission: perm,
  };
}

class Runner {
  private index = AclIndex.EMPTY;
  private config: AuthorizerConfig = { superUsers: new Set(), allowEveryoneIfNoAclFound: false };

  run(command: readonly string[]): string[] {
    const [head = '', ...rest] = command;
    const [verb = '', ...args] = head.split(' ');
    if (verb === 'acls') return this.acls(rest);
    if (verb === 'config') return this.configure(args);
    if (verb === 'authorize') return command.map((line) => this.authorize(line));
    throw new Error(`unknown command: ${head}`);
  }

  private acls(lines: readonly string[]): string[] {
    const entries = lines.map((line, i) => parseAclLine(line, `acl-${i}`));
    const invalid = entries.flatMap((entry) =>
      validateAclEntry(entry).map((e) => `invalid ${formatAcl(entry)}: ${e}`),
    );
    this.index = AclIndex.build(entries);
    return [...invalid, `${entries.length} acls`];
  }

  private configure(args: readonly string[]): string[] {
    const options = new Map(args.map((arg) => arg.split('=', 2) as [string, string]));
    const superUsers = parseSuperUsers(options.get('super') ?? '');
    if (!superUsers.ok) return [superUsers.error];
    this.config = {
      superUsers: superUsers.superUsers,
      allowEveryoneIfNoAclFound: options.get('allow-everyone') === 'true',
    };
    return ['ok'];
  }

  private authorize(line: string): string {
    const [, principal = '', host = '', operation = '', type = '', name = ''] = line.split(' ');
    const op = parseOperation(operation);
    const resourceType = parseResourceType(type);
    if (op === undefined || op === 'All' || resourceType === undefined)
      throw new Error(`bad request: ${line}`);
    const result = authorize(
      this.index,
      { principal, host, operation: op as Exclude<Operation, 'All'>, resource: { type: resourceType, name } },
      this.config,
    );
    const verdict = `${result.allowed ? 'allowed' : 'denied'} ${result.reason}`;
    return result.matched === undefined ? verdict : `${verdict} ${formatAcl(result.matched)}`;
  }
}

describe('authorizer scenarios (testdata/authorizer.txt)', () => {
  it('produce the reviewed output', () => {
    const text = readFileSync(FILE, 'utf8');
    const runner = new Runner();
    const cases = parseScenario(text);
    const actual = cases.map((c) => ({ ...c, expected: runner.run(c.command) }));
    const regenerated = formatScenario(actual);
    if (process.env.UPDATE_SCENARIOS === '1') writeFileSync(FILE, regenerated);
    else expect(regenerated).toBe(text);
  });

  it('parse and format a scenario file losslessly', () => {
    const text = '# c\nacls\nTopic Literal a User:x * Read Allow\n----\n1 acls\n\n\n# d\nconfig\n----\nok\n';
    expect(formatScenario(parseScenario(text))).toBe(text);
  });
});
