/**
 * Readers for the files under deploy/ (Dockerfile, compose and Kubernetes YAML, systemd units, env files) and
 * for the flags a bin accepts, read from its --help at test time. Used by the deploy-*.test.ts checks; kept
 * here so the tests read as the rules they check.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/testkit/{src,dist}/deploy-files.*). */
export const REPO_ROOT: string = fileURLToPath(new URL('../../../', import.meta.url));

export function readRepoFile(relativePath: string): string {
  return readFileSync(`${REPO_ROOT}${relativePath}`, 'utf8');
}

const HELP_TIMEOUT_MS = 30_000;

/**
 * The long flags a bin accepts, from `node BIN --help`: every `--flag` on the usage line, on an option line
 * (one that starts with `--flag` or `-h, --flag`) or on a usage continuation (`[--flag ...]`); descriptions,
 * which may mention other programs' flags, are skipped.
 */
export function helpFlags(binPath: string): ReadonlySet<string> {
  const result = spawnSync(process.execPath, [binPath, '--help'], {
    encoding: 'utf8',
    timeout: HELP_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`${binPath} --help exited ${result.status}: ${result.stderr || result.error?.message}`);
  }
  const flags = new Set<string>();
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
    const trimmed = line.trimStart();
    if (!/^(usage:|--|\[--|-[a-zA-Z], --)/.test(trimmed)) continue;
    for (const match of trimmed.matchAll(/--([a-z][a-z0-9-]*)/g)) {
      if (match[1] !== undefined) flags.add(match[1]);
    }
  }
  return flags;
}

/** Flag names (without `--`) in an argv, in both `--name value` and `--name=value` forms. */
export function flagsIn(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0] ?? '');
}

/** The value of `--name` in an argv (`--name value` or `--name=value`); undefined when absent. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (const [index, arg] of argv.entries()) {
    if (arg === `--${name}`) return argv[index + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** TRIBUTARY_OFFSETS_RETENTION_MS -> offsets-retention-ms (the bins' environment variable naming). */
export function flagOfEnvName(name: string): string | undefined {
  const match = /^TRIBUTARY_([A-Z0-9_]+)$/.exec(name);
  return match?.[1]?.toLowerCase().replaceAll('_', '-');
}

/** nodeId or node-id -> node-id (config files take either spelling). */
export function flagOfConfigKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The port of HOST:PORT (or `ID@HOST:PORT`); NaN when there is none. */
export function portOf(address: string): number {
  const text = address.slice(address.lastIndexOf(':') + 1);
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

export function hostOf(address: string): string {
  const withoutId = address.includes('@') ? address.slice(address.indexOf('@') + 1) : address;
  return withoutId.slice(0, withoutId.lastIndexOf(':'));
}

export interface Voter {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

export function parseVoters(value: string): Voter[] {
  return value.split(',').map((entry) => {
    const match = /^(\d+)@(.+):(\d+)$/.exec(entry.trim());
    if (match === null) throw new Error(`voter "${entry}" is not ID@HOST:PORT`);
    return { id: Number(match[1]), host: match[2] ?? '', port: Number(match[3]) };
  });
}

// ---- Dockerfile

export interface DockerStage {
  readonly name: string;
  readonly base: string;
  readonly instructions: readonly { readonly keyword: string; readonly value: string }[];
}

/** Stages of a Dockerfile, continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): { args: Map<string, string>; stages: DockerStage[] } {
  const lines = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const args = new Map<string, string>();
  const stages: { name: string; base: string; instructions: { keyword: string; value: string }[] }[] = [];
  for (const line of lines) {
    const space = line.indexOf(' ');
    const keyword = line.slice(0, space).toUpperCase();
    const value = line.slice(space + 1).trim();
    if (keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(value);
      if (match === null) throw new Error(`bad FROM: ${line}`);
      stages.push({ base: match[1] ?? '', name: match[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [name, fallback] = value.split('=');
      if (name !== undefined) args.set(name, fallback ?? '');
    } else {
      stages.at(-1)?.instructions.push({ keyword, value });
    }
  }
  return { args, stages };
}

/** The instructions in effect for a stage: its ancestors' (FROM another stage) then its own. */
export function stageChain(stages: readonly DockerStage[], name: string): DockerStage[] {
  const chain: DockerStage[] = [];
  let current = stages.find((stage) => stage.name === name);
  for (let depth = 0; current !== undefined && depth < stages.length; depth++) {
    chain.unshift(current);
    const base = current.base;
    current = stages.find((stage) => stage.name === base);
  }
  return chain;
}

// ---- systemd

/** A unit file as key -> values (a key may repeat), section names dropped (keys do not clash here). */
export function parseUnit(text: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  const joined = text.replace(/\\\n/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`bad unit line: ${line}`);
    const key = line.slice(0, equals).trim();
    entries.set(key, [...(entries.get(key) ?? []), line.slice(equals + 1).trim()]);
  }
  return entries;
}

/** KEY=VALUE lines of an env file (comments and blank lines skipped). */
export function parseEnvFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`bad env line: ${line}`);
    entries.set(line.slice(0, equals), line.slice(equals + 1));
  }
  return entries;
}

// ---- untyped YAML/JSON access: every step says what it expected, so a bad manifest fails with a path.

export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new Error(`${what}: expected a number, got ${JSON.stringify(value)}`);
  return value;
}

/** value.a.b.c, each step checked. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  const done: string[] = [];
  for (const step of path.split('.')) {
    current = asRecord(current, done.join('.') || '(root)')[step];
    done.push(step);
  }
  return current;
}

/** Every label of `selector` is on `labels` (how a Service, a PDB or a StatefulSet selects pods). */
export function selects(selector: unknown, labels: unknown): boolean {
  const wanted = asRecord(selector, 'selector');
  const have = asRecord(labels, 'labels');
  return (
    Object.keys(wanted).length > 0 && Object.entries(wanted).every(([key, value]) => have[key] === value)
  );
}
