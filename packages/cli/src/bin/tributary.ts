#!/usr/bin/env node
/**
 * tributary: the combined process. `tributary dev [--data-dir DIR] [--controller-listen HOST:PORT]
 * [--broker-listen HOST:PORT] [--default-partitions N] [--log-level LEVEL]` starts the embedded
 * development cluster, one controller and one broker (what `npm start` runs).
 * Logs are JSON lines, pretty only on a TTY. SIGTERM/SIGINT close it cleanly.
 */
import { runService } from '@tributary/core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import { DEV_DEFAULTS, type DevCluster, devBanner, startDevCluster } from '../dev.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function makeLogger(level: string): Logger {
  if (process.stdout.isTTY) return pino({ level }, pretty({ colorize: true, sync: true }));
  return pino({ level });
}

function parseHostPort(value: string): string {
  const colon = value.lastIndexOf(':');
  const port = value.slice(colon + 1);
  if (colon <= 0 || !/^\d+$/.test(port) || Number(port) > 65_535) {
    throw new InvalidArgumentError('must be HOST:PORT');
  }
  return value;
}

function parsePartitions(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) {
    throw new InvalidArgumentError('must be an integer in [1, 100000]');
  }
  return n;
}

function parseLevel(value: string): string {
  if (!LEVELS.includes(value)) throw new InvalidArgumentError(`must be one of ${LEVELS.join(', ')}`);
  return value;
}

async function runDev(options: {
  dataDir: string;
  controllerListen: string;
  brokerListen: string;
  defaultPartitions: number;
  logLevel: string;
}): Promise<void> {
  const logger = makeLogger(options.logLevel);
  await runService({
    logger,
    start: () => startDevCluster({ ...options, logger }),
    onStarted: (cluster: DevCluster) => {
      const host = options.controllerListen.slice(0, options.controllerListen.lastIndexOf(':'));
      const banner = devBanner({
        controllerAddress: `${host}:${cluster.controller.port}`,
        brokerAddress: cluster.broker.advertisedAddress,
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

program
  .command('dev')
  .description('start a single-node development cluster (controller + broker in one process)')
  .option('--data-dir <dir>', 'where the data lives', DEV_DEFAULTS.dataDir)
  .option(
    '--controller-listen <host:port>',
    'the controller address',
    parseHostPort,
    DEV_DEFAULTS.controllerListen,
  )
  .option('--broker-listen <host:port>', 'the broker address', parseHostPort, DEV_DEFAULTS.brokerListen)
  .option(
    '--default-partitions <n>',
    'partitions of topics created on first use',
    parsePartitions,
    DEV_DEFAULTS.defaultPartitions,
  )
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
