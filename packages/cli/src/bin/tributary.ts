#!/usr/bin/env node
/**
 * tributary: the combined process. `tributary dev [--data-dir DIR] [--controller-listen HOST:PORT]
 * [--broker-listen HOST:PORT] [--default-partitions N] [--log-level LEVEL]` starts the embedded
 * development cluster, one controller and one broker (what `npm start` runs). The flags are also read
 * from TRIBUTARY_* variables and a --config file (see dev-config.ts); bad ones exit 2.
 * Logs are JSON lines, pretty only on a TTY. SIGTERM/SIGINT close it cleanly.
 */
import { createRequire } from 'node:module';
import { runService } from '@tributary/core';
import { ConfigError } from '@tributary/core/config';
import { Command, CommanderError } from 'commander';
import { type Logger, pino } from 'pino';
import type * as PinoPrettyModule from 'pino-pretty';
import { type DevCluster, devBanner, startDevCluster } from '../dev.js';
import { DEV_USAGE, type DevFlags, parseDevArgs } from '../dev-config.js';

/**
 * pino-pretty is loaded only for a terminal (≈ 30 ms and 2 MB that a service logging JSON never needs), with
 * require rather than import(): the bundle is a CommonJS script compiled from a V8 code cache, and node 20
 * cannot run import() from such a script (scripts/bundle-bin.mjs).
 */
function makeLogger(level: string): Logger {
  if (!process.stdout.isTTY) return pino({ level });
  const { PinoPretty: pretty } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPrettyModule;
  return pino({ level }, pretty({ colorize: true, sync: true }));
}

async function runDev(options: DevFlags): Promise<void> {
  const logger = makeLogger(options.logLevel);
  // Where start-up time goes, for operators and npm run bench:startup: the modules are loaded by now.
  logger.info({ sinceProcessStartMs: Math.round(performance.now()) }, 'starting');
  await runService({
    logger,
    start: () => startDevCluster({ ...options, logger }),
    onStarted: (cluster: DevCluster) => {
      const host = options.controllerListen.slice(0, options.controllerListen.lastIndexOf(':'));
      const banner = devBanner({
        controllerAddress: `${host}:${cluster.controller.port}`,
        brokerAddress: cluster.broker.advertisedAddress,
        kafkaAddress: cluster.broker.kafkaAddress,
        dataDir: options.dataDir,
      });
      process.stderr.write(`${banner.join('\n')}\n`);
    },
  });
}

const program = new Command('tributary')
  .description('Tributary: a Kafka-style distributed log')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] ?? text) });

// dev's flags come from its configuration schema (flags, TRIBUTARY_* variables, --config), so commander
// hands them over unparsed.
program
  .command('dev')
  .description('start a single-node development cluster (controller + broker in one process)')
  .helpOption(false)
  .allowUnknownOption()
  .allowExcessArguments()
  .action(async (_options: unknown, command: Command) => {
    let flags: DevFlags | null;
    try {
      flags = parseDevArgs(command.args);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`tributary dev: ${error.message}\n`);
      process.exit(2);
    }
    if (flags === null) {
      process.stdout.write(`${DEV_USAGE}\n`);
      return;
    }
    await runDev(flags);
  });

/** Not top-level await: the bundle is a CommonJS script (scripts/bundle-bin.mjs says why), which has none. */
async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode !== 0) process.stderr.write('\n');
      process.exit(error.exitCode === 0 ? 0 : 2);
    }
    process.stderr.write(`tributary: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

void main();
