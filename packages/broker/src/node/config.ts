/**
 * The broker's configuration: command-line flags (node's util.parseArgs, strict) merged over an optional
 * JSON config file with the same keys (camelCase or kebab-case); flags win. Pure apart from reading the
 * config file; every problem is a ConfigError with one clear line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LIMITS } from '@tributary/core';
import { GROUP_DEFAULTS, GROUP_LIMITS } from '../group/limits.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BrokerConfig {
  readonly nodeId: number;
  readonly listen: string;
  readonly dataDir: string;
  readonly controllers: readonly string[];
  readonly advertisedAddress?: string;
  readonly logLevel: LogLevel;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly defaultReplicationFactor: number;
  readonly offsetsTopicPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly offsetsRetentionMs: number;
  readonly groupSessionTimeoutMs: number;
}

const FLAGS = {
  config: { type: 'string' },
  'node-id': { type: 'string' },
  listen: { type: 'string' },
  'data-dir': { type: 'string' },
  controllers: { type: 'string' },
  'advertised-address': { type: 'string' },
  'log-level': { type: 'string' },
  'auto-create-topics': { type: 'boolean' },
  'default-partitions': { type: 'string' },
  'default-replication-factor': { type: 'string' },
  'offsets-topic-partitions': { type: 'string' },
  'offsets-topic-replication-factor': { type: 'string' },
  'offsets-retention-ms': { type: 'string' },
  'group-session-timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Key = Exclude<keyof typeof FLAGS, 'config' | 'help'>;
const KEYS = Object.keys(FLAGS).filter((k) => k !== 'config' && k !== 'help') as Key[];
type Raw = Partial<Record<Key, string | boolean>>;

export const USAGE = `usage: tributary-broker --node-id N --listen HOST:PORT --data-dir DIR \\
    --controllers host:port,host:port [--advertised-address HOST:PORT] [--log-level LEVEL]
    [--auto-create-topics] [--default-partitions N] [--default-replication-factor N]
    [--offsets-topic-partitions N] [--offsets-topic-replication-factor N] [--offsets-retention-ms MS]
    [--group-session-timeout-ms MS] [--config FILE]`;

function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function parseHostPort(value: string, what: string): string {
  const colon = value.lastIndexOf(':');
  const portText = value.slice(colon + 1);
  if (colon <= 0 || !/^\d+$/.test(portText) || Number(portText) > 65_535) {
    throw new ConfigError(`${what} must be HOST:PORT, got "${value}"`);
  }
  return value;
}

function parseInteger(value: string, what: string, range: { min: number; max: number }): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new ConfigError(`${what} must be an integer in [${range.min}, ${range.max}], got "${value}"`);
  }
  return n;
}

function readConfigFile(path: string): Raw {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--config ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`--config ${path}: must be a JSON object`);
  }
  const out: Raw = {};
  for (const [name, value] of Object.entries(parsed)) {
    const key = KEYS.find((k) => k === name || camel(k) === name);
    if (key === undefined) throw new ConfigError(`--config ${path}: unknown key "${name}"`);
    if (key === 'controllers' && Array.isArray(value)) out[key] = value.map(String).join(',');
    else if (key === 'auto-create-topics' && typeof value === 'boolean') out[key] = value;
    else if (key !== 'auto-create-topics' && (typeof value === 'string' || typeof value === 'number')) {
      out[key] = String(value);
    } else {
      throw new ConfigError(`--config ${path}: "${name}" has the wrong type`);
    }
  }
  return out;
}

/** Parses argv (without node and script); returns null when --help was asked for. */
export function parseBrokerArgs(argv: readonly string[]): BrokerConfig | null {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true }>>['values'];
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return null;
  const raw: Raw = values.config === undefined ? {} : readConfigFile(values.config);
  for (const key of KEYS) {
    const value = values[key];
    if (value !== undefined) raw[key] = value;
  }
  return buildConfig(raw);
}

function text(raw: Raw, key: Key): string | undefined {
  const value = raw[key];
  return typeof value === 'string' ? value : undefined;
}

function required(raw: Raw, key: Key): string {
  const value = text(raw, key);
  if (value === undefined || value === '') throw new ConfigError(`--${key} is required`);
  return value;
}

function buildConfig(raw: Raw): BrokerConfig {
  const int = (key: Key, fallback: number, max: number): number => {
    const value = text(raw, key);
    return value === undefined ? fallback : parseInteger(value, `--${key}`, { min: 1, max });
  };
  const controllers = required(raw, 'controllers')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => parseHostPort(part, '--controllers entry'));
  if (controllers.length === 0) throw new ConfigError('--controllers is empty');
  const logLevel = text(raw, 'log-level') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const advertised = text(raw, 'advertised-address');
  return {
    nodeId: parseInteger(required(raw, 'node-id'), '--node-id', { min: 0, max: 0x7fff_ffff }),
    listen: parseHostPort(required(raw, 'listen'), '--listen'),
    dataDir: required(raw, 'data-dir'),
    controllers,
    ...(advertised === undefined
      ? {}
      : { advertisedAddress: parseHostPort(advertised, '--advertised-address') }),
    logLevel: logLevel as LogLevel,
    autoCreateTopics: raw['auto-create-topics'] === true,
    defaultPartitions: int('default-partitions', 1, LIMITS.partitionsPerTopicMax),
    defaultReplicationFactor: int('default-replication-factor', 1, LIMITS.replicationFactorMax),
    offsetsTopicPartitions: int(
      'offsets-topic-partitions',
      GROUP_DEFAULTS.offsetsTopicPartitions,
      LIMITS.partitionsPerTopicMax,
    ),
    offsetsTopicReplicationFactor: int(
      'offsets-topic-replication-factor',
      GROUP_DEFAULTS.offsetsTopicReplicationFactor,
      LIMITS.replicationFactorMax,
    ),
    offsetsRetentionMs: int(
      'offsets-retention-ms',
      GROUP_DEFAULTS.offsetsRetentionMs,
      Number.MAX_SAFE_INTEGER,
    ),
    groupSessionTimeoutMs: groupSessionTimeoutMs(text(raw, 'group-session-timeout-ms')),
  };
}

function groupSessionTimeoutMs(value: string | undefined): number {
  if (value === undefined) return GROUP_DEFAULTS.sessionTimeoutMs;
  return parseInteger(value, '--group-session-timeout-ms', {
    min: GROUP_LIMITS.sessionTimeoutMsMin,
    max: GROUP_LIMITS.sessionTimeoutMsMax,
  });
}
