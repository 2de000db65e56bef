/**
 * One configuration mechanism for every Tributary process (`@tributary/core/config`): a schema of options
 * validated with zod, read from flags, TRIBUTARY_* environment variables and a JSON config file, with the
 * help text and the docs table generated from the same schema.
 */

/** The validation library itself, so process schemas use the same zod as the mechanism. */
export { z } from 'zod';
export { helpText, markdownTable, replaceGeneratedSection } from './help.js';
export { closest, ENV_PREFIX, envName, flagName, TOOLING_ENV_VARS } from './names.js';
export {
  ConfigError,
  type ConfigValues,
  type DefaultedOption,
  hostPortSchema,
  integerSchema,
  LOG_LEVELS,
  type LogLevel,
  listSchema,
  nonEmptyText,
  type Option,
  type OptionalOption,
  OptionBuilder,
  type OptionKind,
  type OptionsSpec,
  option,
  type RequiredOption,
} from './options.js';
export {
  type ConfigRule,
  type ConfigSchema,
  type ConfigSources,
  defineConfig,
  type Env,
  parseConfig,
} from './parse.js';
