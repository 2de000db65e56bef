/**
 * The controller's configuration: command-line flags (node's util.parseArgs, strict) merged over an
 * optional JSON config file with the same keys (camelCase or kebab-case); flags win. Pure apart from
 * reading the config file; every problem is a ConfigError with one clear line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface VoterAddress {
  readonly id: number;
  /** host:port */
  readonly address: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const CONTROLLER_DEFAULTS = {
  // A fine tick spreads the randomized election timeouts ([250, 500) ms) over 25 values: with a 25 ms tick
  // there were only 10, and two followers that lost the same leader often fired in the same tick, granted
  // each other's pre-vote and split the vote (measured: failovers with two elections).
  tickMs: 10,
  electionTicks: 25,
  heartbeatTicks: 5,
  sessionTimeoutMs: 3_000,
  heartbeatIntervalMs: 500,
  snapshotIntervalEntries: 10_000,
  logLevel: 'info' as LogLevel,
} as const;

export interface ControllerConfig {
  readonly nodeId: number;
  readonly listen: string;
  readonly dataDir: string;
  readonly voters: readonly VoterAddress[];
  readonly logLevel: LogLevel;
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /**
   * Fast failure detection: fence a broker another broker reports unreachable once it has been silent
   * this long. Default 2 × heartbeatIntervalMs.
   */
  readonly suspectAfterMs: number;
  readonly snapshotIntervalEntries: number;
}

const FLAGS = {
  config: { type: 'string' },
  'node-id': { type: 'string' },
  listen: { type: 'string' },
  'data-dir': { type: 'string' },
  voters: { type: 'string' },
  'log-level': { type: 'string' },
  'tick-ms': { type: 'string' },
  'election-ticks': { type: 'string' },
  'heartbeat-ticks': { type: 'string' },
  'session-timeout-ms': { type: 'string' },
  'heartbeat-interval-ms': { type: 'string' },
  'suspect-after-ms': { type: 'string' },
  'snapshot-interval-entries': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Key = Exclude<keyof typeof FLAGS, 'config' | 'help'>;
const KEYS = Object.keys(FLAGS).filter((k) => k !== 'config' && k !== 'help') as Key[];

export const USAGE = `usage: tributary-controller --node-id N --listen HOST:PORT --data-dir DIR \\
    --voters 1@host:port,2@host:port,3@host:port [--config FILE] [--log-level LEVEL]
    [--tick-ms N] [--election-ticks N] [--heartbeat-ticks N] [--session-timeout-ms N]
    [--heartbeat-interval-ms N] [--suspect-after-ms N] [--snapshot-interval-entries N]`;

function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** host:port with a port in [0, 65535]; returns it unchanged. */
export function parseHostPort(value: string, what: string): string {
  const colon = value.lastIndexOf(':');
  const host = value.slice(0, colon);
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || host.length === 0 || !/^\d+$/.test(value.slice(colon + 1)) || port > 65_535) {
    throw new ConfigError(`${what} must be HOST:PORT, got "${value}"`);
  }
  return value;
}

/** "1@host:port,2@host:port" -> voters sorted by id; ids unique. */
export function parseVoters(value: string): VoterAddress[] {
  const voters: VoterAddress[] = [];
  for (const part of value.split(',')) {
    const match = /^(\d+)@(.+)$/.exec(part.trim());
    if (match === null) throw new ConfigError(`--voters entry "${part}" must be ID@HOST:PORT`);
    const id = parseInteger(match[1] ?? '', '--voters id', { min: 0, max: 0xffff_ffff });
    if (voters.some((voter) => voter.id === id)) throw new ConfigError(`--voters lists node ${id} twice`);
    voters.push({ id, address: parseHostPort(match[2] ?? '', `--voters address of node ${id}`) });
  }
  if (voters.length === 0) throw new ConfigError('--voters is empty');
  return voters.sort((a, b) => a.id - b.id);
}

