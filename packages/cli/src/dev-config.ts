/**
 * The flags of `tributary dev` as a configuration schema (the same mechanism as the controller and broker
 * bins): flags, TRIBUTARY_* environment variables and a JSON config file, flags winning.
 */

import { BROKER_CONFIG } from '@tributary/broker';
import { type BootstrapUserCredentials, CONTROLLER_CONFIG, loadBootstrapUser } from '@tributary/controller';
import {
  type ConfigValues,
  defineConfig,
  type Env,
  helpText,
  option,
  parseConfig,
} from '@tributary/core/config';
import {
  AUTH_CONFIG_OPTIONS,
  AUTH_CONFIG_RULES,
  type ProcessSecurity,
  ProcessTls,
  securityOf,
  TLS_CONFIG_OPTIONS,
  TLS_CONFIG_RULES,
  tlsFilesOf,
} from '@tributary/protocol';
import { DEV_DEFAULTS } from './dev.js';

/** As the broker's limit on --default-partitions for the development cluster. */
const DEV_PARTITIONS_MAX = 100_000;

export const DEV_CONFIG = defineConfig({
  command: 'tributary dev',
  summary: 'A single-node development cluster: one controller and one broker in one process.',
  options: {
    dataDir: option.text('where the data lives', 'DIR').default(DEV_DEFAULTS.dataDir),
    controllerListen: option.hostPort('the controller address').default(DEV_DEFAULTS.controllerListen),
    brokerListen: option.hostPort('the broker address').default(DEV_DEFAULTS.brokerListen),
    kafkaListen: option
      .text("the broker's Kafka protocol address (HOST:PORT), or `off`", 'HOST:PORT')
      .default(DEV_DEFAULTS.kafkaListen),
    defaultPartitions: option
      .integer('partitions of topics created on first use', { min: 1, max: DEV_PARTITIONS_MAX })
      .default(DEV_DEFAULTS.defaultPartitions),
    logLevel: option.logLevel().default('info'),
    // The broker's own cleaner flags (bounds, defaults and help text defined once, in its schema).
    logCleanerEnable: BROKER_CONFIG.options.logCleanerEnable,
    logCleanerThreads: BROKER_CONFIG.options.logCleanerThreads,
    logCleanerIoMaxBytesPerSecond: BROKER_CONFIG.options.logCleanerIoMaxBytesPerSecond,
    logCleanerBackoffMs: BROKER_CONFIG.options.logCleanerBackoffMs,
    bootstrapScramUser: CONTROLLER_CONFIG.options.bootstrapScramUser,
    bootstrapScramPasswordFile: CONTROLLER_CONFIG.options.bootstrapScramPasswordFile,
    ...TLS_CONFIG_OPTIONS,
    ...AUTH_CONFIG_OPTIONS,
  },
  rules: [
    ...TLS_CONFIG_RULES,
    ...AUTH_CONFIG_RULES,
    {
      holds: (flags) =>
        (flags.bootstrapScramUser === undefined) === (flags.bootstrapScramPasswordFile === undefined),
      message: '--bootstrap-scram-user and --bootstrap-scram-password-file go together',
    },
  ],
});

export type DevFlags = ConfigValues<typeof DEV_CONFIG.options> & {
  /** The --tls-* files, read and checked; the controller and the broker share them. Unset = plaintext. */
  readonly tls?: ProcessTls;
  /** The authentication and authorization flags, parsed; the controller and the broker share them. */
  readonly security: ProcessSecurity;
  /** --bootstrap-scram-user with its password already salted, for the controller. */
  readonly bootstrapUser?: BootstrapUserCredentials;
};

export const DEV_USAGE = helpText(DEV_CONFIG);

/** Parses the arguments after `dev`; null when --help was asked for. Problems throw a ConfigError. */
export function parseDevArgs(argv: readonly string[], env: Env = process.env): DevFlags | null {
  const flags = parseConfig(DEV_CONFIG, { argv, env });
  if (flags === null) return null;
  const files = tlsFilesOf(flags);
  const { bootstrapScramUser, bootstrapScramPasswordFile } = flags;
  return {
    ...flags,
    security: securityOf(flags),
    ...(files === undefined ? {} : { tls: ProcessTls.load(files) }),
    ...(bootstrapScramUser === undefined || bootstrapScramPasswordFile === undefined
      ? {}
      : { bootstrapUser: loadBootstrapUser(bootstrapScramUser, bootstrapScramPasswordFile) }),
  };
}
