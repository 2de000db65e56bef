/**
 * Reads a process's configuration from its three sources and the schema's defaults, with the precedence
 * flags > environment (TRIBUTARY_*) > config file (--config or TRIBUTARY_CONFIG; JSON) > defaults. A key no
 * schema option names is refused in every source, with one line saying which key and where it came from;
 * a bad value names its source too (`TRIBUTARY_NODE_ID: must be a non-negative integer, got "x"`). Pure
 * apart from the injected file reader.
 */
import { readFileSync } from 'node:fs';
import { camelName, closest, didYouMean, ENV_PREFIX, envName, flagName, TOOLING_ENV_VARS } from './names.js';
import { ConfigError, type ConfigValues, type Option, type OptionsSpec } from './options.js';

export interface ConfigRule<V> {
  /** A constraint across keys, checked once every key's own value is valid. */
  readonly holds: (values: V) => boolean;
  readonly message: string | ((values: V) => string);
}

export interface ConfigSchema<S extends OptionsSpec> {
  /** The bin's name, for the help text. */
  readonly command: string;
  readonly summary: string;
  readonly options: S;
  readonly rules?: readonly ConfigRule<ConfigValues<S>>[];
}

/** Identity, for inference: `defineConfig({ ..., options: { nodeId: option.integer(...).required() } })`. */
export function defineConfig<S extends OptionsSpec>(schema: ConfigSchema<S>): ConfigSchema<S> {
  return schema;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigSources {
  /** Command-line arguments without node and the script. */
  readonly argv: readonly string[];
  readonly env?: Env;
  readonly readFile?: (path: string) => string;
}

const CONFIG_FLAG = 'config';
const CONFIG_ENV = `${ENV_PREFIX}CONFIG`;
const SHOWN_VALUE_LENGTH_MAX = 60;

interface RawValue {
  readonly value: unknown;
  /** Where it came from, as the error prefix: `--node-id`, `TRIBUTARY_NODE_ID`, `config file x.json, key "nodeId"`. */
  readonly where: string;
}

type RawValues = Map<string, RawValue>;

/** Parses the sources against the schema; returns null when --help (or -h) was asked for. */
export function parseConfig<S extends OptionsSpec>(
  schema: ConfigSchema<S>,
  sources: ConfigSources,
): ConfigValues<S> | null {
  if (sources.argv.includes('--help') || sources.argv.includes('-h')) return null;
  const keys = Object.keys(schema.options);
  const flags = readArgv(sources.argv, schema.options);
  const env = readEnv(sources.env ?? {}, keys);
  const configPath = flags.configPath ?? env.configPath;
  const file =
    configPath === undefined ? new Map() : readConfigFile(configPath, sources.readFile ?? readUtf8, keys);
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const option = schema.options[key];
    const raw = flags.values.get(key) ?? env.values.get(key) ?? file.get(key);
    if (option === undefined) continue;
    const value = resolve(key, option, raw);
    if (value !== undefined) values[key] = value;
  }
  // The values were each validated by their own option's schema just above.
  const config = values as ConfigValues<S>;
  for (const rule of schema.rules ?? []) {
    if (!rule.holds(config)) {
      throw new ConfigError(typeof rule.message === 'string' ? rule.message : rule.message(config));
    }
  }
  return config;
}

function readUtf8(path: string): string {
  return readFileSync(path, 'utf8');
}

