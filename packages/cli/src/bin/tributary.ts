#!/usr/bin/env node
/**
 * tributary: the combined process. `tributary dev [--data-dir DIR] [--controller-listen HOST:PORT]
 * [--log-level LEVEL]` starts the embedded development cluster (what `npm start` runs).
 * Logs are JSON lines, pretty only on a TTY. SIGTERM/SIGINT close it cleanly.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import { DEV_DEFAULTS, type DevCluster, devBanner, startDevCluster } from '../dev.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function makeLogger(level: string): Logger {
  if (process.stdout.isTTY) return pino({ level }, pretty({ colorize: true, sync: true }));
  return pino({ level });
}

function parseLevel(value: string): string {
  if (!LEVELS.includes(value)) throw new InvalidArgumentError(`must be one of ${LEVELS.join(', ')}`);
  return value;
}

async function runDev(options: {
  dataDir: string;
  controllerListen: string;
  logLevel: string;
}): Promise<void> {
  const logger = makeLogger(options.logLevel);
  const fatal = (error: unknown, what: string): void => {
    logger.fatal({ err: error }, what);
    process.exit(1);
  };
  process.on('uncaughtException', (error) => fatal(error, 'uncaught exception'));
  process.on('unhandledRejection', (error) => fatal(error, 'unhandled rejection'));

  let cluster: DevCluster | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    (cluster === undefined ? Promise.resolve() : cluster.close()).then(
      () => process.exit(0),
      (error: unknown) => fatal(error, 'clean shutdown failed'),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  cluster = await startDevCluster({ ...options, logger });
  const address = `${options.controllerListen.slice(0, options.controllerListen.lastIndexOf(':'))}:${cluster.controller.port}`;
  process.stderr.write(`${devBanner({ controllerAddress: address, dataDir: options.dataDir }).join('\n')}\n`);
}

const program = new Command('tributary')
  .description('Tributary: a Kafka-style distributed log')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] ?? text) });

program
  .command('dev')
  .description('start a single-node development cluster (controller + broker in one process)')
  .option('--data-dir <dir>', 'where the data lives', DEV_DEFAULTS.dataDir)
  .option('--controller-listen <host:port>', 'the controller address', DEV_DEFAULTS.controllerListen)
  .option('--log-level <level>', `one of ${LEVELS.join(', ')}`, parseLevel, 'info')
  .action(runDev);

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