function parseInteger(value: string, what: string, range: { min: number; max: number }): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new ConfigError(`${what} must be an integer in [${range.min}, ${range.max}], got "${value}"`);
  }
  return n;
}

function readConfigFile(path: string): Partial<Record<Key, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--config ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`--config ${path}: must be a JSON object`);
  }
  const out: Partial<Record<Key, string>> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const key = KEYS.find((k) => k === name || camel(k) === name);
    if (key === undefined) throw new ConfigError(`--config ${path}: unknown key "${name}"`);
    if (key === 'voters' && Array.isArray(value)) {
      out.voters = value.map(String).join(',');
    } else if (typeof value === 'string' || typeof value === 'number') {
      out[key] = String(value);
    } else {
      throw new ConfigError(`--config ${path}: "${name}" must be a string or number`);
    }
  }
  return out;
}

/** Parses argv (without node and script); returns null when --help was asked for. */
export function parseControllerArgs(argv: readonly string[]): ControllerConfig | null {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help === true) return null;
  const fromFile = values.config === undefined ? {} : readConfigFile(values.config);
  const raw: Partial<Record<Key, string>> = { ...fromFile };
  for (const key of KEYS) {
    const value = values[key];
    if (value !== undefined) raw[key] = value;
  }
  return buildConfig(raw);
}

function required(raw: Partial<Record<Key, string>>, key: Key): string {
  const value = raw[key];
  if (value === undefined || value === '') throw new ConfigError(`--${key} is required`);
  return value;
}

function buildConfig(raw: Partial<Record<Key, string>>): ControllerConfig {
  const int = (key: Key, fallback: number, min: number, max: number): number => {
    const value = raw[key];
    return value === undefined ? fallback : parseInteger(value, `--${key}`, { min, max });
  };
  const nodeIdValue = parseInteger(required(raw, 'node-id'), '--node-id', { min: 0, max: 0xffff_ffff });
  const voters = parseVoters(required(raw, 'voters'));
  if (!voters.some((voter) => voter.id === nodeIdValue)) {
    throw new ConfigError(`--node-id ${nodeIdValue} is not one of --voters`);
  }
  const logLevel = raw['log-level'] ?? CONTROLLER_DEFAULTS.logLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const heartbeatIntervalMs = int(
    'heartbeat-interval-ms',
    CONTROLLER_DEFAULTS.heartbeatIntervalMs,
    1,
    3_600_000,
  );
  const config: ControllerConfig = {
    nodeId: nodeIdValue,
    listen: parseHostPort(required(raw, 'listen'), '--listen'),
    dataDir: required(raw, 'data-dir'),
    voters,
    logLevel: logLevel as LogLevel,
    tickMs: int('tick-ms', CONTROLLER_DEFAULTS.tickMs, 1, 10_000),
    electionTicks: int('election-ticks', CONTROLLER_DEFAULTS.electionTicks, 2, 10_000),
    heartbeatTicks: int('heartbeat-ticks', CONTROLLER_DEFAULTS.heartbeatTicks, 1, 10_000),
    sessionTimeoutMs: int('session-timeout-ms', CONTROLLER_DEFAULTS.sessionTimeoutMs, 10, 3_600_000),
    heartbeatIntervalMs,
    suspectAfterMs: int('suspect-after-ms', 2 * heartbeatIntervalMs, 1, 3_600_000),
    snapshotIntervalEntries: int(
      'snapshot-interval-entries',
      CONTROLLER_DEFAULTS.snapshotIntervalEntries,
      2,
      1e9,
    ),
  };
  if (config.heartbeatTicks >= config.electionTicks) {
    throw new ConfigError('--heartbeat-ticks must be smaller than --election-ticks');
  }
  if (config.heartbeatIntervalMs >= config.sessionTimeoutMs) {
    throw new ConfigError('--heartbeat-interval-ms must be smaller than --session-timeout-ms');
  }
  return config;
}