function resolve(key: string, option: Option<unknown>, raw: RawValue | undefined): unknown {
  if (raw === undefined) {
    if (option.presence === 'required') {
      throw new ConfigError(
        `--${flagName(key)} is required (or ${envName(key)}, or "${key}" in the config file)`,
      );
    }
    return option.presence === 'default' ? option.default : undefined;
  }
  const result = option.schema.safeParse(raw.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const shown = valueAt(option, raw.value, issue?.path ?? []);
  throw new ConfigError(`${raw.where}: ${issue?.message ?? 'is invalid'}, got ${show(shown)}`);
}

/** The offending part of a list value (`a:1,bad` -> `bad`), else the whole value. */
function valueAt(option: Option<unknown>, value: unknown, path: readonly PropertyKey[]): unknown {
  const index = path[0];
  if (option.kind !== 'list' || typeof index !== 'number') return value;
  const items = typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value;
  return Array.isArray(items) && index < items.length ? items[index] : value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_VALUE_LENGTH_MAX ? `${text.slice(0, SHOWN_VALUE_LENGTH_MAX)}...` : text;
}

interface ArgvValues {
  readonly values: RawValues;
  readonly configPath?: string;
}

/**
 * `--name value`, `--name=value`, and bare `--name` for booleans; the last of a repeated flag wins, except
 * that a repeated list flag adds its items to the list.
 */
function readArgv(argv: readonly string[], options: OptionsSpec): ArgvValues {
  const byFlag = new Map(Object.keys(options).map((key) => [flagName(key), key]));
  const values: RawValues = new Map();
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('--') || token === '--') {
      throw new ConfigError(`unexpected argument "${token}" (every option is a --flag)`);
    }
    const equals = token.indexOf('=');
    const name = token.slice(2, equals < 0 ? undefined : equals);
    const inline = equals < 0 ? undefined : token.slice(equals + 1);
    const key = byFlag.get(name);
    const option = key === undefined ? undefined : options[key];
    if (name !== CONFIG_FLAG && (key === undefined || option === undefined)) {
      const suggestion = closest(name, [...byFlag.keys(), CONFIG_FLAG]);
      throw new ConfigError(`unknown flag --${name}${didYouMean(suggestion && `--${suggestion}`)}`);
    }
    let value: string | boolean | undefined = inline;
    if (value === undefined && option?.kind === 'boolean') value = true;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`--${name} needs a value`);
      value = next;
      i++;
    }
    const earlier = key === undefined ? undefined : values.get(key);
    if (key === undefined) configPath = String(value);
    else if (option?.kind === 'list' && earlier !== undefined) {
      // A repeated list flag adds to the list (`--data-dir a --data-dir b` is `--data-dir a,b`).
      values.set(key, { value: `${String(earlier.value)},${String(value)}`, where: `--${name}` });
    } else values.set(key, { value, where: `--${name}` });
  }
  return { values, ...(configPath === undefined ? {} : { configPath }) };
}

/** TRIBUTARY_* variables; an empty one counts as unset (`TRIBUTARY_METRICS_LISTEN=` keeps metrics off). */
function readEnv(env: Env, keys: readonly string[]): ArgvValues {
  const byEnv = new Map(keys.map((key) => [envName(key), key]));
  const values: RawValues = new Map();
  let configPath: string | undefined;
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (!name.startsWith(ENV_PREFIX) || TOOLING_ENV_VARS.includes(name)) continue;
    if (value === undefined || value === '') continue;
    if (name === CONFIG_ENV) {
      configPath = value;
      continue;
    }
    const key = byEnv.get(name);
    if (key === undefined) {
      // Compared without the shared prefix, which would make every name look close.
      const bare = (text: string): string => text.slice(ENV_PREFIX.length);
      const suggestion = closest(bare(name), [...byEnv.keys(), CONFIG_ENV].map(bare));
      throw new ConfigError(
        `unknown environment variable ${name}${didYouMean(suggestion && `${ENV_PREFIX}${suggestion}`)}`,
      );
    }
    values.set(key, { value, where: name });
  }
  return { values, ...(configPath === undefined ? {} : { configPath }) };
}

/** A JSON object whose keys are the schema's keys, camelCase (`nodeId`) or kebab-case (`node-id`). */
function readConfigFile(
  path: string,
  readFile: (path: string) => string,
  keys: readonly string[],
): RawValues {
  const where = `config file ${path}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (error) {
    throw new ConfigError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${where}: must be a JSON object`);
  }
  const known = new Set(keys);
  const values: RawValues = new Map();
  for (const [name, value] of Object.entries(parsed)) {
    const key = known.has(name) ? name : camelName(name);
    if (!known.has(key) || (key !== name && flagName(key) !== name)) {
      const suggestion = closest(name, [...keys, ...keys.map(flagName)]);
      throw new ConfigError(`${where}: unknown key "${name}"${didYouMean(suggestion && `"${suggestion}"`)}`);
    }
    if (values.has(key)) {
      throw new ConfigError(`${where}: key "${name}" is given twice (camelCase and kebab-case)`);
    }
    values.set(key, { value, where: `${where}, key "${name}"` });
  }
  return values;
}
