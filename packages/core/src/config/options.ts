/**
 * The building blocks of a process's configuration schema: one Option per key, with its type, how it is
 * validated (a zod schema that accepts the raw value from any source: flag or environment text, or a JSON
 * value from the config file), whether it is required or has a default, and its documentation. The flag
 * name and environment variable are derived from the key (nodeId -> --node-id, TRIBUTARY_NODE_ID), so the
 * three spellings can never drift apart.
 */
import { z } from 'zod';

/** Every configuration problem: the bins print its message as one line and exit 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** How a flag reads its value: booleans take none (`--auto-create-topics`), the others the next argument. */
export type OptionKind = 'string' | 'integer' | 'boolean' | 'list';

interface OptionBase<T> {
  readonly kind: OptionKind;
  /** Validates and converts the raw value; its issue messages read "must be ..." (the key is prefixed). */
  readonly schema: z.ZodType<T>;
  /** The value's name in help and docs: `--node-id N`. Empty for booleans. */
  readonly placeholder: string;
  /** One sentence for help and docs; backticks mark code in the markdown table. */
  readonly doc: string;
}

export interface RequiredOption<T> extends OptionBase<T> {
  readonly presence: 'required';
}

export interface DefaultedOption<T> extends OptionBase<T> {
  readonly presence: 'default';
  readonly default: T;
  /** Shown instead of the default value when the plain value needs words ("604800000 (7 days)"). */
  readonly defaultDoc?: string;
}

/** Absent means unset (the field is left out of the config object); defaultDoc says what unset means. */
export interface OptionalOption<T> extends OptionBase<T> {
  readonly presence: 'optional';
  readonly defaultDoc: string;
}

export type Option<T> = RequiredOption<T> | DefaultedOption<T> | OptionalOption<T>;

export type OptionsSpec = Readonly<Record<string, Option<unknown>>>;

type ValueOf<O> = O extends Option<infer T> ? T : never;

/** The parsed values of a spec: required and defaulted keys always present, optional ones when set. */
export type ConfigValues<S extends OptionsSpec> = {
  readonly [K in keyof S as S[K] extends OptionalOption<unknown> ? never : K]: ValueOf<S[K]>;
} & {
  readonly [K in keyof S as S[K] extends OptionalOption<unknown> ? K : never]?: ValueOf<S[K]>;
};

/**
 * An option's fields with its zod schema built on first use: a process parses only the options it is given,
 * and building every schema of every process (about 60 options, each a small tree of zod objects) took
 * ≈ 25 ms of `tributary dev`'s start-up on the 2-core bench machine (issue 15).
 */
function withLazySchema<T>(
  fields: Omit<OptionBase<T>, 'schema'>,
  makeSchema: () => z.ZodType<T>,
): OptionBase<T> {
  let schema: z.ZodType<T> | undefined;
  return Object.defineProperty({ ...fields }, 'schema', {
    enumerable: true,
    get: () => {
      schema ??= makeSchema();
      return schema;
    },
  }) as OptionBase<T>;
}

/** `base`'s properties (the lazy schema getter too, which a spread would call) and `extra`. */
function extend<T, E extends object>(base: OptionBase<T>, extra: E): OptionBase<T> & E {
  return Object.defineProperties({ ...extra }, Object.getOwnPropertyDescriptors(base)) as OptionBase<T> & E;
}

/** A key's option before it is marked required, defaulted or optional. */
export class OptionBuilder<T> {
  constructor(private readonly base: OptionBase<T>) {}

  required(): RequiredOption<T> {
    return extend(this.base, { presence: 'required' as const });
  }

  default(value: T, defaultDoc?: string): DefaultedOption<T> {
    return extend(this.base, {
      presence: 'default' as const,
      default: value,
      ...(defaultDoc === undefined ? {} : { defaultDoc }),
    });
  }

  optional(defaultDoc: string): OptionalOption<T> {
    return extend(this.base, { presence: 'optional' as const, defaultDoc });
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const HOST_PORT = /^.+:\d+$/;
const PORT_MAX = 65_535;

/** Numbers from a JSON file are read like the same digits given as a flag. */
const asText = (value: unknown): unknown => (typeof value === 'number' ? String(value) : value);

/** Lists are comma-separated text on the command line and in env vars, arrays or text in a file. */
const asList = (value: unknown): unknown =>
  Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0)
      : value;

export const nonEmptyText = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' });

export function integerSchema(range: { readonly min: number; readonly max: number }): z.ZodType<number> {
  const inRange = { error: `must be an integer in [${range.min}, ${range.max}]` };
  return z.preprocess(
    asText,
    z
      .string({ error: 'must be a non-negative integer' })
      .trim()
      .regex(/^\d+$/, { error: 'must be a non-negative integer' })
      .transform(Number)
      .pipe(z.number().max(Number.MAX_SAFE_INTEGER, inRange).min(range.min, inRange).max(range.max, inRange)),
  );
}

/** HOST:PORT with a non-empty host and a port in [0, 65535]; the value is kept as written. */
export const hostPortSchema = nonEmptyText
  .regex(HOST_PORT, { error: 'must be HOST:PORT' })
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= PORT_MAX, {
    error: `must be HOST:PORT with a port in [0, ${PORT_MAX}]`,
  });

export function listSchema<T>(item: z.ZodType<T>): z.ZodType<T[]> {
  return z.preprocess(
    asList,
    z.array(item, { error: 'must be a comma-separated list' }).min(1, { error: 'must not be empty' }),
  );
}

const booleanSchema: z.ZodType<boolean> = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'must be true or false' }),
);

/** The option builders every process schema is made of. */
export const option = {
  text: (doc: string, placeholder = 'VALUE') =>
    new OptionBuilder<string>({ kind: 'string', schema: nonEmptyText, placeholder, doc }),
  integer: (doc: string, range: { readonly min: number; readonly max: number }, placeholder = 'N') =>
    new OptionBuilder<number>(
      withLazySchema({ kind: 'integer', placeholder, doc }, () => integerSchema(range)),
    ),
  boolean: (doc: string) =>
    new OptionBuilder<boolean>({ kind: 'boolean', schema: booleanSchema, placeholder: '', doc }),
  hostPort: (doc: string) =>
    new OptionBuilder<string>({ kind: 'string', schema: hostPortSchema, placeholder: 'HOST:PORT', doc }),
  hostPortList: (doc: string) =>
    new OptionBuilder<string[]>(
      withLazySchema({ kind: 'list', placeholder: 'HOST:PORT,...', doc }, () => listSchema(hostPortSchema)),
    ),
  /** Comma-separated text items (paths...); the flag may also be repeated, each adding to the list. */
  textList: (doc: string, placeholder = 'VALUE') =>
    new OptionBuilder<string[]>(
      withLazySchema({ kind: 'list', placeholder: `${placeholder}[,${placeholder}...]`, doc }, () =>
        listSchema(nonEmptyText),
      ),
    ),
  logLevel: (doc = LOG_LEVELS.map((level) => `\`${level}\``).join(', ')) =>
    new OptionBuilder<LogLevel>(
      withLazySchema({ kind: 'string', placeholder: 'LEVEL', doc }, () =>
        z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
      ),
    ),
  /** A key whose value needs its own zod schema (e.g. the controller's voter list). */
  custom: <T>(base: OptionBase<T>) => new OptionBuilder<T>(base),
};
